//! Server functions for the program library and couples' steps.

use super::{PartnerStep, ProgramSummary, ProgramView};
use crate::error::AppError;
use crate::ids::CoupleId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::repo,
    crate::auth::{Role, guard},
    crate::error::report_status,
    crate::state::app_state,
};

/// The practice's programs (counselors).
#[server(prefix = "/api", endpoint = "list_programs")]
pub async fn list_programs() -> Result<Vec<ProgramSummary>, AppError> {
    let _counselor = guard::require_role(&[Role::Counselor])?;
    let state = app_state()?;
    repo::list(&state.db).await
}

/// A program with its steps and exercise templates (counselors).
#[server(prefix = "/api", endpoint = "get_program")]
pub async fn get_program(program_id: String) -> Result<ProgramView, AppError> {
    let _counselor = guard::require_role(&[Role::Counselor])?;
    let state = app_state()?;
    repo::view(&state.db, &program_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The step a partner's couple is at, with what it is for in partners' words (`couple_id`:
/// one of theirs; empty: the one their home opens with). `None` before the counselor starts
/// the couple on a program.
#[server(prefix = "/api", endpoint = "my_step")]
pub async fn my_step(
    #[server(default)] couple_id: String,
) -> Result<Option<PartnerStep>, AppError> {
    let partner = guard::require_role(&[Role::Partner])?;
    let state = app_state()?;
    let Some((couple_id, _, _)) =
        crate::couple::partner_couple(&state.db, &partner.user.user_id, &couple_id).await?
    else {
        return crate::error::not_found();
    };
    repo::step_for_partners(&state.db, &couple_id).await
}

/// Moves a couple to another step of their program (or starts them on one), with a reason.
#[server(prefix = "/api", endpoint = "move_couple_step")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn move_couple_step(
    couple_id: CoupleId,
    #[server(default)] program_id: String,
    to_step: i64,
    reason: String,
) -> Result<(), AppError> {
    let counselor = guard::require_case_counselor(&couple_id).await?;
    let result = async {
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::move_step(
            &state.db,
            &couple_id,
            Some(program_id.as_str()),
            to_step,
            &reason,
            &counselor.user.user_id,
            ip.as_deref(),
        )
        .await
    }
    .await;
    match &result {
        Ok(()) => leptos_axum::redirect(
            &crate::couple::CaseSection::Homework.path_then(couple_id.as_str(), "#program"),
        ),
        Err(err) => report_status(err),
    }
    result
}

/// Copies a program for the practice to adapt; the built-in one stays as shipped.
#[server(prefix = "/api", endpoint = "duplicate_program")]
pub async fn duplicate_program(program_id: String, title: String) -> Result<String, AppError> {
    let counselor = guard::require_role(&[Role::Counselor])?;
    let result = async {
        let title = title.trim();
        if title.is_empty() || title.chars().count() > 120 {
            return Err(AppError::validation(
                "title",
                "Name the copy (up to 120 characters).",
            ));
        }
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::duplicate(
            &state.db,
            &program_id,
            title,
            &counselor.user.user_id,
            ip.as_deref(),
        )
        .await
    }
    .await;
    match &result {
        Ok(id) => leptos_axum::redirect(&format!("/programs/{id}")),
        Err(err) => report_status(err),
    }
    result
}

/// The template edit page: an existing template (`template_id`) or a new one for a step.
#[server(prefix = "/api", endpoint = "get_template_edit")]
pub async fn get_template_edit(
    #[server(default)] template_id: String,
    #[server(default)] program_id: String,
    #[server(default)] step: i64,
) -> Result<super::TemplateEdit, AppError> {
    let _counselor = guard::require_role(&[Role::Counselor])?;
    let state = app_state()?;
    if template_id.is_empty() {
        repo::template_edit(&state.db, None, &program_id, step).await
    } else {
        let (program_id, step) = repo::template_home(&state.db, &template_id)
            .await?
            .ok_or(AppError::NotFound)?;
        repo::template_edit(&state.db, Some(&template_id), &program_id, step).await
    }
}

/// Saves an exercise template of a practice's own program: a new version of an existing one
/// (homework already sent keeps its wording) or a new exercise for a step.
#[server(prefix = "/api", endpoint = "save_template")]
pub async fn save_template(
    #[server(default)] template_id: String,
    program_id: String,
    step: i64,
    exercise: super::ExerciseInput,
) -> Result<(), AppError> {
    let counselor = guard::require_role(&[Role::Counselor])?;
    let super::ExerciseInput {
        title,
        instructions,
        audience,
        cadence,
        questions,
        counselor_only,
        joint,
    } = exercise;
    let result = async {
        let state = app_state()?;
        let title = title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            return Err(AppError::validation(
                "title",
                "Give the exercise a title of up to 200 characters.",
            ));
        }
        let instructions = instructions.trim();
        if instructions.is_empty() || instructions.chars().count() > 5000 {
            return Err(AppError::validation(
                "instructions",
                "Write instructions of up to 5,000 characters.",
            ));
        }
        let audience = super::Audience::parse(&audience)
            .ok_or_else(|| AppError::validation("audience", "Choose who the exercise is for."))?;
        let cadence = super::Cadence::parse(&cadence)
            .ok_or_else(|| AppError::validation("cadence", "Choose how often it is done."))?;
        let (template, program_id, step) = if template_id.is_empty() {
            (None, program_id, step)
        } else {
            let (program_id, step) = repo::template_home(&state.db, &template_id)
                .await?
                .ok_or(AppError::NotFound)?;
            (Some(template_id.as_str()), program_id, step)
        };
        let previous = repo::template_edit(&state.db, template, &program_id, step).await?;
        let fields = super::fields_from_lines(&questions, &previous.fields)
            .map_err(|m| AppError::validation("questions", m))?;
        if counselor_only == "on" && joint == "on" {
            return Err(AppError::validation(
                "joint",
                "An exercise done together is read by both partners, so it cannot also be counselor only. Untick one of them.",
            ));
        }
        if joint == "on" && audience != super::Audience::Both {
            return Err(AppError::validation(
                "joint",
                "An exercise done together is for both partners. Choose \u{201c}Both partners\u{201d} under \u{201c}For\u{201d}, or untick \u{201c}Done together\u{201d}.",
            ));
        }
        if joint == "on"
            && fields.iter().any(
                |f| matches!(f, super::ResponseField::Checklist { safety, .. } if !safety.is_empty()),
            )
        {
            return Err(AppError::validation(
                "questions",
                "A safety item (marked with \u{201c}!\u{201d}) is private to the partner who ticks it, so an exercise done together cannot have one. Remove the \u{201c}!\u{201d}, or untick \u{201c}Done together\u{201d}.",
            ));
        }
        let content = super::TemplateView {
            template_id: String::new(),
            version: 0,
            title: title.to_string(),
            instructions: instructions.to_string(),
            audience,
            cadence,
            fields,
            counselor_only: counselor_only == "on",
            joint: joint == "on",
        };
        let ip = guard::request_context().ip;
        repo::save_template(
            &state.db,
            template,
            &program_id,
            step,
            &content,
            &counselor.user.user_id,
            ip.as_deref(),
        )
        .await?;
        Ok((program_id, step))
    }
    .await;
    match &result {
        Ok((program_id, step)) => {
            leptos_axum::redirect(&format!("/programs/{program_id}?saved=1#step-{step}"))
        }
        Err(err) => report_status(err),
    }
    result.map(|_| ())
}
