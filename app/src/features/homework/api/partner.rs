//! Partners' server functions: their homework list, one of their own copies, and saving
//! their answers.

use crate::error::AppError;
use crate::features::homework::{HomeworkPage, PartnerHomework};
use leptos::prelude::*;
use std::collections::HashMap;

#[cfg(feature = "ssr")]
use {
    crate::auth::session::SessionUser,
    crate::auth::{Role, guard},
    crate::couple::CaseRelation,
    crate::error::{finish, not_found},
    crate::features::homework::{Visibility, repo},
    crate::state::app_state,
};

/// The partner whose copy this is (and their position in the couple), or "not found".
#[cfg(feature = "ssr")]
async fn require_own_homework(assignment_id: &str) -> Result<(SessionUser, i64), AppError> {
    let user = guard::require_user()?;
    let state = app_state()?;
    let Some((couple_id, position)) = repo::locate(&state.db, assignment_id).await? else {
        return not_found();
    };
    let couple = crate::couple::load(&state.db, &couple_id).await?;
    match couple.and_then(|c| c.relation(&user.user.user_id)) {
        Some(CaseRelation::Partner { position: mine }) if mine == position => Ok((user, position)),
        _ => not_found(),
    }
}

/// The signed-in partner's homework, and what their partner chose to share.
#[server(prefix = "/api", endpoint = "my_homework")]
pub async fn my_homework() -> Result<PartnerHomework, AppError> {
    let partner = guard::require_role(&[Role::Partner])?;
    let state = app_state()?;
    let zone = crate::couple::time_zone(&state.db, &partner.user.user_id).await?;
    repo::for_partner(&state.db, &partner.user.user_id, zone).await
}

/// One of the partner's own pieces of homework, with their draft and feedback.
#[server(prefix = "/api", endpoint = "get_homework")]
pub async fn get_homework(assignment_id: String) -> Result<HomeworkPage, AppError> {
    let (partner, position) = require_own_homework(&assignment_id).await?;
    let state = app_state()?;
    let zone = crate::couple::time_zone(&state.db, &partner.user.user_id).await?;
    let mut page = repo::page(&state.db, &assignment_id, zone).await?;
    // Just ticked a safety item here: help comes first on the page.
    let since = crate::db::now_ms() - crate::features::safety::HELP_SHOWN_FOR_MS;
    if crate::features::safety::repo::flags::raised_from_since(
        &state.db,
        &assignment_id,
        position,
        since,
    )
    .await?
    {
        page.help = Some(crate::features::safety::repo::help(&state.db).await?);
    }
    page.step = crate::features::program::repo::homework_step(&state.db, &assignment_id).await?;
    Ok(page)
}

/// Saves a draft (`intent` = "draft") or submits (`intent` = "submit") a partner's answers
/// with the visibility they chose. Form fields are `answers[<key>]`; checklist items are
/// `answers[<key>-<n>]`.
#[server(prefix = "/api", endpoint = "save_homework")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn save_homework(
    assignment_id: String,
    #[server(default)] answers: HashMap<String, String>,
    #[server(default)] visibility: String,
    intent: String,
) -> Result<(), AppError> {
    let (partner, _) = require_own_homework(&assignment_id).await?;
    let result = async {
        let state = app_state()?;
        let submit = match intent.as_str() {
            "submit" => true,
            "draft" => false,
            _ => return Err(AppError::BadRequest),
        };
        let visibility = Visibility::parse(&visibility).unwrap_or(Visibility::Counselor);
        let fields = repo::fields(&state.db, &assignment_id).await?;
        if visibility == Visibility::Shared
            && repo::counselor_only(&state.db, &assignment_id).await?
        {
            return Err(AppError::validation(
                "visibility",
                crate::features::program::COUNSELOR_ONLY_WHY,
            ));
        }
        let ip = guard::request_context().ip;
        let user = &partner.user.user_id;
        let parsed = match repo::read_answers(&fields, &answers, submit) {
            Ok(parsed) => parsed,
            Err(err) if submit => {
                // Too long to submit: keep every word as a draft, then explain.
                if let Ok(draft) = repo::read_answers(&fields, &answers, false) {
                    repo::save(
                        &state.db,
                        &assignment_id,
                        &draft,
                        visibility,
                        false,
                        user,
                        ip.as_deref(),
                    )
                    .await?;
                }
                return Err(err);
            }
            Err(err) => return Err(err),
        };
        if submit && parsed.is_empty() {
            return Err(AppError::validation(
                "answers",
                "Answer at least one question before submitting. You can also save a draft.",
            ));
        }
        let flag = repo::save(
            &state.db,
            &assignment_id,
            &parsed,
            visibility,
            submit,
            user,
            ip.as_deref(),
        )
        .await?;
        if let Some(flag_id) = flag {
            let couple_id = repo::locate(&state.db, &assignment_id)
                .await?
                .map(|(c, _)| c)
                .ok_or(AppError::NotFound)?;
            crate::features::safety::repo::flags::alert_counselor(&state, &couple_id, &flag_id)
                .await?;
        }
        Ok(submit)
    }
    .await;
    let to = match &result {
        Ok(true) => format!("/homework/{assignment_id}?submitted=1"),
        _ => format!("/homework/{assignment_id}?saved=1"),
    };
    finish(&result, &to);
    result.map(|_| ())
}

/// Saves a partner's draft while they type (from the page's script): never submits and
/// never shares, and says when it was saved, in the partner's time zone ("14:02"). With
/// the session ended it answers "not signed in" and the page keeps the words.
#[server(prefix = "/api", endpoint = "autosave_homework", output = crate::wire::PlainText)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn autosave_homework(
    assignment_id: String,
    #[server(default)] answers: HashMap<String, String>,
    #[server(default)] visibility: String,
    #[server(default)] version: i64,
) -> Result<String, AppError> {
    let (partner, _) = require_own_homework(&assignment_id).await?;
    let state = app_state()?;
    // Written on an older version: a submission (this page's own, landing first, or another
    // tab's) came since, and an autosave must never leave a stale draft over it.
    if repo::submitted_version(&state.db, &assignment_id).await? != version {
        return Err(AppError::Conflict(
            "This homework was submitted since this page opened. Reload the page to see it.".into(),
        ));
    }
    let visibility = Visibility::parse(&visibility).unwrap_or(Visibility::Counselor);
    if visibility == Visibility::Shared && repo::counselor_only(&state.db, &assignment_id).await? {
        return Err(AppError::validation(
            "visibility",
            crate::features::program::COUNSELOR_ONLY_WHY,
        ));
    }
    let fields = repo::fields(&state.db, &assignment_id).await?;
    let draft = repo::read_answers(&fields, &answers, false)?;
    let user = &partner.user.user_id;
    let ip = guard::request_context().ip;
    repo::save(
        &state.db,
        &assignment_id,
        &draft,
        visibility,
        false,
        user,
        ip.as_deref(),
    )
    .await?;
    let zone = crate::couple::time_zone(&state.db, user).await?;
    Ok(crate::time::at(crate::db::now_ms(), zone)
        .format("%H:%M")
        .to_string())
}
