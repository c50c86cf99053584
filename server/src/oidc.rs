//! OpenID Connect sign-in: authorization-code flow with PKCE, state and nonce, and ID-token
//! validation against the issuer's published keys. An identity signs in only as an account
//! that already exists (matched by verified email); it never creates one.

use app::audit::AuditAction;
use app::audit::repo::{AuditEntry, record};
use app::auth::repo;
use app::auth::session::{self, RequestContext, cookie_value};
use app::auth::token::{keyed_hash, new_token};
use app::state::AppState;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, jwk::JwkSet};
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet,
    ExtraTokenFields, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    StandardRevocableToken, StandardTokenResponse, TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tokio::sync::Mutex;

const FLOW_COOKIE: &str = "trellis_oidc";
/// How long a person has to finish signing in at the provider.
const FLOW_MAX_AGE_MS: i64 = 10 * 60 * 1000;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct IdTokenField {
    id_token: Option<String>,
}
impl ExtraTokenFields for IdTokenField {}

type TokenResp = StandardTokenResponse<IdTokenField, BasicTokenType>;
type OAuthClient = oauth2::Client<
    BasicErrorResponse,
    TokenResp,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

#[derive(Debug, Deserialize)]
struct Discovery {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
    userinfo_endpoint: Option<String>,
}

/// The provider as discovered: endpoints, client and keys.
struct Provider {
    issuer: String,
    client: OAuthClient,
    jwks_uri: String,
    userinfo_endpoint: Option<String>,
    keys: Mutex<JwkSet>,
}

/// The configured OIDC provider; discovered on first use, so a provider that is down at
/// start-up does not stop Trellis from starting.
pub struct Oidc {
    issuer: String,
    client_id: String,
    client_secret: String,
    redirect_uri: String,
    secure_cookies: bool,
    http: reqwest::Client,
    provider: Mutex<Option<Arc<Provider>>>,
}

#[derive(Debug, thiserror::Error)]
enum OidcError {
    #[error("provider: {0}")]
    Provider(String),
    #[error("id token: {0}")]
    IdToken(String),
}

impl Oidc {
    pub fn new(
        issuer: &url::Url,
        client_id: String,
        client_secret: String,
        public_url: &url::Url,
    ) -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(15))
            .build()
            .expect("HTTP client");
        let redirect_uri = public_url
            .join("/auth/oidc/callback")
            .expect("callback URL")
            .to_string();
        Oidc {
            issuer: issuer.as_str().trim_end_matches('/').to_string(),
            client_id,
            client_secret,
            redirect_uri,
            secure_cookies: public_url.scheme() == "https",
            http,
            provider: Mutex::new(None),
        }
    }

    async fn provider(&self) -> Result<Arc<Provider>, OidcError> {
        let mut slot = self.provider.lock().await;
        if let Some(p) = slot.as_ref() {
            return Ok(p.clone());
        }
        let url = format!("{}/.well-known/openid-configuration", self.issuer);
        let d: Discovery = self.get_json(&url).await?;
        if d.issuer.trim_end_matches('/') != self.issuer {
            return Err(OidcError::Provider(format!(
                "discovery names issuer {} but {} is configured",
                d.issuer, self.issuer
            )));
        }
        let bad = |e: url::ParseError| OidcError::Provider(e.to_string());
        let client = oauth2::Client::new(ClientId::new(self.client_id.clone()))
            .set_client_secret(ClientSecret::new(self.client_secret.clone()))
            .set_auth_uri(AuthUrl::new(d.authorization_endpoint).map_err(bad)?)
            .set_token_uri(TokenUrl::new(d.token_endpoint).map_err(bad)?)
            .set_redirect_uri(RedirectUrl::new(self.redirect_uri.clone()).map_err(bad)?);
        let keys: JwkSet = self.get_json(&d.jwks_uri).await?;
        let provider = Arc::new(Provider {
            issuer: d.issuer,
            client,
            jwks_uri: d.jwks_uri,
            userinfo_endpoint: d.userinfo_endpoint,
            keys: Mutex::new(keys),
        });
        *slot = Some(provider.clone());
        Ok(provider)
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, OidcError> {
        let res = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| OidcError::Provider(format!("GET {url}: {e}")))?;
        if !res.status().is_success() {
            return Err(OidcError::Provider(format!("GET {url}: {}", res.status())));
        }
        res.json()
            .await
            .map_err(|e| OidcError::Provider(format!("GET {url}: {e}")))
    }

    fn flow_cookie(&self, value: &str, max_age: i64) -> String {
        let secure = if self.secure_cookies { "; Secure" } else { "" };
        format!(
            "{FLOW_COOKIE}={value}; Path=/auth/oidc; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
        )
    }
}

