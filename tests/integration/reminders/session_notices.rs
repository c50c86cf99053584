//! When the counselor moves, changes or cancels a session, each partner who comes to it hears
//! once, with the new time in their own zone (or that it is cancelled, never why); a moved
//! session is reminded of again at its new time, a cancelled one never; someone who turned
//! reminders off hears nothing.

use super::app_with_mail;
use super::sessions::{set_reminders, starts_at};
use crate::actions::Partners;
use crate::actions::{schedule, tomorrow_at};
use crate::both_engines;
use crate::helpers::{Browser, Engine};
use crate::practice::{as_actor, practice};
use crate::smtp::SmtpServer;
use chrono::{Duration, Utc};
use server::mail::Scheduler;

both_engines!(
    a_moved_session_sends_one_notice_and_a_reminder_for_its_new_time,
    a_cancelled_session_sends_one_notice_and_no_reminder,
    someone_who_turned_reminders_off_hears_nothing,
);

/// The day after tomorrow at `hh:mm` (UTC) as a `datetime-local` value.
fn in_two_days_at(hhmm: &str) -> String {
    let d = Utc::now().date_naive() + chrono::Days::new(2);
    format!("{d}T{hhmm}")
}

/// The counselor changes a session through its page.
async fn change(robin: &mut Browser, session: &str, starts: &str, attendees: &str) {
    let page = format!("/sessions/{session}");
    let res = robin
        .submit(
            &page,
            "/api/reschedule_session",
            &[
                ("session_id", session),
                ("starts_at", starts),
                ("duration_minutes", "50"),
                ("format", "video"),
                ("attendees", attendees),
            ],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("{page}?saved=1").as_str()),
        "{}",
        res.body
    );
}

