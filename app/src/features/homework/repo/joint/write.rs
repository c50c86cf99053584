//! Changing work done together: sending it, saving versions, sending it to the counselor,
//! cancelling it and drafting agreements from it. Each change is audited in its transaction.

use super::super::{NewAssignment, json, parse_answers};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, Tx, new_id, now_ms};
use crate::error::AppError;
use crate::features::homework::Answers;

async fn couple_open(tx: &mut Tx, couple_id: &str) -> Result<(), AppError> {
    let status: Option<String> =
        sqlx::query_scalar("select status from couple where couple_id = $1")
            .bind(couple_id)
            .fetch_optional(&mut **tx)
            .await?;
    match status.as_deref() {
        None => Err(AppError::NotFound),
        Some("closed") => Err(AppError::Conflict(
            "This case is closed and read-only, so nothing in it can change.".into(),
        )),
        Some(_) => Ok(()),
    }
}

/// Sends work to be done together: one shared answer for the couple.
pub async fn assign(
    db: &Db,
    couple_id: &str,
    new: &NewAssignment,
    actor: &str,
    ip: Option<&str>,
) -> Result<String, AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    couple_open(&mut tx, couple_id).await?;
    let id = new_id();
    sqlx::query(
        "insert into joint_work (joint_work_id, couple_id, template_version_id, step_number, \
         title, instructions, fields, due_on, assigned_by, assigned_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(couple_id)
    .bind(new.template_version_id.as_deref())
    .bind(new.step_number)
    .bind(&new.title)
    .bind(&new.instructions)
    .bind(json(&new.fields)?)
    .bind(new.due_on.map(|d| d.to_string()))
    .bind(actor)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    record(
        &mut *tx,
        AuditAction::HomeworkAssigned,
        AuditEntry {
            actor_user_id: Some(actor),
            couple_id: Some(couple_id),
            ip,
            detail: Some("together"),
            ..Default::default()
        },
    )
    .await?;
    touch(&mut tx, couple_id, now).await?;
    tx.commit().await?;
    Ok(id)
}

