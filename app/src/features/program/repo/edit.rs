//! SQL for changing programs: copying one to adapt, and saving its templates as versions.

use super::view;
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;
use crate::features::program::TemplateView;

/// Copies a program (its steps, and each template at its current version) for a practice
/// to adapt. Returns the copy's id.
pub async fn duplicate(
    db: &Db,
    program_id: &str,
    title: &str,
    actor: &str,
    ip: Option<&str>,
) -> Result<String, AppError> {
    let source = view(db, program_id).await?.ok_or(AppError::NotFound)?;
    let now = now_ms();
    let copy_id = new_id();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "insert into program (program_id, title, summary, based_on, created_by, created_at, \
         updated_at) values ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(&copy_id)
    .bind(title)
    .bind(&source.summary)
    .bind(program_id)
    .bind(actor)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    for step in &source.steps {
        let step_id = new_id();
        sqlx::query(
            "insert into program_step (program_step_id, program_id, number, title, purpose, \
             guidance, for_partners) values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&step_id)
        .bind(&copy_id)
        .bind(step.number)
        .bind(&step.title)
        .bind(&step.purpose)
        .bind(&step.guidance)
        .bind(&step.for_partners)
        .execute(&mut *tx)
        .await?;
        for (position, t) in step.templates.iter().enumerate() {
            insert_template(&mut tx, &step_id, position as i64 + 1, t, actor, now).await?;
        }
    }
    record(
        &mut *tx,
        AuditAction::ProgramChanged,
        AuditEntry {
            actor_user_id: Some(actor),
            ip,
            detail: Some("duplicated"),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(copy_id)
}

async fn insert_template(
    tx: &mut crate::db::Tx,
    step_id: &str,
    position: i64,
    t: &TemplateView,
    actor: &str,
    now: i64,
) -> Result<String, AppError> {
    let template_id = new_id();
    sqlx::query(
        "insert into exercise_template (exercise_template_id, program_step_id, position, \
         current_version, created_by, created_at) values ($1, $2, $3, 1, $4, $5)",
    )
    .bind(&template_id)
    .bind(step_id)
    .bind(position)
    .bind(actor)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    insert_version(tx, &template_id, 1, t, actor, now).await?;
    Ok(template_id)
}

async fn insert_version(
    tx: &mut crate::db::Tx,
    template_id: &str,
    version: i64,
    t: &TemplateView,
    actor: &str,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "insert into template_version (template_version_id, exercise_template_id, version, \
         title, instructions, audience, cadence, fields, created_by, created_at, counselor_only, \
         joint) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(new_id())
    .bind(template_id)
    .bind(version)
    .bind(&t.title)
    .bind(&t.instructions)
    .bind(t.audience.as_str())
    .bind(t.cadence.as_str())
    .bind(serde_json::to_string(&t.fields).map_err(|e| AppError::internal("fields", e))?)
    .bind(actor)
    .bind(now)
    .bind(i64::from(t.counselor_only))
    .bind(i64::from(t.joint))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Saves a template: a new version of an existing one (assigned homework keeps the
/// version it was sent with), or a new template at the end of a step. Built-in programs
/// stay as shipped.
pub async fn save_template(
    db: &Db,
    template_id: Option<&str>,
    program_id: &str,
    step_number: i64,
    content: &TemplateView,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let builtin: Option<Option<String>> =
        sqlx::query_scalar("select builtin_key from program where program_id = $1")
            .bind(program_id)
            .fetch_optional(&mut *tx)
            .await?;
    match builtin {
        None => return Err(AppError::NotFound),
        Some(Some(_)) => {
            return Err(AppError::Conflict(
                "The built-in program stays as shipped. Duplicate it to adapt its exercises."
                    .into(),
            ));
        }
        Some(None) => {}
    }
    match template_id {
        Some(id) => {
            let current: Option<i64> = sqlx::query_scalar(
                "select current_version from exercise_template where exercise_template_id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let next = current.ok_or(AppError::NotFound)? + 1;
            insert_version(&mut tx, id, next, content, actor, now).await?;
            sqlx::query(
                "update exercise_template set current_version = $1 where exercise_template_id = $2",
            )
            .bind(next)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        None => {
            let step: Option<(String, i64)> = sqlx::query_as(
                "select s.program_step_id, (select count(*) from exercise_template t \
                   where t.program_step_id = s.program_step_id) \
                 from program_step s where s.program_id = $1 and s.number = $2",
            )
            .bind(program_id)
            .bind(step_number)
            .fetch_optional(&mut *tx)
            .await?;
            let (step_id, count) = step.ok_or(AppError::NotFound)?;
            insert_template(&mut tx, &step_id, count + 1, content, actor, now).await?;
        }
    }
    sqlx::query("update program set updated_at = $1 where program_id = $2")
        .bind(now)
        .bind(program_id)
        .execute(&mut *tx)
        .await?;
    record(
        &mut *tx,
        AuditAction::ProgramChanged,
        AuditEntry {
            actor_user_id: Some(actor),
            ip,
            detail: Some("template_saved"),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