async fn cancel(robin: &mut Browser, session: &str) {
    let res = robin
        .call(
            "/api/set_session_status",
            &[
                ("session_id", session),
                ("status", "cancelled"),
                ("reason", "Jordan has the flu"),
            ],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
}

async fn a_moved_session_sends_one_notice_and_a_reminder_for_its_new_time(engine: Engine) {
    let smtp = SmtpServer::start().await;
    let app = app_with_mail(engine, &smtp).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let session = schedule(&mut p.robin, &couple, &tomorrow_at("12:00"), Partners::Both).await;
    let first_start = starts_at(&app, &session).await;
    let scheduler = Scheduler::new(&app.config).unwrap();
    let db = &app.state.db;
    scheduler
        .round(db, first_start - Duration::hours(23))
        .await
        .unwrap();
    let count = |who: &str| smtp.to(who).len();
    assert_eq!(
        (count("jordan@example.org"), count("casey@example.org")),
        (1, 1)
    );

    // Saved again as it is: partners see no change, so nobody hears of it.
    change(&mut p.robin, &session, &tomorrow_at("12:00"), "both").await;
    scheduler.round(db, Utc::now()).await.unwrap();
    assert_eq!(
        (count("jordan@example.org"), count("casey@example.org")),
        (1, 1)
    );

    // Moved to the day after: one notice each, however often the planner runs.
    change(&mut p.robin, &session, &in_two_days_at("15:30"), "both").await;
    for _ in 0..3 {
        scheduler.round(db, Utc::now()).await.unwrap();
    }
    let casey = smtp.to("casey@example.org");
    assert_eq!((count("jordan@example.org"), casey.len()), (2, 2));
    let notice = &casey[1];
    assert!(
        notice.subject.starts_with("Your session has moved to"),
        "{}",
        notice.subject
    );
    assert!(notice.body.contains("15:30 (UTC)"), "{}", notice.body);
    assert!(notice.body.contains("that was on"), "{}", notice.body);
    assert!(notice.body.contains("12:00 (UTC)"), "the old time too");
    assert!(notice.body.contains("turn them off on your settings page"));

    // A reminder for the new time, once.
    let new_start = starts_at(&app, &session).await;
    for _ in 0..2 {
        scheduler
            .round(db, new_start - Duration::hours(23))
            .await
            .unwrap();
    }
    let casey = smtp.to("casey@example.org");
    assert_eq!((count("jordan@example.org"), casey.len()), (3, 3));
    assert!(
        casey[2].subject.starts_with("Reminder"),
        "{}",
        casey[2].subject
    );
    assert!(casey[2].body.contains("15:30 (UTC)"));

    // Made Jordan's alone: Casey hears it is off her schedule, Jordan that it changed;
    // neither is reminded of it again.
    change(
        &mut p.robin,
        &session,
        &in_two_days_at("15:30"),
        "partner_1",
    )
    .await;
    scheduler
        .round(db, new_start - Duration::hours(22))
        .await
        .unwrap();
    let casey = smtp.to("casey@example.org");
    let jordan = smtp.to("jordan@example.org");
    assert_eq!((jordan.len(), casey.len()), (4, 4));
    assert!(
        casey[3].body.contains("no longer on your schedule"),
        "{}",
        casey[3].body
    );
    assert!(!casey[3].body.contains("individual"), "{}", casey[3].body);
    assert!(
        jordan[3].body.contains("an individual session"),
        "{}",
        jordan[3].body
    );
}

async fn a_cancelled_session_sends_one_notice_and_no_reminder(engine: Engine) {
    let smtp = SmtpServer::start().await;
    let app = app_with_mail(engine, &smtp).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let session = schedule(&mut p.robin, &couple, &tomorrow_at("12:00"), Partners::Both).await;
    let start = starts_at(&app, &session).await;
    let db = &app.state.db;
    // The reminders are queued but not sent yet when the session is cancelled.
    let settings = app::features::reminders::plan::PlanSettings {
        public_url: &app.base,
        reminder_hour: 8,
    };
    let queued = app::features::reminders::plan::plan(db, start - Duration::hours(23), &settings)
        .await
        .unwrap();
    assert_eq!(queued, 2);
    cancel(&mut p.robin, &session).await;
    let scheduler = Scheduler::new(&app.config).unwrap();
    for at in [
        Utc::now(),
        start - Duration::hours(2),
        start - Duration::minutes(5),
    ] {
        scheduler.round(db, at).await.unwrap();
    }
    for who in ["jordan@example.org", "casey@example.org"] {
        let mail = smtp.to(who);
        assert_eq!(mail.len(), 1, "{who}: only the notice: {mail:?}");
        assert!(
            mail[0].subject.contains("is cancelled"),
            "{}",
            mail[0].subject
        );
        assert!(mail[0].body.contains("has been cancelled"));
        assert!(mail[0].body.contains("12:00 (UTC)"));
        assert!(!mail[0].body.contains("flu"), "never the reason");
    }
    // Cancelling the same session again is refused and sends nothing.
    let again = p
        .robin
        .call(
            "/api/set_session_status",
            &[
                ("session_id", &session),
                ("status", "cancelled"),
                ("reason", "x"),
            ],
        )
        .await;
    assert_eq!(again.status, 409);
    scheduler.round(db, Utc::now()).await.unwrap();
    assert_eq!(smtp.messages().len(), 2);
}

async fn someone_who_turned_reminders_off_hears_nothing(engine: Engine) {
    let smtp = SmtpServer::start().await;
    let app = app_with_mail(engine, &smtp).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    assert_eq!(
        set_reminders(&mut casey, "off", "24").await,
        "/settings?saved=1"
    );
    let session = schedule(&mut p.robin, &couple, &tomorrow_at("12:00"), Partners::Both).await;
    let start = starts_at(&app, &session).await;
    let db = &app.state.db;
    let scheduler = Scheduler::new(&app.config).unwrap();
    scheduler
        .round(db, start - Duration::hours(23))
        .await
        .unwrap();
    // Moved an hour later, then cancelled; the rounds run while it is still more than a day
    // away, so only the notices go.
    change(&mut p.robin, &session, &tomorrow_at("13:00"), "both").await;
    let before = start - Duration::hours(30);
    scheduler.round(db, before).await.unwrap();
    cancel(&mut p.robin, &session).await;
    scheduler.round(db, before).await.unwrap();
    assert!(
        smtp.to("casey@example.org").is_empty(),
        "Casey turned them off"
    );
    let jordan = smtp.to("jordan@example.org");
    assert_eq!(jordan.len(), 3, "reminder, moved, cancelled: {jordan:?}");
}
