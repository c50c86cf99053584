//! Server functions for signing in and out and for the first-run administrator.
//! Each begins with its guard; the public ones say so with `guard::public()`.

use super::SignInOptions;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::audit::AuditAction,
    crate::audit::repo::{AuditEntry, record},
    crate::auth::Role,
    crate::auth::mfa::flow::{AfterFirstStep, FirstStep, after_first_step},
    crate::auth::{guard, password, repo, session, throttle},
    crate::error::report_status,
    crate::features::accounts::repo::{ALREADY_SET_UP, NewAccount, create_with_password},
    crate::state::app_state,
    session::set_cookie,
};

/// What the sign-in page offers: demo accounts, single sign-on, or the first-run page.
#[server(prefix = "/api", endpoint = "sign_in_options")]
pub async fn get_sign_in_options() -> Result<SignInOptions, AppError> {
    let _ctx = guard::public();
    let state = app_state()?;
    let demo_on = state.auth.demo && super::demo::is_seeded(&state.db).await?;
    let needs_first_admin = repo::count_users(state.db.pool()).await? == 0;
    Ok(SignInOptions {
        demo_accounts: if demo_on {
            super::demo::accounts()
        } else {
            vec![]
        },
        demo_password: demo_on.then(|| super::demo::DEMO_PASSWORD.to_string()),
        oidc_label: state.auth.oidc_label.clone(),
        needs_first_admin,
    })
}

#[server(prefix = "/api", endpoint = "sign_in")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    let ctx = guard::public();
    let result = sign_in_with_password(&ctx, email, password).await;
    match &result {
        Ok(AfterFirstStep::SignedIn(cookie)) => {
            set_cookie(cookie);
            leptos_axum::redirect("/");
        }
        Ok(AfterFirstStep::CodeNeeded(cookie)) => {
            set_cookie(cookie);
            leptos_axum::redirect(crate::auth::mfa::SECOND_STEP_PAGE);
        }
        Err(err) => report_status(err),
    }
    result.map(|_| ())
}

#[cfg(feature = "ssr")]
async fn sign_in_with_password(
    ctx: &session::RequestContext,
    email: String,
    password: String,
) -> Result<AfterFirstStep, AppError> {
    let state = app_state()?;
    let ip = ctx.ip.as_deref();
    let email = repo::normalize_email(&email);
    if email.is_empty() || password.is_empty() {
        return Err(AppError::validation(
            "email",
            "Enter your email address and password.",
        ));
    }
    // The attempt is counted before the password is checked (see `throttle`).
    let slot = match throttle::take(&state.db, &email, ip).await {
        Ok(slot) => slot,
        Err(err) => {
            let user = repo::find_by_email(state.db.pool(), &email).await?;
            record(
                state.db.writer(),
                AuditAction::SignInThrottled,
                AuditEntry {
                    subject_user_id: user.as_ref().map(|u| u.app_user_id.as_str()),
                    ip,
                    ..Default::default()
                },
            )
            .await?;
            return Err(err);
        }
    };
    let user = repo::find_by_email(state.db.pool(), &email).await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let ok = password::verify(password, stored).await?;
    let Some(user) = user.filter(|_| ok) else {
        slot.failed().await?;
        let known = repo::find_by_email(state.db.pool(), &email).await?;
        record(
            state.db.writer(),
            AuditAction::SignInFailed,
            AuditEntry {
                subject_user_id: known.as_ref().map(|u| u.app_user_id.as_str()),
                ip,
                detail: Some(if known.is_some() {
                    "wrong_password"
                } else {
                    "unknown_email"
                }),
                ..Default::default()
            },
        )
        .await?;
        return Err(AppError::InvalidCredentials);
    };
    // A right password is no failure (the count clears once the sign-in completes).
    slot.passed().await?;
    if !user.is_active() {
        record(
            state.db.writer(),
            AuditAction::SignInFailed,
            AuditEntry {
                subject_user_id: Some(&user.app_user_id),
                ip,
                detail: Some("deactivated"),
                ..Default::default()
            },
        )
        .await?;
        return Err(AppError::AccountDeactivated);
    }
    after_first_step(
        &state,
        &user.app_user_id,
        &user.email,
        ctx,
        FirstStep::Password,
    )
    .await
}

#[server(prefix = "/api", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let user = guard::require_user_enrolling()?;
    let state = app_state()?;
    let ctx = guard::request_context();
    repo::delete_session(state.db.writer(), &user.session_id).await?;
    record(
        state.db.writer(),
        AuditAction::SignOut,
        AuditEntry {
            actor_user_id: Some(&user.user.user_id),
            ip: ctx.ip.as_deref(),
            ..Default::default()
        },
    )
    .await?;
    set_cookie(&session::clearing_cookie(&state));
    crate::features::invitations::link::forget_all();
    crate::features::passwords::link::forget_all();
    crate::features::calendar::link::forget();
    leptos_axum::redirect("/login?signed_out=1");
    Ok(())
}

/// Creates the first administrator on an empty database, and signs them in.
#[server(prefix = "/api", endpoint = "create_first_admin")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_first_admin(
    display_name: String,
    email: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    let ctx = guard::public();
    let result = async {
        let state = app_state()?;
        // Counted by address like sign-in, and refused before anything costly: once any
        // account exists this form only ever answers "already set up", without hashing
        // the password it was sent (argon2 is expensive on purpose).
        let slot = throttle::take_first_run(&state.db, ctx.ip.as_deref()).await?;
        if repo::count_users(state.db.pool()).await? > 0 {
            slot.failed().await?;
            return Err(AppError::Conflict(ALREADY_SET_UP.into()));
        }
        if password != password_confirm {
            slot.failed().await?;
            return Err(AppError::validation(
                "password_confirm",
                "The two passwords do not match.",
            ));
        }
        let account = NewAccount {
            role: Role::Admin,
            display_name: &display_name,
            email: &email,
            password,
        };
        // A refusal here (what was entered, or a first administrator made a moment ago)
        // counts like a failed sign-in.
        let created = create_with_password(&state.db, account, true, None, ctx.ip.as_deref()).await;
        let user_id = match created {
            Ok(user_id) => user_id,
            Err(err) => {
                slot.failed().await?;
                return Err(err);
            }
        };
        slot.passed().await?;
        session::complete_sign_in(&state, &user_id, &email, &ctx, AuditAction::SignIn).await
    }
    .await;
    match &result {
        Ok(cookie) => {
            set_cookie(cookie);
            leptos_axum::redirect("/");
        }
        Err(err) => report_status(err),
    }
    result.map(|_| ())
}
