//! SQL for the audit trail.

use super::AuditAction;
use crate::db::now_ms;
use sqlx::{Any, Executor};

/// One event to append. `detail` is a short machine-readable note (e.g. a reason code).
#[derive(Debug, Default)]
pub struct AuditEntry<'a> {
    pub actor_user_id: Option<&'a str>,
    pub subject_user_id: Option<&'a str>,
    pub couple_id: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub detail: Option<&'a str>,
}

pub async fn record<'e>(
    ex: impl Executor<'e, Database = Any>,
    action: AuditAction,
    entry: AuditEntry<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into audit_event (at, actor_user_id, action, subject_user_id, couple_id, ip, detail) \
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(now_ms())
    .bind(entry.actor_user_id)
    .bind(action.as_str())
    .bind(entry.subject_user_id)
    .bind(entry.couple_id)
    .bind(entry.ip)
    .bind(entry.detail)
    .execute(ex)
    .await?;
    Ok(())
}

/// An event as read back (for the audit viewer and tests).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub at: i64,
    pub actor_user_id: Option<String>,
    pub action: String,
    pub subject_user_id: Option<String>,
    pub ip: Option<String>,
    pub detail: Option<String>,
}

pub async fn latest<'e>(
    ex: impl Executor<'e, Database = Any>,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as(
        "select at, actor_user_id, action, subject_user_id, ip, detail from audit_event \
         order by audit_event_id desc limit $1",
    )
    .bind(limit)
    .fetch_all(ex)
    .await
}
