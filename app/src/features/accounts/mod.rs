//! Accounts of the practice: administrators, counselors and partners.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod ui;

use crate::auth::Role;
use serde::{Deserialize, Serialize};

/// An account as an administrator sees it in the list (no secrets, no clinical content).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub user_id: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub status: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Two-factor sign-in is on for this account.
    pub two_factor: bool,
}
