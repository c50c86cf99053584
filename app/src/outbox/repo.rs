//! The outbox table: queue, claim, mark sent or failed.

use crate::db::{Db, new_id};
use crate::error::AppError;
use sqlx::{Any, Executor};

/// An email to queue.
pub struct NewEmail<'a> {
    /// What the email is about; a second email with the same key is never queued.
    pub dedupe_key: &'a str,
    pub kind: &'a str,
    pub app_user_id: Option<&'a str>,
    pub to_address: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// Queues an email unless one with its key was queued before. True when queued now.
pub async fn enqueue<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    email: NewEmail<'_>,
    now: i64,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "insert into email_outbox (email_id, dedupe_key, kind, app_user_id, to_address, \
         subject, body, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8) \
         on conflict (dedupe_key) do nothing",
    )
    .bind(new_id())
    .bind(email.dedupe_key)
    .bind(email.kind)
    .bind(email.app_user_id)
    .bind(email.to_address)
    .bind(email.subject)
    .bind(email.body)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A queued email, as the sender reads it.
#[derive(sqlx::FromRow)]
pub struct OutboxEmail {
    pub email_id: String,
    pub kind: String,
    pub app_user_id: Option<String>,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

/// Emails ready to send: not sent, not dropped, and not claimed by a live sender.
pub async fn ready(db: &Db, now: i64, limit: i64) -> Result<Vec<OutboxEmail>, AppError> {
    Ok(sqlx::query_as(
        "select email_id, kind, app_user_id, to_address, subject, body, attempts \
         from email_outbox where sent_at is null and dropped_at is null \
         and (claimed_until is null or claimed_until < $1) order by created_at limit $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}

/// Claims an email for `lease_ms`. Only one of any number of concurrent claimers wins:
/// the update re-checks the claim under the row's write lock.
pub async fn claim(
    db: &Db,
    email_id: &str,
    sender: &str,
    now: i64,
    lease_ms: i64,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "update email_outbox set claimed_by = $1, claimed_until = $2, attempts = attempts + 1 \
         where email_id = $3 and sent_at is null and dropped_at is null \
         and (claimed_until is null or claimed_until < $4)",
    )
    .bind(sender)
    .bind(now + lease_ms)
    .bind(email_id)
    .bind(now)
    .execute(db.writer())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// True when the account still wants reminder emails (active, and reminders on).
pub async fn still_wanted(db: &Db, app_user_id: &str) -> Result<bool, AppError> {
    let row: Option<(String, i64)> =
        sqlx::query_as("select status, email_reminders from app_user where app_user_id = $1")
            .bind(app_user_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(matches!(row, Some((status, on)) if status == "active" && on == 1))
}

/// The session emails, whose dedupe keys read `kind:session:person:start[:change]`.
pub const SESSION_REMINDER: &str = "session_reminder";
pub const SESSION_CHANGED: &str = "session_changed";
pub const SESSION_CANCELLED: &str = "session_cancelled";

/// A session reminder or change notice still describes the session: it is still scheduled,
/// still starts when the email says, in the future, with the person still attending. A
/// cancellation notice is current until the time the session would have begun. So a session
/// moved twice before the sender ran sends only the latest time.
async fn session_email_current(db: &Db, kind: &str, key: &str, now: i64) -> Result<bool, AppError> {
    let mut parts = key.split(':').skip(1);
    let (Some(session), Some(person), Some(start)) = (parts.next(), parts.next(), parts.next())
    else {
        return Ok(false);
    };
    let Ok(start) = start.parse::<i64>() else {
        return Ok(false);
    };
    if start <= now {
        return Ok(false);
    }
    if kind == SESSION_CANCELLED {
        return Ok(true);
    }
    let found: Option<i64> = sqlx::query_scalar(
        "select s.starts_at from counseling_session s \
         join partner p on p.couple_id = s.couple_id and p.app_user_id = $2 \
         where s.counseling_session_id = $1 and s.status = 'scheduled' \
         and (s.attendees = 'both' or s.attendees = 'partner_' || p.position)",
    )
    .bind(session)
    .bind(person)
    .fetch_optional(db.pool())
    .await?;
    Ok(found == Some(start))
}

/// For an invitation email: true while its link is still open (not revoked, replaced,
/// accepted or expired); for a password reset email, while its link is unused and
/// unexpired; for a session email, see `session_email_current`. Other emails are always
/// current.
pub async fn still_current(db: &Db, email_id: &str, now: i64) -> Result<bool, AppError> {
    let key: Option<(String, String)> =
        sqlx::query_as("select kind, dedupe_key from email_outbox where email_id = $1")
            .bind(email_id)
            .fetch_optional(db.pool())
            .await?;
    if let Some((kind, key)) = &key
        && [SESSION_REMINDER, SESSION_CHANGED, SESSION_CANCELLED].contains(&kind.as_str())
    {
        return session_email_current(db, kind, key, now).await;
    }
    // The email's kind, its invitation's revoked, accepted and expiry times, and its reset
    // link's used and expiry times.
    type Row = (
        String,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    );
    let row: Option<Row> = sqlx::query_as(
        "select o.kind, i.revoked_at, i.accepted_at, i.expires_at, r.used_at, r.expires_at \
         from email_outbox o \
         left join invitation i on o.dedupe_key = 'invitation:' || i.invitation_id \
         left join password_reset r on o.dedupe_key = 'password_reset:' || r.password_reset_id \
         where o.email_id = $1",
    )
    .bind(email_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(match row {
        Some((kind, revoked, accepted, expires, _, _)) if kind == "invitation" => {
            revoked.is_none() && accepted.is_none() && expires.is_some_and(|e| e > now)
        }
        Some((kind, _, _, _, used, expires)) if kind == "password_reset" => {
            used.is_none() && expires.is_some_and(|e| e > now)
        }
        Some(_) => true,
        None => false,
    })
}

/// Records a sent email and forgets its text.
pub async fn mark_sent(db: &Db, email_id: &str, sender: &str, now: i64) -> Result<(), AppError> {
    sqlx::query(
        "update email_outbox set sent_at = $1, body = '', claimed_until = null, last_error = null \
         where email_id = $2 and claimed_by = $3",
    )
    .bind(now)
    .bind(email_id)
    .bind(sender)
    .execute(db.writer())
    .await?;
    Ok(())
}

/// Gives up on an email for good, with the reason, and forgets its text.
pub async fn mark_dropped(db: &Db, email_id: &str, now: i64, reason: &str) -> Result<(), AppError> {
    sqlx::query(
        "update email_outbox set dropped_at = $1, body = '', claimed_until = null, \
         last_error = $2 where email_id = $3 and sent_at is null",
    )
    .bind(now)
    .bind(reason)
    .bind(email_id)
    .execute(db.writer())
    .await?;
    Ok(())
}

/// After a temporary failure: keeps the email and lets any sender retry it from `retry_at`.
pub async fn retry_later(
    db: &Db,
    email_id: &str,
    sender: &str,
    retry_at: i64,
    error: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "update email_outbox set claimed_until = $1, last_error = $2 \
         where email_id = $3 and claimed_by = $4 and sent_at is null",
    )
    .bind(retry_at)
    .bind(error)
    .bind(email_id)
    .bind(sender)
    .execute(db.writer())
    .await?;
    Ok(())
}
