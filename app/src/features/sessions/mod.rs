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
