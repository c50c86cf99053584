//! Server functions for a person's own reminder settings. Each person reaches only their own.

use super::ReminderSettings;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::repo,
    crate::auth::{Role, guard},
    crate::error::report_status,
    crate::state::app_state,
};

#[server(prefix = "/api", endpoint = "my_reminder_settings")]
pub async fn my_reminder_settings() -> Result<ReminderSettings, AppError> {
    let user = guard::require_user()?;
    let state = app_state()?;
    let (email, on, hours) = repo::settings_of(&state.db, &user.user.user_id).await?;
    Ok(ReminderSettings {
        email,
        email_reminders: on,
        session_reminder_hours: hours,
        mail_enabled: state.mail_enabled,
        is_counselor: user.user.role == Role::Counselor,
        time_zone: crate::couple::time_zone(&state.db, &user.user.user_id)
            .await?
            .name()
            .to_string(),
        time_zones: crate::time::names().into_iter().map(String::from).collect(),
    })
}

/// Turns the signed-in person's reminder emails on ("on") or off ("off") and, when given,
/// sets how many hours before a session its reminder comes ("2", "24" or "48").
#[server(prefix = "/api", endpoint = "set_email_reminders")]
pub async fn set_email_reminders(
    email_reminders: String,
    #[server(default)] session_reminder_hours: String,
) -> Result<(), AppError> {
    let user = guard::require_user()?;
    let result = async {
        let on = match email_reminders.as_str() {
            "on" => true,
            "off" => false,
            _ => {
                return Err(AppError::validation(
                    "email_reminders",
                    "Choose whether you want reminder emails.",
                ));
            }
        };
        let lead_hours = match session_reminder_hours.trim() {
            "" => None,
            hours => Some(
                hours
                    .parse::<i64>()
                    .ok()
                    .filter(|h| super::LEAD_HOURS.contains(h))
                    .ok_or_else(|| {
                        AppError::validation(
                            "session_reminder_hours",
                            "Choose how long before a session to be reminded.",
                        )
                    })?,
            ),
        };
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::set_reminders(
            &state.db,
            &user.user.user_id,
            on,
            lead_hours,
            crate::db::now_ms(),
            ip.as_deref(),
        )
        .await
    }
    .await;
    match &result {
        Ok(()) => leptos_axum::redirect("/settings?saved=1"),
        Err(err) => report_status(err),
    }
    result
}

/// Sets the signed-in person's time zone (an IANA name such as "Europe/London").
#[server(prefix = "/api", endpoint = "set_time_zone")]
pub async fn set_time_zone(time_zone: String) -> Result<(), AppError> {
    let user = guard::require_user()?;
    let result = async {
        let zone: chrono_tz::Tz = time_zone
            .trim()
            .parse()
            .map_err(|_| AppError::validation("time_zone", "Choose a time zone from the list."))?;
        let state = app_state()?;
        let ip = guard::request_context().ip;
        super::repo::set_time_zone(&state.db, &user.user.user_id, zone, ip.as_deref()).await
    }
    .await;
    match &result {
        Ok(()) => leptos_axum::redirect("/settings?saved=1"),
        Err(err) => report_status(err),
    }
    result
}
