//! Authorization guards: the first line of every server function. Each returns the acting
//! identity or an error before any SQL runs.

use super::Role;
use super::session::{RequestContext, SessionUser};
use crate::error::{AppError, report_status};
use leptos::prelude::use_context;

/// The request's resolved context (anonymous if the middleware did not run).
pub fn request_context() -> RequestContext {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestContext>().cloned())
        .unwrap_or_default()
}

/// For the few functions anyone may call (sign-in, first run): says so explicitly.
pub fn public() -> RequestContext {
    request_context()
}

/// Anyone signed in.
pub fn require_user() -> Result<SessionUser, AppError> {
    request_context().session.ok_or_else(|| {
        let err = AppError::NotSignedIn;
        report_status(&err);
        err
    })
}

/// Someone signed in with one of `roles`.
pub fn require_role(roles: &[Role]) -> Result<SessionUser, AppError> {
    let user = require_user()?;
    if roles.contains(&user.user.role) {
        Ok(user)
    } else {
        let err = AppError::Forbidden;
        report_status(&err);
        Err(err)
    }
}
