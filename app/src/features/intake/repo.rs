//! SQL for the intake: each partner's draft (theirs alone), the copies they send (kept as
//! sent; the database refuses changes), and the safety flag a worrying answer raises in the
//! same transaction as the copy.

use super::{IntakeAnswers, IntakeCopy, IntakeStatus, concerns};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record, record_read};
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;
use crate::features::safety::repo::flags::{self, FlagSource, NewFlag};
use chrono_tz::Tz;

/// A partner's intake row for one couple.
#[derive(sqlx::FromRow)]
pub struct IntakeRow {
    pub intake_id: String,
    pub draft: Option<String>,
    pub draft_saved_at: Option<i64>,
    pub submitted_at: Option<i64>,
}

fn parse(json: &str) -> IntakeAnswers {
    serde_json::from_str(json).unwrap_or_default()
}

fn json(answers: &IntakeAnswers) -> Result<String, AppError> {
    serde_json::to_string(answers).map_err(|e| AppError::internal("intake", e))
}

/// "3 December 2026" in `tz`.
pub fn day(ms: i64, tz: Tz) -> String {
    crate::time::at(ms, tz).format("%-d %B %Y").to_string()
}

/// The partner's own intake: `$1` the couple, `$2` their position, `$3` their account.
const MINE: &str = "from intake where couple_id = $1 and position = $2 and app_user_id = $3";

/// The partner's intake card as two columns of a statement about one partner (the partner's
/// home reads them with other cards' columns; parameters as `MINE`): whether a draft is
/// saved (1) and when it was sent, each null when there is no intake yet.
pub fn home_columns() -> String {
    format!(
        "(select case when draft is null then 0 else 1 end {MINE}) as intake_started, \
         (select submitted_at {MINE}) as intake_sent"
    )
}

/// The intake of the partner at `position` in the couple, when it is this person's (a seat
/// that changed hands never shows one person's answers to another).
pub async fn mine(
    db: &Db,
    couple_id: &str,
    position: i64,
    user_id: &str,
) -> Result<Option<IntakeRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "select intake_id, draft, draft_saved_at, submitted_at {MINE}"
    ))
    .bind(couple_id)
    .bind(position)
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?)
}

/// What the partner's form opens with: their draft, or else the latest copy they sent.
pub async fn answers_of(db: &Db, row: &IntakeRow) -> Result<IntakeAnswers, AppError> {
    if let Some(draft) = &row.draft {
        return Ok(parse(draft));
    }
    let latest: Option<String> = sqlx::query_scalar(
        "select answers from intake_submission where intake_id = $1 \
         order by submitted_at desc limit 1",
    )
    .bind(&row.intake_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(latest.as_deref().map(parse).unwrap_or_default())
}

/// Makes the row when it does not exist yet, and keeps the draft (or clears it, `None`).
async fn upsert<'e, E>(
    exec: E,
    couple_id: &str,
    position: i64,
    user_id: &str,
    draft: Option<&str>,
    sent_at: Option<i64>,
) -> Result<String, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let now = now_ms();
    let id: Option<String> = sqlx::query_scalar(
        "insert into intake (intake_id, couple_id, position, app_user_id, draft, draft_saved_at, submitted_at) \
         values ($1, $2, $3, $4, $5, $6, $7) \
         on conflict (couple_id, position) do update set draft = excluded.draft, \
         draft_saved_at = excluded.draft_saved_at, \
         submitted_at = coalesce(excluded.submitted_at, intake.submitted_at) \
         where intake.app_user_id = excluded.app_user_id \
         returning intake_id",
    )
    .bind(new_id())
    .bind(couple_id)
    .bind(position)
    .bind(user_id)
    .bind(draft)
    .bind(draft.map(|_| now))
    .bind(sent_at)
    .fetch_optional(exec)
    .await?;
    id.ok_or(AppError::NotFound)
}

/// Keeps the partner's draft (nobody else reads it).
pub async fn save_draft(
    db: &Db,
    couple_id: &str,
    position: i64,
    user_id: &str,
    answers: &IntakeAnswers,
) -> Result<(), AppError> {
    upsert(
        db.writer(),
        couple_id,
        position,
        user_id,
        Some(&json(answers)?),
        None,
    )
    .await?;
    Ok(())
}

