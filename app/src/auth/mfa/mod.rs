//! Two-factor sign-in with an authenticator app (TOTP) for counselors and administrators:
//! setting it up, recovery codes, the second sign-in step, and the practice's policy.
//! Secrets stay on the server, sealed at rest (`seal`); only the set-up page shows one, to
//! the person setting it up.

pub mod api;

#[cfg(feature = "ssr")]
pub mod flow;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod reseal;
#[cfg(feature = "ssr")]
pub mod totp;

use serde::{Deserialize, Serialize};

/// Where people set up and manage two-factor sign-in.
pub const PAGE: &str = "/account/two-factor";
/// Where a sign-in waits for its code.
pub const SECOND_STEP_PAGE: &str = "/login/two-factor";
/// How many recovery codes a person gets at a time.
pub const RECOVERY_CODES: usize = 10;

/// Server functions someone who must still set up two-factor may call (besides the page).
pub const ALLOWED_WHILE_ENROLLING: [&str; 5] = [
    "/api/mfa_status",
    "/api/start_mfa_setup",
    "/api/confirm_mfa_setup",
    "/api/sign_out",
    "/api/current_user",
];

/// Whether a role may use two-factor sign-in (partners do not, for now).
pub fn role_may_use(role: super::Role) -> bool {
    matches!(role, super::Role::Admin | super::Role::Counselor)
}

/// The person's own two-factor state, for their set-up page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorState {
    pub enabled_at: Option<chrono::DateTime<chrono::Utc>>,
    pub recovery_codes_left: i64,
    /// The practice requires two-factor for counselors and administrators.
    pub required: bool,
    /// Required but not set up yet: nothing else opens until it is.
    pub must_enrol: bool,
    /// A set-up in progress, waiting for the first code.
    pub setup: Option<MfaSetup>,
    /// Recovery codes just made, shown this once.
    pub new_recovery_codes: Vec<String>,
}

/// What the person needs to add Trellis to their authenticator app. Only ever sent to the
/// person setting it up, on their own set-up page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaSetup {
    /// The QR code as an inline SVG element, rendered on the server.
    pub qr_svg: String,
    /// The secret in base32, in groups of four, for typing into an app by hand.
    pub secret: String,
}
