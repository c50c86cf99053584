//! Server functions for a person's own calendar feed: each person reaches only their own.

use super::CalendarSettings;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{link, repo},
    crate::auth::{Role, guard},
    crate::error::report_status,
    crate::state::app_state,
};

/// Where every form here returns (with JavaScript on or off).
#[cfg(feature = "ssr")]
fn back(result: &Result<(), AppError>, to: &str) {
    match result {
        Ok(()) => leptos_axum::redirect(to),
        Err(err) => report_status(err),
    }
}

#[server(prefix = "/api", endpoint = "my_calendar")]
pub async fn my_calendar() -> Result<CalendarSettings, AppError> {
    let user = guard::require_user()?;
    let state = app_state()?;
    let user_id = user.user.user_id.as_str();
    let feed = repo::feed_of(&state.db, user_id).await?;
    let tz = crate::couple::time_zone(&state.db, user_id).await?;
    let hash = feed.as_ref().and_then(|f| f.token_hash.clone());
    Ok(CalendarSettings {
        has_link: hash.is_some(),
        link: link::recall(&state, hash.as_deref()),
        is_counselor: user.user.role == Role::Counselor,
        full_names: feed.as_ref().is_some_and(|f| f.full_names == 1),
        last_read: feed
            .and_then(|f| f.last_read_at)
            .map(|at| crate::time::when(at, tz)),
    })
}

/// Makes the signed-in person's feed address, or a new one that replaces it (the old one
/// stops working at once). The address is shown on Settings in this browser for a few
/// minutes, and returned.
#[server(prefix = "/api", endpoint = "make_calendar_link")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn make_calendar_link() -> Result<String, AppError> {
    let user = guard::require_user()?;
    let result = async {
        let state = app_state()?;
        let ip = guard::request_context().ip;
        let token = repo::make_link(&state, user.user.user_id.as_str(), ip.as_deref()).await?;
        link::remember(&state, &token);
        Ok(link::feed_url(&state, &token))
    }
    .await;
    match &result {
        Ok(_) => leptos_axum::redirect("/settings#calendar"),
        Err(err) => report_status(err),
    }
    result
}

/// Stops the signed-in person's feed address.
#[server(prefix = "/api", endpoint = "stop_calendar_link")]
pub async fn stop_calendar_link() -> Result<(), AppError> {
    let user = guard::require_user()?;
    let result = async {
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::turn_off(&state.db, user.user.user_id.as_str(), ip.as_deref()).await
    }
    .await;
    back(&result, "/settings?calendar=stopped#calendar");
    result
}

/// A counselor's choice to see couples' names ("on") rather than initials in their feed.
#[server(prefix = "/api", endpoint = "set_calendar_names")]
pub async fn set_calendar_names(#[server(default)] full_names: String) -> Result<(), AppError> {
    let user = guard::require_role(&[Role::Counselor])?;
    let result = async {
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::set_full_names(
            &state.db,
            user.user.user_id.as_str(),
            full_names == "on",
            ip.as_deref(),
        )
        .await
    }
    .await;
    back(&result, "/settings?calendar=saved#calendar");
    result
}
