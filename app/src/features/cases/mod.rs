//! Cases: a couple is one case with two partners. The counselor's caseload, the case page
//! and its timeline.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod ui;

use serde::{Deserialize, Serialize};

use crate::couple::{CaseStatus, RuptureRole};

/// One row of the counselor's caseload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub couple_id: String,
    pub case_name: String,
    pub status: CaseStatus,
    pub partner_names: Vec<String>,
    /// What needs the counselor's attention, most urgent first. Later features add new
    /// submissions awaiting review, overdue homework and safety flags here.
    pub attention: Vec<String>,
    pub rupture_date: Option<chrono::NaiveDate>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// The next scheduled session, in the counselor's time zone.
    pub next_session: Option<String>,
}

/// A page of the caseload, with what was asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caseload {
    pub cases: Vec<CaseSummary>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerView {
    pub position: i64,
    pub display_name: String,
    pub email: String,
    pub pronouns: Option<String>,
    pub rupture_role: RuptureRole,
    /// The partner has accepted their invitation and has an account.
    pub joined: bool,
    pub invitation: crate::features::invitations::InvitationState,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: chrono::DateTime<chrono::Utc>,
    pub what: String,
    pub who: Option<String>,
}

/// The case itself, as its counselor sees it: the couple's details, both partners and their
/// invitations, and the timeline of changes. (The case page shows it with every feature's
/// panel: `compositions::case_page`.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseOverview {
    pub couple_id: String,
    pub case_name: String,
    pub status: CaseStatus,
    pub counselor_name: String,
    pub rupture_date: Option<chrono::NaiveDate>,
    pub presenting_concerns: Option<String>,
    pub intake_notes: Option<String>,
    pub partners: Vec<PartnerView>,
    /// The newest changes to the case, oldest first (at most `TIMELINE_LENGTH`).
    pub timeline: Vec<TimelineEntry>,
    /// True when earlier changes were left out of `timeline`.
    pub timeline_truncated: bool,
    /// For a closed case: the date until which the practice keeps its records.
    pub kept_until: Option<chrono::NaiveDate>,
}

/// A partner's own couple, as their home page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerCouple {
    pub couple_id: String,
    pub case_name: String,
    pub status: CaseStatus,
    pub counselor_name: String,
    /// The other partner's name.
    pub partner_name: String,
}

/// A couple as an administrator sees it: who it is with, never what is in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminCouple {
    pub couple_id: String,
    pub case_name: String,
    pub status: CaseStatus,
    pub counselor_id: String,
    pub counselor_name: String,
}

/// Cases shown per caseload page.
pub const PER_PAGE: i64 = 25;

/// How many of a case's changes its page lists (the newest).
pub const TIMELINE_LENGTH: i64 = 200;
