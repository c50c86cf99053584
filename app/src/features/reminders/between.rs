//! The reminders of the week between sessions: a session coming up (each partner's chosen
//! time before it) and a check-in that has come due (once per due period). Like the rest of
//! the planner, safe to run from any number of servers at once: each email's dedupe key is
//! queued at most once.

use super::repo;
use crate::db::Db;
use crate::error::AppError;
use crate::features::sessions::emails::{self, Reader, SessionFacts};
use crate::features::sessions::{SessionFormat, where_of};
use crate::outbox::{NewEmail, SESSION_REMINDER, enqueue, reminder_footer};
use chrono_tz::Tz;

const DAY_MS: i64 = 24 * 3600 * 1000;

fn zone_of(name: Option<&str>) -> Tz {
    name.and_then(|n| n.parse().ok()).unwrap_or(Tz::UTC)
}

/// One reminder per partner per session start. The key holds the start, so a session moved
/// after its reminder went out is reminded of again at its new time (and `outbox` drops a
/// queued reminder whose session has since moved or been cancelled).
pub async fn session_reminders(db: &Db, now: i64, url: &str) -> Result<usize, AppError> {
    let rows = repo::sessions_to_remind(db, now).await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let address = crate::features::sessions::repo::practice_address(db).await?;
    let mut queued = 0;
    for row in rows {
        let format = SessionFormat::parse(&row.format).unwrap_or(SessionFormat::InPerson);
        let (link, address) = where_of(format, row.place, row.meeting_link, address.clone());
        let facts = SessionFacts {
            starts_at: row.starts_at,
            duration_minutes: row.duration_minutes,
            format,
            joint: row.attendees == "both",
            link,
            address,
        };
        let reader = Reader {
            name: &row.display_name,
            zone: zone_of(row.time_zone.as_deref()),
            public_url: url,
        };
        let words = emails::reminder(&reader, &facts);
        let key = format!(
            "{SESSION_REMINDER}:{}:{}:{}",
            row.counseling_session_id, row.app_user_id, row.starts_at
        );
        let email = NewEmail {
            dedupe_key: &key,
            kind: SESSION_REMINDER,
            app_user_id: Some(&row.app_user_id),
            to_address: &row.email,
            subject: &words.subject,
            body: &words.body,
        };
        queued += enqueue(db.writer(), email, now).await? as usize;
    }
    Ok(queued)
}

/// When the check-in period that `now` falls in began, if a check-in is due: a partner's
/// check-in comes due `days` after their latest one (or after they joined, for the first)
/// and, while it waits, again each `days` after that. `None` while the latest is recent.
pub fn due_period(anchor: i64, days: i64, now: i64) -> Option<i64> {
    let period = days.max(1) * DAY_MS;
    let passed = (now - anchor) / period;
    (now >= anchor && passed >= 1).then_some(anchor + passed * period)
}

/// One reminder per partner per period in which their check-in is due.
pub async fn check_in_reminders(db: &Db, now: i64, url: &str) -> Result<usize, AppError> {
    let mut queued = 0;
    for row in repo::check_ins_due(db).await? {
        let anchor = row
            .last_at
            .unwrap_or(row.partner_since.max(row.account_since));
        let Some(due) = due_period(anchor, row.check_in_days, now) else {
            continue;
        };
        let body = format!(
            "Hello {},\n\nIt is time for your check-in. It takes a few minutes, whenever suits \
             you:\n{url}/check-in{}",
            row.display_name,
            reminder_footer(url)
        );
        let key = format!(
            "check_in:{}:{}:{}:{due}",
            row.couple_id, row.position, row.app_user_id
        );
        let email = NewEmail {
            dedupe_key: &key,
            kind: "check_in_due",
            app_user_id: Some(&row.app_user_id),
            to_address: &row.email,
            subject: "Time for your check-in",
            body: &body,
        };
        queued += enqueue(db.writer(), email, now).await? as usize;
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_in_is_due_once_a_period_has_passed() {
        let week = 7 * DAY_MS;
        assert_eq!(due_period(0, 7, week - 1), None);
        assert_eq!(due_period(0, 7, week), Some(week));
        assert_eq!(due_period(0, 7, 2 * week - 1), Some(week));
        assert_eq!(due_period(0, 7, 2 * week + 5), Some(2 * week));
        assert_eq!(due_period(10, 7, 5), None);
    }
}
