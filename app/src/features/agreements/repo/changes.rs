//! Changing agreements: writing, proposing, deciding, acknowledging, ending, and recording
//! how they were kept. Each change is audited in the same transaction.

use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, Tx, new_id, now_ms};
use crate::error::AppError;
use crate::features::agreements::Kept;

/// A wording looked up before a change: its agreement, two of its nullable columns (named in
/// each query), and when the agreement ended.
type WordingState = (String, Option<i64>, Option<i64>, Option<i64>);

/// Who did it, for the audit trail.
pub struct Actor<'a> {
    pub user_id: &'a str,
    pub couple_id: &'a str,
    pub ip: Option<&'a str>,
    /// "counselor" or "partner_N".
    pub detail: String,
}

impl Actor<'_> {
    pub fn entry(&self) -> AuditEntry<'_> {
        AuditEntry {
            actor_user_id: Some(self.user_id),
            couple_id: Some(self.couple_id),
            ip: self.ip,
            detail: Some(&self.detail),
            ..Default::default()
        }
    }
}

/// The number of the agreement's next wording. The agreement's row is locked first (on
/// PostgreSQL; SQLite's write transaction already excludes other writers), so two changes
/// at the same moment take turns instead of both claiming one number.
async fn next_version(tx: &mut Tx, agreement_id: &str) -> Result<i64, AppError> {
    sqlx::query("update agreement set agreement_id = agreement_id where agreement_id = $1")
        .bind(agreement_id)
        .execute(&mut **tx)
        .await?;
    let max: Option<i64> =
        sqlx::query_scalar("select max(version) from agreement_version where agreement_id = $1")
            .bind(agreement_id)
            .fetch_one(&mut **tx)
            .await?;
    Ok(max.unwrap_or(0) + 1)
}

