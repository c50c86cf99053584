//! The kinds of content, one file per family (see `KINDS` in `model/mod.rs`).

pub mod between;
pub mod clinical;
pub mod consent_and_intake;
pub mod homework;
pub mod program_and_messages;
