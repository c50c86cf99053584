//! Secure messages: each partner's private thread with their counselor, and the joint thread
//! the counselor may open for the couple. Every thread says who reads it; a message is never
//! edited, and its sender may retract it within a few minutes (its words are then deleted).

pub mod api;
#[cfg(feature = "ssr")]
pub mod page;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod ui;

use serde::{Deserialize, Serialize};

/// The longest message, in characters.
pub const MAX_MESSAGE: usize = 4_000;
/// How long after sending its sender may retract a message.
pub const RETRACT_WINDOW_MS: i64 = 5 * 60 * 1000;
/// How often an open thread asks for new messages, with JavaScript on.
pub const POLL_SECONDS: u64 = 15;
/// The longest response-time statement.
pub const MAX_RESPONSE: usize = 400;

/// What partners read about replies until the practice says it itself.
pub const DEFAULT_RESPONSE: &str =
    "Your counselor reads messages on working days and usually replies within two working days.";

/// Said on every thread, whatever the practice's statement.
pub const NOT_FOR_EMERGENCIES: &str =
    "Messages are not for emergencies. If you need help now, use \u{201c}Get help now\u{201d}.";

/// The thread's place in a couple: 0 is the joint thread, 1 and 2 each partner's private one.
pub const JOINT: i64 = 0;

/// A thread as its page names it: "joint", or the partner's position ("1", "2").
pub fn thread_name(position: i64) -> String {
    if position == JOINT {
        "joint".into()
    } else {
        position.to_string()
    }
}

/// The position a counselor's thread address names, if it names one.
pub fn parse_thread(name: &str) -> Option<i64> {
    match name.trim() {
        "joint" => Some(JOINT),
        "1" => Some(1),
        "2" => Some(2),
        _ => None,
    }
}

/// Whether a message sent at `sent_at` may still be retracted at `now`.
pub fn retractable(sent_at: i64, now: i64) -> bool {
    now >= sent_at && now - sent_at <= RETRACT_WINDOW_MS
}

/// One message as a reader sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub message_id: String,
    /// Who wrote it ("You" for the reader's own).
    pub author: String,
    pub mine: bool,
    /// The words; `None` once retracted.
    pub body: Option<String>,
    /// When it was sent, in the reader's time zone.
    pub sent: String,
    /// "Message retracted by Jordan on ..." once retracted.
    pub retracted: Option<String>,
    /// The reader sent it less than five minutes ago.
    pub can_retract: bool,
    /// New to the reader when they opened the thread.
    pub unread: bool,
}

/// A thread as one reader sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadPage {
    /// For a partner, the couple as their links name it (empty with one couple); for the
    /// counselor, the couple's id.
    pub couple_id: String,
    /// "private" or "joint" for a partner; "1", "2" or "joint" for the counselor.
    pub thread: String,
    /// This thread's page, for this reader (where a retracted message comes back to).
    pub href: String,
    pub heading: String,
    /// Exactly who reads what is written here.
    pub readers: String,
    /// The practice's response-time statement.
    pub response: String,
    pub messages: Vec<MessageView>,
    /// A joint thread exists once the counselor opens it; a private one always does.
    pub open: bool,
    pub can_write: bool,
    /// Why the box is closed, when it is.
    pub closed_reason: Option<String>,
    /// The counselor's view: this partner asked to talk privately in a check-in.
    pub asked_privately: bool,
    pub counselor: bool,
    /// The reader's other threads of this couple.
    pub others: Vec<ThreadLink>,
}

/// A link to a thread, with how many messages in it the reader has not read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadLink {
    pub href: String,
    pub label: String,
    pub unread: i64,
    /// The partner of this private thread asked to talk privately (the counselor's view).
    pub asked_privately: bool,
}

/// The messages panel of the case page: the threads, and whether the joint one is open.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseMessages {
    pub threads: Vec<ThreadLink>,
    pub joint_open: bool,
}

/// The practice's messaging settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessagingSettings {
    pub partners_may_write: bool,
    pub response: String,
    pub response_configured: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_retractable_for_five_minutes_only() {
        let sent = 1_000_000;
        assert!(retractable(sent, sent));
        assert!(retractable(sent, sent + RETRACT_WINDOW_MS));
        assert!(!retractable(sent, sent + RETRACT_WINDOW_MS + 1));
        assert!(!retractable(sent, sent - 1));
    }

    #[test]
    fn thread_names_round_trip() {
        for p in [JOINT, 1, 2] {
            assert_eq!(parse_thread(&thread_name(p)), Some(p));
        }
        assert_eq!(parse_thread("3"), None);
        assert_eq!(parse_thread("private"), None);
    }
}
