//! Who is signed in, and how they got in: wire types shared by both sides.
//! Server-side pieces (sessions, passwords, throttling, SQL) are compiled for `ssr` only.

pub mod api;
pub mod mfa;

#[cfg(feature = "ssr")]
pub mod guard;
#[cfg(feature = "ssr")]
pub mod held;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod throttle;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Admin,
    Counselor,
    Partner,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Counselor => "counselor",
            Role::Partner => "partner",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Role::Admin),
            "counselor" => Some(Role::Counselor),
            "partner" => Some(Role::Partner),
            _ => None,
        }
    }

    /// How the role is named to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Counselor => "Counselor",
            Role::Partner => "Partner",
        }
    }
}

/// The signed-in person as the pages see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub user_id: crate::ids::UserId,
    pub display_name: String,
    pub email: String,
    pub role: Role,
}

/// The shortest password we accept. Length beats complexity rules (NIST SP 800-63B).
pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 256;
