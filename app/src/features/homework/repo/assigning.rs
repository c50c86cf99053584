//! Setting homework: the template to assign from, sending a copy to each partner, and
//! cancelling a copy.

use super::{json, parse_fields};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;
use crate::features::program::ResponseField;

/// What to assign, already checked.
pub struct NewAssignment {
    pub template_version_id: Option<String>,
    pub step_number: Option<i64>,
    pub title: String,
    pub instructions: String,
    pub fields: Vec<ResponseField>,
    /// For the counselor's eyes only: the partner cannot share their answer.
    pub counselor_only: bool,
    pub due_on: Option<chrono::NaiveDate>,
    pub positions: Vec<i64>,
    /// Repeat every this many days (with a due date) while the couple stays on their step.
    pub repeat_days: Option<i64>,
}

/// A template's current version, to assign from.
pub struct TemplateSource {
    pub template_version_id: String,
    pub step_number: i64,
    pub title: String,
    pub instructions: String,
    pub audience: String,
    pub cadence: String,
    pub fields: Vec<ResponseField>,
    pub counselor_only: bool,
    /// Done together: one shared answer (`repo::joint`).
    pub joint: bool,
}

pub async fn template_source(
    db: &Db,
    template_id: &str,
) -> Result<Option<TemplateSource>, AppError> {
    type Row = (
        String,
        i64,
        String,
        String,
        String,
        String,
        String,
        i64,
        i64,
    );
    let row: Option<Row> = sqlx::query_as(
        "select v.template_version_id, s.number, v.title, v.instructions, v.audience, v.cadence, \
         v.fields, v.counselor_only, v.joint \
         from exercise_template t \
         join template_version v on v.exercise_template_id = t.exercise_template_id \
           and v.version = t.current_version \
         join program_step s on s.program_step_id = t.program_step_id \
         where t.exercise_template_id = $1 and t.archived_at is null",
    )
    .bind(template_id)
    .fetch_optional(db.pool())
    .await?;
    row.map(
        |(id, step, title, instructions, audience, cadence, fields, counselor_only, joint)| {
            Ok(TemplateSource {
                template_version_id: id,
                step_number: step,
                title,
                instructions,
                audience,
                cadence,
                fields: parse_fields(&fields)?,
                counselor_only: counselor_only != 0,
                joint: joint != 0,
            })
        },
    )
    .transpose()
}

/// Sends homework: one copy per partner, all or nothing. Returns the copies' ids.
pub async fn assign(
    db: &Db,
    couple_id: &str,
    new: &NewAssignment,
    actor: &str,
    ip: Option<&str>,
) -> Result<Vec<String>, AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let couple: Option<(String, Option<i64>)> =
        sqlx::query_as("select status, current_step from couple where couple_id = $1")
            .bind(couple_id)
            .fetch_optional(&mut *tx)
            .await?;
    let current_step = couple.as_ref().and_then(|c| c.1);
    match couple.as_ref().map(|c| c.0.as_str()) {
        None => return Err(AppError::NotFound),
        Some("closed") => {
            return Err(AppError::Conflict(
                "This case is closed and read-only. Reopen it to assign homework.".into(),
            ));
        }
        _ => {}
    }
    let group = new_id();
    let fields = json(&new.fields)?;
    let mut ids = Vec::new();
    for position in &new.positions {
        let id = new_id();
        sqlx::query(
            "insert into assignment (assignment_id, couple_id, assignment_group, position, \
             template_version_id, step_number, title, instructions, fields, due_on, \
             assigned_by, assigned_at, repeat_days, repeat_step, series_id, counselor_only) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .bind(&id)
        .bind(couple_id)
        .bind(&group)
        .bind(position)
        .bind(new.template_version_id.as_deref())
        .bind(new.step_number)
        .bind(&new.title)
        .bind(&new.instructions)
        .bind(&fields)
        .bind(new.due_on.map(|d| d.to_string()))
        .bind(actor)
        .bind(now)
        .bind(new.repeat_days)
        .bind(new.repeat_days.and(current_step))
        .bind(new.repeat_days.map(|_| id.clone()))
        .bind(i64::from(new.counselor_only))
        .execute(&mut *tx)
        .await?;
        record(
            &mut *tx,
            AuditAction::HomeworkAssigned,
            AuditEntry {
                actor_user_id: Some(actor),
                couple_id: Some(couple_id),
                ip,
                detail: Some(&format!("partner_{position}")),
                ..Default::default()
            },
        )
        .await?;
        ids.push(id);
    }
    sqlx::query("update couple set updated_at = $1 where couple_id = $2")
        .bind(now)
        .bind(couple_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ids)
}

pub async fn cancel(
    db: &Db,
    assignment_id: &str,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let row: Option<(String, i64, Option<i64>, Option<String>)> = sqlx::query_as(
        "select couple_id, position, cancelled_at, series_id from assignment \
         where assignment_id = $1",
    )
    .bind(assignment_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (couple_id, position, cancelled, series) = row.ok_or(AppError::NotFound)?;
    if cancelled.is_some() {
        return Err(AppError::Conflict(
            "This homework is already cancelled.".into(),
        ));
    }
    sqlx::query("update assignment set cancelled_at = $1 where assignment_id = $2")
        .bind(now_ms())
        .bind(assignment_id)
        .execute(&mut *tx)
        .await?;
    // Cancelling any occurrence of repeating homework ends the repeats.
    if let Some(series) = series {
        sqlx::query("update assignment set repeat_days = null where series_id = $1")
            .bind(series)
            .execute(&mut *tx)
            .await?;
    }
    record(
        &mut *tx,
        AuditAction::HomeworkCancelled,
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
