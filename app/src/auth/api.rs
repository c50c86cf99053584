//! The signed-in person, for pages and widgets (the sign-in and sign-out functions are in
//! `features::sign_in`).

use super::CurrentUser;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::guard;

/// The signed-in person, or `None` for a visitor.
#[server(prefix = "/api", endpoint = "current_user")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    let ctx = guard::public();
    Ok(ctx.session.map(|s| s.user))
}
