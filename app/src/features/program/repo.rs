//! SQL for programs, their steps and templates, and couples' step moves.

use super::{
    Audience, Cadence, CoupleProgress, MAX_REASON_CHARS, ProgramSummary, ProgramView,
    ResponseField, StepMoveView, StepTitle, StepView, TemplateView,
};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;

use crate::time::utc as time;

/// Every program of the practice, the built-in one first.
pub async fn list(db: &Db) -> Result<Vec<ProgramSummary>, AppError> {
    let rows: Vec<(String, String, Option<String>, i64)> = sqlx::query_as(
        "select p.program_id, p.title, p.builtin_key, \
         (select count(*) from program_step s where s.program_id = p.program_id) \
         from program p order by case when p.builtin_key is null then 1 else 0 end, p.title",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(program_id, title, builtin, steps)| ProgramSummary {
            program_id,
            title,
            builtin: builtin.is_some(),
            steps,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct TemplateRow {
    program_step_id: String,
    exercise_template_id: String,
    version: i64,
    title: String,
    instructions: String,
    audience: String,
    cadence: String,
    fields: String,
}

/// A program with its steps and each step's templates at their current version.
pub async fn view(db: &Db, program_id: &str) -> Result<Option<ProgramView>, AppError> {
    let program: Option<(String, String, Option<String>)> =
        sqlx::query_as("select title, summary, builtin_key from program where program_id = $1")
            .bind(program_id)
            .fetch_optional(db.pool())
            .await?;
    let Some((title, summary, builtin)) = program else {
        return Ok(None);
    };
    let steps: Vec<(String, i64, String, String, String)> = sqlx::query_as(
        "select program_step_id, number, title, purpose, guidance from program_step \
         where program_id = $1 order by number",
    )
    .bind(program_id)
    .fetch_all(db.pool())
    .await?;
    let templates: Vec<TemplateRow> = sqlx::query_as(
        "select t.program_step_id, t.exercise_template_id, v.version, v.title, v.instructions, \
         v.audience, v.cadence, v.fields from exercise_template t \
         join program_step s on s.program_step_id = t.program_step_id \
         join template_version v on v.exercise_template_id = t.exercise_template_id \
           and v.version = t.current_version \
         where s.program_id = $1 and t.archived_at is null order by t.position",
    )
    .bind(program_id)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(steps.len());
    for (step_id, number, title, purpose, guidance) in steps {
        let mut mine = Vec::new();
        for t in templates.iter().filter(|t| t.program_step_id == step_id) {
            mine.push(TemplateView {
                template_id: t.exercise_template_id.clone(),
                version: t.version,
                title: t.title.clone(),
                instructions: t.instructions.clone(),
                audience: Audience::parse(&t.audience).unwrap_or(Audience::Both),
                cadence: Cadence::parse(&t.cadence).unwrap_or(Cadence::Once),
                fields: serde_json::from_str::<Vec<ResponseField>>(&t.fields)
                    .map_err(|e| AppError::internal("template fields", e))?,
            });
        }
        out.push(StepView {
            number,
            title,
            purpose,
            guidance,
            templates: mine,
        });
    }
    Ok(Some(ProgramView {
        program_id: program_id.to_string(),
        title,
        summary,
        builtin: builtin.is_some(),
        steps: out,
    }))
}

async fn step_titles(db: &Db, program_id: &str) -> Result<Vec<StepTitle>, AppError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "select number, title from program_step where program_id = $1 order by number",
    )
    .bind(program_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(number, title)| StepTitle { number, title })
        .collect())
}

/// Where a couple stands in their program, and how they got there. The caller has checked
/// access to the couple.
pub async fn progress(db: &Db, couple_id: &str) -> Result<CoupleProgress, AppError> {
    let row: Option<(Option<String>, Option<i64>, Option<String>)> = sqlx::query_as(
        "select c.program_id, c.current_step, p.title from couple c \
         left join program p on p.program_id = c.program_id where c.couple_id = $1",
    )
    .bind(couple_id)
    .fetch_optional(db.pool())
    .await?;
    let (program_id, current_step, title) = row.ok_or(AppError::NotFound)?;
    let steps = match &program_id {
        Some(id) => step_titles(db, id).await?,
        None => vec![],
    };
    let moves: Vec<(i64, Option<i64>, i64, String, String)> = sqlx::query_as(
        "select m.moved_at, m.from_step, m.to_step, m.reason, u.display_name from step_move m \
         join app_user u on u.app_user_id = m.moved_by where m.couple_id = $1 \
         order by m.moved_at desc, m.step_move_id desc",
    )
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?;
    Ok(CoupleProgress {
        program: program_id.zip(title),
        current_step,
        steps,
        moves: moves
            .into_iter()
            .map(|(at, from_step, to_step, reason, by)| StepMoveView {
                at: time(at),
                from_step,
                to_step,
                reason,
                by,
            })
            .collect(),
        programs: list(db).await?,
    })
}

