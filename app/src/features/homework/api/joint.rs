//! Server functions for work done together: the page (for either partner or their
//! counselor), saving and sending the shared answer, letting go of crossed words, and the
//! counselor's cancel and "make draft agreements".

use crate::error::AppError;
use crate::features::homework::joint::JointPage;
use leptos::prelude::*;
use std::collections::HashMap;

#[cfg(feature = "ssr")]
use {
    crate::audit::AuditAction,
    crate::audit::repo::{AuditEntry, record_read},
    crate::auth::guard,
    crate::auth::session::SessionUser,
    crate::couple::CaseRelation,
    crate::error::{finish, not_found},
    crate::features::homework::repo::{self, joint},
    crate::ids::CoupleId,
    crate::state::app_state,
};

/// Who the caller is to this joint work: a partner of its couple (their position), its
/// couple's counselor (`None`), or "not found".
#[cfg(feature = "ssr")]
async fn relation(joint_id: &str) -> Result<(SessionUser, CoupleId, Option<i64>), AppError> {
    let user = guard::require_user()?;
    let state = app_state()?;
    let Some(couple_id) = joint::locate(&state.db, joint_id).await? else {
        return not_found();
    };
    let couple = crate::couple::load(&state.db, &couple_id).await?;
    match couple.and_then(|c| c.relation(&user.user.user_id)) {
        Some(CaseRelation::Partner { position }) => Ok((user, couple_id, Some(position))),
        Some(CaseRelation::Counselor) if user.user.role == crate::auth::Role::Counselor => {
            Ok((user, couple_id, None))
        }
        _ => not_found(),
    }
}

#[cfg(feature = "ssr")]
async fn require_partner(joint_id: &str) -> Result<(SessionUser, i64), AppError> {
    match relation(joint_id).await? {
        (user, _, Some(position)) => Ok((user, position)),
        _ => not_found(),
    }
}

#[cfg(feature = "ssr")]
async fn require_counselor(joint_id: &str) -> Result<(SessionUser, CoupleId), AppError> {
    match relation(joint_id).await? {
        (user, couple_id, None) => Ok((user, couple_id)),
        _ => not_found(),
    }
}

/// The shared answer with every version. A counselor's reading is audited.
#[server(prefix = "/api", endpoint = "get_joint")]
pub async fn get_joint(joint_id: String) -> Result<JointPage, AppError> {
    let (user, couple_id, viewer) = relation(&joint_id).await?;
    let state = app_state()?;
    let tz = crate::couple::time_zone(&state.db, &user.user.user_id).await?;
    let mut page = joint::page(&state.db, &joint_id, viewer, tz).await?;
    match (viewer, page.step_number) {
        (Some(_), Some(number)) => {
            page.step =
                crate::features::program::repo::numbered_step(&state.db, &couple_id, number)
                    .await?;
        }
        (None, _) => {
            record_read(
                &state.db,
                AuditAction::JointAnswerViewed,
                AuditEntry {
                    actor_user_id: Some(&user.user.user_id),
                    couple_id: Some(&couple_id),
                    ip: guard::request_context().ip.as_deref(),
                    detail: Some("together"),
                    ..Default::default()
                },
            )
            .await?;
        }
        _ => {}
    }
    Ok(page)
}

