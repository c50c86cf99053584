//! Email reminders through a real SMTP server: partners hear about homework due tomorrow,
//! homework past due and new feedback; counselors get a daily digest. Each email is sent
//! exactly once (also by several servers sharing one database), survives a mail-server
//! outage, carries nothing anyone wrote, and stops when the person turns reminders off.
//! Also: repeating homework; sessions (a reminder before each, notices when one is moved or
//! cancelled) and check-ins that come due.

mod check_ins;
mod digests;
mod repeating;
mod sending;
mod session_notices;
mod sessions;
mod settings;

use crate::actions::{Homework, Repeat};
use crate::helpers::{Engine, Options, TestApp, temp_dir};
use crate::smtp::SmtpServer;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

async fn app_with_mail(engine: Engine, smtp: &SmtpServer) -> TestApp {
    TestApp::spawn_with(
        engine,
        Options {
            smtp: Some(smtp.port),
            ..Default::default()
        },
    )
    .await
}

/// A second server process on the first one's database.
async fn another_server(engine: Engine, first: &TestApp, smtp: &SmtpServer) -> TestApp {
    let url = first.config.database_url.as_ref().unwrap().expose();
    let options = Options {
        smtp: Some(smtp.port),
        ..Default::default()
    };
    TestApp::spawn_on(engine, temp_dir(), url.to_string(), options).await
}

/// Today at the given UTC hour.
fn today_at(hour: u32) -> DateTime<Utc> {
    let today = Utc::now().date_naive();
    Utc.from_utc_datetime(&today.and_hms_opt(hour, 0, 0).unwrap())
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// Homework written from scratch, due on `due`, as these tests assign it.
fn homework(title: &str, due: NaiveDate, repeat: Repeat) -> Homework<'_> {
    Homework {
        title,
        instructions: "Write a few lines, on your own.",
        due: Some(due),
        repeat: Some(repeat),
        template: None,
    }
}

/// Moves a copy's due date, as if it had been set so.
async fn set_due(app: &TestApp, assignment: &str, due: NaiveDate) {
    sqlx::query("update assignment set due_on = $1 where assignment_id = $2")
        .bind(due.to_string())
        .bind(assignment)
        .execute(app.state.db.writer())
        .await
        .unwrap();
}
