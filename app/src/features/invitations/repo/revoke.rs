//! Revoking open invitation links.

use super::detail_of;
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::auth::Role;
use crate::db::{Db, now_ms};
use crate::error::AppError;

/// Revokes the open link(s) for the same person; returns whether there was one.
pub(super) async fn revoke_open(
    tx: &mut crate::db::Tx,
    role: Role,
    couple_id: Option<&str>,
    position: Option<i64>,
    email: &str,
    now: i64,
) -> Result<bool, AppError> {
    let done = match couple_id {
        Some(couple_id) => {
            sqlx::query(
                "update invitation set revoked_at = $1 where couple_id = $2 and position = $3 \
                 and accepted_at is null and revoked_at is null and expires_at > $1",
            )
            .bind(now)
            .bind(couple_id)
            .bind(position)
            .execute(&mut **tx)
            .await?
        }
        None => {
            sqlx::query(
                "update invitation set revoked_at = $1 where role = $2 and email = $3 \
                 and accepted_at is null and revoked_at is null and expires_at > $1",
            )
            .bind(now)
            .bind(role.as_str())
            .bind(email)
            .execute(&mut **tx)
            .await?
        }
    };
    Ok(done.rows_affected() > 0)
}

/// Revokes a partner's open link. Returns whether there was one to revoke.
pub async fn revoke_partner(
    db: &Db,
    couple_id: &str,
    position: i64,
    actor: &str,
    ip: Option<&str>,
) -> Result<bool, AppError> {
    let mut tx = db.begin_write().await?;
    let revoked = revoke_open(
        &mut tx,
        Role::Partner,
        Some(couple_id),
        Some(position),
        "",
        now_ms(),
    )
    .await?;
    if revoked {
        record(
            &mut *tx,
            AuditAction::InvitationRevoked,
            AuditEntry {
                actor_user_id: Some(actor),
                couple_id: Some(couple_id),
                ip,
                detail: Some(&detail_of(Role::Partner, Some(position))),
                ..Default::default()
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(revoked)
}

/// Revokes a counselor's open invitation by id.
pub async fn revoke_counselor(
    db: &Db,
    invitation_id: &str,
    actor: &str,
    ip: Option<&str>,
) -> Result<bool, AppError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "update invitation set revoked_at = $1 where invitation_id = $2 and role = 'counselor' \
         and accepted_at is null and revoked_at is null and expires_at > $1",
    )
    .bind(now_ms())
    .bind(invitation_id)
    .execute(&mut *tx)
    .await?;
    let revoked = done.rows_affected() > 0;
    if revoked {
        record(
            &mut *tx,
            AuditAction::InvitationRevoked,
            AuditEntry {
                actor_user_id: Some(actor),
                ip,
                detail: Some("counselor"),
                ..Default::default()
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(revoked)
}
