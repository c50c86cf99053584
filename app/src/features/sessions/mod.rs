//! Sessions: the counselor schedules them, reschedules, cancels and records attendance; the
//! agenda across the caseload; the pre-session brief; what partners see (date, time, format,
//! whether it is joint or individual, and where: the joining link or the address). Times are
//! stored in UTC and shown in the viewer's time zone, already formatted by the server.

pub mod api;
#[cfg(feature = "ssr")]
pub mod emails;
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
    /// The joining link or address set for this session (empty: the default applies).
    pub place: Option<String>,
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

/// What a partner sees of a session: when, how long, how, whether their partner comes too,
/// and where. Nothing else (no case name, no agenda, no notes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerSession {
    /// For the session's calendar download (`/sessions/<id>/calendar.ics`).
    pub session_id: String,
    pub when: String,
    pub duration_minutes: i64,
    pub format: SessionFormat,
    pub time_zone: String,
    /// "Joint session" or "Individual session".
    pub kind: String,
    /// For an online session: the link to join.
    pub link: Option<String>,
    /// For a session in person: where to come.
    pub address: Option<String>,
}

/// The longest joining link or address a session keeps.
pub const MAX_PLACE_CHARS: usize = 500;

/// Checks what the counselor wrote as a session's place (or their default joining link):
/// nothing, a joining link (`https://` and no spaces) for an online session, or a few words of
/// address otherwise. The words of a refusal, when it is refused.
pub fn check_place(format: SessionFormat, place: &str) -> Result<Option<String>, String> {
    let place = place.trim();
    if place.is_empty() {
        return Ok(None);
    }
    if place.chars().count() > MAX_PLACE_CHARS {
        return Err(format!("Keep it to {MAX_PLACE_CHARS} characters."));
    }
    if format == SessionFormat::Video && !is_link(place) {
        return Err(
            "For a video session, paste the joining link, starting with https:// (for example \
             the link your video service gives for the meeting)."
                .into(),
        );
    }
    Ok(Some(place.to_string()))
}

/// A web link partners can open safely: `https://`, a host, and no spaces.
pub fn is_link(text: &str) -> bool {
    text.strip_prefix("https://")
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && !text.chars().any(char::is_whitespace)
        && !text.contains(['<', '>', '"', '\''])
}

/// Where partners are told a session happens, from its own place, the counselor's joining
/// link and the practice's address: (the joining link of an online session, the address of
/// one in person or the details of one by phone).
pub fn where_of(
    format: SessionFormat,
    place: Option<String>,
    default_link: Option<String>,
    practice_address: Option<String>,
) -> (Option<String>, Option<String>) {
    match format {
        SessionFormat::Video => (place.or(default_link).filter(|l| is_link(l)), None),
        SessionFormat::InPerson => (None, place.or(practice_address)),
        SessionFormat::Phone => (None, place),
    }
}

/// The practice's address and the counselor's own joining link, as the settings show them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPlaces {
    pub practice_address: String,
    pub meeting_link: String,
}

#[cfg(test)]
mod place_tests {
    use super::*;

    #[test]
    fn a_video_session_takes_only_a_safe_link() {
        let video = SessionFormat::Video;
        assert_eq!(check_place(video, "  "), Ok(None));
        assert_eq!(
            check_place(video, "https://meet.example.org/abc-def"),
            Ok(Some("https://meet.example.org/abc-def".into()))
        );
        for bad in [
            "meet.example.org/abc",
            "http://meet.example.org/abc",
            "javascript:alert(1)",
            "https:// spaced.example.org",
            "https:///nohost",
            "https://x.org/\"a\"",
        ] {
            assert!(check_place(video, bad).is_err(), "{bad}");
        }
        assert!(check_place(video, &format!("https://x.org/{}", "a".repeat(600))).is_err());
    }

    #[test]
    fn a_session_in_person_takes_a_few_words_of_address() {
        assert_eq!(
            check_place(SessionFormat::InPerson, "Room 2, 14 Harbour Street"),
            Ok(Some("Room 2, 14 Harbour Street".into()))
        );
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub body: String,
    pub added: String,
}
