//! Authorization guards: the first line of every server function. Each returns the acting
//! identity or an error before any SQL runs.

use super::Role;
use super::session::{RequestContext, SessionUser};
use crate::couple::CaseRelation;
use crate::error::{AppError, report_status};
use crate::ids::CoupleId;
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

/// Anyone signed in. Someone the practice requires to set up two-factor first is refused
/// until they have (see `require_user_enrolling`).
pub fn require_user() -> Result<SessionUser, AppError> {
    let user = require_user_consenting()?;
    if user.must_consent {
        let err = AppError::ConsentRequired;
        report_status(&err);
        return Err(err);
    }
    Ok(user)
}

/// Anyone signed in, including a partner who must still sign the practice's current
/// consent: only for the consent page's own functions (reading it, signing it).
pub fn require_user_consenting() -> Result<SessionUser, AppError> {
    let user = require_user_enrolling()?;
    if user.must_enrol {
        let err = AppError::TwoFactorRequired;
        report_status(&err);
        return Err(err);
    }
    Ok(user)
}

/// Anyone signed in, including someone who must still set up two-factor: only for setting
/// it up and for signing out.
pub fn require_user_enrolling() -> Result<SessionUser, AppError> {
    request_context().session.ok_or_else(|| {
        let err = AppError::NotSignedIn;
        report_status(&err);
        err
    })
}

/// Someone signed in with one of `roles`.
pub fn require_role(roles: &[Role]) -> Result<SessionUser, AppError> {
    require_user()?;
    require_role_enrolling(roles)
}

/// Someone signed in with one of `roles`, including someone who must still set up
/// two-factor (see `require_user_enrolling`).
pub fn require_role_enrolling(roles: &[Role]) -> Result<SessionUser, AppError> {
    let user = require_user_enrolling()?;
    if roles.contains(&user.user.role) {
        Ok(user)
    } else {
        let err = AppError::Forbidden;
        report_status(&err);
        Err(err)
    }
}

/// The counselor assigned to the couple. Anyone else (other counselors, administrators,
/// partners, a couple that does not exist) gets "not found", revealing nothing. The couple
/// is loaded once for the request (`couple::load`), for whatever runs after the guard.
pub async fn require_case_counselor(couple_id: &CoupleId) -> Result<SessionUser, AppError> {
    let user = require_user()?;
    let state = crate::state::app_state()?;
    let couple = crate::couple::load(&state.db, couple_id).await?;
    match couple.and_then(|c| c.relation(&user.user.user_id)) {
        Some(CaseRelation::Counselor) if user.user.role == Role::Counselor => Ok(user),
        _ => {
            let err = AppError::NotFound;
            report_status(&err);
            Err(err)
        }
    }
}
