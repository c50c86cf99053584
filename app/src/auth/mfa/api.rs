//! Server functions for two-factor sign-in: a counselor's or administrator's own set-up, the
//! second sign-in step, and what administrators may do (reset someone's, set the policy).

use super::TwoFactorState;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::flow::{self, CodeRefusal},
    super::{PAGE, RECOVERY_CODES, repo, totp},
    crate::audit::AuditAction,
    crate::audit::repo::{AuditEntry, record},
    crate::auth::session::{SessionUser, set_cookie},
    crate::auth::{Role, guard, password, throttle},
    crate::error::finish,
    crate::state::{AppState, app_state},
};

/// Recovery codes just made travel to the page that shows them once in this cookie (never
/// stored in the clear on the server), which that page then removes.
#[cfg(feature = "ssr")]
const CODES_COOKIE: &str = "trellis_mfa_codes";

#[cfg(feature = "ssr")]
fn codes_cookie(state: &AppState, value: &str, max_age: i64) -> String {
    let secure = if state.auth.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{CODES_COOKIE}={value}; Path={PAGE}; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    )
}

#[cfg(feature = "ssr")]
fn me() -> Result<SessionUser, AppError> {
    guard::require_role_enrolling(&[Role::Admin, Role::Counselor])
}

/// The person's own two-factor state (and, while setting up, the QR code and secret).
#[server(prefix = "/api", endpoint = "mfa_status")]
pub async fn mfa_status() -> Result<TwoFactorState, AppError> {
    let me = me()?;
    let state = app_state()?;
    let user_id = &me.user.user_id;
    let row = repo::find(state.db.pool(), user_id).await?;
    let setup = match &row {
        // A waiting set-up whose secret cannot be opened offers a fresh start instead.
        Some(r) if !r.enabled() => match waiting_secret(&state, user_id, r) {
            Some(secret) => {
                let secret = totp::base32_encode(&secret);
                let uri = totp::otpauth_uri(&me.user.email, &secret);
                Some(super::MfaSetup {
                    qr_svg: totp::qr_svg(&uri)
                        .ok_or_else(|| AppError::internal("QR code", "too long"))?,
                    secret: grouped(&secret),
                })
            }
            None => None,
        },
        _ => None,
    };
    let new_recovery_codes = take_new_codes(&state);
    Ok(TwoFactorState {
        enabled_at: row
            .as_ref()
            .and_then(|r| r.enabled_at)
            .and_then(chrono::DateTime::from_timestamp_millis),
        recovery_codes_left: repo::recovery_codes_left(state.db.pool(), user_id).await?,
        required: repo::required(state.db.pool()).await?,
        must_enrol: me.must_enrol,
        setup,
        new_recovery_codes,
    })
}

/// The secret of a set-up waiting for its first code; `None` (logged, ids only) when it
/// cannot be opened, e.g. sealed under a key this server was not given.
#[cfg(feature = "ssr")]
fn waiting_secret(state: &AppState, user_id: &str, row: &repo::MfaRow) -> Option<Vec<u8>> {
    match state.auth.mfa_keys.open(user_id, &row.secret) {
        Ok(opened) => Some(opened.secret),
        Err(why) => {
            tracing::warn!(user_id, reason = %why, "a waiting two-factor set-up cannot be opened");
            None
        }
    }
}

