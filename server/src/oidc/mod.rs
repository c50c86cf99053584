//! OpenID Connect sign-in: authorization-code flow with PKCE, state and nonce, and ID-token
//! validation against the issuer's published keys. An identity signs in only as an account
//! that already exists (matched by verified email); only an invitation makes one (see
//! `invitation`, which also decides when an identity may join an existing account).

mod invitation;
mod provider;

pub use provider::Oidc;

use app::audit::AuditAction;
use app::audit::repo::{AuditEntry, record};
use app::auth::mfa::SECOND_STEP_PAGE;
use app::auth::mfa::flow::{AfterFirstStep, FirstStep, after_first_step};
use app::auth::repo;
use app::auth::session::{RequestContext, cookie_value};
use app::crypto::token::{keyed_hash, new_token};
use app::features::invitations::InvitationStatus;
use app::features::invitations::repo as invitations;
use app::state::AppState;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use oauth2::{
    AuthorizationCode, CsrfToken, PkceCodeChallenge, PkceCodeVerifier, Scope, TokenResponse,
};
use provider::{IdClaims, Provider, is_true, userinfo, validate_id_token};
use serde::Deserialize;
use std::sync::Arc;

const FLOW_COOKIE: &str = "trellis_oidc";
/// How long a person has to finish signing in at the provider.
const FLOW_MAX_AGE_MS: i64 = 10 * 60 * 1000;

