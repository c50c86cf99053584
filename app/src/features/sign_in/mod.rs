//! Signing in and out: the sign-in page (with the demo practice's accounts when it is on), the
//! first-run page that creates the first administrator, the two-factor step and set-up pages,
//! and the administrator's two-factor controls. `auth` below holds the machinery (sessions,
//! guards, passwords, throttling, two-factor codes); this is what people see of it.

pub mod admin_ui;
pub mod api;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod second_step;
pub mod two_factor;
pub mod ui;

use crate::auth::Role;
use serde::{Deserialize, Serialize};

/// What the sign-in page needs to know before anyone is signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInOptions {
    /// Demo accounts to show, only when the demo practice is on.
    pub demo_accounts: Vec<DemoAccount>,
    pub demo_password: Option<String>,
    /// Button text for single sign-on, when OIDC is configured.
    pub oidc_label: Option<String>,
    /// No account exists yet: the first-run page creates the first administrator.
    pub needs_first_admin: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoAccount {
    pub email: String,
    pub role: Role,
    pub who: String,
}
