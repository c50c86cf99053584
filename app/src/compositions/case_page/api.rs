//! The case page's server function: the counselor's view of one couple, from every feature.

use super::CaseDetail;
use crate::error::AppError;
use crate::ids::CoupleId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::auth::guard,
    crate::state::{AppState, app_state},
};

/// The case page. Reading it is recorded in the audit trail.
#[server(prefix = "/api", endpoint = "get_case")]
pub async fn get_case(couple_id: CoupleId) -> Result<CaseDetail, AppError> {
    let access = guard::require_case_counselor(&couple_id).await?;
    let state = app_state()?;
    let detail = gather(&state, &couple_id).await?;
    crate::features::cases::api::record_case_viewed(&access.user.user_id, &couple_id).await?;
    Ok(detail)
}

/// Every panel of the case page. The caller has checked access.
#[cfg(feature = "ssr")]
async fn gather(app: &AppState, couple_id: &CoupleId) -> Result<CaseDetail, AppError> {
    let db = &app.db;
    let progress = crate::features::program::repo::progress(db, couple_id).await?;
    let case = crate::features::cases::repo::overview_with(app, couple_id, &progress).await?;
    let homework = crate::features::homework::repo::board(db, couple_id).await?;
    let exercises = match &progress.program {
        Some((program_id, _)) => {
            let mut choices: Vec<_> = crate::features::program::repo::view(db, program_id)
                .await?
                .map(|p| p.steps)
                .unwrap_or_default()
                .into_iter()
                .map(|s| crate::features::homework::ExerciseChoices {
                    step_number: s.number,
                    step_title: s.title,
                    exercises: s
                        .templates
                        .into_iter()
                        .map(|t| {
                            (
                                t.template_id,
                                if t.joint {
                                    format!("{} ({}, together)", t.title, t.audience.label())
                                } else {
                                    format!("{} ({})", t.title, t.audience.label())
                                },
                            )
                        })
                        .collect(),
                })
                .collect();
            let current = progress.current_step.unwrap_or(1);
            choices.sort_by_key(|c| (c.step_number != current, c.step_number));
            choices
        }
        None => vec![],
    };
    let couple = crate::couple::load(db, couple_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let zone = crate::couple::time_zone(db, &couple.counselor_id).await?;
    let sessions = crate::features::sessions::repo::for_couple(db, couple_id, zone).await?;
    let goals = crate::features::notes::repo::goals(db, couple_id).await?;
    let check_ins = crate::features::progress::repo::panel(db, couple_id, zone).await?;
    let wins = crate::features::progress::wins::wall(db, couple_id, zone, None).await?;
    let wins_state = crate::features::progress::wins::wall_state(db, couple_id).await?;
    let agreements = crate::features::agreements::repo::panel(
        db,
        couple_id,
        zone,
        check_ins.partner_names.clone(),
    )
    .await?;
    let completion = crate::features::progress::trends::completion(db, couple_id, zone).await?;
    let messages =
        crate::features::messages::page::case_panel(app, &couple, &couple.counselor_id).await?;
    let seats: Vec<_> = couple
        .partners
        .iter()
        .map(|s| {
            (
                s.display_name.clone(),
                s.account.as_ref().map(|a| a.to_string()),
            )
        })
        .collect();
    let consent = crate::features::consent::repo::statuses(db, &seats, zone).await?;
    let intake = crate::features::intake::repo::statuses(db, &couple, zone).await?;
    let measures = crate::features::measures::repo::panel(db, &couple, zone).await?;
    let resets = crate::features::passwords::api::partner_resets(app, &couple).await?;
    Ok(CaseDetail {
        resets,
        wins_state,
        measures,
        intake,
        messages,
        case,
        agreements,
        completion,
        consent,
        check_ins,
        wins,
        homework,
        exercises,
        sessions,
        time_zone: zone.name().to_string(),
        goals,
        progress,
    })
}
