//! The OIDC provider as Trellis talks to it: discovery, the OAuth client, the issuer's keys,
//! ID-token validation and userinfo.

use super::FLOW_COOKIE;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, jwk::JwkSet};
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthUrl, ClientId, ClientSecret, EndpointNotSet, EndpointSet, ExtraTokenFields, RedirectUrl,
    StandardRevocableToken, StandardTokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tokio::sync::Mutex;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct IdTokenField {
    pub(super) id_token: Option<String>,
}
impl ExtraTokenFields for IdTokenField {}

pub(super) type TokenResp = StandardTokenResponse<IdTokenField, BasicTokenType>;
pub(super) type OAuthClient = oauth2::Client<
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
pub(super) struct Discovery {
    pub(super) issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
    userinfo_endpoint: Option<String>,
}

/// The provider as discovered: endpoints, client and keys.
pub(super) struct Provider {
    pub(super) issuer: String,
    pub(super) client: OAuthClient,
    jwks_uri: String,
    userinfo_endpoint: Option<String>,
    keys: Mutex<JwkSet>,
}

/// The configured OIDC provider; discovered on first use, so a provider that is down at
/// start-up does not stop Trellis from starting.
pub struct Oidc {
    pub(super) issuer: String,
    client_id: String,
    pub(super) client_secret: String,
    redirect_uri: String,
    secure_cookies: bool,
    pub(super) http: reqwest::Client,
    provider: Mutex<Option<Arc<Provider>>>,
}

#[derive(Debug, thiserror::Error)]
pub(super) enum OidcError {
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

    pub(super) async fn provider(&self) -> Result<Arc<Provider>, OidcError> {
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

    pub(super) fn flow_cookie(&self, value: &str, max_age: i64) -> String {
        let secure = if self.secure_cookies { "; Secure" } else { "" };
        format!(
            "{FLOW_COOKIE}={value}; Path=/auth/oidc; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
        )
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct IdClaims {
    pub(super) sub: String,
    pub(super) nonce: Option<String>,
    pub(super) email: Option<String>,
    pub(super) email_verified: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
pub(super) struct UserInfo {
    pub(super) sub: String,
    pub(super) email: Option<String>,
    pub(super) email_verified: Option<serde_json::Value>,
}

pub(super) fn is_true(v: &Option<serde_json::Value>) -> bool {
    matches!(v, Some(serde_json::Value::Bool(true)))
        || matches!(v, Some(serde_json::Value::String(s)) if s == "true")
}

pub(super) async fn validate_id_token(
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

pub(super) async fn find_key(
    provider: &Provider,
    kid: Option<&str>,
) -> Option<jsonwebtoken::jwk::Jwk> {
    let keys = provider.keys.lock().await;
    match kid {
        Some(kid) => keys.find(kid).cloned(),
        None if keys.keys.len() == 1 => keys.keys.first().cloned(),
        None => None,
    }
}

pub(super) async fn userinfo(
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
