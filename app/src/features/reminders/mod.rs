//! Email reminders: each person's choice to receive them, and the outbox that the server's
//! background task fills (`plan`) and empties (the sender lives in the `server` crate).

pub mod api;
#[cfg(feature = "ssr")]
mod between;
#[cfg(feature = "ssr")]
pub mod plan;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod ui;

use serde::{Deserialize, Serialize};

/// What the settings page shows a person about their reminder emails.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderSettings {
    pub email: String,
    pub email_reminders: bool,
    /// How many hours before a session its reminder comes (one of `LEAD_HOURS`).
    pub session_reminder_hours: i64,
    /// The practice has configured an outgoing mail server.
    pub mail_enabled: bool,
    pub is_counselor: bool,
    /// The person's time zone, and every zone to choose from.
    pub time_zone: String,
    pub time_zones: Vec<String>,
}

/// The lead times a person may choose for session reminders, in hours (24 unless changed).
pub const LEAD_HOURS: [i64; 3] = [2, 24, 48];
