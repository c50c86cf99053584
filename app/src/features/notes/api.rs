//! Server functions for notes, goals and supervision. Notes are reachable only by their
//! author, the couple's counselor and (for progress notes) the author's supervisor, who may
//! read and co-sign but never edit. Partners and administrators: never.

use super::{NoteView, SupervisedNote, Supervision};
use crate::error::AppError;
use crate::ids::CoupleId;
use leptos::prelude::*;
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use {
    super::repo::{self, NoteAccess},
    super::{GoalStatus, MAX_SECTION_CHARS, NoteKind, NoteTemplate},
    crate::auth::session::SessionUser,
    crate::auth::{Role, guard},
    crate::error::{finish, not_found},
    crate::features::sessions::api::require_session_counselor,
    crate::state::app_state,
    crate::time as tz,
};

/// Someone who may reach the note, and how; anyone else gets "not found". What each kind
/// of access may do is checked by each function, and refused as such (403), never as a
/// conflict: reading a note is not permission to change it.
#[cfg(feature = "ssr")]
async fn require_note(note_id: &str) -> Result<(SessionUser, NoteAccess), AppError> {
    let user = guard::require_user()?;
    if user.user.role != Role::Counselor {
        return not_found();
    }
    let state = app_state()?;
    match repo::access(&state.db, note_id, &user.user.user_id).await? {
        Some(access) => Ok((user, access)),
        None => not_found(),
    }
}

/// Confirms it is really the signed-in person: their password, or a sign-in within the
/// last five minutes (for people who sign in with single sign-on).
#[cfg(feature = "ssr")]
async fn confirm_identity(user: &SessionUser, password: &str) -> Result<(), AppError> {
    let state = app_state()?;
    if !password.is_empty() {
        // Counted like a sign-in, so a session left open cannot be used to guess the password.
        let ip = guard::request_context().ip;
        let slot = crate::auth::throttle::take(&state.db, &user.user.email, ip.as_deref()).await?;
        let account = crate::auth::repo::find_by_id(state.db.pool(), &user.user.user_id).await?;
        let ok = crate::auth::password::verify(
            password.to_string(),
            account.and_then(|a| a.password_hash),
        )
        .await?;
        return if ok {
            slot.passed().await
        } else {
            slot.failed().await?;
            Err(AppError::validation(
                "password",
                "That password is not right. Nothing was signed.",
            ))
        };
    }
    let signed_in_at = crate::auth::repo::session_started(&state.db, &user.session_id).await?;
    if signed_in_at.is_some_and(|at| at > crate::db::now_ms() - 5 * 60 * 1000) {
        Ok(())
    } else {
        Err(AppError::validation(
            "password",
            "Enter your password to sign (or sign in again if you use single sign-on).",
        ))
    }
}

/// Starts a note on a session from a template.
#[server(prefix = "/api", endpoint = "start_note")]
pub async fn start_note(
    session_id: String,
    kind: String,
    template: String,
) -> Result<(), AppError> {
    let (counselor, _) = require_session_counselor(&session_id).await?;
    let result = async {
        let kind = NoteKind::parse(&kind)
            .ok_or_else(|| AppError::validation("kind", "Choose the kind of note."))?;
        let template = NoteTemplate::parse(&template)
            .ok_or_else(|| AppError::validation("template", "Choose a note template."))?;
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::create(
            &state.db,
            &session_id,
            &counselor.user.user_id,
            kind,
            template,
            ip.as_deref(),
        )
        .await
    }
    .await;
    let to = result
        .as_ref()
        .map(|id| format!("/notes/{id}"))
        .unwrap_or_default();
    finish(&result, &to);
    result.map(|_| ())
}

