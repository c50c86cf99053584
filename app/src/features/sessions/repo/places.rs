//! Where sessions happen: the practice's address (a practice setting) and each counselor's
//! joining link for online sessions. Changing either is audited.

use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, put_setting};
use crate::error::AppError;
use crate::features::sessions::SessionPlaces;

pub(super) const ADDRESS_KEY: &str = "practice_address";

/// The practice's address for sessions in person, when one is set.
pub async fn practice_address(db: &Db) -> Result<Option<String>, AppError> {
    Ok(crate::db::setting(db, ADDRESS_KEY)
        .await?
        .filter(|a| !a.trim().is_empty()))
}

/// The practice's address and `user_id`'s own joining link.
pub async fn places(db: &Db, user_id: &str) -> Result<SessionPlaces, AppError> {
    let link: Option<Option<String>> =
        sqlx::query_scalar("select meeting_link from app_user where app_user_id = $1")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(SessionPlaces {
        practice_address: practice_address(db).await?.unwrap_or_default(),
        meeting_link: link.flatten().unwrap_or_default(),
    })
}

pub async fn set_practice_address(
    db: &Db,
    address: &str,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    put_setting(&mut *tx, ADDRESS_KEY, address).await?;
    record(
        &mut *tx,
        AuditAction::SettingChanged,
        AuditEntry {
            actor_user_id: Some(actor),
            ip,
            detail: Some(ADDRESS_KEY),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets (or, with `None`, clears) a counselor's own joining link.
pub async fn set_meeting_link(
    db: &Db,
    user_id: &str,
    link: Option<&str>,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("update app_user set meeting_link = $1 where app_user_id = $2")
        .bind(link)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    record(
        &mut *tx,
        AuditAction::ProfileChanged,
        AuditEntry {
            actor_user_id: Some(user_id),
            subject_user_id: Some(user_id),
            ip,
            detail: Some("meeting_link"),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
