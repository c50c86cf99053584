//! The practice's messaging settings: whether partners may write between sessions, and its
//! response-time statement. Each change is in the audit log.

use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, get_setting, put_setting};
use crate::error::AppError;
use crate::features::messages::{DEFAULT_RESPONSE, MessagingSettings};

const PARTNERS_KEY: &str = "messages_partners_may_write";
const RESPONSE_KEY: &str = "messages_response";

/// The settings as they stand (partners may write, and the default statement, until the
/// practice says otherwise).
pub async fn messaging(db: &Db) -> Result<MessagingSettings, AppError> {
    let partners = crate::db::setting(db, PARTNERS_KEY).await?;
    let response = crate::db::setting(db, RESPONSE_KEY)
        .await?
        .filter(|s| !s.trim().is_empty());
    Ok(MessagingSettings {
        partners_may_write: partners.as_deref() != Some("off"),
        response_configured: response.is_some(),
        response: response.unwrap_or_else(|| DEFAULT_RESPONSE.to_string()),
    })
}

/// Saves both settings in one transaction, auditing each that changed.
pub async fn save_messaging(
    db: &Db,
    partners_may_write: bool,
    response: &str,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let partners = if partners_may_write { "on" } else { "off" };
    for (key, value) in [(PARTNERS_KEY, partners), (RESPONSE_KEY, response)] {
        let old = get_setting(&mut *tx, key).await?;
        let unchanged = match key {
            PARTNERS_KEY => old.as_deref().unwrap_or("on") == value,
            _ => old.as_deref().unwrap_or("") == value,
        };
        if unchanged {
            continue;
        }
        put_setting(&mut *tx, key, value).await?;
        record(
            &mut *tx,
            AuditAction::SettingChanged,
            AuditEntry {
                actor_user_id: Some(actor),
                ip,
                detail: Some(key),
                ..Default::default()
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
