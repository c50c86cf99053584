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

/// A lapsed session: its id and whose it was. Server-only.
#[derive(Clone, Debug)]
pub struct Lapsed {
    pub session_id: String,
    pub user_id: String,
}

/// Who is behind a request, resolved once per request by the server's middleware and read
/// by guards, pages and server functions.
#[derive(Clone, Debug, Default)]
pub struct RequestContext {
    pub ip: Option<String>,
    pub session: Option<SessionUser>,
    /// The session this request's cookie named, when it has lapsed (idle or past its
    /// limit, not signed out): a form it carries may hold words worth keeping until its
    /// author signs in again (`held`).
    pub lapsed: Option<Lapsed>,
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
        return Ok(RequestContext {
            ip,
            ..Default::default()
        });
    };
    let session_id = keyed_hash(&state.auth.session_key, &token);
    let now = now_ms();
    let idle_ms = state.auth.idle_timeout.as_millis() as i64;
    let Some(row) = session_row(state, &session_id, now, idle_ms).await? else {
        return Ok(RequestContext {
            ip,
            ..Default::default()
        });
    };
    let expired = !within_limits(&row, now, idle_ms);
    if row.status != "active" {
        repo::delete_session(state.db.writer(), &session_id).await?;
        return Ok(RequestContext {
            ip,
            ..Default::default()
        });
    }
    if expired || row.lapsed_at.is_some() {
        // Kept a day, lapsed, to name the author of a late form; never live again.
        if row.lapsed_at.is_none() && repo::mark_lapsed(state.db.writer(), &session_id, now).await?
        {
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
        return Ok(RequestContext {
            ip,
            session: None,
            lapsed: Some(Lapsed {
                session_id,
                user_id: row.app_user_id,
            }),
        });
    }
    if now - row.last_seen_at >= TOUCH_EVERY_MS {
        repo::touch_session(state.db.writer(), &session_id, now).await?;
        copies::touched(&session_id, now);
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
        lapsed: None,
    })
}

/// Whether the session is within its absolute limit and its idle limit (`idle_ms`) at `now`.
fn within_limits(row: &repo::SessionRow, now: i64, idle_ms: i64) -> bool {
    row.expires_at > now && row.last_seen_at + idle_ms > now
}

/// The session `session_id` with its account: this server's copy while it is fresh and
/// live, else read now. A copy that looks ended (expired, lapsed, its account no longer
/// active) is read again before anything is done about it.
async fn session_row(
    state: &AppState,
    session_id: &str,
    now: i64,
    idle_ms: i64,
) -> Result<Option<repo::SessionRow>, AppError> {
    if let Some(row) = copies::fresh(session_id)
        && row.status == "active"
        && row.lapsed_at.is_none()
        && within_limits(&row, now, idle_ms)
    {
        return Ok(Some(row));
    }
    let generation = crate::db::people_generation();
    let row = repo::find_session(state.db.pool(), session_id).await?;
    match &row {
        Some(row) => copies::keep(session_id, row, generation),
        None => copies::forget(session_id),
    }
    Ok(row)
}

/// This server's copies of the sessions it has read, each trusted for `SESSION_FRESH_FOR`:
/// most requests come a few seconds after the same person's last one, and reading the
/// session is the one statement every page runs. A change to people made in this process
/// (signing out, deactivation, two-factor, consent, a time zone: `db::changing_people`)
/// drops every copy at once; another server sharing the database sees it within
/// `SESSION_FRESH_FOR`.
mod copies {
    use super::repo::SessionRow;
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex};
    use std::time::Instant;

    /// The most sessions kept; past it, copies no longer fresh are dropped (all of them,
    /// if every one is fresh).
    const MOST_KEPT: usize = 4096;

    struct Copy {
        at: Instant,
        generation: u64,
        row: SessionRow,
    }

    static COPIES: LazyLock<Mutex<HashMap<String, Copy>>> =
        LazyLock::new(|| Mutex::new(HashMap::new()));

    /// The copy of `session_id`, if it was read within `SESSION_FRESH_FOR` and no change to
    /// people has been made since.
    pub(super) fn fresh(session_id: &str) -> Option<SessionRow> {
        let generation = crate::db::people_generation();
        let copies = COPIES.lock().ok()?;
        let copy = copies.get(session_id)?;
        (copy.generation == generation && copy.at.elapsed() < super::SESSION_FRESH_FOR)
            .then(|| copy.row.clone())
    }

    /// Keeps `row`, read when the count of changes was `generation`, unless a change has
    /// been made since (it may hold what that change replaced).
    pub(super) fn keep(session_id: &str, row: &SessionRow, generation: u64) {
        let Ok(mut copies) = COPIES.lock() else {
            return;
        };
        if crate::db::people_generation() != generation {
            return;
        }
        if copies.len() >= MOST_KEPT {
            copies.retain(|_, c| {
                c.generation == generation && c.at.elapsed() < super::SESSION_FRESH_FOR
            });
            if copies.len() >= MOST_KEPT {
                copies.clear();
            }
        }
        copies.insert(
            session_id.to_string(),
            Copy {
                at: Instant::now(),
                generation,
                row: row.clone(),
            },
        );
    }

    /// The session was seen now (its `last_seen_at` was written).
    pub(super) fn touched(session_id: &str, now: i64) {
        if let Ok(mut copies) = COPIES.lock()
            && let Some(copy) = copies.get_mut(session_id)
        {
            copy.row.last_seen_at = now;
        }
    }

    pub(super) fn forget(session_id: &str) {
        if let Ok(mut copies) = COPIES.lock() {
            copies.remove(session_id);
        }
    }
}

/// How long a server trusts its copy of a session (see `copies`).
pub const SESSION_FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(5);

/// The account a session cookie's token signs in, if its session is live.
pub async fn owner(state: &AppState, token: &str) -> Result<Option<String>, AppError> {
    let session_id = keyed_hash(&state.auth.session_key, token);
    let row = repo::find_session(state.db.pool(), &session_id).await?;
    Ok(row.filter(|r| r.lapsed_at.is_none()).map(|r| r.app_user_id))
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

/// A `Set-Cookie` value for one of Trellis's own cookies: the whole site, out of scripts'
/// reach, sent on top-level navigation from other sites (single sign-on comes back that
/// way), `Secure` when served over https. `max_age` 0 removes it.
pub fn own_cookie(state: &AppState, name: &str, value: &str, max_age: u64) -> String {
    let secure = if state.auth.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

fn session_cookie(state: &AppState, token: &str) -> String {
    let max_age = state.auth.absolute_timeout.as_secs();
    own_cookie(state, SESSION_COOKIE, token, max_age)
}

/// A `Set-Cookie` value that removes the session cookie from the browser.
pub fn clearing_cookie(state: &AppState) -> String {
    own_cookie(state, SESSION_COOKIE, "", 0)
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
    // The browser's lapsed session, if any, has done its last job by now.
    if let Some(lapsed) = &ctx.lapsed {
        repo::delete_session(state.db.writer(), &lapsed.session_id).await?;
    }
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