/// Sends a copy to the counselor: kept as sent, the draft cleared, audited, and a worrying
/// safety answer raises a flag in the same transaction. Returns the new flag's id.
pub async fn send(
    db: &Db,
    couple_id: &str,
    position: i64,
    user_id: &str,
    answers: &IntakeAnswers,
    ip: Option<&str>,
) -> Result<Option<String>, AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let intake_id = upsert(&mut *tx, couple_id, position, user_id, None, Some(now)).await?;
    sqlx::query(
        "insert into intake_submission (intake_submission_id, intake_id, answers, submitted_at) \
         values ($1, $2, $3, $4)",
    )
    .bind(new_id())
    .bind(&intake_id)
    .bind(json(answers)?)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let detail = format!("partner_{position}");
    record(
        &mut *tx,
        AuditAction::IntakeSubmitted,
        AuditEntry {
            actor_user_id: Some(user_id),
            couple_id: Some(couple_id),
            ip,
            detail: Some(&detail),
            ..Default::default()
        },
    )
    .await?;
    let worries = concerns(answers);
    let flag = if worries.is_empty() {
        None
    } else {
        let answer = worries.join("; ");
        flags::raise(
            &mut tx,
            NewFlag {
                couple_id,
                position,
                source: FlagSource::Intake,
                source_id: &intake_id,
                source_title: "Intake",
                answer: &answer,
                raised_at: now,
                actor: user_id,
                ip,
            },
        )
        .await?
    };
    tx.commit().await?;
    Ok(flag)
}

/// Every copy each partner of the couple sent, newest first, by position.
pub async fn copies(db: &Db, couple_id: &str, tz: Tz) -> Result<Vec<(i64, IntakeCopy)>, AppError> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "select i.position, s.answers, s.submitted_at from intake_submission s \
         join intake i on i.intake_id = s.intake_id \
         where i.couple_id = $1 order by i.position, s.submitted_at desc",
    )
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(position, answers, at)| {
            (
                position,
                IntakeCopy {
                    sent: day(at, tz),
                    answers: parse(&answers),
                },
            )
        })
        .collect())
}

/// Where each partner of the couple stands with their intake, for the case page.
pub async fn statuses(
    db: &Db,
    couple: &crate::couple::CoupleContext,
    tz: Tz,
) -> Result<Vec<IntakeStatus>, AppError> {
    let sent: Vec<(i64, i64, i64)> = sqlx::query_as(
        "select i.position, min(s.submitted_at), max(s.submitted_at) from intake_submission s \
         join intake i on i.intake_id = s.intake_id where i.couple_id = $1 group by i.position",
    )
    .bind(couple.couple_id.as_str())
    .fetch_all(db.pool())
    .await?;
    Ok(couple
        .partners
        .iter()
        .map(|seat| {
            let times = sent.iter().find(|(p, _, _)| *p == seat.position);
            IntakeStatus {
                partner_name: seat.display_name.clone(),
                joined: seat.account.is_some(),
                first_sent: times.map(|(_, first, _)| day(*first, tz)),
                last_sent: times.map(|(_, _, last)| day(*last, tz)),
            }
        })
        .collect())
}

/// The record for exports: every copy sent (of the partner at `only`, or both), with when.
pub async fn records(
    db: &Db,
    couple_id: &str,
    only: Option<i64>,
) -> Result<Vec<(i64, IntakeAnswers, i64)>, AppError> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "select i.position, s.answers, s.submitted_at from intake_submission s \
         join intake i on i.intake_id = s.intake_id \
         where i.couple_id = $1 and ($2 = 0 or i.position = $2) \
         order by i.position, s.submitted_at",
    )
    .bind(couple_id)
    .bind(only.unwrap_or(0))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(p, a, at)| (p, parse(&a), at))
        .collect())
}

/// The counselor read the couple's intakes (the audit trail keeps who and when).
pub async fn record_viewed(
    db: &Db,
    actor: &str,
    couple_id: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    record_read(
        db,
        AuditAction::IntakeViewed,
        AuditEntry {
            actor_user_id: Some(actor),
            couple_id: Some(couple_id),
            ip,
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}
