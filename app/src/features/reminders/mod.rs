//! Email reminders: each person's choice to receive them, and the outbox that the server's
//! background task fills (`plan`) and empties (the sender lives in the `server` crate).

pub mod api;
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
    /// The practice has configured an outgoing mail server.
    pub mail_enabled: bool,
    pub is_counselor: bool,
    /// The person's time zone, and every zone to choose from.
    pub time_zone: String,
    pub time_zones: Vec<String>,
}
