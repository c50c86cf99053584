//! Session reminders: each partner who comes to a session gets one email their chosen time
//! before it (24 hours unless they chose otherwise), once, also when several servers plan
//! at the same moment; in their own time zone, named; with nothing but when, how long, joint
//! or individual, and where.

use super::sending::futures_join_all;
use super::{another_server, app_with_mail};
use crate::actions::{Partner, Partners};
use crate::actions::{schedule, tomorrow_at};
use crate::both_engines;
use crate::helpers::{Browser, Engine, TestApp};
use crate::practice::{as_actor, practice};
use crate::smtp::SmtpServer;
use chrono::{DateTime, Duration, Utc};
use server::mail::Scheduler;

both_engines!(
    a_session_reminder_goes_once_from_several_servers,
    each_partner_chooses_how_long_before,
);

/// When a session starts (UTC).
pub(super) async fn starts_at(app: &TestApp, session: &str) -> DateTime<Utc> {
    let ms: i64 = sqlx::query_scalar(
        "select starts_at from counseling_session where counseling_session_id = $1",
    )
    .bind(session)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    DateTime::from_timestamp_millis(ms).unwrap()
}

/// A person's saved reminder settings, through the settings form.
pub(super) async fn set_reminders(b: &mut Browser, on: &str, hours: &str) -> String {
    let res = b
        .submit(
            "/settings",
            "/api/set_email_reminders",
            &[("email_reminders", on), ("session_reminder_hours", hours)],
        )
        .await;
    res.location.unwrap_or_default()
}

async fn a_session_reminder_goes_once_from_several_servers(engine: Engine) {
    let smtp = SmtpServer::start().await;
    let first = app_with_mail(engine, &smtp).await;
    let mut p = practice(&first).await;
    let couple = p.couple.clone();
    let second = another_server(engine, &first, &smtp).await;
    let mut casey = as_actor(&first, Some("casey@example.org")).await;
    let res = casey
        .submit(
            "/settings",
            "/api/set_time_zone",
            &[("time_zone", "Asia/Tokyo")],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/settings?saved=1"));
    let joint = schedule(&mut p.robin, &couple, &tomorrow_at("12:00"), Partners::Both).await;
    let solo = schedule(
        &mut p.robin,
        &couple,
        &tomorrow_at("12:30"),
        Partners::Only(Partner::First),
    )
    .await;
    let start = starts_at(&first, &joint).await;

    // More than a day before either: nothing yet.
    let early = Scheduler::new(&first.config).unwrap();
    let sent = early
        .round(&first.state.db, start - Duration::hours(26))
        .await
        .unwrap();
    assert_eq!(sent.sent, 0, "{sent:?}");

    // Within the day before, four planners on two servers at the same moment.
    let schedulers: Vec<(Scheduler, &TestApp)> = vec![
        (Scheduler::new(&first.config).unwrap(), &first),
        (Scheduler::new(&second.config).unwrap(), &second),
        (Scheduler::new(&first.config).unwrap(), &first),
        (Scheduler::new(&second.config).unwrap(), &second),
    ];
    let at = start - Duration::hours(23);
    let rounds = schedulers.iter().map(|(s, app)| s.round(&app.state.db, at));
    let results = futures_join_all(rounds).await;
    let total: usize = results.iter().map(|r| r.as_ref().unwrap().sent).sum();
    assert_eq!(total, 3, "{results:?}");
    // And again, later: nothing more.
    for (s, app) in &schedulers {
        let later = s
            .round(&app.state.db, start - Duration::hours(1))
            .await
            .unwrap();
        assert_eq!(later.sent, 0, "{later:?}");
    }
    let jordan = smtp.to("jordan@example.org");
    let casey_mail = smtp.to("casey@example.org");
    assert_eq!((jordan.len(), casey_mail.len()), (2, 1), "{jordan:?}");
    assert_eq!(smtp.messages().len(), 3, "nobody else hears of them");

    // Casey's, in her own time zone, named; a joint session; nothing of the case.
    let mail = &casey_mail[0];
    assert!(
        mail.subject.starts_with("Reminder: your session on"),
        "{}",
        mail.subject
    );
    assert!(mail.subject.contains("21:00"), "{}", mail.subject);
    assert!(
        mail.body.contains("at 21:00 (Asia/Tokyo time)"),
        "{}",
        mail.body
    );
    assert!(mail.body.contains("a joint session, for both of you"));
    assert!(mail.body.contains("How long: 50 minutes"));
    assert!(mail.body.contains("online, by video"));
    assert!(mail.body.contains("turn them off on your settings page"));
    for never in ["Jordan", "jordan", "Affair", "Lee"] {
        assert!(!mail.body.contains(never), "{never} in {}", mail.body);
        assert!(!mail.subject.contains(never), "{never} in {}", mail.subject);
    }
    // Jordan's: the joint one and his own, in UTC (his zone).
    assert!(
        jordan
            .iter()
            .any(|m| m.body.contains("at 12:00 (UTC)") && m.body.contains("joint session"))
    );
    assert!(jordan.iter().any(|m| {
        m.body.contains("at 12:30 (UTC)")
            && m.body
                .contains("an individual session, for you on your own")
    }));
    let _ = solo;
}

async fn each_partner_chooses_how_long_before(engine: Engine) {
    let smtp = SmtpServer::start().await;
    let app = app_with_mail(engine, &smtp).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;

    // The choice is on the settings page, 24 hours until changed; odd values are refused.
    let (_, page) = casey.visit("/settings").await;
    assert!(
        page.body.contains("Remind me of a session"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(r#"value="24" selected"#),
        "24 hours at first"
    );
    let to = set_reminders(&mut casey, "on", "5").await;
    let (_, page) = casey.visit(&to).await;
    assert!(
        page.body
            .contains("Choose how long before a session to be reminded.")
    );
    assert_eq!(
        set_reminders(&mut casey, "on", "2").await,
        "/settings?saved=1"
    );
    assert_eq!(
        set_reminders(&mut jordan, "on", "48").await,
        "/settings?saved=1"
    );
    let (_, page) = casey.visit("/settings").await;
    assert!(
        page.body.contains(r#"value="2" selected"#),
        "Casey's 2 hours shows"
    );

    let joint = schedule(&mut p.robin, &couple, &tomorrow_at("12:00"), Partners::Both).await;
    let start = starts_at(&app, &joint).await;
    let scheduler = Scheduler::new(&app.config).unwrap();
    let count = |who: &str| smtp.to(who).len();
    for (before, jordan_has, casey_has) in [
        (Duration::hours(49), 0, 0),
        (Duration::hours(30), 1, 0),
        (Duration::hours(3), 1, 0),
        (Duration::minutes(90), 1, 1),
        (Duration::minutes(10), 1, 1),
    ] {
        scheduler
            .round(&app.state.db, start - before)
            .await
            .unwrap();
        assert_eq!(
            (count("jordan@example.org"), count("casey@example.org")),
            (jordan_has, casey_has),
            "{before} before"
        );
    }
}
