//! Every email is a place too: the background task sends what is due (reminders, feedback
//! notices, digests, invitation links) to a real SMTP server, and each message is read as
//! the person it went to (someone without an account counts as anyone not signed in).

use super::model::Actor;
use super::world::World;
use crate::smtp::SmtpServer;
use chrono::{TimeZone, Utc};
use server::mail::Scheduler;
use std::time::Duration;

pub async fn read_every_email(
    world: &mut World<'_>,
    smtp: &SmtpServer,
    failures: &mut Vec<String>,
) -> usize {
    let app = world.app;
    // After the reminder hour, so everything that is due goes out in this round.
    let today = Utc::now().date_naive();
    let at = Utc.from_utc_datetime(
        &today
            .and_hms_opt(app.config.reminder_hour + 1, 0, 0)
            .unwrap(),
    );
    let scheduler = Scheduler::new(&app.config).unwrap();
    let sent = scheduler.round(&app.state.db, at).await.unwrap();
    let mut messages = smtp.messages();
    for _ in 0..50 {
        if messages.len() >= sent.sent {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        messages = smtp.messages();
    }
    assert!(
        messages.len() >= 5,
        "the world's homework, feedback and invitations send email: {sent:?}"
    );
    for mail in &messages {
        for to in &mail.to {
            let actor = Actor::by_email(to).unwrap_or(Actor::Anonymous);
            let what = format!("email to {to} \"{}\"", mail.subject);
            world.observe(
                actor,
                &what,
                &format!("{}\n{}", mail.subject, mail.body),
                failures,
            );
        }
    }
    messages.len()
}
