//! Server-side application state, provided as Leptos context to pages and server functions.

use crate::db::Db;
use leptos::config::LeptosOptions;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub auth: Arc<AuthSettings>,
    pub leptos_options: LeptosOptions,
    /// An outgoing mail server is configured: reminders and invitations are emailed.
    pub mail_enabled: bool,
}

/// How sessions and sign-in behave; built from the server's configuration.
pub struct AuthSettings {
    /// Key for the keyed hashes of session tokens.
    pub session_key: Vec<u8>,
    /// Keys that seal two-factor secrets in the database.
    pub mfa_keys: crate::crypto::seal::Keyring,
    pub idle_timeout: Duration,
    pub absolute_timeout: Duration,
    /// Mark cookies `Secure` (the public URL is https).
    pub secure_cookies: bool,
    /// Button text for OIDC sign-in; `None` when OIDC is not configured.
    pub oidc_label: Option<String>,
    /// The demo practice is switched on (`TRELLIS_DEMO=1`).
    pub demo: bool,
    /// Where people reach Trellis (for links such as invitations), without a trailing slash.
    pub public_url: String,
}

impl std::fmt::Debug for AuthSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthSettings")
            .field("session_key", &"[redacted]")
            .field("mfa_keys", &self.mfa_keys)
            .field("idle_timeout", &self.idle_timeout)
            .field("absolute_timeout", &self.absolute_timeout)
            .field("secure_cookies", &self.secure_cookies)
            .field("oidc_label", &self.oidc_label)
            .field("demo", &self.demo)
            .field("public_url", &self.public_url)
            .finish()
    }
}

/// The state, from inside a page or server function.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| crate::error::AppError::internal("context", "AppState missing"))
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
