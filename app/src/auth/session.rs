//! Server-side sessions: a random token in an HttpOnly cookie, its keyed hash in the database.
//! Sessions end on sign-out, after the idle timeout, at the absolute limit, or when the
//! account is deactivated.

use super::repo;
use super::{CurrentUser, Role};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::crypto::token::{keyed_hash, new_token};
use crate::db::now_ms;
use crate::error::AppError;
use crate::state::AppState;
use http::HeaderMap;

pub const SESSION_COOKIE: &str = "trellis_session";

/// Touching `last_seen_at` on every request would be a write per click; once a minute is
/// precise enough for a 30-minute idle limit.
const TOUCH_EVERY_MS: i64 = 60_000;

/// A signed-in person and the session that carries them. Server-only: not `Serialize`.
#[derive(Clone, Debug)]
pub struct SessionUser {
    pub session_id: String,
    pub user: CurrentUser,
    /// The practice requires two-factor and this person has not set it up: only the
    /// set-up page (and signing out) is open to them until they do.
    pub must_enrol: bool,
    /// A partner who has not signed the practice's current consent: only the consent page
    /// (and help, and signing out) is open to them until they do.
    pub must_consent: bool,
    /// Their time zone (UTC when unset), read with the session so pages need not read it.
    pub time_zone: chrono_tz::Tz,
}

/// Who is behind a request, resolved once per request by the server's middleware and read
/// by guards, pages and server functions.
#[derive(Clone, Debug, Default)]
pub struct RequestContext {
    pub ip: Option<String>,
    pub session: Option<SessionUser>,
}

/// The value of a cookie in the request, if present.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Finds the live session named by the request's cookie, ending it if it has expired.
pub async fn resolve(
    state: &AppState,
    headers: &HeaderMap,
    ip: Option<String>,
) -> Result<RequestContext, AppError> {
    let Some(token) = cookie_value(headers, SESSION_COOKIE) else {
        return Ok(RequestContext { ip, session: None });
    };
    let session_id = keyed_hash(&state.auth.session_key, &token);
    let Some(row) = repo::find_session(state.db.pool(), &session_id).await? else {
        return Ok(RequestContext { ip, session: None });
    };
    let now = now_ms();
    let idle_ms = state.auth.idle_timeout.as_millis() as i64;
    let expired = row.expires_at <= now || row.last_seen_at + idle_ms <= now;
    if expired || row.status != "active" {
        repo::delete_session(state.db.writer(), &session_id).await?;
        if expired {
            record(
                state.db.writer(),
                AuditAction::SessionExpired,
                AuditEntry {
                    actor_user_id: Some(&row.app_user_id),
                    ip: ip.as_deref(),
                    ..Default::default()
                },
            )
            .await?;
        }
        return Ok(RequestContext { ip, session: None });
    }
    if now - row.last_seen_at >= TOUCH_EVERY_MS {
        repo::touch_session(state.db.writer(), &session_id, now).await?;
    }
    let role = Role::parse(&row.role).unwrap_or(Role::Partner);
    let must_enrol = row.mfa_policy.as_deref() == Some("on")
        && super::mfa::role_may_use(role)
        && row.mfa_enabled_at.is_none();
    let must_consent =
        role == Role::Partner && row.consent_signed.unwrap_or(0) < row.consent_current.unwrap_or(1);
    let time_zone = row
        .time_zone
        .as_deref()
        .and_then(|n| n.parse().ok())
        .unwrap_or(chrono_tz::Tz::UTC);
    let user = CurrentUser {
        user_id: row.app_user_id.into(),
        display_name: row.display_name,
        email: row.email,
        role,
    };
    Ok(RequestContext {
        ip,
        session: Some(SessionUser {
            session_id,
            user,
            must_enrol,
            must_consent,
            time_zone,
        }),
    })
}

/// Starts a new session for `user_id` and returns the `Set-Cookie` value carrying it.
/// A fresh token is minted at every sign-in, and any session the browser already held is
/// ended, so a session id planted before sign-in is worthless afterwards.
pub async fn start(
    state: &AppState,
    user_id: &str,
    previous: Option<&SessionUser>,
    ip: Option<&str>,
) -> Result<String, AppError> {
    if let Some(prev) = previous {
        repo::delete_session(state.db.writer(), &prev.session_id).await?;
    }
    let token = new_token();
    let session_id = keyed_hash(&state.auth.session_key, &token);
    let expires_at = now_ms() + state.auth.absolute_timeout.as_millis() as i64;
    repo::insert_session(state.db.writer(), &session_id, user_id, expires_at, ip).await?;
    Ok(session_cookie(state, &token))
}

fn session_cookie(state: &AppState, token: &str) -> String {
    let max_age = state.auth.absolute_timeout.as_secs();
    let secure = if state.auth.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// A `Set-Cookie` value that removes the session cookie from the browser.
pub fn clearing_cookie(state: &AppState) -> String {
    let secure = if state.auth.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

/// Adds a `Set-Cookie` header to the response being built.
pub fn set_cookie(value: &str) {
    use leptos::prelude::use_context;
    if let (Some(res), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        res.append_header(http::header::SET_COOKIE, v);
    }
}

/// Completes a sign-in (password or OIDC): new session, audit entry, throttle count cleared.
/// Returns the `Set-Cookie` value for the response.
pub async fn complete_sign_in(
    state: &AppState,
    user_id: &str,
    email: &str,
    ctx: &RequestContext,
    action: AuditAction,
) -> Result<String, AppError> {
    let cookie = start(state, user_id, ctx.session.as_ref(), ctx.ip.as_deref()).await?;
    super::throttle::clear_account(&state.db, email).await?;
    record(
        state.db.writer(),
        action,
        AuditEntry {
            actor_user_id: Some(user_id),
            ip: ctx.ip.as_deref(),
            ..Default::default()
        },
    )
    .await?;
    Ok(cookie)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_named_cookie_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            http::header::COOKIE,
            "a=1; trellis_session=abc-def; b=2".parse().unwrap(),
        );
        assert_eq!(cookie_value(&h, SESSION_COOKIE).as_deref(), Some("abc-def"));
        assert_eq!(cookie_value(&h, "missing"), None);
    }
}