/// Saves the shared answer (`intent` = "save"), saves and sends it to the counselor
/// ("send"), or lets go of the partner's crossed words ("discard"). `base_version` is the
/// version the partner's page showed: when the other partner has saved since, nothing is
/// overwritten and the words are kept for their writer to merge.
#[server(prefix = "/api", endpoint = "save_joint")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn save_joint(
    joint_id: String,
    #[server(default)] answers: HashMap<String, String>,
    #[server(default)] base_version: i64,
    intent: String,
) -> Result<(), AppError> {
    let (partner, position) = require_partner(&joint_id).await?;
    let result = async {
        let state = app_state()?;
        if intent == "discard" {
            joint::discard_crossed(&state.db, &joint_id, position).await?;
            return Ok("discarded");
        }
        let send = match intent.as_str() {
            "send" => true,
            "save" => false,
            _ => return Err(AppError::BadRequest),
        };
        let fields = joint::fields(&state.db, &joint_id).await?;
        let ip = guard::request_context().ip;
        let writer = joint::Writer {
            position,
            user_id: &partner.user.user_id,
            ip: ip.as_deref(),
        };
        let parsed = match repo::read_answers(&fields, &answers, true) {
            Ok(parsed) => parsed,
            Err(err) => {
                // Too long to save as it is: keep every word for its writer, then explain.
                if let Ok(kept) = repo::read_answers(&fields, &answers, false) {
                    joint::save(&state.db, &joint_id, &writer, &kept, -1, false).await?;
                }
                return Err(err);
            }
        };
        match joint::save(&state.db, &joint_id, &writer, &parsed, base_version, send).await? {
            joint::Saved::Crossed(_) => Err(AppError::Conflict(
                "Your partner saved a newer version while you were writing, so yours was not \
                 saved over it. Your words are kept on this page, for you alone: compare them \
                 with the newest version, then save what you both want to keep."
                    .into(),
            )),
            _ if send => Ok("sent"),
            _ => Ok("saved"),
        }
    }
    .await;
    let to = match &result {
        Ok(done) => format!("/together/{joint_id}?{done}=1"),
        Err(_) => format!("/together/{joint_id}"),
    };
    finish(&result, &to);
    result.map(|_| ())
}

/// Cancels work done together (for both partners; what they wrote stays).
#[server(prefix = "/api", endpoint = "cancel_joint")]
pub async fn cancel_joint(joint_id: String) -> Result<(), AppError> {
    let (counselor, couple_id) = require_counselor(&joint_id).await?;
    let result = async {
        let state = app_state()?;
        let ip = guard::request_context().ip;
        joint::cancel(&state.db, &joint_id, &counselor.user.user_id, ip.as_deref()).await
    }
    .await;
    finish(
        &result,
        &crate::couple::CaseSection::Homework.path_then(couple_id.as_str(), "#homework"),
    );
    result
}

/// Turns the chosen written answers of the newest version into agreements waiting for the
/// counselor's approval (one per answer). Form fields: `version`, and `use[<key>]` = "on"
/// for each answer chosen.
#[server(prefix = "/api", endpoint = "joint_agreements")]
pub async fn joint_agreements(
    joint_id: String,
    version: i64,
    #[server(default)] chosen: HashMap<String, String>,
) -> Result<(), AppError> {
    let (counselor, couple_id) = require_counselor(&joint_id).await?;
    let result = async {
        let state = app_state()?;
        let tz = crate::couple::time_zone(&state.db, &counselor.user.user_id).await?;
        let page = joint::page(&state.db, &joint_id, None, tz).await?;
        let bodies: Vec<String> = page
            .candidates
            .iter()
            .filter(|c| chosen.contains_key(&c.key))
            .map(|c| c.text.trim().to_string())
            .collect();
        if bodies.is_empty() {
            return Err(AppError::validation(
                "chosen",
                "Tick at least one answer to turn into a draft agreement.",
            ));
        }
        let limit = crate::features::agreements::MAX_AGREEMENT_CHARS;
        if let Some(long) = page
            .candidates
            .iter()
            .filter(|c| chosen.contains_key(&c.key))
            .find(|c| c.text.trim().chars().count() > limit)
        {
            return Err(AppError::validation(
                "chosen",
                format!(
                    "The answer to \u{201c}{}\u{201d} is longer than one agreement can hold \
                     ({limit} characters). Untick it and write that agreement yourself, in \
                     shorter words.",
                    long.label
                ),
            ));
        }
        let ip = guard::request_context().ip;
        let actor = crate::features::agreements::repo::Actor {
            user_id: &counselor.user.user_id,
            couple_id: &couple_id,
            ip: ip.as_deref(),
            detail: "counselor".into(),
        };
        joint::draft_agreements(&state.db, &joint_id, version, &bodies, &actor).await
    }
    .await;
    finish(
        &result,
        &format!("/together/{joint_id}?agreements=1#agreements"),
    );
    result
}