#[cfg(feature = "ssr")]
fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads (and removes) the recovery codes waiting to be shown.
#[cfg(feature = "ssr")]
fn take_new_codes(state: &AppState) -> Vec<String> {
    let codes = use_context::<http::request::Parts>()
        .and_then(|p| crate::auth::session::cookie_value(&p.headers, CODES_COOKIE))
        .map(|v| {
            v.split('.')
                .filter(|c| totp::normalize_recovery_code(c).is_some())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    if !codes.is_empty() {
        set_cookie(&codes_cookie(state, "", 0));
    }
    codes
}

/// Makes a fresh set of recovery codes (replacing any earlier ones) and hands them to the
/// set-up page to show once.
#[cfg(feature = "ssr")]
async fn new_recovery_codes(tx: &mut crate::db::Tx, user_id: &str) -> Result<String, AppError> {
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| totp::new_recovery_code())
        .collect();
    let hashes: Vec<String> = codes
        .iter()
        .filter_map(|c| totp::normalize_recovery_code(c))
        .map(|n| totp::recovery_code_hash(&n))
        .collect();
    repo::replace_recovery_codes(tx, user_id, &hashes).await?;
    Ok(codes.join("."))
}

#[cfg(feature = "ssr")]
async fn audit(
    state: &AppState,
    action: AuditAction,
    actor: &str,
    detail: Option<&str>,
) -> Result<(), AppError> {
    let ip = guard::request_context().ip;
    record(
        state.db.writer(),
        action,
        AuditEntry {
            actor_user_id: Some(actor),
            ip: ip.as_deref(),
            detail,
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}

/// Starts setting up two-factor: a new random secret, shown on the set-up page until the
/// person confirms a code from their app. Starting again replaces an unconfirmed secret.
#[server(prefix = "/api", endpoint = "start_mfa_setup")]
pub async fn start_mfa_setup() -> Result<(), AppError> {
    let me = me()?;
    let result = async {
        let state = app_state()?;
        let user_id = &me.user.user_id;
        let sealed = state.auth.mfa_keys.seal(user_id, &totp::new_secret());
        if !repo::start_setup(state.db.writer(), user_id, &sealed).await? {
            return Err(AppError::Conflict(
                "Two-factor sign-in is already on for your account.".into(),
            ));
        }
        audit(&state, AuditAction::MfaSetupStarted, &me.user.user_id, None).await
    }
    .await;
    finish(&result, &format!("{PAGE}#setup"));
    result
}

/// Switches two-factor on once the person enters a current code from their app, and makes
/// their recovery codes.
#[server(prefix = "/api", endpoint = "confirm_mfa_setup")]
pub async fn confirm_mfa_setup(code: String) -> Result<(), AppError> {
    let me = me()?;
    let result = async {
        let state = app_state()?;
        let user_id = &me.user.user_id;
        let row = repo::find(state.db.pool(), user_id)
            .await?
            .filter(|r| !r.enabled())
            .ok_or_else(|| {
                AppError::Conflict(
                    "There is no two-factor set-up waiting for a code. Start the set-up again."
                        .into(),
                )
            })?;
        let secret = waiting_secret(&state, user_id, &row).ok_or_else(|| {
            AppError::Conflict(
                "Your set-up can no longer be checked. Start the set-up again with a new key."
                    .into(),
            )
        })?;
        let now_step = totp::step_at(crate::db::now_ms().max(0) as u64 / 1000);
        let Ok(step) = totp::verify(&secret, &code, now_step, None) else {
            audit(&state, AuditAction::MfaCodeRefused, user_id, Some("setup")).await?;
            return Err(CodeRefusal::Wrong.error());
        };
        let mut tx = state.db.begin_write().await?;
        if !repo::enable(&mut *tx, user_id, step as i64).await? {
            return Err(AppError::Conflict(
                "Two-factor sign-in is already on for your account.".into(),
            ));
        }
        let codes = new_recovery_codes(&mut tx, user_id).await?;
        tx.commit().await?;
        audit(&state, AuditAction::MfaEnabled, user_id, None).await?;
        set_cookie(&codes_cookie(&state, &codes, 600));
        Ok(())
    }
    .await;
    finish(&result, &format!("{PAGE}?enabled=1#recovery-codes"));
    result
}

/// Replaces the recovery codes with new ones; needs a current code from the app.
#[server(prefix = "/api", endpoint = "renew_recovery_codes")]
pub async fn renew_recovery_codes(code: String) -> Result<(), AppError> {
    let me = guard::require_role(&[Role::Admin, Role::Counselor])?;
    let result = async {
        let state = app_state()?;
        let user_id = &me.user.user_id;
        let row = enabled_row(&state, user_id).await?;
        if let Err(refusal) = flow::check_app_code(&state, user_id, &row, &code).await? {
            audit(
                &state,
                AuditAction::MfaCodeRefused,
                user_id,
                Some(refusal.audit_detail()),
            )
            .await?;
            return Err(refusal.error());
        }
        let mut tx = state.db.begin_write().await?;
        let codes = new_recovery_codes(&mut tx, user_id).await?;
        tx.commit().await?;
        audit(&state, AuditAction::MfaRecoveryCodesRenewed, user_id, None).await?;
        set_cookie(&codes_cookie(&state, &codes, 600));
        Ok(())
    }
    .await;
    finish(&result, &format!("{PAGE}?renewed=1#recovery-codes"));
    result
}

#[cfg(feature = "ssr")]
async fn enabled_row(state: &AppState, user_id: &str) -> Result<repo::MfaRow, AppError> {
    repo::find(state.db.pool(), user_id)
        .await?
        .filter(|r| r.enabled())
        .ok_or_else(|| AppError::Conflict("Two-factor sign-in is not on for your account.".into()))
}

/// Turns two-factor off, confirmed with a current code or the password. Refused while the
/// practice requires it (an administrator can reset it for someone who lost their device).
#[server(prefix = "/api", endpoint = "turn_off_mfa")]
pub async fn turn_off_mfa(proof: String) -> Result<(), AppError> {
    let me = guard::require_role(&[Role::Admin, Role::Counselor])?;
    let result = async {
        let state = app_state()?;
        let user_id = &me.user.user_id;
        if repo::required(state.db.pool()).await? {
            return Err(AppError::Conflict(
                "Your practice requires two-factor sign-in, so it cannot be turned off. \
                 If you have lost your device, an administrator can reset it."
                    .into(),
            ));
        }
        let row = enabled_row(&state, user_id).await?;
        let ip = guard::request_context().ip;
        let slot = throttle::take(&state.db, &me.user.email, ip.as_deref()).await?;
        let proof = proof.trim().to_string();
        let is_code = proof.len() == 6 && proof.bytes().all(|b| b.is_ascii_digit());
        let (ok, how) = if is_code {
            let checked = flow::check_app_code(&state, user_id, &row, &proof).await?;
            (checked.is_ok(), "code")
        } else {
            let user = crate::auth::repo::find_by_id(state.db.pool(), user_id).await?;
            let hash = user.and_then(|u| u.password_hash);
            (password::verify(proof, hash).await?, "password")
        };
        if !ok {
            slot.failed().await?;
            audit(
                &state,
                AuditAction::MfaCodeRefused,
                user_id,
                Some("turn_off"),
            )
            .await?;
            return Err(AppError::validation(
                "proof",
                "That is neither a current code from your app nor your password.",
            ));
        }
        slot.passed().await?;
        let mut tx = state.db.begin_write().await?;
        repo::remove(&mut tx, user_id).await?;
        tx.commit().await?;
        audit(&state, AuditAction::MfaDisabled, user_id, Some(how)).await
    }
    .await;
    finish(&result, &format!("{PAGE}?off=1"));
    result
}

/// Resets someone's two-factor (they lost their device) and ends all their sessions: they
/// sign in with their password alone, and set it up again (at once, if the practice requires
/// it). Administrators only, and never for themselves.
#[server(prefix = "/api", endpoint = "reset_mfa")]
pub async fn reset_mfa(user_id: String) -> Result<(), AppError> {
    let admin = guard::require_role(&[Role::Admin])?;
    let result = async {
        if admin.user.user_id == user_id {
            return Err(AppError::Conflict(
                "You cannot reset your own two-factor sign-in. Ask another administrator, \
                 or use a recovery code."
                    .into(),
            ));
        }
        let state = app_state()?;
        let mut tx = state.db.begin_write().await?;
        if !repo::remove(&mut tx, &user_id).await? {
            return Err(AppError::Conflict(
                "That account does not use two-factor sign-in.".into(),
            ));
        }
        // Whoever holds a session made with the lost device (or a stolen one) is signed out:
        // the person signs in again with their password and sets two-factor up afresh.
        let ended = crate::auth::repo::delete_sessions_of(&mut *tx, &user_id).await?;
        let ip = guard::request_context().ip;
        record(
            &mut *tx,
            AuditAction::MfaReset,
            AuditEntry {
                actor_user_id: Some(&admin.user.user_id),
                subject_user_id: Some(&user_id),
                ip: ip.as_deref(),
                detail: Some(&format!("sessions_ended_{ended}")),
                ..Default::default()
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    finish(&result, "/?saved=two-factor#accounts");
    result
}

/// Switches the practice's requirement of two-factor for counselors and administrators.
#[server(prefix = "/api", endpoint = "set_two_factor_required")]
pub async fn set_two_factor_required(required: String) -> Result<(), AppError> {
    let admin = guard::require_role(&[Role::Admin])?;
    let result = async {
        let on = match required.as_str() {
            "on" => true,
            "off" => false,
            _ => {
                return Err(AppError::validation(
                    "required",
                    "Choose whether two-factor sign-in is required.",
                ));
            }
        };
        let state = app_state()?;
        let mut tx = state.db.begin_write().await?;
        repo::set_required(&mut *tx, on).await?;
        let ip = guard::request_context().ip;
        record(
            &mut *tx,
            AuditAction::MfaPolicyChanged,
            AuditEntry {
                actor_user_id: Some(&admin.user.user_id),
                ip: ip.as_deref(),
                detail: Some(if on { "on" } else { "off" }),
                ..Default::default()
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    finish(&result, "/?saved=settings#settings");
    result
}
