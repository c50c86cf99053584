//! Server functions: the help anyone may read, and the administrator's changes to it.

use super::CrisisInfo;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{CrisisResource, MAX_LONG, MAX_RESOURCES, MAX_SHORT, repo},
    crate::auth::{Role, guard},
    crate::error::finish,
    crate::state::app_state,
};

/// The practice's crisis resources and response statement. Anyone may read them, signed in
/// or not: they are on the sign-in page.
#[server(prefix = "/api", endpoint = "crisis_help")]
pub async fn crisis_help() -> Result<CrisisInfo, AppError> {
    let _anyone = crate::auth::guard::public();
    repo::help(&app_state()?.db).await
}

/// The same, for the administrator's page that edits them.
#[server(prefix = "/api", endpoint = "crisis_settings")]
pub async fn crisis_settings() -> Result<CrisisInfo, AppError> {
    let _admin = guard::require_role(&[Role::Admin])?;
    repo::help(&app_state()?.db).await
}

/// Adds a resource at the end of the practice's list (the defaults become editable entries
/// on the first change).
#[server(prefix = "/api", endpoint = "add_crisis_resource")]
pub async fn add_crisis_resource(
    name: String,
    #[server(default)] details: String,
    #[server(default)] phone: String,
    #[server(default)] text: String,
    #[server(default)] link: String,
    #[server(default)] hours: String,
) -> Result<(), AppError> {
    let admin = guard::require_role(&[Role::Admin])?;
    let result = async {
        let resource = check_resource(CrisisResource {
            name,
            details,
            phone,
            text,
            link,
            hours,
        })?;
        let state = app_state()?;
        let ip = guard::request_context().ip;
        let change = |mut list: Vec<CrisisResource>| {
            if list.len() >= MAX_RESOURCES {
                return Err(AppError::validation(
                    "name",
                    format!("The list holds up to {MAX_RESOURCES} services. Remove one first."),
                ));
            }
            list.push(resource.clone());
            Ok(list)
        };
        repo::change_resources(&state.db, change, &admin.user.user_id, ip.as_deref()).await
    }
    .await;
    finish(&result, "/admin/help?saved=resources#resources");
    result
}

/// Removes the resource at `position` (from 1), if it is still the one named `name` (so a
/// list changed meanwhile never loses the wrong entry).
#[server(prefix = "/api", endpoint = "remove_crisis_resource")]
pub async fn remove_crisis_resource(position: String, name: String) -> Result<(), AppError> {
    let admin = guard::require_role(&[Role::Admin])?;
    let result = async {
        let index = position
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(|p| p.checked_sub(1))
            .ok_or_else(|| AppError::validation("position", "Choose a service to remove."))?;
        let state = app_state()?;
        let ip = guard::request_context().ip;
        let change = |mut list: Vec<CrisisResource>| {
            if list.get(index).is_none_or(|r| r.name != name) {
                return Err(AppError::Conflict(
                    "The list changed while you were looking at it. Nothing was removed; \
                     look at the list again."
                        .into(),
                ));
            }
            list.remove(index);
            Ok(list)
        };
        repo::change_resources(&state.db, change, &admin.user.user_id, ip.as_deref()).await
    }
    .await;
    finish(&result, "/admin/help?saved=resources#resources");
    result
}

/// Sets what partners read about when the practice responds to a worrying answer; empty
/// brings back the default.
#[server(prefix = "/api", endpoint = "set_crisis_response")]
pub async fn set_crisis_response(statement: String) -> Result<(), AppError> {
    let admin = guard::require_role(&[Role::Admin])?;
    let result = async {
        let statement = statement.trim();
        if statement.chars().count() > MAX_LONG || has_control(&statement.replace(['\n', '\r'], ""))
        {
            return Err(AppError::validation(
                "statement",
                format!("Write the statement in up to {MAX_LONG} characters."),
            ));
        }
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::save_response(&state.db, statement, &admin.user.user_id, ip.as_deref()).await
    }
    .await;
    finish(&result, "/admin/help?saved=response#response");
    result
}

#[cfg(feature = "ssr")]
fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// Trims a resource and checks each field, naming the field at fault.
#[cfg(feature = "ssr")]
fn check_resource(r: CrisisResource) -> Result<CrisisResource, AppError> {
    let r = CrisisResource {
        name: r.name.trim().to_string(),
        details: r.details.trim().to_string(),
        phone: r.phone.trim().to_string(),
        text: r.text.trim().to_string(),
        link: r.link.trim().to_string(),
        hours: r.hours.trim().to_string(),
    };
    let short = |field: &str, value: &str, what: &str| {
        if value.chars().count() > MAX_SHORT || has_control(value) {
            Err(AppError::validation(
                field,
                format!("Write the {what} in up to {MAX_SHORT} characters, on one line."),
            ))
        } else {
            Ok(())
        }
    };
    if r.name.is_empty() {
        return Err(AppError::validation("name", "Give the service a name."));
    }
    short("name", &r.name, "name")?;
    short("hours", &r.hours, "hours")?;
    if r.details.chars().count() > MAX_LONG || has_control(&r.details.replace(['\n', '\r'], "")) {
        return Err(AppError::validation(
            "details",
            format!("Say what the service is for in up to {MAX_LONG} characters."),
        ));
    }
    for (field, value, what) in [
        ("phone", &r.phone, "number to call"),
        ("text", &r.text, "number to text"),
    ] {
        short(field, value, what)?;
        let digits = value.chars().filter(char::is_ascii_digit).count();
        let allowed = value
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c));
        if !value.is_empty() && (digits == 0 || !allowed) {
            return Err(AppError::validation(
                field,
                format!(
                    "Write the {what} with digits, and spaces, dashes, brackets or a leading + \
                     if you like (for example +1 555 010 0000)."
                ),
            ));
        }
    }
    if !r.link.is_empty() {
        let rest = r
            .link
            .strip_prefix("https://")
            .or_else(|| r.link.strip_prefix("http://"));
        let host = rest.map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""));
        let ok = r.link.chars().count() <= 300
            && !r
                .link
                .chars()
                .any(|c| c.is_whitespace() || "\"'<>\\`".contains(c))
            && host.is_some_and(|h| h.contains('.') && !h.starts_with('.') && !h.contains('@'));
        if !ok {
            return Err(AppError::validation(
                "link",
                "Write the link as a full web address, starting with https://.",
            ));
        }
    }
    if r.details.is_empty() && r.phone.is_empty() && r.text.is_empty() && r.link.is_empty() {
        return Err(AppError::validation(
            "details",
            "Say how to reach the service: a number to call or text, a link, or what to do.",
        ));
    }
    Ok(r)
}
