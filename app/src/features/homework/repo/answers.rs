//! Answers: reading a posted form, saving a draft or submitting a version, and the
//! counselor's review of what was sent.

use super::{json, parse_fields};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;
use crate::features::homework::{AnswerValue, Answers, MAX_ANSWER_CHARS, Visibility};
use crate::features::program::ResponseField;
use std::collections::HashMap;

/// The questions an assignment asks: all a save needs to read the posted answers.
pub async fn fields(db: &Db, assignment_id: &str) -> Result<Vec<ResponseField>, AppError> {
    let fields: Option<String> =
        sqlx::query_scalar("select fields from assignment where assignment_id = $1")
            .bind(assignment_id)
            .fetch_optional(db.pool())
            .await?;
    parse_fields(&fields.ok_or(AppError::NotFound)?)
}

/// Whether the assignment is for the counselor's eyes only.
pub async fn counselor_only(db: &Db, assignment_id: &str) -> Result<bool, AppError> {
    let flag: Option<i64> =
        sqlx::query_scalar("select counselor_only from assignment where assignment_id = $1")
            .bind(assignment_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(flag.ok_or(AppError::NotFound)? != 0)
}

/// Reads a posted homework form into answers, checking each against its field. Drafts may
/// hold more than a submission allows, so an over-long answer is never lost.
pub fn read_answers(
    fields: &[ResponseField],
    form: &HashMap<String, String>,
    submitting: bool,
) -> Result<Answers, AppError> {
    let mut answers = Answers::new();
    for field in fields {
        match field {
            ResponseField::Text { key, label, .. } => {
                let text = form.get(key).map(|t| t.trim_end()).unwrap_or("");
                let chars = text.chars().count();
                let limit = if submitting {
                    MAX_ANSWER_CHARS
                } else {
                    MAX_ANSWER_CHARS * 10
                };
                if chars > limit {
                    return Err(AppError::validation(
                        key,
                        format!(
                            "Your answer to \u{201c}{label}\u{201d} is {chars} characters long; \
                             the most one answer can hold is {MAX_ANSWER_CHARS}."
                        ),
                    ));
                }
                if !text.trim().is_empty() {
                    answers.insert(key.clone(), AnswerValue::Text(text.to_string()));
                }
            }
            ResponseField::Rating { key, label, .. } => {
                let raw = form.get(key).map(|r| r.trim()).unwrap_or("");
                if raw.is_empty() {
                    continue;
                }
                let value = raw.parse::<u8>().ok().filter(|v| *v <= 10).ok_or_else(|| {
                    AppError::validation(
                        key,
                        format!("Choose a number from 0 to 10 for \u{201c}{label}\u{201d}."),
                    )
                })?;
                answers.insert(key.clone(), AnswerValue::Rating(value));
            }
            ResponseField::Checklist { key, items, .. } => {
                let checked: Vec<usize> = (0..items.len())
                    .filter(|i| form.contains_key(&format!("{key}-{i}")))
                    .collect();
                if !checked.is_empty() {
                    answers.insert(key.clone(), AnswerValue::Checked(checked));
                }
            }
        }
    }
    Ok(answers)
}

/// The safety items (see `ResponseField::Checklist::safety`) ticked in these answers.
pub fn safety_items_ticked(fields: &[ResponseField], answers: &Answers) -> Vec<String> {
    let mut ticked = Vec::new();
    for field in fields {
        if let ResponseField::Checklist {
            key, items, safety, ..
        } = field
            && let Some(AnswerValue::Checked(checked)) = answers.get(key)
        {
            ticked.extend(
                checked
                    .iter()
                    .filter_map(|i| items.get(*i))
                    .filter(|item| safety.contains(item))
                    .cloned(),
            );
        }
    }
    ticked
}

/// How many versions of the assignment have been submitted.
pub async fn submitted_version(db: &Db, assignment_id: &str) -> Result<i64, AppError> {
    Ok(
        sqlx::query_scalar("select submitted_version from assignment where assignment_id = $1")
            .bind(assignment_id)
            .fetch_optional(db.pool())
            .await?
            .unwrap_or(0),
    )
}

/// Saves a partner's draft, or submits a new version (which clears the draft). Committed
/// before the caller answers, so an acknowledged save is durable. A submission that ticks a
/// safety item raises a safety flag in the same transaction; its id is returned.
pub async fn save(
    db: &Db,
    assignment_id: &str,
    answers: &Answers,
    visibility: Visibility,
    submit: bool,
    actor: &str,
    ip: Option<&str>,
) -> Result<Option<String>, AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let row: Option<(String, i64, Option<i64>, String, String, String)> = sqlx::query_as(
        "select a.couple_id, a.position, a.cancelled_at, c.status, a.title, a.fields \
         from assignment a \
         join couple c on c.couple_id = a.couple_id where a.assignment_id = $1",
    )
    .bind(assignment_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (couple_id, position, cancelled, status, title, fields) = row.ok_or(AppError::NotFound)?;
    let mut flag = None;
    if cancelled.is_some() || status == "closed" {
        return Err(AppError::Conflict(
            "This homework is no longer open, so it cannot be changed.".into(),
        ));
    }
    let encoded = json(answers)?;
    if submit {
        // The new version is numbered on the assignment row itself. On PostgreSQL the
        // update locks that row, so two submissions of the same homework at once (two
        // tabs, a double tap) take turns instead of both claiming one number; on SQLite
        // the transaction already holds the write lock.
        sqlx::query(
            "update assignment set submitted_version = submitted_version + 1 \
             where assignment_id = $1",
        )
        .bind(assignment_id)
        .execute(&mut *tx)
        .await?;
        let next: i64 =
            sqlx::query_scalar("select submitted_version from assignment where assignment_id = $1")
                .bind(assignment_id)
                .fetch_one(&mut *tx)
                .await?;
        sqlx::query(
            "insert into submission (submission_id, assignment_id, version, answers, visibility, \
             submitted_at) values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(new_id())
        .bind(assignment_id)
        .bind(next)
        .bind(&encoded)
        .bind(visibility.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("delete from homework_draft where assignment_id = $1")
            .bind(assignment_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("update couple set updated_at = $1 where couple_id = $2")
            .bind(now)
            .bind(&couple_id)
            .execute(&mut *tx)
            .await?;
        record(
            &mut *tx,
            AuditAction::HomeworkSubmitted,
            AuditEntry {
                actor_user_id: Some(actor),
                couple_id: Some(&couple_id),
                ip,
                detail: Some(&format!("partner_{position}")),
                ..Default::default()
            },
        )
        .await?;
        let ticked = safety_items_ticked(&parse_fields(&fields)?, answers);
        if !ticked.is_empty() {
            use crate::features::safety::repo::flags::{FlagSource, NewFlag, raise};
            flag = raise(
                &mut tx,
                NewFlag {
                    couple_id: &couple_id,
                    position,
                    source: FlagSource::Homework,
                    source_id: assignment_id,
                    source_title: &title,
                    answer: &ticked.join("\u{201d}, \u{201c}"),
                    raised_at: now,
                    actor,
                    ip,
                },
            )
            .await?;
        }
    } else {
        sqlx::query(
            "insert into homework_draft (assignment_id, answers, visibility, saved_at) \
             values ($1, $2, $3, $4) on conflict (assignment_id) do update \
             set answers = excluded.answers, visibility = excluded.visibility, \
                 saved_at = excluded.saved_at",
        )
        .bind(assignment_id)
        .bind(&encoded)
        .bind(visibility.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(flag)
}

/// Records the counselor's review (with feedback) of the latest submission.
pub async fn review(
    db: &Db,
    assignment_id: &str,
    feedback: &str,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let row: Option<(String, i64, Option<i64>)> = sqlx::query_as(
        "select a.couple_id, a.position, (select max(s.version) from submission s \
           where s.assignment_id = a.assignment_id) from assignment a where a.assignment_id = $1",
    )
    .bind(assignment_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (couple_id, position, latest) = row.ok_or(AppError::NotFound)?;
    let latest =
        latest.ok_or_else(|| AppError::Conflict("There is no submission to review yet.".into()))?;
    sqlx::query(
        "insert into review (review_id, assignment_id, submission_version, feedback, \
         reviewed_by, reviewed_at) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(assignment_id)
    .bind(latest)
    .bind(feedback)
    .bind(actor)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    sqlx::query("update assignment set reviewed_version = $1 where assignment_id = $2")
        .bind(latest)
        .bind(assignment_id)
        .execute(&mut *tx)
        .await?;
    record(
        &mut *tx,
        AuditAction::HomeworkReviewed,
        AuditEntry {
            actor_user_id: Some(actor),
            couple_id: Some(&couple_id),
            ip,
            detail: Some(&format!("partner_{position}")),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