#[derive(Debug, Deserialize)]
struct IdClaims {
    sub: String,
    nonce: Option<String>,
    email: Option<String>,
    email_verified: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct UserInfo {
    sub: String,
    email: Option<String>,
    email_verified: Option<serde_json::Value>,
}

fn is_true(v: &Option<serde_json::Value>) -> bool {
    matches!(v, Some(serde_json::Value::Bool(true)))
        || matches!(v, Some(serde_json::Value::String(s)) if s == "true")
}

/// POST /auth/oidc/start: sends the browser to the provider.
pub async fn start(
    State(state): State<AppState>,
    Extension(oidc): Extension<Option<Arc<Oidc>>>,
) -> Response {
    let Some(oidc) = oidc else {
        return (StatusCode::NOT_FOUND, "Single sign-on is not configured.").into_response();
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
    if let Err(e) =
        repo::insert_oidc_login(state.db.pool(), &login_id, verifier.secret(), &nonce).await
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
        Ok(cookie) => ("/".to_string(), Some(cookie)),
        Err(code) => {
            let _ = record(
                state.db.pool(),
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
) -> Result<String, &'static str> {
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
    let (verifier, nonce) = repo::take_oidc_login(&state.db, &login_id, FLOW_MAX_AGE_MS)
        .await
        .map_err(|_| "failed")?
        .ok_or("failed")?;
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
    // An identity linked before signs in as its account, whatever email it now carries.
    let linked = repo::find_oidc_identity(state.db.pool(), &provider.issuer, &claims.sub)
        .await
        .map_err(|_| "failed")?;
    let user = match linked {
        Some(user_id) => repo::find_by_id(state.db.pool(), &user_id)
            .await
            .map_err(|_| "failed")?,
        None => {
            let (email, verified) = match claims.email {
                Some(email) => (email, is_true(&claims.email_verified)),
                None => {
                    let info = userinfo(oidc, &provider, token.access_token().secret())
                        .await
                        .map_err(|_| "failed")?;
                    if info.sub != claims.sub {
                        return Err("failed");
                    }
                    (
                        info.email.ok_or("unverified")?,
                        is_true(&info.email_verified),
                    )
                }
            };
            if !verified {
                return Err("unverified");
            }
            let user = repo::find_by_email(state.db.pool(), &email)
                .await
                .map_err(|_| "failed")?
                .ok_or("not_invited")?;
            repo::link_oidc_identity(
                state.db.pool(),
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
    session::complete_sign_in(
        state,
        &user.app_user_id,
        &user.email,
        ctx,
        AuditAction::OidcSignIn,
    )
    .await
    .map_err(|_| "failed")
}

async fn validate_id_token(
    oidc: &Oidc,
    provider: &Provider,
    id_token: &str,
    nonce: &str,
) -> Result<IdClaims, OidcError> {
    let header =
        jsonwebtoken::decode_header(id_token).map_err(|e| OidcError::IdToken(e.to_string()))?;
    // Only asymmetric signatures: a shared-secret (HS*) token could be forged by anyone who
    // knows the client secret.
    if matches!(
        header.alg,
        Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512
    ) {
        return Err(OidcError::IdToken("symmetric algorithm refused".into()));
    }
    let mut jwk = find_key(provider, header.kid.as_deref()).await;
    if jwk.is_none() {
        // Keys rotate: fetch them again once before giving up.
        let fresh: JwkSet = oidc.get_json(&provider.jwks_uri).await?;
        *provider.keys.lock().await = fresh;
        jwk = find_key(provider, header.kid.as_deref()).await;
    }
    let jwk = jwk.ok_or_else(|| OidcError::IdToken("no matching signing key".into()))?;
    let key = DecodingKey::from_jwk(&jwk).map_err(|e| OidcError::IdToken(e.to_string()))?;
    let mut validation = Validation::new(header.alg);
    validation.set_audience(&[&oidc.client_id]);
    validation.set_issuer(&[&provider.issuer]);
    validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
    validation.leeway = 60;
    let data = jsonwebtoken::decode::<IdClaims>(id_token, &key, &validation)
        .map_err(|e| OidcError::IdToken(e.to_string()))?;
    if data.claims.nonce.as_deref() != Some(nonce) {
        return Err(OidcError::IdToken("nonce mismatch".into()));
    }
    Ok(data.claims)
}

async fn find_key(provider: &Provider, kid: Option<&str>) -> Option<jsonwebtoken::jwk::Jwk> {
    let keys = provider.keys.lock().await;
    match kid {
        Some(kid) => keys.find(kid).cloned(),
        None if keys.keys.len() == 1 => keys.keys.first().cloned(),
        None => None,
    }
}

async fn userinfo(
    oidc: &Oidc,
    provider: &Provider,
    access_token: &str,
) -> Result<UserInfo, OidcError> {
    let url = provider
        .userinfo_endpoint
        .as_deref()
        .ok_or_else(|| OidcError::Provider("no userinfo endpoint".into()))?;
    let res = oidc
        .http
        .get(url)
        .bearer_auth(access_token)
        .send()
        .await
        .map_err(|e| OidcError::Provider(e.to_string()))?;
    if !res.status().is_success() {
        return Err(OidcError::Provider(format!("userinfo: {}", res.status())));
    }
    res.json()
        .await
        .map_err(|e| OidcError::Provider(e.to_string()))
}