/// Saves a draft note: `sections[key]` texts and `goals[goal-<id>]` ticks. Only its author.
#[server(prefix = "/api", endpoint = "save_note")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn save_note(
    note_id: String,
    #[server(default)] sections: BTreeMap<String, String>,
    #[server(default)] goals: BTreeMap<String, String>,
    #[server(default)] intent: String,
    #[server(default)] password: String,
) -> Result<(), AppError> {
    let (author, access) = require_note(&note_id).await?;
    let signing = intent == "sign";
    let result = async {
        if access != NoteAccess::Author {
            return Err(AppError::Forbidden);
        }
        if let Some((key, _)) = sections.iter().find(|(_, t)| t.chars().count() > MAX_SECTION_CHARS) {
            return Err(AppError::validation(
                key,
                format!("A section can be up to {MAX_SECTION_CHARS} characters. Nothing was saved; shorten it and save again."),
            ));
        }
        let state = app_state()?;
        let ip = guard::request_context().ip;
        let goal_ids = super::ticked_goals(goals);
        repo::save_draft(&state.db, &note_id, &author.user.user_id, &sections, &goal_ids, ip.as_deref()).await?;
        // "Sign" saves what is on the page first, so nothing typed is lost either way.
        if signing {
            confirm_identity(&author, &password).await?;
            repo::sign(&state.db, &note_id, &author.user.user_id, ip.as_deref()).await?;
        }
        Ok(())
    }
    .await;
    let done = if signing { "signed" } else { "saved" };
    finish(&result, &format!("/notes/{note_id}?{done}=1"));
    result
}

/// Saves a draft while the author types (from the page's script): no redirect, and the
/// time it was saved, in the author's time zone.
#[server(prefix = "/api", endpoint = "autosave_note", output = crate::wire::PlainText)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn autosave_note(
    note_id: String,
    #[server(default)] sections: BTreeMap<String, String>,
    #[server(default)] goals: BTreeMap<String, String>,
) -> Result<String, AppError> {
    let (author, access) = require_note(&note_id).await?;
    if access != NoteAccess::Author {
        return Err(AppError::Forbidden);
    }
    if sections
        .values()
        .any(|t| t.chars().count() > MAX_SECTION_CHARS)
    {
        return Err(AppError::validation(
            "sections",
            format!("A section is over {MAX_SECTION_CHARS} characters; shorten it to save."),
        ));
    }
    let state = app_state()?;
    let ip = guard::request_context().ip;
    let goal_ids = super::ticked_goals(goals);
    repo::save_draft(
        &state.db,
        &note_id,
        &author.user.user_id,
        &sections,
        &goal_ids,
        ip.as_deref(),
    )
    .await?;
    let zone = crate::couple::time_zone(&state.db, &author.user.user_id).await?;
    Ok(tz::at(crate::db::now_ms(), zone)
        .format("%H:%M")
        .to_string())
}

/// Adds a signed addendum to a signed note: the author or the couple's counselor.
#[server(prefix = "/api", endpoint = "add_addendum")]
pub async fn add_addendum(
    note_id: String,
    body: String,
    #[server(default)] password: String,
) -> Result<(), AppError> {
    let (user, access) = require_note(&note_id).await?;
    let result = async {
        if !matches!(access, NoteAccess::Author | NoteAccess::CoupleCounselor) {
            return Err(AppError::Forbidden);
        }
        let body = body.trim();
        if body.is_empty() || body.chars().count() > MAX_SECTION_CHARS {
            return Err(AppError::validation(
                "body",
                format!("Write the addendum (up to {MAX_SECTION_CHARS} characters)."),
            ));
        }
        confirm_identity(&user, &password).await?;
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::add_addendum(&state.db, &note_id, &user.user.user_id, body, ip.as_deref()).await
    }
    .await;
    finish(&result, &format!("/notes/{note_id}?addendum=1#addenda"));
    result
}

/// A supervisor co-signs a supervisee's signed note.
#[server(prefix = "/api", endpoint = "cosign_note")]
pub async fn cosign_note(
    note_id: String,
    #[server(default)] password: String,
) -> Result<(), AppError> {
    let (user, access) = require_note(&note_id).await?;
    let result = async {
        if access != NoteAccess::Supervisor {
            return Err(AppError::Forbidden);
        }
        confirm_identity(&user, &password).await?;
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::cosign(&state.db, &note_id, &user.user.user_id, ip.as_deref()).await
    }
    .await;
    finish(&result, &format!("/notes/{note_id}?cosigned=1"));
    result
}

