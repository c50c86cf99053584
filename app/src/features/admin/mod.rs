//! Running the practice: settings, which counselor has which couple, and the audit log.
//! Administrators manage accounts and assignments, never the clinical content of cases.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod ui;

use crate::features::cases::AdminCouple;
use serde::{Deserialize, Serialize};

/// How long closed cases are kept, unless the practice says otherwise.
pub const DEFAULT_RETENTION_YEARS: u32 = 7;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeSettings {
    pub retention_years: u32,
    /// Check-ins ask the CSI-4.
    pub csi_enabled: bool,
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
