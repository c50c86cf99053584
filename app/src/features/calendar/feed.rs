//! The calendar files: a person's private feed (`/calendar/<token>.ics`, read by calendar
//! apps, which cannot sign in: the token is the only key) and one session as a download for
//! its counselor and the partners attending it (`/sessions/<id>/calendar.ics`). Plain axum
//! handlers: files, not pages.

use super::events::{Audience, Context, event};
use super::ical::Calendar;
use super::repo::{self, SessionRow};
use crate::auth::Role;
use crate::auth::session::RequestContext;
use crate::couple::CaseRelation;
use crate::db::now_ms;
use crate::error::AppError;
use crate::state::AppState;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

const CONTENT_TYPE: &str = "text/calendar; charset=utf-8";

fn calendar_response(body: String, disposition: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, CONTENT_TYPE.to_string()),
            (header::CONTENT_DISPOSITION, disposition.to_string()),
            // A feed is private and changes: no copy on the way, a fresh read each time.
            // (The server's security headers make every dynamic answer `no-store` too.)
            (header::CACHE_CONTROL, "no-store".to_string()),
            (
                header::HeaderName::from_static("x-robots-tag"),
                "noindex, nofollow".to_string(),
            ),
        ],
        body,
    )
        .into_response()
}

/// An unknown, stopped or malformed address: "not found" and nothing more.
fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(
            header::HeaderName::from_static("x-robots-tag"),
            "noindex, nofollow",
        )],
        "Not found",
    )
        .into_response()
}

fn refuse(err: AppError) -> Response {
    let status =
        StatusCode::from_u16(err.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, err.to_string()).into_response()
}

async fn context_values(state: &AppState) -> Result<Option<String>, AppError> {
    repo::practice_address(&state.db).await
}

fn render(
    state: &AppState,
    name: &str,
    rows: &[SessionRow],
    audience: Audience,
    address: Option<&str>,
) -> String {
    let cx = Context {
        public_url: &state.auth.public_url,
        practice_address: address,
    };
    let mut cal = Calendar::new(name, now_ms());
    for row in rows {
        cal.event(&event(row, audience, &cx));
    }
    cal.finish()
}

/// `GET /calendar/{token}.ics`: the feed of whoever holds the address. The token's keyed
/// hash finds its owner; an unknown token, a stopped link or a deactivated account is
/// "not found". The read is noted on the feed (at most every few minutes) rather than in
/// the audit trail, which calendar apps polling every quarter hour would flood; Settings
/// shows the person when their feed was last read.
#[tracing::instrument(skip_all)]
pub async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return not_found();
    };
    // Tokens are 43 URL-safe characters; anything else cannot be one.
    if token.len() != 43
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return not_found();
    }
    let result = async {
        let Some((user_id, role, full_names)) = repo::owner_of(&state, token).await? else {
            return Ok(None);
        };
        let (rows, audience) = match Role::parse(&role) {
            Some(Role::Counselor) => (
                repo::counselor_sessions(&state.db, &user_id).await?,
                Audience::Counselor { full_names },
            ),
            Some(Role::Partner) => (
                repo::partner_sessions(&state.db, &user_id).await?,
                Audience::Partner,
            ),
            // An administrator sees no sessions: their feed is empty.
            _ => (Vec::new(), Audience::Partner),
        };
        let address = context_values(&state).await?;
        repo::mark_read(&state.db, &user_id).await?;
        Ok::<_, AppError>(Some(render(
            &state,
            "Trellis sessions",
            &rows,
            audience,
            address.as_deref(),
        )))
    }
    .await;
    match result {
        Ok(Some(body)) => calendar_response(body, "inline; filename=\"trellis.ics\""),
        Ok(None) => not_found(),
        Err(e) => refuse(e),
    }
}

/// `GET /sessions/{id}/calendar.ics`: one session, for its counselor (their own caseload)
/// and the partners attending it. Anyone else is told it is not found.
#[tracing::instrument(skip_all)]
pub async fn session_ics(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(session_id): Path<String>,
) -> Response {
    let Some(session) = &ctx.session else {
        return refuse(AppError::NotSignedIn);
    };
    if session.must_enrol {
        return refuse(AppError::TwoFactorRequired);
    }
    if session.must_consent {
        return refuse(AppError::ConsentRequired);
    }
    let user = &session.user;
    let result = async {
        let mut row = repo::session(&state.db, &session_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let couple = crate::couple::load(&state.db, &row.couple_id.as_str().into())
            .await?
            .ok_or(AppError::NotFound)?;
        let audience = match couple.relation(&user.user_id) {
            Some(CaseRelation::Counselor) if user.role == Role::Counselor => {
                let full_names = repo::feed_of(&state.db, user.user_id.as_str())
                    .await?
                    .is_some_and(|f| f.full_names == 1);
                Audience::Counselor { full_names }
            }
            Some(CaseRelation::Partner { position })
                if row.attendees == "both" || row.attendees == format!("partner_{position}") =>
            {
                row.partner1 = None;
                row.partner2 = None;
                Audience::Partner
            }
            _ => return Err(AppError::NotFound),
        };
        let address = context_values(&state).await?;
        Ok(render(
            &state,
            "Trellis session",
            std::slice::from_ref(&row),
            audience,
            address.as_deref(),
        ))
    }
    .await;
    match result {
        Ok(body) => calendar_response(body, "attachment; filename=\"trellis-session.ics\""),
        Err(e) => refuse(e),
    }
}