/// Moves a couple to a step of their program (starting them on `program_id` if they have
/// none yet), with the counselor's reason. Recorded as a step move and in the audit trail.
pub async fn move_step(
    db: &Db,
    couple_id: &str,
    program_id: Option<&str>,
    to_step: i64,
    reason: &str,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Err(AppError::validation(
            "reason",
            format!("Give a short reason for the move (up to {MAX_REASON_CHARS} characters)."),
        ));
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let couple: Option<(String, Option<String>, Option<i64>)> =
        sqlx::query_as("select status, program_id, current_step from couple where couple_id = $1")
            .bind(couple_id)
            .fetch_optional(&mut *tx)
            .await?;
    let (status, current_program, current_step) = couple.ok_or(AppError::NotFound)?;
    if status == "closed" {
        return Err(AppError::Conflict(
            "This case is closed and read-only. Reopen it to move the couple on.".into(),
        ));
    }
    let program = match (current_program, program_id) {
        (Some(p), _) => p,
        (None, Some(p)) if !p.is_empty() => p.to_string(),
        (None, _) => {
            return Err(AppError::validation(
                "program_id",
                "Choose the program to start the couple on.",
            ));
        }
    };
    let steps: i64 = sqlx::query_scalar("select count(*) from program_step where program_id = $1")
        .bind(&program)
        .fetch_one(&mut *tx)
        .await?;
    if steps == 0 {
        return Err(AppError::validation(
            "program_id",
            "Choose a program from the list.",
        ));
    }
    if !(1..=steps).contains(&to_step) {
        return Err(AppError::validation(
            "to_step",
            format!("Choose a step between 1 and {steps}."),
        ));
    }
    if current_step == Some(to_step) {
        return Err(AppError::validation(
            "to_step",
            format!("The couple is already at step {to_step}."),
        ));
    }
    sqlx::query(
        "insert into step_move (step_move_id, couple_id, from_step, to_step, reason, moved_by, \
         moved_at) values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id())
    .bind(couple_id)
    .bind(current_step)
    .bind(to_step)
    .bind(reason)
    .bind(actor)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "update couple set program_id = $1, current_step = $2, updated_at = $3 \
         where couple_id = $4",
    )
    .bind(&program)
    .bind(to_step)
    .bind(now)
    .bind(couple_id)
    .execute(&mut *tx)
    .await?;
    record(
        &mut *tx,
        AuditAction::StepMoved,
        AuditEntry {
            actor_user_id: Some(actor),
            couple_id: Some(couple_id),
            ip,
            detail: Some(&to_step.to_string()),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The first live template of a step of a program meant for `audience`, if any.
pub async fn find_template(
    db: &Db,
    program_id: &str,
    step: i64,
    audience: Audience,
) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar(
        "select t.exercise_template_id from exercise_template t \
         join program_step s on s.program_step_id = t.program_step_id \
         join template_version v on v.exercise_template_id = t.exercise_template_id \
           and v.version = t.current_version \
         where s.program_id = $1 and s.number = $2 and v.audience = $3 \
           and t.archived_at is null order by t.position limit 1",
    )
    .bind(program_id)
    .bind(step)
    .bind(audience.as_str())
    .fetch_optional(db.pool())
    .await?)
}

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
             guidance) values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&step_id)
        .bind(&copy_id)
        .bind(step.number)
        .bind(&step.title)
        .bind(&step.purpose)
        .bind(&step.guidance)
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
         title, instructions, audience, cadence, fields, created_by, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
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
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What the template edit page starts from: an existing template, or a new one for a step.
pub async fn template_edit(
    db: &Db,
    template_id: Option<&str>,
    program_id: &str,
    step_number: i64,
) -> Result<super::TemplateEdit, AppError> {
    let program = view(db, program_id).await?.ok_or(AppError::NotFound)?;
    let step = program
        .steps
        .iter()
        .find(|s| s.number == step_number)
        .ok_or(AppError::NotFound)?;
    let template = match template_id {
        Some(id) => Some(
            step.templates
                .iter()
                .find(|t| t.template_id == id)
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    Ok(super::TemplateEdit {
        template_id: template.map(|t| t.template_id.clone()),
        program_id: program.program_id.clone(),
        program_title: program.title.clone(),
        step_number,
        step_title: step.title.clone(),
        version: template.map(|t| t.version).unwrap_or(0),
        title: template.map(|t| t.title.clone()).unwrap_or_default(),
        instructions: template.map(|t| t.instructions.clone()).unwrap_or_default(),
        audience: template.map(|t| t.audience).unwrap_or(Audience::Both),
        cadence: template.map(|t| t.cadence).unwrap_or(Cadence::Once),
        lines: template
            .map(|t| super::fields_to_lines(&t.fields))
            .unwrap_or_else(|| "text: ".into()),
        fields: template.map(|t| t.fields.clone()).unwrap_or_default(),
    })
}

/// Where a template lives: its program and step number.
pub async fn template_home(db: &Db, template_id: &str) -> Result<Option<(String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "select s.program_id, s.number from exercise_template t \
         join program_step s on s.program_step_id = t.program_step_id \
         where t.exercise_template_id = $1",
    )
    .bind(template_id)
    .fetch_optional(db.pool())
    .await?)
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

/// The couple's current step: (number, title, steps in their program), when on a program.
pub async fn current_step(
    db: &Db,
    couple_id: &str,
) -> Result<Option<(i64, String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "select ps.number, ps.title, (select count(*) from program_step x where x.program_id = c.program_id) \
         from couple c join program_step ps on ps.program_id = c.program_id and ps.number = c.current_step \
         where c.couple_id = $1",
    )
    .bind(couple_id)
    .fetch_optional(db.pool())
    .await?)
}
