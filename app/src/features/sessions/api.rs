//! Server functions for sessions. Only the couple's counselor plans them and reads the
//! brief; a partner reads the date, time and format of their own sessions.

use super::{Agenda, PartnerSession};
use crate::error::AppError;
use crate::ids::CoupleId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{SessionFormat, SessionStatus, repo},
    crate::auth::session::SessionUser,
    crate::auth::{Role, guard},
    crate::error::finish,
    crate::state::app_state,
    crate::time as tz,
};

/// The counselor of the couple this session belongs to, or "not found".
#[cfg(feature = "ssr")]
pub async fn require_session_counselor(
    session_id: &str,
) -> Result<(SessionUser, CoupleId), AppError> {
    let _signed_in = guard::require_user()?;
    let state = app_state()?;
    let Some(couple_id) = repo::locate(&state.db, session_id).await? else {
        return crate::error::not_found();
    };
    let user = guard::require_case_counselor(&couple_id).await?;
    Ok((user, couple_id))
}

/// Checks the session form's fields, reading the time in the counselor's time zone.
#[cfg(feature = "ssr")]
async fn session_input(
    user_id: &str,
    starts_at: &str,
    duration_minutes: &str,
    format: &str,
    attendees: &str,
    place: &str,
    future_only: bool,
) -> Result<repo::SessionInput, AppError> {
    let state = app_state()?;
    let zone = crate::couple::time_zone(&state.db, user_id).await?;
    let starts =
        tz::parse_local(starts_at, zone).map_err(|m| AppError::validation("starts_at", m))?;
    if future_only && starts < crate::db::now_ms() - 60 * 60 * 1000 {
        return Err(AppError::validation(
            "starts_at",
            "That time has passed. Choose a time from now on.",
        ));
    }
    let duration: i64 = duration_minutes
        .trim()
        .parse()
        .ok()
        .filter(|m| (5..=480).contains(m))
        .ok_or_else(|| {
            AppError::validation(
                "duration_minutes",
                "Enter a length between 5 and 480 minutes.",
            )
        })?;
    let format = SessionFormat::parse(format)
        .ok_or_else(|| AppError::validation("format", "Choose in person, video or phone."))?;
    if !matches!(attendees, "both" | "partner_1" | "partner_2") {
        return Err(AppError::validation("attendees", "Choose who attends."));
    }
    let place = super::check_place(format, place).map_err(|m| AppError::validation("place", m))?;
    Ok(repo::SessionInput {
        starts_at: starts,
        duration_minutes: duration,
        format,
        attendees: attendees.to_string(),
        place,
    })
}

#[server(prefix = "/api", endpoint = "schedule_session")]
pub async fn schedule_session(
    couple_id: CoupleId,
    starts_at: String,
    duration_minutes: String,
    format: String,
    attendees: String,
    #[server(default)] place: String,
) -> Result<(), AppError> {
    let counselor = guard::require_case_counselor(&couple_id).await?;
    let result = async {
        let input = session_input(
            &counselor.user.user_id,
            &starts_at,
            &duration_minutes,
            &format,
            &attendees,
            &place,
            true,
        )
        .await?;
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::schedule(
            &state.db,
            &couple_id,
            &counselor.user.user_id,
            &input,
            ip.as_deref(),
        )
        .await
    }
    .await;
    let to = match &result {
        Ok(id) => format!("/sessions/{id}?scheduled=1"),
        Err(_) => String::new(),
    };
    finish(&result, &to);
    result.map(|_| ())
}

#[server(prefix = "/api", endpoint = "reschedule_session")]
pub async fn reschedule_session(
    session_id: String,
    starts_at: String,
    duration_minutes: String,
    format: String,
    attendees: String,
    #[server(default)] place: String,
) -> Result<(), AppError> {
    let (counselor, _) = require_session_counselor(&session_id).await?;
    let result = async {
        let input = session_input(
            &counselor.user.user_id,
            &starts_at,
            &duration_minutes,
            &format,
            &attendees,
            &place,
            true,
        )
        .await?;
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::reschedule(
            &state.db,
            &session_id,
            &input,
            &counselor.user.user_id,
            ip.as_deref(),
            state.mail_enabled.then_some(state.auth.public_url.as_str()),
        )
        .await
    }
    .await;
    finish(&result, &format!("/sessions/{session_id}?saved=1"));
    result
}

