//! Calendars: each person's private iCalendar feed (a secret address they make, reset or stop
//! in Settings; only its keyed hash is stored) and one session as an `.ics` download. A
//! counselor's feed is their caseload's sessions, couples named by initials unless they chose
//! names; a partner's is the sessions they attend, named only "Counseling session". Events
//! carry times, kind and place or joining link: never clinical words.

pub mod api;
#[cfg(feature = "ssr")]
pub mod events;
#[cfg(feature = "ssr")]
pub mod feed;
#[cfg(feature = "ssr")]
pub mod ical;
#[cfg(feature = "ssr")]
pub mod link;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod ui;

use serde::{Deserialize, Serialize};

/// A person's calendar feed as their Settings show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarSettings {
    /// A feed address exists (its token is not kept, so it cannot be shown again).
    pub has_link: bool,
    /// The address, only in the browser that made it, for a few minutes after.
    pub link: Option<String>,
    pub is_counselor: bool,
    /// A counselor's choice to see couples' names rather than initials.
    pub full_names: bool,
    /// When a calendar app last read the feed, in the person's time zone.
    pub last_read: Option<String>,
}

/// The address of one session's download.
pub fn session_ics_path(session_id: &str) -> String {
    format!("/sessions/{session_id}/calendar.ics")
}