/// A new agreement of the couple, with no wording yet.
async fn new_agreement(tx: &mut Tx, couple_id: &str, now: i64) -> Result<String, AppError> {
    let id = new_id();
    sqlx::query("insert into agreement (agreement_id, couple_id, created_at) values ($1, $2, $3)")
        .bind(&id)
        .bind(couple_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

/// The counselor writes a new agreement (approved as written) or, with `agreement_id`, a new
/// wording of an active one. Returns the agreement's id.
pub async fn write(
    db: &Db,
    actor: &Actor<'_>,
    agreement_id: Option<&str>,
    body: &str,
) -> Result<String, AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let id = match agreement_id {
        Some(id) => {
            let retired: Option<Option<i64>> = sqlx::query_scalar(
                "select retired_at from agreement where agreement_id = $1 and couple_id = $2",
            )
            .bind(id)
            .bind(actor.couple_id)
            .fetch_optional(&mut *tx)
            .await?;
            match retired {
                None => return Err(AppError::NotFound),
                Some(Some(_)) => {
                    return Err(AppError::Conflict(
                        "This agreement has ended, so its wording can no longer change.".into(),
                    ));
                }
                Some(None) => id.to_string(),
            }
        }
        None => new_agreement(&mut tx, actor.couple_id, now).await?,
    };
    let version = next_version(&mut tx, &id).await?;
    sqlx::query(
        "insert into agreement_version (agreement_version_id, agreement_id, version, body, written_by, \
         written_at, approved_by, approved_at) values ($1, $2, $3, $4, $5, $6, $5, $6)",
    )
    .bind(new_id())
    .bind(&id)
    .bind(version)
    .bind(body)
    .bind(actor.user_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let action = if version == 1 {
        AuditAction::AgreementWritten
    } else {
        AuditAction::AgreementChanged
    };
    record(&mut *tx, action, actor.entry()).await?;
    tx.commit().await?;
    Ok(id)
}

/// A partner proposes a new agreement or, with `agreement_id`, a new wording of an active one.
pub async fn propose(
    db: &Db,
    actor: &Actor<'_>,
    agreement_id: Option<&str>,
    body: &str,
) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let id = match agreement_id {
        Some(id) => {
            let active: Option<i64> = sqlx::query_scalar(
                "select 1 from agreement a where a.agreement_id = $1 and a.couple_id = $2 \
                 and a.retired_at is null and exists (select 1 from agreement_version v \
                 where v.agreement_id = a.agreement_id and v.approved_at is not null)",
            )
            .bind(id)
            .bind(actor.couple_id)
            .fetch_optional(&mut *tx)
            .await?;
            if active.is_none() {
                return Err(AppError::NotFound);
            }
            id.to_string()
        }
        None => new_agreement(&mut tx, actor.couple_id, now).await?,
    };
    insert_proposal(&mut tx, actor, &id, body, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A wording waiting for the counselor's decision, audited.
async fn insert_proposal(
    tx: &mut Tx,
    actor: &Actor<'_>,
    agreement_id: &str,
    body: &str,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "insert into agreement_version (agreement_version_id, agreement_id, body, written_by, written_at) \
         values ($1, $2, $3, $4, $5)",
    )
    .bind(new_id())
    .bind(agreement_id)
    .bind(body)
    .bind(actor.user_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    record(&mut **tx, AuditAction::AgreementProposed, actor.entry()).await?;
    Ok(())
}

/// New agreements proposed in one go, inside the caller's transaction (a joint answer turned
/// into draft agreements): each waits for the counselor's approval like any proposal.
pub async fn propose_in(tx: &mut Tx, actor: &Actor<'_>, bodies: &[String]) -> Result<(), AppError> {
    let now = now_ms();
    for body in bodies {
        let id = new_agreement(tx, actor.couple_id, now).await?;
        insert_proposal(tx, actor, &id, body, now).await?;
    }
    Ok(())
}

/// The counselor approves a waiting proposal (it becomes the agreement's newest wording) or
/// declines it with an optional reason the proposer reads.
pub async fn decide(
    db: &Db,
    actor: &Actor<'_>,
    version_id: &str,
    approve: bool,
    reason: &str,
) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let row: Option<WordingState> = sqlx::query_as(
        "select v.agreement_id, v.approved_at, v.declined_at, a.retired_at from agreement_version v \
         join agreement a on a.agreement_id = v.agreement_id \
         where v.agreement_version_id = $1 and a.couple_id = $2",
    )
    .bind(version_id)
    .bind(actor.couple_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((agreement_id, approved, declined, retired)) = row else {
        return Err(AppError::NotFound);
    };
    if approved.is_some() || declined.is_some() {
        return Err(AppError::Conflict(
            "This proposal has already been decided.".into(),
        ));
    }
    if retired.is_some() {
        return Err(AppError::Conflict(
            "The agreement this proposal would change has ended.".into(),
        ));
    }
    if approve {
        let version = next_version(&mut tx, &agreement_id).await?;
        sqlx::query(
            "update agreement_version set version = $1, approved_by = $2, approved_at = $3 \
             where agreement_version_id = $4 and approved_at is null and declined_at is null",
        )
        .bind(version)
        .bind(actor.user_id)
        .bind(now)
        .bind(version_id)
        .execute(&mut *tx)
        .await?;
        record(&mut *tx, AuditAction::AgreementApproved, actor.entry()).await?;
    } else {
        sqlx::query(
            "update agreement_version set declined_at = $1, decline_reason = $2 \
             where agreement_version_id = $3 and approved_at is null and declined_at is null",
        )
        .bind(now)
        .bind(reason)
        .bind(version_id)
        .execute(&mut *tx)
        .await?;
        record(&mut *tx, AuditAction::AgreementDeclined, actor.entry()).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A partner acknowledges the current wording of an active agreement (again is harmless).
pub async fn acknowledge(
    db: &Db,
    actor: &Actor<'_>,
    position: i64,
    version_id: &str,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let row: Option<WordingState> = sqlx::query_as(
        "select v.agreement_id, v.version, v.approved_at, a.retired_at from agreement_version v \
         join agreement a on a.agreement_id = v.agreement_id \
         where v.agreement_version_id = $1 and a.couple_id = $2",
    )
    .bind(version_id)
    .bind(actor.couple_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((agreement_id, version, approved, retired)) = row else {
        return Err(AppError::NotFound);
    };
    let newest: Option<i64> = sqlx::query_scalar(
        "select max(version) from agreement_version where agreement_id = $1 and approved_at is not null",
    )
    .bind(&agreement_id)
    .fetch_one(&mut *tx)
    .await?;
    if approved.is_none() {
        return Err(AppError::NotFound);
    }
    if retired.is_some() || version != newest {
        return Err(AppError::Conflict(
            "This agreement has changed or ended since the page was opened. Read it again and acknowledge the current wording."
                .into(),
        ));
    }
    let done = sqlx::query(
        "insert into agreement_ack (agreement_version_id, position, app_user_id, acknowledged_at) \
         values ($1, $2, $3, $4) on conflict do nothing",
    )
    .bind(version_id)
    .bind(position)
    .bind(actor.user_id)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() > 0 {
        record(&mut *tx, AuditAction::AgreementAcknowledged, actor.entry()).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The counselor ends an agreement: check-ins stop asking about it; its history stays.
pub async fn retire(db: &Db, actor: &Actor<'_>, agreement_id: &str) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "update agreement set retired_at = $1, retired_by = $2 \
         where agreement_id = $3 and couple_id = $4 and retired_at is null",
    )
    .bind(now_ms())
    .bind(actor.user_id)
    .bind(agreement_id)
    .bind(actor.couple_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "This agreement has already ended.".into(),
        ));
    }
    record(&mut *tx, AuditAction::AgreementEnded, actor.entry()).await?;
    tx.commit().await?;
    Ok(())
}

/// Stores how a partner kept each agreement, inside the check-in's transaction.
pub async fn record_keeping(
    tx: &mut Tx,
    check_in_id: &str,
    answers: &[(String, String, Kept)],
) -> Result<(), AppError> {
    for (agreement_id, version_id, kept) in answers {
        sqlx::query(
            "insert into agreement_keeping (check_in_id, agreement_id, agreement_version_id, kept) \
             values ($1, $2, $3, $4)",
        )
        .bind(check_in_id)
        .bind(agreement_id)
        .bind(version_id)
        .bind(kept.as_str())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
