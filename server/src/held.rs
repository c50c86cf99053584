//! Words kept across a lapsed sign-in (see `app::auth::held`): keeping the form when it
//! arrives after the session has lapsed, and sending it once its author has signed in again.

use crate::security::TrustProxy;
use app::auth::held::{self, HELD_COOKIE, SIGN_IN_AGAIN};
use app::auth::session::{RequestContext, SESSION_COOKIE, cookie_value, owner};
use app::state::AppState;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Router, middleware};
use std::net::SocketAddr;
use tower::ServiceExt;

/// Runs inside `request_context`. A form with someone's words, posted after their session
/// lapsed, is kept for them and they are asked to sign in again; anything else goes on (and
/// is refused as signed out, as before).
pub async fn keep_words(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let lapsed = req
        .extensions()
        .get::<RequestContext>()
        .filter(|ctx| ctx.session.is_none())
        .and_then(|ctx| {
            ctx.lapsed
                .as_ref()
                .map(|lapsed| (lapsed.user_id.clone(), ctx.ip.clone()))
        });
    let endpoint = req
        .uri()
        .path()
        .strip_prefix("/api/")
        .filter(|e| held::keeps(e))
        .map(str::to_string);
    let (Some((user_id, ip)), Some(endpoint)) = (lapsed, endpoint) else {
        return next.run(req).await;
    };
    // Only a plain form loses its words when refused: a page with JavaScript keeps them on
    // screen (and saves drafts as they are typed).
    if !crate::return_to::is_plain_form(&req) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    // The request body limit (applied outside this layer) bounds what is read here.
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            "That form is too large to send. Shorten what you wrote and try again.",
        )
            .into_response();
    };
    let kept = without_passwords(&bytes);
    let existing = cookie_value(&parts.headers, HELD_COOKIE);
    match held::keep(
        &state,
        existing.as_deref(),
        &user_id,
        &endpoint,
        &kept,
        ip.as_deref(),
    )
    .await
    {
        Ok(cookie) => {
            let mut res = (
                StatusCode::SEE_OTHER,
                [(header::LOCATION, HeaderValue::from_static(SIGN_IN_AGAIN))],
            )
                .into_response();
            if let Ok(cookie) = HeaderValue::from_str(&cookie) {
                res.headers_mut().append(header::SET_COOKIE, cookie);
            }
            res
        }
        // Keeping failed (logged with its reference) or too much is kept for this person
        // already: refused as signed out, as before.
        Err(_) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
    }
}

/// The form without any password typed into it (signing a note asks for one): a kept form
/// never holds a password. Signing in again confirms who they are instead, as a fresh
/// sign-in does for signing (`notes::api::confirm_identity`).
fn without_passwords(body: &[u8]) -> Vec<u8> {
    let fields = url::form_urlencoded::parse(body).filter(|(key, _)| key != "password");
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
        .into_bytes()
}

/// What sending a kept form needs: the state, and the few routes a form post passes
/// through (the server functions behind the session and the way back).
#[derive(Clone)]
pub struct Resume {
    pub state: AppState,
    pub routes: Router,
}

impl Resume {
    /// `server_fns` is the router of server functions, with its state, before any layer.
    pub fn new(state: AppState, server_fns: Router<AppState>) -> Resume {
        let routes = server_fns
            .layer(middleware::from_fn_with_state(
                state.clone(),
                crate::security::request_context,
            ))
            .layer(middleware::from_fn(crate::return_to::form_return))
            .with_state(state.clone());
        Resume { state, routes }
    }
}

