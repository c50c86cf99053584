//! SQL for practice settings and the pick lists of the administrator's pages.

use super::{Choice, DEFAULT_RETENTION_YEARS};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::auth::repo::{get_setting, put_setting};
use crate::db::Db;
use crate::error::AppError;

const RETENTION_KEY: &str = "retention_years";

/// Years a closed case is kept after closing.
pub async fn retention_years(db: &Db) -> Result<u32, AppError> {
    Ok(get_setting(db.pool(), RETENTION_KEY)
        .await?
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_RETENTION_YEARS))
}

pub async fn set_retention_years(
    db: &Db,
    years: u32,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    put_setting(&mut *tx, RETENTION_KEY, &years.to_string()).await?;
    record(
        &mut *tx,
        AuditAction::SettingChanged,
        AuditEntry {
            actor_user_id: Some(actor),
            ip,
            detail: Some(RETENTION_KEY),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Active counselors, by name.
pub async fn counselors(db: &Db) -> Result<Vec<Choice>, AppError> {
    choices(
        db,
        "select app_user_id, display_name from app_user \
         where role = 'counselor' and status = 'active' order by display_name, app_user_id",
    )
    .await
}

/// Everyone with an account, for the audit filter.
pub async fn people(db: &Db) -> Result<Vec<Choice>, AppError> {
    choices(
        db,
        "select app_user_id, display_name || ' (' || email || ')' from app_user \
         order by display_name, app_user_id",
    )
    .await
}

/// Every case by name, for the audit filter.
pub async fn couples(db: &Db) -> Result<Vec<Choice>, AppError> {
    choices(
        db,
        "select couple_id, case_name from couple order by case_name, couple_id",
    )
    .await
}

async fn choices(db: &Db, sql: &str) -> Result<Vec<Choice>, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as(sql).fetch_all(db.pool()).await?;
    Ok(rows
        .into_iter()
        .map(|(id, label)| Choice { id, label })
        .collect())
}
