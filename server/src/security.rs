//! Request-level protections: cross-site requests refused, security headers on every
//! response, the client's address, and the session resolved once per request.

use app::auth::repo::count_users;
use app::auth::session;
use app::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;

/// Refuses state-changing requests that a browser marks as coming from another site.
/// Browsers send `Sec-Fetch-Site` (and `Origin`) on every POST; clients that send neither
/// are not browsers, so they cannot be tricked into riding someone's cookie.
pub async fn same_origin_only(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let allowed = match fetch_site {
        Some(site) => site == "same-origin" || site == "none",
        None => match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            Some(origin) => {
                let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
                host.is_some_and(|host| {
                    origin
                        .split_once("://")
                        .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(host))
                })
            }
            None => true,
        },
    };
    if allowed {
        next.run(req).await
    } else {
        tracing::warn!(path = %req.uri().path(), "cross-site request refused");
        (
            StatusCode::FORBIDDEN,
            "Cross-site request refused. Please use Trellis from its own pages.",
        )
            .into_response()
    }
}

/// Whether Trellis is served over https (its public URL says so): browsers are then told to
/// use nothing else (HSTS).
#[derive(Clone, Copy)]
pub struct Https(pub bool);

/// Headers every response carries. Pages hold health information, so nothing but the
/// static bundle may be cached.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let cacheable = req.uri().path().starts_with("/pkg/");
    let https = req.extensions().get::<Https>().is_some_and(|h| h.0);
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    // Page addresses hold case ids: none travels in a header, not even to Trellis itself
    // (forms carry their own way back, see `return_to`).
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    if https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    // Pages carry their own policy with a script nonce (see `app::shell`); everything else
    // gets one that allows nothing to frame it or run in it.
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'",
            ),
        );
    }
    if !cacheable {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Paths that need no session lookup at all.
fn is_static(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/favicon.svg" || path == "/healthz"
}

/// Pages anyone may open; signed-in people are sent home from them.
fn is_public_page(path: &str) -> bool {
    matches!(path, "/login" | "/setup") || path == app::auth::mfa::SECOND_STEP_PAGE
}

/// Pages anyone may open, signed in or not: an invitation or password reset link may be
/// opened in a browser where someone is already signed in (using it signs them out), and
/// crisis help, like the way to ask for a reset link, is for everyone. A calendar feed is
/// read by calendar apps, which never sign in: its secret address is its only key.
fn is_open_page(path: &str) -> bool {
    path.starts_with("/invite/")
        || path.starts_with("/reset/")
        || path.starts_with("/calendar/")
        || path == "/forgot"
        || path == HELP_PAGE
}

/// Crisis help: open to anyone, at every point (even before two-factor is set up).
const HELP_PAGE: &str = "/help";

/// Resolves who is behind the request (once) and keeps signed-out people on public pages.
pub async fn request_context(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_string();
    if is_static(&path) {
        return next.run(req).await;
    }
    let trust_proxy = req.extensions().get::<TrustProxy>().is_some_and(|t| t.0);
    let ip = client_ip(&req, trust_proxy);
    let ctx = match session::resolve(&state, req.headers(), ip).await {
        Ok(ctx) => ctx,
        Err(err) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, err.to_string()).into_response();
        }
    };
    let is_page =
        req.method() == Method::GET && !path.starts_with("/api/") && !path.starts_with("/auth/");
    if let Some(refused) = until_enrolled(&ctx, &path, is_page) {
        return refused;
    }
    if let Some(refused) = until_consented(&ctx, &path, req.uri().query(), is_page) {
        return refused;
    }
    if is_page && !is_open_page(&path) {
        let signed_in = ctx.session.is_some();
        if signed_in && is_public_page(&path) {
            return Redirect::to("/").into_response();
        }
        if !signed_in && !is_public_page(&path) {
            return Redirect::to("/login").into_response();
        }
        if !signed_in && path == "/login" && count_users(state.db.pool()).await.unwrap_or(1) == 0 {
            return Redirect::to("/setup").into_response();
        }
    }
    // What the pages would otherwise read again: the signed-in person's time zone.
    let couples = app::couple::RequestCouples::default();
    if let Some(signed_in) = &ctx.session {
        couples.remember_time_zone(&signed_in.user.user_id, signed_in.time_zone);
    }
    req.extensions_mut().insert(couples);
    req.extensions_mut().insert(ctx);
    next.run(req).await
}