/// POST /auth/oidc/start: sends the browser to the provider. Posted from an invitation
/// page (with the invitation's token), completing the sign-in accepts that invitation.
pub async fn start(
    State(state): State<AppState>,
    Extension(oidc): Extension<Option<Arc<Oidc>>>,
    body: axum::body::Bytes,
) -> Response {
    let Some(oidc) = oidc else {
        return (StatusCode::NOT_FOUND, "Single sign-on is not configured.").into_response();
    };
    let invitation_token = url::form_urlencoded::parse(&body)
        .find(|(k, _)| k == "invitation")
        .map(|(_, v)| v.into_owned())
        .filter(|v| !v.is_empty());
    let invitation_id = match &invitation_token {
        None => None,
        Some(token) => match invitations::find_by_token(&state, token).await {
            Ok(Some(row)) if row.status(app::db::now_ms()) == InvitationStatus::Pending => {
                Some(row.invitation_id)
            }
            // A link that cannot be used: its page says why.
            Ok(_) => {
                let token: String =
                    url::form_urlencoded::byte_serialize(token.as_bytes()).collect();
                return Redirect::to(&format!("/invite/{token}")).into_response();
            }
            Err(_) => return Redirect::to("/login?oidc_error=failed").into_response(),
        },
    };
    let provider = match oidc.provider().await {
        Ok(p) => p,
        Err(e) => {
            tracing::error!(error = %e, "OIDC discovery failed");
            return Redirect::to("/login?oidc_error=unavailable").into_response();
        }
    };
    let flow_state = new_token();
    let nonce = new_token();
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let login_id = keyed_hash(&state.auth.session_key, &flow_state);
    if let Err(e) = repo::insert_oidc_login(
        state.db.writer(),
        &login_id,
        verifier.secret(),
        &nonce,
        invitation_id.as_deref(),
    )
    .await
    {
        tracing::error!(error = %e, "storing OIDC login failed");
        return Redirect::to("/login?oidc_error=failed").into_response();
    }
    let state_for_url = flow_state.clone();
    let (url, _) = provider
        .client
        .authorize_url(move || CsrfToken::new(state_for_url))
        .add_scope(Scope::new("openid".into()))
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .add_extra_param("nonce", nonce)
        .url();
    let mut res = Redirect::to(url.as_str()).into_response();
    if let Ok(v) = HeaderValue::from_str(&oidc.flow_cookie(&flow_state, FLOW_MAX_AGE_MS / 1000)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// GET /auth/oidc/callback: the provider sends the browser back here with a code.
pub async fn callback(
    State(state): State<AppState>,
    Extension(oidc): Extension<Option<Arc<Oidc>>>,
    Extension(ctx): Extension<RequestContext>,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let Some(oidc) = oidc else {
        return (StatusCode::NOT_FOUND, "Single sign-on is not configured.").into_response();
    };
    let outcome = finish(&state, &oidc, &ctx, &headers, q).await;
    let (location, session_cookie) = match outcome {
        Ok(AfterFirstStep::SignedIn(cookie)) => ("/".to_string(), Some(cookie)),
        // Two-factor applies to single sign-on too: the code is asked for next.
        Ok(AfterFirstStep::CodeNeeded(cookie)) => (SECOND_STEP_PAGE.to_string(), Some(cookie)),
        Err(code) => {
            let _ = record(
                state.db.writer(),
                AuditAction::OidcSignInRefused,
                AuditEntry {
                    ip: ctx.ip.as_deref(),
                    detail: Some(code),
                    ..Default::default()
                },
            )
            .await;
            (format!("/login?oidc_error={code}"), None)
        }
    };
    let mut res = Redirect::to(&location).into_response();
    let cookies = [Some(oidc.flow_cookie("", 0)), session_cookie];
    for c in cookies.into_iter().flatten() {
        if let Ok(v) = HeaderValue::from_str(&c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// Completes the flow; the error is a short reason code for the sign-in page and the audit.
async fn finish(
    state: &AppState,
    oidc: &Oidc,
    ctx: &RequestContext,
    headers: &HeaderMap,
    q: CallbackQuery,
) -> Result<AfterFirstStep, &'static str> {
    if q.error.is_some() {
        return Err("cancelled");
    }
    let (Some(code), Some(flow_state)) = (q.code, q.state) else {
        return Err("failed");
    };
    // The state must match the one this browser started with (login CSRF).
    if cookie_value(headers, FLOW_COOKIE).as_deref() != Some(flow_state.as_str()) {
        return Err("failed");
    }
    let login_id = keyed_hash(&state.auth.session_key, &flow_state);
    let login = repo::take_oidc_login(&state.db, &login_id, FLOW_MAX_AGE_MS)
        .await
        .map_err(|_| "failed")?
        .ok_or("failed")?;
    let (verifier, nonce) = (login.pkce_verifier, login.nonce);
    let provider = oidc.provider().await.map_err(|e| {
        tracing::error!(error = %e, "OIDC discovery failed");
        "unavailable"
    })?;
    let token = provider
        .client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(PkceCodeVerifier::new(verifier))
        .request_async(&oidc.http)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "OIDC code exchange failed");
            "failed"
        })?;
    let id_token = token.extra_fields().id_token.clone().ok_or("failed")?;
    let claims = validate_id_token(oidc, &provider, &id_token, &nonce)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "OIDC ID token refused");
            "failed"
        })?;
    let identity = Identity {
        oidc,
        provider: &provider,
        claims: &claims,
        access_token: token.access_token().secret(),
    };
    if let Some(invitation_id) = login.invitation_id {
        let user_id = invitation::accept(state, &identity, &invitation_id, ctx).await?;
        let user = repo::find_by_id(state.db.pool(), &user_id)
            .await
            .map_err(|_| "failed")?
            .ok_or("failed")?;
        return after_first_step(state, &user.app_user_id, &user.email, ctx, FirstStep::Oidc)
            .await
            .map_err(|_| "failed");
    }
    // An identity linked before signs in as its account, whatever email it now carries.
    let linked = repo::find_oidc_identity(state.db.pool(), &provider.issuer, &claims.sub)
        .await
        .map_err(|_| "failed")?;
    let user = match linked {
        Some(user_id) => repo::find_by_id(state.db.pool(), &user_id)
            .await
            .map_err(|_| "failed")?,
        None => {
            let email = identity.verified_email().await?.ok_or("unverified")?;
            let user = repo::find_by_email(state.db.pool(), &email)
                .await
                .map_err(|_| "failed")?
                .ok_or("not_invited")?;
            repo::link_oidc_identity(
                state.db.writer(),
                &provider.issuer,
                &claims.sub,
                &user.app_user_id,
            )
            .await
            .map_err(|_| "failed")?;
            Some(user)
        }
    };
    let user = user.ok_or("not_invited")?;
    if !user.is_active() {
        return Err("deactivated");
    }
    after_first_step(state, &user.app_user_id, &user.email, ctx, FirstStep::Oidc)
        .await
        .map_err(|_| "failed")
}

/// The identity the provider vouched for in this sign-in.
struct Identity<'a> {
    oidc: &'a Oidc,
    provider: &'a Provider,
    claims: &'a IdClaims,
    access_token: &'a str,
}

impl Identity<'_> {
    fn issuer(&self) -> &str {
        &self.provider.issuer
    }

    fn subject(&self) -> &str {
        &self.claims.sub
    }

    /// The identity's email address if its provider verified it (`email_verified` true):
    /// from the ID token when it carries one, otherwise from userinfo for the same subject.
    async fn verified_email(&self) -> Result<Option<String>, &'static str> {
        let (email, verified) = match &self.claims.email {
            Some(email) => (Some(email.clone()), is_true(&self.claims.email_verified)),
            None => {
                let info = userinfo(self.oidc, self.provider, self.access_token)
                    .await
                    .map_err(|_| "failed")?;
                if info.sub != self.claims.sub {
                    return Err("failed");
                }
                let verified = is_true(&info.email_verified);
                (info.email, verified)
            }
        };
        Ok(email.filter(|_| verified))
    }
}
