//! SQL for the audit trail.

use super::AuditAction;
use crate::db::{Db, now_ms};
use crate::error::AppError;
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
    insert(ex, now_ms(), action, &entry).await
}

/// The one statement that appends to the trail; `at` is when it happened, which for a
/// grouped entry is when it was asked for, not when its group committed.
async fn insert<'e>(
    ex: impl Executor<'e, Database = Any>,
    at: i64,
    action: AuditAction,
    entry: &AuditEntry<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into audit_event (at, actor_user_id, action, subject_user_id, couple_id, ip, detail) \
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(at)
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

/// Records that someone read something (a case, a note, an answer, a report): the request
/// waits until the entry is committed, so nothing is shown without its trail, but entries
/// that many requests make at the same moment share one commit (`Db::group_commit`)
/// instead of paying one each.
pub async fn record_read(
    db: &Db,
    action: AuditAction,
    entry: AuditEntry<'_>,
) -> Result<(), AppError> {
    let owned = OwnedEntry {
        at: now_ms(),
        actor_user_id: entry.actor_user_id.map(str::to_owned),
        subject_user_id: entry.subject_user_id.map(str::to_owned),
        couple_id: entry.couple_id.map(str::to_owned),
        ip: entry.ip.map(str::to_owned),
        detail: entry.detail.map(str::to_owned),
    };
    db.group_commit(Box::new(move |tx| {
        let e = owned.clone();
        Box::pin(async move { insert(&mut **tx, e.at, action, &e.as_entry()).await })
    }))
    .await
}

/// An entry that outlives the request that made it, while it waits for its group.
#[derive(Clone)]
struct OwnedEntry {
    at: i64,
    actor_user_id: Option<String>,
    subject_user_id: Option<String>,
    couple_id: Option<String>,
    ip: Option<String>,
    detail: Option<String>,
}

impl OwnedEntry {
    fn as_entry(&self) -> AuditEntry<'_> {
        AuditEntry {
            actor_user_id: self.actor_user_id.as_deref(),
            subject_user_id: self.subject_user_id.as_deref(),
            couple_id: self.couple_id.as_deref(),
            ip: self.ip.as_deref(),
            detail: self.detail.as_deref(),
        }
    }
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

/// One page of the trail, newest first, filtered by person (as actor or subject), case and
/// time (`[from, to)` in ms). Names are joined in; contents never exist here to join.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditLineRow {
    pub at: i64,
    pub action: String,
    pub detail: Option<String>,
    pub ip: Option<String>,
    pub actor_name: Option<String>,
    pub subject_name: Option<String>,
    pub couple_id: Option<String>,
    pub case_name: Option<String>,
}

pub struct AuditFilter<'a> {
    pub person: Option<&'a str>,
    pub couple_id: Option<&'a str>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
}

pub async fn search<'e, E>(
    ex: E,
    filter: &AuditFilter<'_>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AuditLineRow>, i64), sqlx::Error>
where
    E: Executor<'e, Database = Any> + Copy,
{
    const WHERE: &str = "where ($1 = '' or a.actor_user_id = $1 or a.subject_user_id = $1) \
        and ($2 = '' or a.couple_id = $2) and a.at >= $3 and a.at < $4";
    let person = filter.person.unwrap_or("");
    let couple = filter.couple_id.unwrap_or("");
    let from = filter.from_ms.unwrap_or(0);
    let to = filter.to_ms.unwrap_or(i64::MAX);
    let total: i64 = sqlx::query_scalar(&format!("select count(*) from audit_event a {WHERE}"))
        .bind(person)
        .bind(couple)
        .bind(from)
        .bind(to)
        .fetch_one(ex)
        .await?;
    let rows = sqlx::query_as(&format!(
        "select a.at, a.action, a.detail, a.ip, actor.display_name as actor_name, \
         subject.display_name as subject_name, a.couple_id, c.case_name from audit_event a \
         left join app_user actor on actor.app_user_id = a.actor_user_id \
         left join app_user subject on subject.app_user_id = a.subject_user_id \
         left join couple c on c.couple_id = a.couple_id \
         {WHERE} order by a.audit_event_id desc limit $5 offset $6"
    ))
    .bind(person)
    .bind(couple)
    .bind(from)
    .bind(to)
    .bind(limit)
    .bind(offset)
    .fetch_all(ex)
    .await?;
    Ok((rows, total))
}
