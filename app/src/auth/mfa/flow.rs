//! The second sign-in step. After a correct password (or single sign-on) for an account with
//! two-factor on, no session is made: a pending sign-in (a random token in a short-lived
//! HttpOnly cookie, its keyed hash in the database) waits for a code from the app or a
//! recovery code. Wrong codes count against the account like wrong passwords.

use super::{repo, totp};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::auth::session::{self, RequestContext};
use crate::auth::{repo as users, throttle};
use crate::crypto::token::{keyed_hash, new_token};
use crate::db::now_ms;
use crate::error::AppError;
use crate::state::AppState;

pub const PENDING_COOKIE: &str = "trellis_mfa_pending";
/// How long a person has to enter their code after their password.
pub const PENDING_MAX_AGE_SECS: i64 = 5 * 60;

/// How the first step was passed; the sign-in is recorded as such once complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FirstStep {
    Password,
    Oidc,
}

impl FirstStep {
    fn as_str(self) -> &'static str {
        match self {
            FirstStep::Password => "password",
            FirstStep::Oidc => "oidc",
        }
    }
    fn audit_action(self) -> AuditAction {
        match self {
            FirstStep::Password => AuditAction::SignIn,
            FirstStep::Oidc => AuditAction::OidcSignIn,
        }
    }
}

/// What a passed first step leads to. Each carries the `Set-Cookie` value to send.
#[derive(Debug)]
pub enum AfterFirstStep {
    /// Signed in (two-factor is off for this account).
    SignedIn(String),
    /// A code is needed: the cookie names the pending sign-in.
    CodeNeeded(String),
}

/// Signs the person in, or, when they have two-factor on, starts the second step.
pub async fn after_first_step(
    state: &AppState,
    user_id: &str,
    email: &str,
    ctx: &RequestContext,
    first: FirstStep,
) -> Result<AfterFirstStep, AppError> {
    if !repo::is_enabled(state.db.pool(), user_id).await? {
        let cookie =
            session::complete_sign_in(state, user_id, email, ctx, first.audit_action()).await?;
        return Ok(AfterFirstStep::SignedIn(cookie));
    }
    let token = new_token();
    let pending_id = keyed_hash(&state.auth.session_key, &token);
    let expires_at = now_ms() + PENDING_MAX_AGE_SECS * 1000;
    let mut tx = state.db.begin_write().await?;
    repo::delete_expired_pending(&mut *tx).await?;
    repo::insert_pending(&mut *tx, &pending_id, user_id, first.as_str(), expires_at).await?;
    record(
        &mut *tx,
        AuditAction::MfaCodeAsked,
        AuditEntry {
            actor_user_id: Some(user_id),
            ip: ctx.ip.as_deref(),
            detail: Some(first.as_str()),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(AfterFirstStep::CodeNeeded(pending_cookie(
        state,
        &token,
        PENDING_MAX_AGE_SECS as u64,
    )))
}

fn pending_cookie(state: &AppState, token: &str, max_age: u64) -> String {
    crate::auth::session::own_cookie(state, PENDING_COOKIE, token, max_age)
}

/// A `Set-Cookie` value that removes the pending sign-in cookie.
pub fn clearing_pending_cookie(state: &AppState) -> String {
    pending_cookie(state, "", 0)
}

fn pending_id(state: &AppState) -> Option<String> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    let token = session::cookie_value(&parts.headers, PENDING_COOKIE)?;
    Some(keyed_hash(&state.auth.session_key, &token)).filter(|_| !token.is_empty())
}

/// Whether this browser has a sign-in waiting for its code.
pub async fn has_pending(state: &AppState) -> Result<bool, AppError> {
    Ok(match pending_id(state) {
        Some(id) => repo::find_pending(state.db.pool(), &id).await?.is_some(),
        None => false,
    })
}

/// How a code was checked, for the audit trail.
enum Checked {
    AppCode,
    RecoveryCode,
}

/// Checks the second step's code and, if right, completes the sign-in. Returns the session
/// cookie.
pub async fn complete_second_step(
    state: &AppState,
    ctx: &RequestContext,
    typed: &str,
) -> Result<String, AppError> {
    let ip = ctx.ip.as_deref();
    let pending_id = pending_id(state).ok_or(AppError::SignInExpired)?;
    let Some((user_id, first)) = repo::find_pending(state.db.pool(), &pending_id).await? else {
        return Err(AppError::SignInExpired);
    };
    let first = if first == "oidc" {
        FirstStep::Oidc
    } else {
        FirstStep::Password
    };
    let user = users::find_by_id(state.db.pool(), &user_id)
        .await?
        .filter(|u| u.is_active());
    let (Some(user), Some(mfa)) = (user, repo::find(state.db.pool(), &user_id).await?) else {
        repo::take_pending(state.db.writer(), &pending_id).await?;
        return Err(AppError::SignInExpired);
    };
    // The attempt is counted before the code is checked (see `throttle`).
    let slot = match throttle::take(&state.db, &user.email, ip).await {
        Ok(slot) => slot,
        Err(err) => {
            record(
                state.db.writer(),
                AuditAction::SignInThrottled,
                AuditEntry {
                    subject_user_id: Some(&user_id),
                    ip,
                    detail: Some("two_factor"),
                    ..Default::default()
                },
            )
            .await?;
            return Err(err);
        }
    };
    let checked = match check_code(state, &user_id, &mfa, typed).await? {
        Ok(checked) => checked,
        Err(refusal) => {
            slot.failed().await?;
            record(
                state.db.writer(),
                AuditAction::MfaCodeRefused,
                AuditEntry {
                    actor_user_id: Some(&user_id),
                    ip,
                    detail: Some(refusal.audit_detail()),
                    ..Default::default()
                },
            )
            .await?;
            return Err(refusal.error());
        }
    };
    slot.passed().await?;
    if !repo::take_pending(state.db.writer(), &pending_id).await? {
        return Err(AppError::SignInExpired);
    }
    if matches!(checked, Checked::RecoveryCode) {
        let left = repo::recovery_codes_left(state.db.pool(), &user_id).await?;
        record(
            state.db.writer(),
            AuditAction::MfaRecoveryCodeUsed,
            AuditEntry {
                actor_user_id: Some(&user_id),
                ip,
                detail: Some(&left.to_string()),
                ..Default::default()
            },
        )
        .await?;
    }
    session::complete_sign_in(state, &user_id, &user.email, ctx, first.audit_action()).await
}

/// Why a code was refused, as the person and the audit trail are told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeRefusal {
    Wrong,
    Reused,
    WrongRecoveryCode,
}

