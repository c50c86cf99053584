//! A check-in that has come due brings one reminder per due period (the couple's cadence,
//! counted from the partner's latest check-in, or from when they joined), also with several
//! servers planning at once, and none to someone who turned reminders off.

use super::sending::futures_join_all;
use super::sessions::set_reminders;
use super::{another_server, app_with_mail};
use crate::actions::{CheckIn, check_in};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::practice::{as_actor, practice};
use crate::smtp::SmtpServer;
use chrono::{Duration, Utc};
use server::mail::Scheduler;

both_engines!(a_due_check_in_is_reminded_of_once_per_period);

async fn a_due_check_in_is_reminded_of_once_per_period(engine: Engine) {
    let smtp = SmtpServer::start().await;
    let first = app_with_mail(engine, &smtp).await;
    let _p = practice(&first).await;
    let second = another_server(engine, &first, &smtp).await;
    let mut jordan = as_actor(&first, Some("jordan@example.org")).await;
    check_in(&mut jordan, &CheckIn::PLAIN).await;
    let now = Utc::now();
    let schedulers: Vec<(Scheduler, &TestApp)> = vec![
        (Scheduler::new(&first.config).unwrap(), &first),
        (Scheduler::new(&second.config).unwrap(), &second),
        (Scheduler::new(&first.config).unwrap(), &first),
    ];
    let count = |who: &str| smtp.to(who).len();
    // The couple checks in weekly: nothing within the week; one each once it has passed
    // (Casey has not checked in yet: a week after she joined), then nothing more until the
    // next week, however many servers plan however often.
    for (days, each) in [(0, 0), (6, 0), (8, 1), (8, 1), (13, 1), (15, 2), (20, 2)] {
        let at = now + Duration::days(days) + Duration::minutes(5);
        let rounds = schedulers.iter().map(|(s, app)| s.round(&app.state.db, at));
        for r in futures_join_all(rounds).await {
            r.unwrap();
        }
        assert_eq!(
            (count("jordan@example.org"), count("casey@example.org")),
            (each, each),
            "day {days}"
        );
    }
    let mail = &smtp.to("casey@example.org")[0];
    assert_eq!(mail.subject, "Time for your check-in");
    assert!(mail.body.contains("/check-in"), "{}", mail.body);
    assert!(mail.body.contains("turn them off on your settings page"));
    assert!(
        !mail.body.contains("jordan"),
        "nothing of the other partner"
    );

    // Checking in starts a new period: Jordan's next reminder is a week after that.
    let scheduler = Scheduler::new(&first.config).unwrap();
    check_in(&mut jordan, &CheckIn::PLAIN).await;
    scheduler
        .round(&first.state.db, Utc::now() + Duration::days(6))
        .await
        .unwrap();
    assert_eq!(count("jordan@example.org"), 2, "checked in: not due yet");

    // Turned off: nothing more for Casey, though her next period comes.
    let mut casey = as_actor(&first, Some("casey@example.org")).await;
    assert_eq!(
        set_reminders(&mut casey, "off", "").await,
        "/settings?saved=1"
    );
    scheduler
        .round(&first.state.db, now + Duration::days(22))
        .await
        .unwrap();
    assert_eq!(count("casey@example.org"), 2);
}
