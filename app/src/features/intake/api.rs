//! Server functions for the intake: a partner reads, saves and sends their own; the couple's
//! counselor reads both partners' (each reading audited). Anyone else gets "not found".

use super::{CoupleIntake, IntakeAnswers, IntakeForm};
use crate::error::AppError;
use crate::ids::CoupleId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{IntakeTask, PartnerIntake, clean, repo},
    crate::auth::{Role, guard},
    crate::couple::{couple_page, couple_param, partner_couple},
    crate::db::Db,
    crate::error::{finish, not_found},
    crate::state::app_state,
};

#[cfg(feature = "ssr")]
async fn counselor_name(db: &Db, couple_id: &str) -> Result<String, AppError> {
    let couple = crate::couple::load(db, &couple_id.into())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(couple.counselor_name.clone())
}

/// The signed-in partner's intake for one of their couples (`couple_id`; empty: the one
/// their home opens with).
#[server(prefix = "/api", endpoint = "my_intake")]
pub async fn my_intake(#[server(default)] couple_id: String) -> Result<IntakeForm, AppError> {
    let partner = guard::require_role(&[Role::Partner])?;
    let state = app_state()?;
    let db = &state.db;
    let me = &partner.user.user_id;
    let Some((couple_id, position, status)) = partner_couple(db, me, &couple_id).await? else {
        return not_found();
    };
    let zone = crate::couple::time_zone(db, me).await?;
    let row = repo::mine(db, &couple_id, position, me).await?;
    let (answers, draft_saved, sent) = match &row {
        Some(row) => (
            repo::answers_of(db, row).await?,
            row.draft_saved_at
                .filter(|_| row.draft.is_some())
                .map(|at| {
                    crate::time::at(at, zone)
                        .format("%-d %b, %H:%M")
                        .to_string()
                }),
            row.submitted_at.map(|at| repo::day(at, zone)),
        ),
        None => (IntakeAnswers::new(), None, None),
    };
    let since = crate::db::now_ms() - crate::features::safety::HELP_SHOWN_FOR_MS;
    let help = match &row {
        Some(row)
            if crate::features::safety::repo::flags::raised_from_since(
                db,
                &row.intake_id,
                position,
                since,
            )
            .await? =>
        {
            Some(crate::features::safety::repo::help(db).await?)
        }
        _ => None,
    };
    Ok(IntakeForm {
        couple_param: couple_param(db, me, &couple_id).await?,
        counselor_name: counselor_name(db, &couple_id).await?,
        answers,
        draft_saved,
        sent,
        closed: status == "closed",
        help,
    })
}

/// The intake card on the partner's home: `None` when the case is closed and nothing was
/// sent. `started`: a draft is saved; `sent_at`: when it was sent.
#[cfg(feature = "ssr")]
pub fn intake_task(
    started: bool,
    sent_at: Option<i64>,
    closed: bool,
    counselor_name: String,
    couple_param: String,
    zone: chrono_tz::Tz,
) -> Option<IntakeTask> {
    if sent_at.is_none() && closed {
        return None;
    }
    Some(IntakeTask {
        couple_param,
        counselor_name,
        started,
        sent: sent_at.map(|at| repo::day(at, zone)),
    })
}

/// A partner saves their intake as a draft (`intent=draft`) or sends it to their counselor.
/// Answers are `answers[<question key>]`. A draft keeps whatever is written; sending asks
/// for what the counselor needs, and a worrying safety answer is flagged at once.
#[server(prefix = "/api", endpoint = "save_intake")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn save_intake(
    #[server(default)] couple_id: String,
    #[server(default)] answers: IntakeAnswers,
    #[server(default)] intent: String,
) -> Result<(), AppError> {
    let partner = guard::require_role(&[Role::Partner])?;
    let sending = intent != "draft";
    let state = app_state()?;
    let db = &state.db;
    let me = &partner.user.user_id;
    let mut param = String::new();
    let result = async {
        let Some((couple_id, position, status)) = partner_couple(db, me, &couple_id).await? else {
            return not_found();
        };
        param = couple_param(db, me, &couple_id).await?;
        if status == "closed" {
            return Err(AppError::Conflict(
                "Your counselling case is closed, so the intake can no longer be changed.".into(),
            ));
        }
        let draft = clean(&answers, false).map_err(|p| AppError::validation(p.key, p.message))?;
        if !sending {
            return repo::save_draft(db, &couple_id, position, me, &draft).await;
        }
        // A copy that cannot be sent yet is kept as a draft, so nothing typed is lost.
        let answers = match clean(&answers, true) {
            Ok(answers) => answers,
            Err(p) => {
                repo::save_draft(db, &couple_id, position, me, &draft).await?;
                return Err(AppError::validation(p.key, p.message));
            }
        };
        let ip = guard::request_context().ip;
        let flag = repo::send(db, &couple_id, position, me, &answers, ip.as_deref()).await?;
        if let Some(flag_id) = flag {
            crate::features::safety::repo::flags::alert_counselor(&state, &couple_id, &flag_id)
                .await?;
        }
        Ok(())
    }
    .await;
    let to = if sending {
        "/intake?sent=1"
    } else {
        "/intake?saved=1"
    };
    finish(&result, &couple_page(to, &param));
    result
}

/// Both partners' intakes, for the couple's counselor. Each reading is audited.
#[server(prefix = "/api", endpoint = "case_intake")]
pub async fn case_intake(couple_id: CoupleId) -> Result<CoupleIntake, AppError> {
    let access = guard::require_case_counselor(&couple_id).await?;
    let state = app_state()?;
    let db = &state.db;
    let couple = crate::couple::load(db, &couple_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let zone = crate::couple::time_zone(db, &access.user.user_id).await?;
    let mut copies = repo::copies(db, couple_id.as_str(), zone).await?;
    let partners = couple
        .partners
        .iter()
        .map(|seat| PartnerIntake {
            position: seat.position,
            partner_name: seat.display_name.clone(),
            joined: seat.account.is_some(),
            copies: copies
                .extract_if(.., |(p, _)| *p == seat.position)
                .map(|(_, c)| c)
                .collect(),
        })
        .collect();
    let ip = guard::request_context().ip;
    repo::record_viewed(db, &access.user.user_id, couple_id.as_str(), ip.as_deref()).await?;
    Ok(CoupleIntake {
        couple_id: couple_id.to_string(),
        case_name: couple.case_name.clone(),
        partners,
    })
}
