//! Where a case stands and who holds it: moving it between statuses, whether it is closed,
//! and handing it to another counselor.

use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::couple::CaseStatus;
use crate::db::{Db, now_ms};
use crate::error::AppError;

/// Moves a case to another status (closing stamps `closed_at`), if that move is allowed
/// from where the case stands now. Recorded in the audit trail.
pub async fn change_status(
    db: &Db,
    couple_id: &str,
    to: CaseStatus,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    crate::couple::forget(couple_id);
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let current: Option<String> =
        sqlx::query_scalar("select status from couple where couple_id = $1")
            .bind(couple_id)
            .fetch_optional(&mut *tx)
            .await?;
    let current = current
        .and_then(|s| CaseStatus::parse(&s))
        .ok_or(AppError::NotFound)?;
    if !current.next().contains(&to) {
        return Err(AppError::Conflict(format!(
            "A case that is {} cannot be moved to {}.",
            current.label().to_lowercase(),
            to.label().to_lowercase()
        )));
    }
    sqlx::query(
        "update couple set status = $1, updated_at = $2, \
         closed_at = case when $1 = 'closed' then $2 else null end where couple_id = $3",
    )
    .bind(to.as_str())
    .bind(now)
    .bind(couple_id)
    .execute(&mut *tx)
    .await?;
    if to == CaseStatus::Closed {
        // A closed case takes no new members: open invitation links stop working.
        sqlx::query(
            "update invitation set revoked_at = $1 where couple_id = $2 \
             and accepted_at is null and revoked_at is null",
        )
        .bind(now)
        .bind(couple_id)
        .execute(&mut *tx)
        .await?;
    }
    record(
        &mut *tx,
        AuditAction::CaseStatusChanged,
        AuditEntry {
            actor_user_id: Some(actor),
            couple_id: Some(couple_id),
            ip,
            detail: Some(to.as_str()),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Hands a couple to another active counselor.
pub async fn reassign(
    db: &Db,
    couple_id: &str,
    counselor_id: &str,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    crate::couple::forget(couple_id);
    let mut tx = db.begin_write().await?;
    let counselor: Option<(String, String)> =
        sqlx::query_as("select role, status from app_user where app_user_id = $1")
            .bind(counselor_id)
            .fetch_optional(&mut *tx)
            .await?;
    if !matches!(&counselor, Some((role, status)) if role == "counselor" && status == "active") {
        return Err(AppError::validation(
            "counselor_id",
            "Choose an active counselor from the list.",
        ));
    }
    let previous: Option<String> =
        sqlx::query_scalar("select counselor_id from couple where couple_id = $1")
            .bind(couple_id)
            .fetch_optional(&mut *tx)
            .await?;
    let previous = previous.ok_or(AppError::NotFound)?;
    if previous == counselor_id {
        return Err(AppError::validation(
            "counselor_id",
            "This couple is already with that counselor.",
        ));
    }
    sqlx::query("update couple set counselor_id = $1, updated_at = $2 where couple_id = $3")
        .bind(counselor_id)
        .bind(now_ms())
        .bind(couple_id)
        .execute(&mut *tx)
        .await?;
    record(
        &mut *tx,
        AuditAction::CaseReassigned,
        AuditEntry {
            actor_user_id: Some(actor),
            subject_user_id: Some(counselor_id),
            couple_id: Some(couple_id),
            ip,
            detail: Some(&previous),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
