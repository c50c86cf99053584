//! The email outbox: what any part of Trellis wants emailed is queued here (in the database,
//! so a restart loses nothing) and sent by the server's background task.
//!
//! Several server processes may share one database: planners queue an email at most once per
//! dedupe key (a unique column), and a sender claims a row with a compare-and-set update
//! before sending, so no two processes send the same row.

mod repo;

pub use repo::*;

/// The last lines of every reminder or notice: what emails never hold, and how to stop them.
pub fn reminder_footer(public_url: &str) -> String {
    format!(
        "\n\nThis email never contains what you or anyone else wrote; that stays in Trellis.\n\
         To stop reminder emails, turn them off on your settings page: {public_url}/settings\n"
    )
}