impl CodeRefusal {
    pub fn audit_detail(self) -> &'static str {
        match self {
            CodeRefusal::Wrong => "wrong_code",
            CodeRefusal::Reused => "reused_code",
            CodeRefusal::WrongRecoveryCode => "wrong_recovery_code",
        }
    }

    pub fn error(self) -> AppError {
        AppError::validation(
            "code",
            match self {
                CodeRefusal::Wrong => {
                    "That code is not right. Enter the six-digit code your authenticator app \
                     shows for Trellis now."
                }
                CodeRefusal::Reused => {
                    "That code has already been used. Wait for your app to show the next \
                     code, then enter it."
                }
                CodeRefusal::WrongRecoveryCode => {
                    "That recovery code is not right, or it has been used already. Each \
                     recovery code works once."
                }
            },
        )
    }
}

/// Checks a code from the app (claiming its time step) or a recovery code (using it up).
async fn check_code(
    state: &AppState,
    user_id: &str,
    mfa: &repo::MfaRow,
    typed: &str,
) -> Result<Result<Checked, CodeRefusal>, AppError> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == totp::DIGITS as usize && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(check_app_code(state, user_id, mfa, &digits)
            .await?
            .map(|_| Checked::AppCode));
    }
    let Some(normalized) = totp::normalize_recovery_code(typed) else {
        return Ok(Err(CodeRefusal::Wrong));
    };
    let hash = totp::recovery_code_hash(&normalized);
    Ok(
        if repo::use_recovery_code(state.db.writer(), user_id, &hash).await? {
            Ok(Checked::RecoveryCode)
        } else {
            Err(CodeRefusal::WrongRecoveryCode)
        },
    )
}

/// What a person is told when their secret cannot be opened (the key it was sealed under is
/// missing or changed): their recovery codes still work, and an administrator can reset it.
pub const UNREADABLE: &str = "Trellis cannot check codes from your authenticator app right now. \
    Sign in with one of your recovery codes instead, or ask your practice administrator to \
    reset your two-factor sign-in so you can set it up again.";

/// The person's secret, opened. When it cannot be (sealed under a key this server was not
/// given, or altered), the reason is logged and audited, with ids only, and the person gets
/// a clear message rather than an error page.
async fn open_secret(
    state: &AppState,
    user_id: &str,
    mfa: &repo::MfaRow,
) -> Result<Vec<u8>, AppError> {
    match state.auth.mfa_keys.open(user_id, &mfa.secret) {
        Ok(opened) => Ok(opened.secret),
        Err(why) => {
            let ip = crate::auth::guard::request_context().ip;
            tracing::error!(
                user_id,
                reason = %why,
                "a two-factor secret cannot be opened: check TRELLIS_ENCRYPTION_KEY and \
                 TRELLIS_ENCRYPTION_KEY_PREVIOUS, or reset this person's two-factor sign-in"
            );
            record(
                state.db.writer(),
                AuditAction::MfaCodeRefused,
                AuditEntry {
                    actor_user_id: Some(user_id),
                    ip: ip.as_deref(),
                    detail: Some("secret_unreadable"),
                    ..Default::default()
                },
            )
            .await?;
            Err(AppError::Conflict(UNREADABLE.into()))
        }
    }
}

/// Checks a code from the app against the person's secret and claims its time step, so the
/// same code cannot be used again.
pub async fn check_app_code(
    state: &AppState,
    user_id: &str,
    mfa: &repo::MfaRow,
    typed: &str,
) -> Result<Result<u64, CodeRefusal>, AppError> {
    let secret = open_secret(state, user_id, mfa).await?;
    let now_step = totp::step_at(now_ms().max(0) as u64 / 1000);
    match totp::verify(&secret, typed, now_step, mfa.last_used_step) {
        Ok(step) => {
            if repo::claim_step(state.db.writer(), user_id, step as i64).await? {
                Ok(Ok(step))
            } else {
                Ok(Err(CodeRefusal::Reused))
            }
        }
        Err(totp::Refusal::Reused) => Ok(Err(CodeRefusal::Reused)),
        Err(totp::Refusal::Wrong) => Ok(Err(CodeRefusal::Wrong)),
    }
}
