//! Passwords people can change and recover: changing one's own password in Settings, asking
//! for a reset link by email, and reset links a counselor (for a partner on their caseload)
//! or an administrator (for anyone) makes and passes on. A reset link works once, for an
//! hour; the database keeps only a keyed hash of its token.

pub mod api;
#[cfg(feature = "ssr")]
pub mod link;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod ui;

use serde::{Deserialize, Serialize};

/// How long a reset link works.
pub const VALID_MINUTES: i64 = 60;

/// What the password part of Settings needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordSettings {
    /// The account has a password (an account that only uses single sign-on has none).
    pub has_password: bool,
    pub email: String,
}

/// What a reset link opens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResetPage {
    /// The link works: the form to choose a new password, for this address.
    Open { email: String },
    /// Used, expired or unknown: one message for all three.
    Closed,
}

/// A reset link as the person who made it sees it, beside the account it is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetLink {
    /// The link itself: present only right after this browser made it.
    pub link: Option<String>,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A partner's reset link on the case page: only partners who have joined have a password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerReset {
    pub position: i64,
    pub joined: bool,
    pub latest: ResetLink,
}
