//! Scheduling a session, rescheduling it, and cancelling it or recording attendance; each
//! change is audited and refused on a closed case. Moving, changing or cancelling one queues
//! its notices to partners in the same transaction (`notices`).

use super::notices::{SessionState, queue_notices, state};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;
use crate::features::sessions::{SessionFormat, SessionStatus};

/// What to schedule, already checked.
pub struct SessionInput {
    pub starts_at: i64,
    pub duration_minutes: i64,
    pub format: SessionFormat,
    /// "both", "partner_1" or "partner_2".
    pub attendees: String,
    /// The joining link or address (checked with `check_place`); `None`: the default.
    pub place: Option<String>,
}

fn audit<'a>(
    actor: &'a str,
    couple_id: &'a str,
    ip: Option<&'a str>,
    detail: &'a str,
) -> AuditEntry<'a> {
    AuditEntry {
        actor_user_id: Some(actor),
        couple_id: Some(couple_id),
        ip,
        detail: Some(detail),
        ..Default::default()
    }
}

async fn refuse_if_closed(tx: &mut crate::db::Tx, couple_id: &str) -> Result<(), AppError> {
    let status: Option<String> =
        sqlx::query_scalar("select status from couple where couple_id = $1")
            .bind(couple_id)
            .fetch_optional(&mut **tx)
            .await?;
    match status.as_deref() {
        None => Err(AppError::NotFound),
        Some("closed") => Err(AppError::Conflict(
            "This case is closed and read-only. Reopen it to plan sessions.".into(),
        )),
        _ => Ok(()),
    }
}

pub async fn schedule(
    db: &Db,
    couple_id: &str,
    counselor_id: &str,
    input: &SessionInput,
    ip: Option<&str>,
) -> Result<String, AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    refuse_if_closed(&mut tx, couple_id).await?;
    let id = new_id();
    sqlx::query(
        "insert into counseling_session (counseling_session_id, couple_id, counselor_id, starts_at, \
         duration_minutes, format, attendees, created_at, updated_at, place) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)",
    )
    .bind(&id)
    .bind(couple_id)
    .bind(counselor_id)
    .bind(input.starts_at)
    .bind(input.duration_minutes)
    .bind(input.format.as_str())
    .bind(&input.attendees)
    .bind(now)
    .bind(input.place.as_deref())
    .execute(&mut *tx)
    .await?;
    record(
        &mut *tx,
        AuditAction::SessionScheduled,
        audit(counselor_id, couple_id, ip, &input.attendees),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a scheduled session. With `notify` (the public URL, when email is set up), the
/// partners it concerns are told.
pub async fn reschedule(
    db: &Db,
    session_id: &str,
    input: &SessionInput,
    actor: &str,
    ip: Option<&str>,
    notify: Option<&str>,
) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let old = state(&mut tx, session_id).await?;
    let couple_id = old.couple_id.clone();
    refuse_if_closed(&mut tx, &couple_id).await?;
    if old.status != "scheduled" {
        return Err(AppError::Conflict(
            "Only a scheduled session can be changed. Schedule a new one instead.".into(),
        ));
    }
    sqlx::query(
        "update counseling_session set starts_at = $1, duration_minutes = $2, format = $3, \
         attendees = $4, updated_at = $5, place = $7 where counseling_session_id = $6",
    )
    .bind(input.starts_at)
    .bind(input.duration_minutes)
    .bind(input.format.as_str())
    .bind(&input.attendees)
    .bind(now)
    .bind(session_id)
    .bind(input.place.as_deref())
    .execute(&mut *tx)
    .await?;
    if let Some(url) = notify {
        let new = SessionState {
            starts_at: input.starts_at,
            duration_minutes: input.duration_minutes,
            format: input.format.as_str().to_string(),
            attendees: input.attendees.clone(),
            place: input.place.clone(),
            ..old.clone()
        };
        queue_notices(&mut tx, session_id, &old, &new, url, now).await?;
    }
    record(
        &mut *tx,
        AuditAction::SessionRescheduled,
        audit(actor, &couple_id, ip, session_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Cancels (with a reason) or records attendance. With `notify` (the public URL, when email
/// is set up), a cancellation is told to the partners who were to come; never its reason.
pub async fn set_status(
    db: &Db,
    session_id: &str,
    to: SessionStatus,
    reason: Option<&str>,
    actor: &str,
    ip: Option<&str>,
    notify: Option<&str>,
) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let old = state(&mut tx, session_id).await?;
    let (couple_id, status, starts_at) = (old.couple_id.clone(), old.status.clone(), old.starts_at);
    refuse_if_closed(&mut tx, &couple_id).await?;
    match (status.as_str(), to) {
        ("cancelled", _) => {
            return Err(AppError::Conflict("This session was cancelled.".into()));
        }
        (_, SessionStatus::Attended | SessionStatus::NoShow) if starts_at > now => {
            return Err(AppError::Conflict(
                "Attendance can be recorded once the session has started.".into(),
            ));
        }
        ("attended" | "no_show", SessionStatus::Cancelled) => {
            return Err(AppError::Conflict(
                "A session that took place (or was missed) cannot be cancelled.".into(),
            ));
        }
        _ => {}
    }
    sqlx::query(
        "update counseling_session set status = $1, cancel_reason = $2, updated_at = $3 \
         where counseling_session_id = $4",
    )
    .bind(to.as_str())
    .bind(reason)
    .bind(now)
    .bind(session_id)
    .execute(&mut *tx)
    .await?;
    if let Some(url) = notify
        && to == SessionStatus::Cancelled
    {
        let new = SessionState {
            status: to.as_str().to_string(),
            ..old.clone()
        };
        queue_notices(&mut tx, session_id, &old, &new, url, now).await?;
    }
    record(
        &mut *tx,
        AuditAction::SessionStatusChanged,
        audit(actor, &couple_id, ip, to.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