/// Runs outside the session. In a browser holding kept forms, when a response signs someone
/// in (it sets a new session cookie), or answers a signed-in person's plain form with a
/// redirect (the consent they had to sign first, say), the forms kept for that person are
/// sent now under their session, oldest first, and the browser lands where the last one
/// would have taken it. A form refused this time (a gate such as consent still comes
/// first, or the form is no longer valid) is kept again, within its day, for the next such
/// moment. Forms kept for someone else stay unopened.
pub async fn resume_words(State(resume): State<Resume>, req: Request, next: Next) -> Response {
    let Some(held_token) = cookie_value(req.headers(), HELD_COOKIE) else {
        return next.run(req).await;
    };
    let current = cookie_value(req.headers(), SESSION_COOKIE);
    let host = req.headers().get(header::HOST).cloned();
    let forwarded = req.headers().get("x-forwarded-for").cloned();
    let connect = req.extensions().get::<ConnectInfo<SocketAddr>>().cloned();
    let trust = req.extensions().get::<TrustProxy>().copied();
    let ip = crate::security::client_ip(&req, trust.is_some_and(|t| t.0));
    let mut res = next.run(req).await;
    let token = match new_session_token(&res) {
        Some(token) => token,
        None if res.status().is_redirection() => match current {
            Some(token) => token,
            None => return res,
        },
        None => return res,
    };
    let state = &resume.state;
    let Ok(Some(user_id)) = owner(state, &token).await else {
        return res;
    };
    let kept = match held::take(state, &held_token, &user_id).await {
        Ok(kept) if !kept.is_empty() => kept,
        // Nothing of theirs (anyone else's stays), or it could not be read: as it was.
        _ => return res,
    };
    let mut landing = None;
    for form in kept {
        let mut replay = Request::builder()
            .method(Method::POST)
            .uri(format!("/api/{}", form.endpoint))
            .header(header::ACCEPT, "text/html")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .header(header::COOKIE, format!("{SESSION_COOKIE}={token}"));
        if let Some(host) = &host {
            replay = replay.header(header::HOST, host.clone());
        }
        if let Some(forwarded) = &forwarded {
            replay = replay.header("x-forwarded-for", forwarded.clone());
        }
        let Ok(mut replay) = replay.body(Body::from(form.body.clone())) else {
            continue;
        };
        if let Some(connect) = &connect {
            replay.extensions_mut().insert(*connect);
        }
        if let Some(trust) = trust {
            replay.extensions_mut().insert(trust);
        }
        let sent = resume.routes.clone().oneshot(replay).await;
        let (status, location) = match &sent {
            Ok(sent) => (sent.status(), sent.headers().get(header::LOCATION).cloned()),
            Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, None),
        };
        let refused = location
            .as_ref()
            .and_then(|l| l.to_str().ok())
            .is_some_and(|l| l.contains("__err="));
        if status.is_success() || (status.is_redirection() && !refused) {
            let _ = held::sent(state, &user_id, &form.endpoint, ip.as_deref()).await;
            landing = location.or(landing);
        } else {
            let _ = held::keep_again(state, &held_token, &user_id, &form).await;
        }
    }
    if let Some(landing) = landing
        && res.headers().contains_key(header::LOCATION)
    {
        res.headers_mut().insert(header::LOCATION, landing);
    }
    if !held::any_left(state, &held_token).await.unwrap_or(true)
        && let Ok(clear) = HeaderValue::from_str(&held::clearing_cookie(state))
    {
        res.headers_mut().append(header::SET_COOKIE, clear);
    }
    res
}

/// The token of a session cookie the response sets (a sign-in), if any.
fn new_session_token(res: &Response) -> Option<String> {
    res.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == SESSION_COOKIE && !value.is_empty())
        .map(|(_, value)| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::without_passwords;

    #[test]
    fn a_kept_form_holds_no_password() {
        let body = b"note_id=n1&sections%5Bs%5D=Went+well%3B+50%25&intent=sign&password=hunter2";
        let kept = String::from_utf8(without_passwords(body)).unwrap();
        assert_eq!(
            kept,
            "note_id=n1&sections%5Bs%5D=Went+well%3B+50%25&intent=sign"
        );
        assert_eq!(without_passwords(b""), b"");
    }
}