/// Reads a note (audited).
#[server(prefix = "/api", endpoint = "get_note")]
pub async fn get_note(note_id: String) -> Result<NoteView, AppError> {
    let (user, access) = require_note(&note_id).await?;
    let state = app_state()?;
    let zone = crate::couple::time_zone(&state.db, &user.user.user_id).await?;
    let view = repo::view(&state.db, &note_id, &user.user.user_id, access, zone).await?;
    let ip = guard::request_context().ip;
    repo::record_read(
        &state.db,
        &note_id,
        &view.couple_id,
        &user.user.user_id,
        ip.as_deref(),
    )
    .await?;
    Ok(view)
}

#[server(prefix = "/api", endpoint = "add_goal")]
pub async fn add_goal(
    couple_id: CoupleId,
    title: String,
    objective: String,
    #[server(default)] target_date: String,
) -> Result<(), AppError> {
    let counselor = guard::require_case_counselor(&couple_id).await?;
    let result = async {
        let (title, objective) = (title.trim(), objective.trim());
        if title.is_empty() || title.chars().count() > 200 {
            return Err(AppError::validation(
                "title",
                "Name the goal (up to 200 characters).",
            ));
        }
        if objective.is_empty() || objective.chars().count() > 1000 {
            return Err(AppError::validation(
                "objective",
                "Describe how you will know it is met (up to 1,000 characters).",
            ));
        }
        let target = match target_date.trim() {
            "" => None,
            d => Some(
                chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                    AppError::validation("target_date", "Enter the target date as YYYY-MM-DD.")
                })?,
            ),
        };
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::add_goal(
            &state.db,
            &couple_id,
            title,
            objective,
            target,
            &counselor.user.user_id,
            ip.as_deref(),
        )
        .await
    }
    .await;
    finish(
        &result,
        &crate::couple::CaseSection::Sessions.path_then(couple_id.as_str(), "?goal=1#goals"),
    );
    result
}

#[server(prefix = "/api", endpoint = "set_goal_status")]
pub async fn set_goal_status(goal_id: String, status: String) -> Result<(), AppError> {
    let _signed_in = guard::require_user()?;
    let state = app_state()?;
    let Some(couple_id) = repo::goal_couple(&state.db, &goal_id).await? else {
        return not_found();
    };
    let counselor = guard::require_case_counselor(&couple_id).await?;
    let result = async {
        let status = GoalStatus::parse(&status).ok_or(AppError::BadRequest)?;
        let ip = guard::request_context().ip;
        repo::set_goal_status(
            &state.db,
            &goal_id,
            &couple_id,
            status,
            &counselor.user.user_id,
            ip.as_deref(),
        )
        .await
    }
    .await;
    finish(
        &result,
        &crate::couple::CaseSection::Sessions.path_then(couple_id.as_str(), "#goals"),
    );
    result
}

/// Every supervision pairing and the counselors to choose from (administrators).
#[server(prefix = "/api", endpoint = "list_supervision")]
pub async fn list_supervision() -> Result<(Vec<Supervision>, Vec<(String, String)>), AppError> {
    let _admin = guard::require_role(&[Role::Admin])?;
    let state = app_state()?;
    let counselors = repo::counselor_choices(&state.db).await?;
    Ok((repo::supervisions(&state.db).await?, counselors))
}

/// Makes one counselor the supervisor of another ("on"), or ends it ("off").
#[server(prefix = "/api", endpoint = "set_supervision")]
pub async fn set_supervision(
    supervisor_id: String,
    supervisee_id: String,
    #[server(default)] on: String,
) -> Result<(), AppError> {
    let admin = guard::require_role(&[Role::Admin])?;
    let result = async {
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::set_supervision(
            &state.db,
            &supervisor_id,
            &supervisee_id,
            on != "off",
            &admin.user.user_id,
            ip.as_deref(),
        )
        .await
    }
    .await;
    finish(&result, "/admin/supervision?saved=1");
    result
}

/// Signed progress notes of the counselors the signed-in counselor supervises.
#[server(prefix = "/api", endpoint = "my_supervised_notes")]
pub async fn my_supervised_notes() -> Result<Vec<SupervisedNote>, AppError> {
    let counselor = guard::require_role(&[Role::Counselor])?;
    let state = app_state()?;
    let zone = crate::couple::time_zone(&state.db, &counselor.user.user_id).await?;
    repo::supervised_notes(&state.db, &counselor.user.user_id, zone).await
}
