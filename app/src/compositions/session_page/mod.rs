//! The session page: the session's details, the pre-session brief (everything since the
//! couple's last session, gathered from homework, the program, notes and check-ins), agenda
//! items and the session's notes. A composition of those features.

pub mod api;
#[cfg(feature = "ssr")]
mod brief;
pub mod ui;

use serde::{Deserialize, Serialize};

/// A submission in the pre-session brief.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BriefSubmission {
    pub assignment_id: String,
    pub title: String,
    pub partner_name: String,
    pub submitted: String,
    /// "Counselor only" or "Shared with their partner".
    pub visibility: String,
    pub reviewed: bool,
}

/// Overdue homework in the brief.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BriefOverdue {
    pub assignment_id: String,
    pub title: String,
    pub partner_name: String,
    pub due: String,
}

/// Everything since the couple's last session, on one page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Brief {
    /// "since the session of Thu 19 Nov" or "since the case was opened".
    pub since: String,
    pub submissions: Vec<BriefSubmission>,
    pub overdue: Vec<BriefOverdue>,
    /// "Step 3 of 10: Be consistently transparent", when on a program.
    pub step: Option<String>,
    /// The last signed progress note before this session: its id, plan section, and date.
    pub last_plan: Option<(String, String, String)>,
    pub goals: Vec<crate::features::notes::GoalView>,
    /// Open safety flags.
    pub flags: Vec<crate::features::progress::FlagView>,
    /// Each partner's latest check-in against the one before, in words.
    pub check_ins: Vec<String>,
    /// Where the partners' reads of trust, or their trends, diverge, in words.
    pub divergence: Vec<String>,
    /// Each partner's latest questionnaire totals (PHQ-9, GAD-7, PCL-5), in words.
    pub measures: Vec<String>,
}

/// The session page: details, the brief, agenda items and the session's notes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPage {
    pub session: crate::features::sessions::SessionSummary,
    pub partners: Vec<(i64, String)>,
    pub closed: bool,
    pub time_zone: String,
    pub brief: Brief,
    pub agenda: Vec<crate::features::sessions::AgendaItem>,
    pub notes: Vec<crate::features::notes::NoteSummary>,
}
