//! SQL for programs, their steps and templates, and couples' step moves. Reading the
//! programs is here; a couple's place in theirs in `steps`, copying programs and saving
//! templates in `edit`.

mod edit;
mod steps;
pub mod upgrade;

pub use edit::{duplicate, save_template};
pub use steps::{
    couple_step_titles, current_step, homework_step, move_step, numbered_step, progress,
    step_for_partners,
};

use super::{
    Audience, Cadence, ProgramSummary, ProgramView, ResponseField, StepView, TemplateView,
};
use crate::db::Db;
use crate::error::AppError;

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
    counselor_only: i64,
    joint: i64,
}

/// Every live exercise of a program at its current version, by step, in one statement (the
/// steps without one are left out).
pub async fn exercise_options(
    db: &Db,
    program_id: &str,
) -> Result<Vec<super::ExerciseOption>, AppError> {
    let rows: Vec<(i64, String, String, String, String, i64)> = sqlx::query_as(
        "select s.number, s.title, t.exercise_template_id, v.title, v.audience, v.joint \
         from program_step s \
         join exercise_template t on t.program_step_id = s.program_step_id \
           and t.archived_at is null \
         join template_version v on v.exercise_template_id = t.exercise_template_id \
           and v.version = t.current_version \
         where s.program_id = $1 order by s.number, t.position",
    )
    .bind(program_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(step_number, step_title, template_id, title, audience, joint)| {
                super::ExerciseOption {
                    step_number,
                    step_title,
                    template_id,
                    title,
                    audience: Audience::parse(&audience).unwrap_or(Audience::Both),
                    joint: joint != 0,
                }
            },
        )
        .collect())
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
    let steps: Vec<(String, i64, String, String, String, String)> = sqlx::query_as(
        "select program_step_id, number, title, purpose, guidance, for_partners from program_step \
         where program_id = $1 order by number",
    )
    .bind(program_id)
    .fetch_all(db.pool())
    .await?;
    let templates: Vec<TemplateRow> = sqlx::query_as(
        "select t.program_step_id, t.exercise_template_id, v.version, v.title, v.instructions, \
         v.audience, v.cadence, v.fields, v.counselor_only, v.joint from exercise_template t \
         join program_step s on s.program_step_id = t.program_step_id \
         join template_version v on v.exercise_template_id = t.exercise_template_id \
           and v.version = t.current_version \
         where s.program_id = $1 and t.archived_at is null order by t.position",
    )
    .bind(program_id)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(steps.len());
    for (step_id, number, title, purpose, guidance, for_partners) in steps {
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
                counselor_only: t.counselor_only != 0,
                joint: t.joint != 0,
            });
        }
        out.push(StepView {
            number,
            title,
            purpose,
            for_partners,
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
        counselor_only: template.is_some_and(|t| t.counselor_only),
        joint: template.is_some_and(|t| t.joint),
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
