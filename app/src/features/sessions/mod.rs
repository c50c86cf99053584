//! Sessions: the counselor schedules them, reschedules, cancels and records attendance; the
//! agenda across the caseload; the pre-session brief; what partners see (date, time and
//! format only). Times are stored in UTC and shown in the viewer's time zone, already
//! formatted by the server.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod ui;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionFormat {
    InPerson,
    Video,
    Phone,
}

impl SessionFormat {
    pub const ALL: [SessionFormat; 3] = [
        SessionFormat::InPerson,
        SessionFormat::Video,
        SessionFormat::Phone,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            SessionFormat::InPerson => "in_person",
            SessionFormat::Video => "video",
            SessionFormat::Phone => "phone",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            SessionFormat::InPerson => "In person",
            SessionFormat::Video => "Video",
            SessionFormat::Phone => "Phone",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionStatus {
    Scheduled,
    Attended,
    NoShow,
    Cancelled,
}

impl SessionStatus {
    pub const ALL: [SessionStatus; 4] = [
        SessionStatus::Scheduled,
        SessionStatus::Attended,
        SessionStatus::NoShow,
        SessionStatus::Cancelled,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Scheduled => "scheduled",
            SessionStatus::Attended => "attended",
            SessionStatus::NoShow => "no_show",
            SessionStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            SessionStatus::Scheduled => "Scheduled",
            SessionStatus::Attended => "Attended",
            SessionStatus::NoShow => "No-show",
            SessionStatus::Cancelled => "Cancelled",
        }
    }
}

/// A session as the counselor sees it in lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub session_id: String,
    pub couple_id: String,
    pub case_name: String,
    /// Start, in the viewer's time zone, e.g. "Thu 26 Nov 2026, 14:00".
    pub when: String,
    /// Start as a `datetime-local` value in the viewer's time zone.
    pub when_input: String,
    /// Start time only, e.g. "14:00".
    pub time: String,
    pub duration_minutes: i64,
    pub format: SessionFormat,
    /// "Both partners" or "Individual: NAME".
    pub attendees: String,
    /// "both", "partner_1" or "partner_2".
    pub attendees_key: String,
    pub status: SessionStatus,
    pub cancel_reason: Option<String>,
    /// Starts in the future.
    pub upcoming: bool,
}

/// The counselor's agenda: today and the coming week, day by day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agenda {
    pub time_zone: String,
    pub days: Vec<AgendaDay>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaDay {
    /// e.g. "Today, Thursday 26 November".
    pub label: String,
    pub sessions: Vec<SessionSummary>,
}

/// What a partner sees of a session: when, how long, and how.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerSession {
    pub when: String,
    pub duration_minutes: i64,
    pub format: SessionFormat,
    pub time_zone: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub body: String,
    pub added: String,
}

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
    /// The partners' trust is moving apart.
    pub divergence: bool,
}

/// The session page: details, the brief, agenda items and the session's notes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPage {
    pub session: SessionSummary,
    pub partners: Vec<(i64, String)>,
    pub closed: bool,
    pub time_zone: String,
    pub brief: Brief,
    pub agenda: Vec<AgendaItem>,
    pub notes: Vec<crate::features::notes::NoteSummary>,
}
