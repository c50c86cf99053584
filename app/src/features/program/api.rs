//! Server functions for the program library and couples' steps.

use super::{ProgramSummary, ProgramView};
use crate::error::AppError;
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

/// Moves a couple to another step of their program (or starts them on one), with a reason.
#[server(prefix = "/api", endpoint = "move_couple_step")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn move_couple_step(
    couple_id: String,
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
        Ok(()) => leptos_axum::redirect(&format!("/cases/{couple_id}#program")),
        Err(err) => report_status(err),
    }
    result
}
