//! Reminders and digests: what is due tomorrow, past due and newly reviewed reaches each
//! partner, the counselor gets a daily digest, each once, and nothing anyone wrote travels.

use super::{app_with_mail, homework, set_due, today, today_at};
use crate::actions::{Partner, Partners, Repeat, Visibility, answer, assign, review};
use crate::both_engines;
use crate::helpers::Engine;
use crate::practice::{as_actor, practice};
use crate::smtp::SmtpServer;
use chrono::Duration;
use server::mail::Scheduler;

both_engines!(reminders_and_digests_arrive_once_and_carry_nothing_private);

async fn reminders_and_digests_arrive_once_and_carry_nothing_private(engine: Engine) {
    let smtp = SmtpServer::start().await;
    let app = app_with_mail(engine, &smtp).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let tomorrow = today() + Duration::days(1);
    let weekly = assign(
        &app,
        &mut p.robin,
        &couple,
        Partners::Both,
        &homework("TITLE-WEEK", tomorrow, Repeat::Once),
    )
    .await;
    let late = assign(
        &app,
        &mut p.robin,
        &couple,
        Partners::Only(Partner::Second),
        &homework("TITLE-LATE", tomorrow, Repeat::Once),
    )
    .await;
    set_due(&app, &late[0], today() - Duration::days(2)).await;
    // An old overdue piece of work is not announced when email is switched on.
    let ancient = assign(
        &app,
        &mut p.robin,
        &couple,
        Partners::Only(Partner::Second),
        &homework("TITLE-OLD", tomorrow, Repeat::Once),
    )
    .await;
    set_due(&app, &ancient[0], today() - Duration::days(30)).await;

    // Jordan answers this week's homework; Robin reads it and leaves feedback.
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    answer(
        &mut jordan,
        &weekly[0],
        "JORDAN-PRIVATE-ANSWER",
        Visibility::CounselorOnly,
    )
    .await;
    review(&mut p.robin, &weekly[0], "ROBIN-PRIVATE-FEEDBACK").await;

    let scheduler = Scheduler::new(&app.config).unwrap();
    // Before the reminder hour: only what cannot wait (past due, feedback).
    let sent = scheduler.round(&app.state.db, today_at(6)).await.unwrap();
    assert_eq!(sent.sent, 2, "{sent:?}");
    let casey = smtp.to("casey@example.org");
    assert_eq!(casey.len(), 1, "{casey:?}");
    assert_eq!(casey[0].subject, "Homework past its due date");
    assert!(casey[0].body.contains(&format!("/homework/{}", late[0])));
    let jordan_mail = smtp.to("jordan@example.org");
    assert_eq!(jordan_mail.len(), 1);
    assert_eq!(jordan_mail[0].subject, "Your counselor left you feedback");
    assert!(
        jordan_mail[0]
            .body
            .contains(&format!("{}/homework/{}", app.base, weekly[0]))
    );
    assert!(jordan_mail[0].from.contains("trellis@practice.test"));

    // From the reminder hour: due tomorrow (Casey has not answered; Jordan has) and
    // Robin's digest.
    let sent = scheduler.round(&app.state.db, today_at(9)).await.unwrap();
    assert_eq!(sent.sent, 2, "{sent:?}");
    let casey = smtp.to("casey@example.org");
    assert_eq!(casey.len(), 2, "{casey:?}");
    assert_eq!(casey[1].subject, "Homework due tomorrow");
    assert!(casey[1].body.contains(&format!("/homework/{}", weekly[1])));
    assert_eq!(
        smtp.to("jordan@example.org").len(),
        1,
        "Jordan already answered"
    );
    let robin = smtp.to("robin@example.org");
    assert_eq!(robin.len(), 1);
    assert_eq!(
        robin[0].subject,
        "Trellis: 1 new homework submission since yesterday"
    );
    assert!(
        robin[0].body.contains("0 are waiting for your review"),
        "{}",
        robin[0].body
    );
    assert!(robin[0].body.contains(&format!("{}/reviews", app.base)));
    assert!(
        smtp.to("pat@example.org").is_empty(),
        "nothing for another couple"
    );
    assert!(
        smtp.to("dana@example.org").is_empty(),
        "no digest without submissions"
    );

    // Nothing private travels by email, and nothing is sent twice.
    for mail in smtp.messages() {
        for secret in [
            "JORDAN-PRIVATE-ANSWER",
            "ROBIN-PRIVATE-FEEDBACK",
            "TITLE-",
            "Jordan & Casey",
        ] {
            assert!(!mail.body.contains(secret), "{secret} in {mail:?}");
            assert!(!mail.subject.contains(secret), "{secret} in {mail:?}");
        }
    }
    for hour in [9, 12, 23] {
        let again = scheduler
            .round(&app.state.db, today_at(hour))
            .await
            .unwrap();
        assert_eq!(again.sent, 0);
    }
    let other = Scheduler::new(&app.config).unwrap();
    assert_eq!(
        other.round(&app.state.db, today_at(10)).await.unwrap().sent,
        0
    );
    assert_eq!(smtp.messages().len(), 4);
    // Sent emails are not kept as text.
    let kept: Vec<(String,)> =
        sqlx::query_as("select body from email_outbox where sent_at is not null and body <> ''")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    assert!(kept.is_empty());
}
