//! Product features, one folder each: wire types in `mod.rs`, server functions in `api.rs`
//! (or `api/`), SQL in `repo.rs` or `repo/` (server only), pages in `ui.rs` (or `ui/`).

pub mod accounts;
pub mod admin;
pub mod agreements;
pub mod calendar;
pub mod cases;
pub mod consent;
pub mod homework;
pub mod intake;
pub mod invitations;
pub mod measures;
pub mod messages;
pub mod notes;
pub mod passwords;
pub mod program;
pub mod progress;
pub mod reminders;
pub mod safety;
pub mod sessions;
pub mod sign_in;
