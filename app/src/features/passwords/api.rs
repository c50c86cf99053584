//! Server functions for passwords. Changing one's own password is for anyone signed in;
//! asking for a link, opening one and using one are public (the unguessable token being the
//! credential); making a link is for a partner's own counselor, or an administrator.

use super::{PasswordSettings, ResetLink, ResetPage};
use crate::error::AppError;
use crate::ids::CoupleId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{link, repo},
    crate::auth::{Role, guard, password, repo as auth_repo, throttle},
    crate::error::{finish, report_status},
    crate::state::app_state,
};

/// Whether the signed-in account has a password to change.
#[server(prefix = "/api", endpoint = "my_password_settings")]
pub async fn my_password_settings() -> Result<PasswordSettings, AppError> {
    let user = guard::require_user()?;
    let state = app_state()?;
    let row = auth_repo::find_by_id(state.db.pool(), &user.user.user_id)
        .await?
        .ok_or(AppError::NotSignedIn)?;
    Ok(PasswordSettings {
        has_password: row.password_hash.is_some(),
        email: row.email,
    })
}

/// Changes the signed-in person's password. The current one is checked (and counted like a
/// sign-in, so it cannot be guessed from an open session); every other session ends.
#[server(prefix = "/api", endpoint = "change_password")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn change_password(
    current_password: String,
    new_password: String,
    new_password_confirm: String,
) -> Result<(), AppError> {
    let user = guard::require_user()?;
    let result = async {
        let state = app_state()?;
        let ip = guard::request_context().ip;
        let row = auth_repo::find_by_id(state.db.pool(), &user.user.user_id)
            .await?
            .ok_or(AppError::NotSignedIn)?;
        let Some(stored) = row.password_hash.clone() else {
            return Err(AppError::Conflict(
                "Your account signs in through single sign-on, so it has no Trellis password to change."
                    .into(),
            ));
        };
        let slot = throttle::take(&state.db, &row.email, ip.as_deref()).await?;
        if !password::verify(current_password, Some(stored)).await? {
            slot.failed().await?;
            return Err(AppError::validation(
                "current_password",
                "That is not your current password. Your password has not been changed.",
            ));
        }
        slot.passed().await?;
        if new_password != new_password_confirm {
            return Err(AppError::validation(
                "new_password_confirm",
                "The two new passwords do not match.",
            ));
        }
        password::check_new_password(&new_password, &row.email)?;
        let hash = password::hash(new_password).await?;
        repo::change(
            &state.db,
            &row.app_user_id,
            &user.session_id,
            &hash,
            ip.as_deref(),
        )
        .await?;
        Ok(())
    }
    .await;
    finish(&result, "/settings?saved=password#password");
    result
}

/// Whether the practice sends email (the "forgot your password" page says what to do).
#[server(prefix = "/api", endpoint = "password_help")]
pub async fn password_help() -> Result<bool, AppError> {
    let _ctx = guard::public();
    Ok(app_state()?.mail_enabled)
}

/// Asks for a reset link by email. The answer is the same whether or not an account uses
/// the address; only an account's own address receives a link.
#[server(prefix = "/api", endpoint = "forgot_password")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    let ctx = guard::public();
    let result = async {
        let state = app_state()?;
        if !state.mail_enabled {
            return Err(AppError::Conflict(
                "This practice does not send email. Ask your counselor or administrator for a link to set a new password."
                    .into(),
            ));
        }
        let email = crate::valid::check_email(&email)?;
        let slot = throttle::take_reset_request(&state.db, &email, ctx.ip.as_deref()).await?;
        // Every request counts towards the pause, whether or not the address is known.
        slot.failed().await?;
        repo::request_by_email(&state, &email, ctx.ip.as_deref()).await
    }
    .await;
    finish(&result, "/forgot?sent=1");
    result
}

/// What a reset link opens. Anyone holding the link may ask.
#[server(prefix = "/api", endpoint = "get_password_reset")]
pub async fn get_password_reset(token: String) -> Result<ResetPage, AppError> {
    let _ctx = guard::public();
    let state = app_state()?;
    Ok(match repo::find_open(&state, &token).await? {
        Some((_, email)) => ResetPage::Open { email },
        None => ResetPage::Closed,
    })
}

/// What a link that no longer works answers.
#[cfg(feature = "ssr")]
fn closed_link() -> AppError {
    AppError::Conflict(
        "This link no longer works: it has been used, it has expired, or it is not complete. Ask for a new one."
            .into(),
    )
}