async fn touch(tx: &mut Tx, couple_id: &str, now: i64) -> Result<(), AppError> {
    sqlx::query("update couple set updated_at = $1 where couple_id = $2")
        .bind(now)
        .bind(couple_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What a save did.
#[derive(Debug, PartialEq, Eq)]
pub enum Saved {
    /// A new version with this number.
    Version(i64),
    /// Nothing new to save (the answers were already the newest version's).
    Unchanged,
    /// The other partner saved a newer version (this number) after the one these answers
    /// were written on: they are kept apart for their writer, and nothing was overwritten.
    Crossed(i64),
}

/// Who is saving.
pub struct Writer<'a> {
    pub position: i64,
    pub user_id: &'a str,
    pub ip: Option<&'a str>,
}

/// Saves the shared answer as a new version written on `base` (the version the writer's
/// page showed), and with `send` marks the newest version sent to the counselor. Committed
/// before the caller answers.
pub async fn save(
    db: &Db,
    joint_id: &str,
    writer: &Writer<'_>,
    answers: &Answers,
    base: i64,
    send: bool,
) -> Result<Saved, AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    // Locks the row on PostgreSQL, so two saves at once take turns; SQLite's write
    // transaction already does.
    sqlx::query("update joint_work set current_version = current_version where joint_work_id = $1")
        .bind(joint_id)
        .execute(&mut *tx)
        .await?;
    let row: Option<(String, i64, Option<i64>)> = sqlx::query_as(
        "select couple_id, current_version, cancelled_at from joint_work where joint_work_id = $1",
    )
    .bind(joint_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (couple_id, current, cancelled) = row.ok_or(AppError::NotFound)?;
    couple_open(&mut tx, &couple_id).await?;
    if cancelled.is_some() {
        return Err(AppError::Conflict(
            "Your counselor has cancelled this exercise, so it can no longer change.".into(),
        ));
    }
    let encoded = json(answers)?;
    if current > base {
        sqlx::query(
            "insert into joint_draft (joint_work_id, position, answers, base_version, saved_at) \
             values ($1, $2, $3, $4, $5) on conflict (joint_work_id, position) do update \
             set answers = excluded.answers, base_version = excluded.base_version, \
                 saved_at = excluded.saved_at",
        )
        .bind(joint_id)
        .bind(writer.position)
        .bind(&encoded)
        .bind(base)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        return Ok(Saved::Crossed(current));
    }
    let newest: Option<String> = sqlx::query_scalar(
        "select answers from joint_version where joint_work_id = $1 and version = $2",
    )
    .bind(joint_id)
    .bind(current)
    .fetch_optional(&mut *tx)
    .await?;
    let unchanged = match &newest {
        Some(a) => &parse_answers(a)? == answers,
        None => answers.is_empty(),
    };
    let entry = |detail: &'static str| AuditEntry {
        actor_user_id: Some(writer.user_id),
        couple_id: Some(&couple_id),
        ip: writer.ip,
        detail: Some(detail),
        ..Default::default()
    };
    let detail = if writer.position == 1 {
        "partner_1"
    } else {
        "partner_2"
    };
    let version = if unchanged {
        current
    } else {
        let next = current + 1;
        sqlx::query(
            "insert into joint_version (joint_work_id, version, answers, position, app_user_id, \
             written_at) values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(joint_id)
        .bind(next)
        .bind(&encoded)
        .bind(writer.position)
        .bind(writer.user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("update joint_work set current_version = $1 where joint_work_id = $2")
            .bind(next)
            .bind(joint_id)
            .execute(&mut *tx)
            .await?;
        record(&mut *tx, AuditAction::JointAnswerSaved, entry(detail)).await?;
        next
    };
    sqlx::query("delete from joint_draft where joint_work_id = $1 and position = $2")
        .bind(joint_id)
        .bind(writer.position)
        .execute(&mut *tx)
        .await?;
    if send {
        if version == 0 {
            return Err(AppError::validation(
                "answers",
                "Write at least one answer together before sending it to your counselor.",
            ));
        }
        sqlx::query(
            "update joint_work set sent_version = $1, sent_at = $2 where joint_work_id = $3",
        )
        .bind(version)
        .bind(now)
        .bind(joint_id)
        .execute(&mut *tx)
        .await?;
        record(&mut *tx, AuditAction::JointAnswerSent, entry(detail)).await?;
    }
    touch(&mut tx, &couple_id, now).await?;
    tx.commit().await?;
    Ok(if unchanged {
        Saved::Unchanged
    } else {
        Saved::Version(version)
    })
}

/// Lets go of a partner's crossed words (they chose to keep the newer version as it is).
pub async fn discard_crossed(db: &Db, joint_id: &str, position: i64) -> Result<(), AppError> {
    sqlx::query("delete from joint_draft where joint_work_id = $1 and position = $2")
        .bind(joint_id)
        .bind(position)
        .execute(db.writer())
        .await?;
    Ok(())
}

pub async fn cancel(
    db: &Db,
    joint_id: &str,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let row: Option<(String, Option<i64>)> =
        sqlx::query_as("select couple_id, cancelled_at from joint_work where joint_work_id = $1")
            .bind(joint_id)
            .fetch_optional(&mut *tx)
            .await?;
    let (couple_id, cancelled) = row.ok_or(AppError::NotFound)?;
    if cancelled.is_some() {
        return Err(AppError::Conflict(
            "This exercise is already cancelled.".into(),
        ));
    }
    sqlx::query("update joint_work set cancelled_at = $1 where joint_work_id = $2")
        .bind(now_ms())
        .bind(joint_id)
        .execute(&mut *tx)
        .await?;
    record(
        &mut *tx,
        AuditAction::HomeworkCancelled,
        AuditEntry {
            actor_user_id: Some(actor),
            couple_id: Some(&couple_id),
            ip,
            detail: Some("together"),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Turns chosen answers of version `version` into agreements waiting for the counselor's
/// approval, once per version (a second click on the same version changes nothing).
pub async fn draft_agreements(
    db: &Db,
    joint_id: &str,
    version: i64,
    bodies: &[String],
    actor: &crate::features::agreements::repo::Actor<'_>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    couple_open(&mut tx, actor.couple_id).await?;
    let claimed = sqlx::query(
        "update joint_work set agreements_version = $1 where joint_work_id = $2 \
         and couple_id = $3 and current_version = $1 \
         and (agreements_version is null or agreements_version < $1)",
    )
    .bind(version)
    .bind(joint_id)
    .bind(actor.couple_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed == 0 {
        return Err(AppError::Conflict(
            "These answers have already been turned into draft agreements, or the partners have \
             changed them since this page was loaded. Reload the page to see the newest version."
                .into(),
        ));
    }
    crate::features::agreements::repo::propose_in(&mut tx, actor, bodies).await?;
    record(&mut *tx, AuditAction::JointAgreementsDrafted, actor.entry()).await?;
    tx.commit().await?;
    Ok(())
}
