//! Decides which reminder emails are due and queues them in the outbox. Safe to run from any
//! number of server processes at once: each email has a dedupe key, queued at most once.
//!
//! Emails carry no clinical content: no homework titles, answers or feedback, only that
//! something is waiting and a link that asks the person to sign in.

use crate::db::Db;
use crate::error::AppError;
use crate::outbox::{NewEmail, enqueue, reminder_footer as footer};
use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};

/// When and where: the hour (UTC) from which the day's reminders and digests go out, and the
/// address people reach Trellis at.
pub struct PlanSettings<'a> {
    pub public_url: &'a str,
    pub reminder_hour: u32,
}

/// Overdue homework is mentioned once, and only when it fell due within this many days (so
/// switching email on never sends a burst about old work).
const OVERDUE_WINDOW_DAYS: i64 = 7;
/// Feedback older than this when email is switched on is not announced.
const FEEDBACK_WINDOW_MS: i64 = 2 * 24 * 3600 * 1000;

/// Whom an email goes to.
struct Recipient<'a> {
    user_id: &'a str,
    email: &'a str,
}

/// Queues one email to a person; 1 when queued now, 0 when it was queued before.
async fn queue(
    db: &Db,
    now: DateTime<Utc>,
    key: &str,
    kind: &str,
    to: Recipient<'_>,
    subject: &str,
    body: &str,
) -> Result<usize, AppError> {
    let email = NewEmail {
        dedupe_key: key,
        kind,
        app_user_id: Some(to.user_id),
        to_address: to.email,
        subject,
        body,
    };
    Ok(enqueue(db.writer(), email, now.timestamp_millis()).await? as usize)
}

fn long_date(d: NaiveDate) -> String {
    d.format("%A %-d %B").to_string()
}

/// Queues every reminder due at `now`. Returns how many emails were queued.
pub async fn plan(
    db: &Db,
    now: DateTime<Utc>,
    settings: &PlanSettings<'_>,
) -> Result<usize, AppError> {
    let mut queued = 0;
    let today = now.date_naive();
    let daily = now.hour() >= settings.reminder_hour;
    if daily {
        queued += due_tomorrow(db, now, today, settings.public_url).await?;
        queued += digests(db, now, today, settings.public_url).await?;
    }
    queued += overdue(db, now, today, settings.public_url).await?;
    queued += feedback(db, now, settings.public_url).await?;
    let at = now.timestamp_millis();
    queued += super::between::session_reminders(db, at, settings.public_url).await?;
    queued += super::between::check_in_reminders(db, at, settings.public_url).await?;
    Ok(queued)
}

async fn due_tomorrow(
    db: &Db,
    now: DateTime<Utc>,
    today: NaiveDate,
    url: &str,
) -> Result<usize, AppError> {
    let tomorrow = today + Duration::days(1);
    let rows = super::repo::due_on(db, tomorrow).await?;
    let mut queued = 0;
    for (assignment_id, _, user_id, email, name) in rows {
        let body = format!(
            "Hello {name},\n\nYou have homework from your counselor due tomorrow, {}.\n\
             Open it here (you will be asked to sign in):\n{url}/homework/{assignment_id}{}",
            long_date(tomorrow),
            footer(url)
        );
        let to = Recipient {
            user_id: &user_id,
            email: &email,
        };
        let key = format!("due:{assignment_id}");
        queued += queue(
            db,
            now,
            &key,
            "homework_due",
            to,
            "Homework due tomorrow",
            &body,
        )
        .await?;
    }
    Ok(queued)
}

async fn overdue(
    db: &Db,
    now: DateTime<Utc>,
    today: NaiveDate,
    url: &str,
) -> Result<usize, AppError> {
    let oldest = today - Duration::days(OVERDUE_WINDOW_DAYS);
    let rows = super::repo::past_due(db, today, oldest).await?;
    let mut queued = 0;
    for (assignment_id, due_on, user_id, email, name) in rows {
        let due = due_on.parse::<NaiveDate>().map(long_date).unwrap_or(due_on);
        let body = format!(
            "Hello {name},\n\nHomework from your counselor was due on {due}. It is not too late: \
             whenever you are ready, you can still answer it here:\n{url}/homework/{assignment_id}{}",
            footer(url)
        );
        let to = Recipient {
            user_id: &user_id,
            email: &email,
        };
        let key = format!("overdue:{assignment_id}");
        queued += queue(
            db,
            now,
            &key,
            "homework_overdue",
            to,
            "Homework past its due date",
            &body,
        )
        .await?;
    }
    Ok(queued)
}

async fn feedback(db: &Db, now: DateTime<Utc>, url: &str) -> Result<usize, AppError> {
    let rows = super::repo::new_feedback(db, now.timestamp_millis() - FEEDBACK_WINDOW_MS).await?;
    let mut queued = 0;
    for (review_id, assignment_id, user_id, email, name) in rows {
        let body = format!(
            "Hello {name},\n\nYour counselor has read your homework and left you a note. \
             Only you can see it:\n{url}/homework/{assignment_id}{}",
            footer(url)
        );
        let to = Recipient {
            user_id: &user_id,
            email: &email,
        };
        let key = format!("feedback:{review_id}");
        queued += queue(
            db,
            now,
            &key,
            "feedback",
            to,
            "Your counselor left you feedback",
            &body,
        )
        .await?;
    }
    Ok(queued)
}

/// One email a day per counselor who had new submissions in the last 24 hours.
async fn digests(
    db: &Db,
    now: DateTime<Utc>,
    today: NaiveDate,
    url: &str,
) -> Result<usize, AppError> {
    let since = now.timestamp_millis() - 24 * 3600 * 1000;
    let rows = super::repo::digest_counts(db, since, today).await?;
    let mut queued = 0;
    for (user_id, email, name, new_count, waiting) in rows {
        if new_count == 0 {
            continue;
        }
        let plural = |n: i64, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        let subject = format!(
            "Trellis: {} since yesterday",
            plural(
                new_count,
                "new homework submission",
                "new homework submissions"
            )
        );
        let body = format!(
            "Hello {name},\n\nIn the last day, partners on your caseload submitted {}. \
             {} waiting for your review:\n{url}/reviews{}",
            plural(new_count, "homework response", "homework responses"),
            if waiting == 1 {
                "1 is".to_string()
            } else {
                format!("{waiting} are")
            },
            footer(url)
        );
        let to = Recipient {
            user_id: &user_id,
            email: &email,
        };
        let key = format!("digest:{user_id}:{today}");
        queued += queue(db, now, &key, "digest", to, &subject, &body).await?;
    }
    Ok(queued)
}
