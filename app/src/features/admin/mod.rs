//! Running the practice: settings, which counselor has which couple, and the audit log.
//! Administrators manage accounts and assignments, never the clinical content of cases.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod ui;

use crate::features::cases::AdminCouple;
use serde::{Deserialize, Serialize};

pub use crate::couple::DEFAULT_RETENTION_YEARS;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeSettings {
    pub retention_years: u32,
    /// Check-ins ask the CSI-4.
    pub csi_enabled: bool,
    /// Counselors and administrators must use two-factor sign-in.
    pub two_factor_required: bool,
    /// The program step from which couples' small wins walls open.
    pub wins_from_step: i64,
}

/// A person or a case to pick in a filter or a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouplesPage {
    pub couples: Vec<AdminCouple>,
    pub counselors: Vec<Choice>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub at: chrono::DateTime<chrono::Utc>,
    pub who: Option<String>,
    pub what: String,
    pub about: Option<String>,
    pub case_name: Option<String>,
    pub ip: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub lines: Vec<AuditLine>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub people: Vec<Choice>,
    pub couples: Vec<Choice>,
}

/// Audit lines per page.
pub const AUDIT_PER_PAGE: i64 = 50;

/// The practice at a glance for its administrator: counts only, no clinical content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    /// (status label, number of couples)
    pub couples: Vec<(String, i64)>,
    pub counselors: i64,
    pub partners: i64,
    /// (week starting, check-ins that week), the last eight weeks, oldest first.
    pub check_ins_per_week: Vec<(String, i64)>,
    /// Open homework with a due date: how many, and how many are past it.
    pub homework_due: i64,
    pub homework_overdue: i64,
    pub open_safety_flags: i64,
}