/// Cancels a session (a reason is required) or records attendance ("attended", "no_show").
#[server(prefix = "/api", endpoint = "set_session_status")]
pub async fn set_session_status(
    session_id: String,
    status: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let (counselor, _) = require_session_counselor(&session_id).await?;
    let result = async {
        let to = SessionStatus::parse(&status)
            .filter(|s| *s != SessionStatus::Scheduled)
            .ok_or(AppError::BadRequest)?;
        let reason = reason.trim();
        if to == SessionStatus::Cancelled && reason.is_empty() {
            return Err(AppError::validation(
                "reason",
                "Give a reason for cancelling.",
            ));
        }
        if reason.chars().count() > 500 {
            return Err(AppError::validation(
                "reason",
                "Keep the reason under 500 characters.",
            ));
        }
        let state = app_state()?;
        let ip = guard::request_context().ip;
        let reason = (to == SessionStatus::Cancelled).then_some(reason);
        repo::set_status(
            &state.db,
            &session_id,
            to,
            reason,
            &counselor.user.user_id,
            ip.as_deref(),
            state.mail_enabled.then_some(state.auth.public_url.as_str()),
        )
        .await
    }
    .await;
    finish(&result, &format!("/sessions/{session_id}?saved=1"));
    result
}

#[server(prefix = "/api", endpoint = "add_agenda_item")]
pub async fn add_agenda_item(session_id: String, body: String) -> Result<(), AppError> {
    let (counselor, _) = require_session_counselor(&session_id).await?;
    let result = async {
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 1000 {
            return Err(AppError::validation(
                "body",
                "Write the agenda item (up to 1,000 characters).",
            ));
        }
        let state = app_state()?;
        repo::add_agenda_item(&state.db, &session_id, body, &counselor.user.user_id).await
    }
    .await;
    finish(&result, &format!("/sessions/{session_id}#agenda"));
    result
}

/// The counselor's sessions today and over the coming week.
#[server(prefix = "/api", endpoint = "my_agenda")]
pub async fn my_agenda() -> Result<Agenda, AppError> {
    let counselor = guard::require_role(&[Role::Counselor])?;
    let state = app_state()?;
    let zone = crate::couple::time_zone(&state.db, &counselor.user.user_id).await?;
    repo::agenda(&state.db, &counselor.user.user_id, zone).await
}

/// A partner's upcoming sessions: date, time, format, joint or individual, and where.
#[server(prefix = "/api", endpoint = "my_sessions")]
pub async fn my_sessions() -> Result<Vec<PartnerSession>, AppError> {
    let partner = guard::require_role(&[Role::Partner])?;
    let state = app_state()?;
    let zone = crate::couple::time_zone(&state.db, &partner.user.user_id).await?;
    repo::for_partner(&state.db, &partner.user.user_id, zone).await
}

/// The practice's address and the signed-in counselor's own joining link (Settings).
#[server(prefix = "/api", endpoint = "session_places")]
pub async fn session_places() -> Result<super::SessionPlaces, AppError> {
    let staff = guard::require_role(&[Role::Counselor, Role::Admin])?;
    let state = app_state()?;
    repo::places(&state.db, &staff.user.user_id).await
}

/// A counselor's joining link for online sessions that have none of their own (empty
/// clears it).
#[server(prefix = "/api", endpoint = "set_meeting_link")]
pub async fn set_meeting_link(meeting_link: String) -> Result<(), AppError> {
    let counselor = guard::require_role(&[Role::Counselor])?;
    let result = async {
        let link = super::check_place(SessionFormat::Video, &meeting_link)
            .map_err(|m| AppError::validation("meeting_link", m))?;
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::set_meeting_link(
            &state.db,
            &counselor.user.user_id,
            link.as_deref(),
            ip.as_deref(),
        )
        .await
    }
    .await;
    finish(&result, "/settings?saved=link#meeting-link");
    result
}

/// The practice's address, given to partners for sessions in person (empty clears it).
#[server(prefix = "/api", endpoint = "set_practice_address")]
pub async fn set_practice_address(practice_address: String) -> Result<(), AppError> {
    let admin = guard::require_role(&[Role::Admin])?;
    let result = async {
        let address = super::check_place(SessionFormat::InPerson, &practice_address)
            .map_err(|m| AppError::validation("practice_address", m))?
            .unwrap_or_default();
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::set_practice_address(&state.db, &address, &admin.user.user_id, ip.as_deref()).await
    }
    .await;
    finish(&result, "/?saved=settings#settings");
    result
}