/// Someone the practice requires to set up two-factor reaches only the set-up page and the
/// few server functions it and signing out need: other pages send them there, anything else
/// is refused. (Guards refuse them too; this also covers the plain axum handlers.)
fn until_enrolled(ctx: &session::RequestContext, path: &str, is_page: bool) -> Option<Response> {
    use app::auth::mfa::{ALLOWED_WHILE_ENROLLING, PAGE};
    if !ctx.session.as_ref().is_some_and(|s| s.must_enrol) {
        return None;
    }
    if path == PAGE || path == HELP_PAGE || ALLOWED_WHILE_ENROLLING.contains(&path) {
        return None;
    }
    if is_page {
        return Some(Redirect::to(PAGE).into_response());
    }
    let err = app::error::AppError::TwoFactorRequired;
    let body = serde_json::to_string(&err).unwrap_or_default();
    Some(
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response(),
    )
}

/// A partner who has not signed the practice's current consent reaches only the consent
/// page, crisis help, invitation links and the server functions those and signing out need:
/// other pages send them to the consent, anything else is refused. (Guards refuse them too;
/// this also covers the plain axum handlers, such as downloads.)
fn until_consented(
    ctx: &session::RequestContext,
    path: &str,
    query: Option<&str>,
    is_page: bool,
) -> Option<Response> {
    use app::features::consent::{ALLOWED_WHILE_CONSENTING, PAGE};
    if !ctx.session.as_ref().is_some_and(|s| s.must_consent) {
        return None;
    }
    if path == PAGE
        || is_open_page(path)
        || path.starts_with("/auth/")
        || ALLOWED_WHILE_CONSENTING.contains(&path)
    {
        return None;
    }
    if is_page {
        // Someone who has just joined keeps their welcome for after signing.
        let welcome = path == "/" && query.is_some_and(|q| q.split('&').any(|p| p == "welcome=1"));
        let to = if welcome { "/consent?welcome=1" } else { PAGE };
        return Some(Redirect::to(to).into_response());
    }
    let err = app::error::AppError::ConsentRequired;
    let body = serde_json::to_string(&err).unwrap_or_default();
    Some(
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response(),
    )
}

/// Whether to believe `X-Forwarded-For` (set from configuration as a request extension).
#[derive(Clone, Copy)]
pub struct TrustProxy(pub bool);

/// The client's address: the one the proxy vouches for when trusted, else the peer's.
pub fn client_ip(req: &Request, trust_proxy: bool) -> Option<String> {
    if trust_proxy {
        // The proxy appends the address it saw; the last entry is the one it vouches for.
        let forwarded = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
}

/// Server functions that fail before our code runs (a missing or malformed argument) come
/// back from leptos as 500 with the error in the body. Gives such a response the status its
/// error stands for, so bad input is a 4xx, never a server error.
pub async fn honest_status(req: Request, next: Next) -> Response {
    let server_fn = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if !server_fn || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(err) = serde_json::from_slice::<app::error::AppError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(err.status_code())
    {
        parts.status = status;
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// Gives the body-size limit's refusal (413) a message a person can act on; the limit
/// itself answers with a bare "length limit exceeded".
pub async fn explain_too_large(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return res;
    }
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        "This is too large to send: Trellis accepts up to 1 MB at a time. \
         Please shorten what you wrote and try again.",
    )
        .into_response()
}

/// PostgreSQL cannot store U+0000 in text and reports it as a database error, while SQLite
/// stores it: refused here, before any handler runs, the same on every engine. A person
/// never types it; a NUL in a form is always a crafted request.
pub async fn refuse_nul(req: Request, next: Next) -> Response {
    let in_address = req
        .uri()
        .path_and_query()
        .is_some_and(|pq| encodes_nul(pq.as_str().as_bytes()));
    if in_address {
        return nul_refused();
    }
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    // The body is already limited (an outer layer); past the limit, say so.
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    if bytes.contains(&0) || encodes_nul(&bytes) {
        return nul_refused();
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}

/// `%00` (a form or an address) or `\u0000` (JSON).
fn encodes_nul(bytes: &[u8]) -> bool {
    bytes.windows(3).any(|w| w == b"%00")
        || bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000"))
}

fn nul_refused() -> Response {
    let err = app::error::AppError::validation(
        "text",
        "The text sent holds a NUL character (U+0000), which Trellis cannot store. \
         Please remove it and try again.",
    );
    let body = serde_json::to_string(&err).unwrap_or_default();
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}
