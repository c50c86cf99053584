//! The practice's crisis resources and response statement, kept as practice settings; and
//! the safety flags partners' answers raise (`flags`).

pub mod flags;

use super::{CrisisInfo, CrisisResource, DEFAULT_RESPONSE, default_resources};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, put_setting};
use crate::error::AppError;

const RESOURCES_KEY: &str = "crisis_resources";
const RESPONSE_KEY: &str = "crisis_response";

/// The practice's list (or the defaults) and its response statement.
pub async fn help(db: &Db) -> Result<CrisisInfo, AppError> {
    let stored = crate::db::setting(db, RESOURCES_KEY).await?;
    let listed: Option<Vec<CrisisResource>> = match stored {
        Some(json) => Some(
            serde_json::from_str(&json).map_err(|e| AppError::internal("crisis resources", e))?,
        ),
        None => None,
    };
    let response = crate::db::setting(db, RESPONSE_KEY)
        .await?
        .filter(|s| !s.trim().is_empty());
    Ok(CrisisInfo {
        configured: listed.is_some(),
        resources: listed.unwrap_or_else(default_resources),
        response_configured: response.is_some(),
        response: response.unwrap_or_else(|| DEFAULT_RESPONSE.to_string()),
    })
}

/// Changes the list with `change` (given the list as it stands, the defaults if the practice
/// has none yet), recording who changed it. Compare-and-set, so two administrators editing at
/// once never lose each other's change: the loser's change is applied to the winner's list.
pub async fn change_resources(
    db: &Db,
    change: impl Fn(Vec<CrisisResource>) -> Result<Vec<CrisisResource>, AppError>,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    for _ in 0..8 {
        // Read afresh each time: a copy (this request's, or the server's) may be the very
        // list someone else has just replaced.
        let stored = crate::db::get_setting(db.pool(), RESOURCES_KEY).await?;
        let current = match &stored {
            Some(json) => {
                serde_json::from_str(json).map_err(|e| AppError::internal("crisis resources", e))?
            }
            None => default_resources(),
        };
        let json = serde_json::to_string(&change(current)?)
            .map_err(|e| AppError::internal("crisis resources", e))?;
        let mut tx = db.begin_write().await?;
        let done =
            match &stored {
                None => {
                    sqlx::query(
                        "insert into app_setting (app_setting_id, value) values ($1, $2) \
                 on conflict (app_setting_id) do nothing",
                    )
                    .bind(RESOURCES_KEY)
                    .bind(&json)
                    .execute(&mut *tx)
                    .await?
                }
                Some(old) => sqlx::query(
                    "update app_setting set value = $1 where app_setting_id = $2 and value = $3",
                )
                .bind(&json)
                .bind(RESOURCES_KEY)
                .bind(old)
                .execute(&mut *tx)
                .await?,
            };
        if done.rows_affected() == 1 {
            audit(&mut tx, RESOURCES_KEY, actor, ip).await?;
            tx.commit().await?;
            db.forget_settings();
            return Ok(());
        }
    }
    Err(AppError::Conflict(
        "The list is being changed by someone else right now. Please try again.".into(),
    ))
}

/// Sets the response statement; an empty one brings back the default.
pub async fn save_response(
    db: &Db,
    statement: &str,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    put_and_audit(db, RESPONSE_KEY, statement, actor, ip).await
}

async fn put_and_audit(
    db: &Db,
    key: &str,
    value: &str,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    put_setting(&mut *tx, key, value).await?;
    audit(&mut tx, key, actor, ip).await?;
    tx.commit().await?;
    Ok(())
}

async fn audit(
    tx: &mut crate::db::Tx,
    key: &str,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    record(
        &mut **tx,
        AuditAction::SettingChanged,
        AuditEntry {
            actor_user_id: Some(actor),
            ip,
            detail: Some(key),
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}
