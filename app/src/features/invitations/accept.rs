//! Accepting an invitation with a password: as someone new to Trellis (a new account), or
//! with the account that already uses the invited address, proven by its password. Single
//! sign-on accepts in server/src/oidc/invitation.rs, under the same rule: an existing account
//! is joined only by someone who proves they own it.
//!
//! Neither path may tell whoever holds the link more than it must about the address. A wrong
//! password reads the same as an address with no account (and costs the same time and the
//! same throttling); the only thing that differs is that a new account cannot be made for an
//! address that already has one, which the new-account form has to say.

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::InvitationStatus,
    super::repo::{self, Acceptance, InvitationRow, NO_NEW_ACCOUNT, record_refusal},
    crate::auth::mfa::SECOND_STEP_PAGE,
    crate::auth::mfa::flow::{AfterFirstStep, FirstStep, after_first_step},
    crate::auth::{guard, password, repo as auth_repo, session, throttle},
    crate::error::{finish, report_status},
    crate::state::{AppState, app_state},
    crate::valid::check_display_name,
};

/// Refused for an address with no account and for a wrong password alike.
#[cfg(feature = "ssr")]
const NOT_THIS_PASSWORD: &str = "That password does not match a Trellis account with this email \
    address. Check it and try again. If you are new to Trellis, choose a password under \
    \"New to Trellis?\" above instead.";

/// The open invitation behind a token, or why it cannot be used.
#[cfg(feature = "ssr")]
async fn open_invitation(state: &AppState, token: &str) -> Result<InvitationRow, AppError> {
    repo::find_by_token(state, token)
        .await?
        .filter(|r| r.status(crate::db::now_ms()) == InvitationStatus::Pending)
        .ok_or_else(|| {
            AppError::Conflict(
                "This invitation link can no longer be used. Ask for a new one.".into(),
            )
        })
}

/// Accepts an invitation as someone new to Trellis: makes their account with the password
/// they choose and signs them in. Refused (naming no one) when the address already has an
/// account: that account's owner accepts with `accept_invitation_with_account` instead.
#[server(prefix = "/api", endpoint = "accept_invitation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn accept_invitation(
    token: String,
    #[server(default)] display_name: String,
    password: String,
    #[server(default)] password_confirm: String,
) -> Result<(), AppError> {
    let ctx = guard::public();
    let result = async {
        let state = app_state()?;
        let ip = ctx.ip.as_deref();
        let invitation = open_invitation(&state, &token).await?;
        let display_name = check_display_name(&display_name)?;
        if password != password_confirm {
            return Err(AppError::validation(
                "password_confirm",
                "The two passwords do not match.",
            ));
        }
        password::check_new_password(&password, &invitation.email)?;
        if let Some(user) = auth_repo::find_by_email(state.db.pool(), &invitation.email).await? {
            record_refusal(&state.db, "account_exists", Some(&user.app_user_id), ip).await?;
            return Err(AppError::Conflict(NO_NEW_ACCOUNT.into()));
        }
        let hash = password::hash(password).await?;
        let user_id = repo::accept(
            &state.db,
            &invitation,
            Acceptance::NewAccount {
                display_name: &display_name,
                password_hash: Some(&hash),
                oidc_identity: None,
            },
            ip,
        )
        .await?;
        session::complete_sign_in(
            &state,
            &user_id,
            &invitation.email,
            &ctx,
            crate::audit::AuditAction::SignIn,
        )
        .await
    }
    .await;
    if let Ok(cookie) = &result {
        session::set_cookie(cookie);
    }
    finish(&result, "/?welcome=1");
    result.map(|_| ())
}

/// Accepts an invitation with the account that already uses the invited address (a partner
/// joining a second couple, say), proven by that account's password. Signs them in, or asks
/// for their two-factor code next when they have it on.
#[server(prefix = "/api", endpoint = "accept_invitation_with_account")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn accept_invitation_with_account(
    token: String,
    password: String,
) -> Result<(), AppError> {
    let ctx = guard::public();
    let result = async {
        let state = app_state()?;
        let ip = ctx.ip.as_deref();
        let invitation = open_invitation(&state, &token).await?;
        if password.is_empty() {
            return Err(AppError::validation("password", "Enter your password."));
        }
        let existing = auth_repo::find_by_email(state.db.pool(), &invitation.email).await?;
        let subject_id = existing.as_ref().map(|u| u.app_user_id.clone());
        let subject = subject_id.as_deref();
        // Counted against the invited address whether or not it has an account, so the
        // pause after repeated failures comes at the same moment either way.
        // The slot is taken before the password is checked (see `auth::throttle`).
        let slot = match throttle::take(&state.db, &invitation.email, ip).await {
            Ok(slot) => slot,
            Err(err) => {
                record_refusal(&state.db, "throttled", subject, ip).await?;
                return Err(err);
            }
        };
        let stored = existing.as_ref().and_then(|u| u.password_hash.clone());
        let ok = password::verify(password, stored).await?;
        let Some(user) = existing.filter(|_| ok) else {
            slot.failed().await?;
            record_refusal(&state.db, "wrong_password", subject, ip).await?;
            return Err(AppError::validation("password", NOT_THIS_PASSWORD));
        };
        slot.passed().await?;
        // Only the proven owner learns what else is wrong with their account.
        if !user.is_active() {
            record_refusal(&state.db, "deactivated", subject, ip).await?;
            return Err(AppError::AccountDeactivated);
        }
        if user.role() != invitation.role() {
            record_refusal(&state.db, "other_kind_of_account", subject, ip).await?;
            return Err(AppError::Conflict(
                "This email address belongs to a different kind of Trellis account. \
                 Ask whoever invited you to use another address."
                    .into(),
            ));
        }
        repo::accept(
            &state.db,
            &invitation,
            Acceptance::Existing {
                user_id: &user.app_user_id,
                link_identity: None,
            },
            ip,
        )
        .await?;
        after_first_step(
            &state,
            &user.app_user_id,
            &user.email,
            &ctx,
            FirstStep::Password,
        )
        .await
    }
    .await;
    match &result {
        Ok(AfterFirstStep::SignedIn(cookie)) => {
            session::set_cookie(cookie);
            leptos_axum::redirect("/?welcome=1");
        }
        Ok(AfterFirstStep::CodeNeeded(cookie)) => {
            session::set_cookie(cookie);
            leptos_axum::redirect(SECOND_STEP_PAGE);
        }
        Err(err) => report_status(err),
    }
    result.map(|_| ())
}