/// Sets a new password with a reset link: the link is used up, every session of the account
/// ends (this browser's too), and the person signs in with the new password, and with their
/// second step when the account has two-factor sign-in on.
#[server(prefix = "/api", endpoint = "reset_password")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn reset_password(
    token: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    let ctx = guard::public();
    let result = async {
        let state = app_state()?;
        let ip = ctx.ip.as_deref();
        let Some((user_id, email)) = repo::find_open(&state, &token).await? else {
            repo::record_refusal(&state.db, ip).await?;
            return Err(closed_link());
        };
        if password != password_confirm {
            return Err(AppError::validation(
                "password_confirm",
                "The two passwords do not match.",
            ));
        }
        password::check_new_password(&password, &email)?;
        let hash = password::hash(password).await?;
        if !repo::use_link(&state, &token, &user_id, &hash, ip).await? {
            repo::record_refusal(&state.db, ip).await?;
            return Err(closed_link());
        }
        // Whoever was signed in here (if anyone) is signed out too: the next sign-in is
        // with the new password.
        if let Some(session) = &ctx.session
            && session.user.user_id.as_str() != user_id
        {
            auth_repo::delete_session(state.db.writer(), &session.session_id).await?;
        }
        crate::auth::session::set_cookie(&crate::auth::session::clearing_cookie(&state));
        Ok(())
    }
    .await;
    finish(&result, "/login?reset=1");
    result
}

/// Makes a reset link for a partner on the counselor's own caseload, who has joined. The
/// link is returned, and shown on the case page in this browser for the next few minutes.
#[server(prefix = "/api", endpoint = "make_partner_reset_link")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn make_partner_reset_link(
    couple_id: CoupleId,
    position: i64,
) -> Result<String, AppError> {
    let counselor = guard::require_case_counselor(&couple_id).await?;
    let result = async {
        let state = app_state()?;
        let couple = crate::couple::load(&state.db, &couple_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let seat = couple
            .partners
            .iter()
            .find(|s| s.position == position)
            .ok_or(AppError::NotFound)?;
        let Some(account) = &seat.account else {
            return Err(AppError::Conflict(format!(
                "{} has not joined yet: send an invitation link instead.",
                seat.display_name
            )));
        };
        let ip = guard::request_context().ip;
        let created = repo::make_link(
            &state,
            account.as_str(),
            &counselor.user.user_id,
            "counselor",
            Some(couple_id.as_str()),
            ip.as_deref(),
        )
        .await?;
        link::remember(&state, &created.reset_id, &created.token);
        Ok(repo::reset_url(&state, &created.token))
    }
    .await;
    finish(
        &result,
        &crate::couple::CaseSection::Partners
            .path_then(couple_id.as_str(), &format!("#partner-{position}")),
    );
    result
}

/// Makes a reset link for any account (administrators only; not their own, which they
/// change in Settings). Anyone else is told the account is not found: a counselor learns
/// nothing about accounts beyond their caseload.
#[server(prefix = "/api", endpoint = "make_reset_link")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn make_reset_link(user_id: String) -> Result<String, AppError> {
    let admin = guard::require_user()?;
    if admin.user.role != Role::Admin {
        return crate::error::not_found();
    }
    let result = async {
        if admin.user.user_id.as_str() == user_id {
            return Err(AppError::Conflict(
                "Change your own password in Settings.".into(),
            ));
        }
        let state = app_state()?;
        let ip = guard::request_context().ip;
        let created = repo::make_link(
            &state,
            &user_id,
            &admin.user.user_id,
            "admin",
            None,
            ip.as_deref(),
        )
        .await?;
        link::remember(&state, &created.reset_id, &created.token);
        Ok(repo::reset_url(&state, &created.token))
    }
    .await;
    if let Err(err) = &result {
        report_status(err);
    } else {
        leptos_axum::redirect("/#accounts");
    }
    result
}

/// The reset links this administrator's browser made in the last few minutes, by account.
#[server(prefix = "/api", endpoint = "fresh_reset_links")]
pub async fn fresh_reset_links() -> Result<Vec<(String, ResetLink)>, AppError> {
    let _admin = guard::require_role(&[Role::Admin])?;
    let state = app_state()?;
    let open = repo::all_open_links(&state.db).await?;
    let mut users: Vec<String> = open.iter().map(|(_, u, _, _)| u.clone()).collect();
    users.dedup();
    Ok(users
        .into_iter()
        .map(|u| {
            let shown = link::recall(&state, &u, &open);
            (u, shown)
        })
        .filter(|(_, shown)| shown.link.is_some())
        .collect())
}

/// Each partner's reset link state for the case page (the caller has checked access).
#[cfg(feature = "ssr")]
pub async fn partner_resets(
    app: &crate::state::AppState,
    couple: &crate::couple::CoupleContext,
) -> Result<Vec<super::PartnerReset>, AppError> {
    let accounts: Vec<String> = couple
        .partners
        .iter()
        .filter_map(|s| s.account.as_ref().map(|a| a.to_string()))
        .collect();
    let open = repo::open_links_for(&app.db, &accounts).await?;
    Ok(couple
        .partners
        .iter()
        .map(|s| super::PartnerReset {
            position: s.position,
            joined: s.account.is_some(),
            latest: match &s.account {
                Some(a) => link::recall(app, a.as_str(), &open),
                None => ResetLink {
                    link: None,
                    expires_at: None,
                },
            },
        })
        .collect())
}
