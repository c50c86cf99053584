//! SQL for clinical notes: who may reach a note and what every query shares. Drafts and
//! signing, addenda and co-signatures, reading notes, the signed notes reports and exports
//! read, goals and supervision are in the submodules.
//!
//! A signed note is locked twice over: these functions refuse to change it, and the
//! database's triggers refuse any UPDATE or DELETE of a signed row, whoever issues it.

mod addenda;
mod drafts;
mod goals;
mod read;
mod signed;
mod supervision;

pub use addenda::{add_addendum, cosign};
pub use drafts::{create, save_draft, sign};
pub use goals::{add_goal, goal_couple, goals, set_goal_status};
pub use read::{for_session, last_plan, record_read, view};
pub use signed::{ExportNote, SignedNoteRow, signed_between, signed_with_addenda};
pub use supervision::{
    counselor_choices, is_supervisor, set_supervision, supervised_notes, supervisions,
};

use crate::audit::repo::AuditEntry;
use crate::db::Db;
use crate::error::AppError;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// How the reader relates to a note.
///
/// What each may see of it: the author while the couple is theirs, and the couple's counselor
/// (for a signed note someone else wrote), see the note with all of the couple's goals and every
/// addendum. Two readers see only what the signed note itself holds: the author after the case
/// moved to another counselor (their own note, read-only, with the goals it addresses and their
/// own addenda, never the couple's current data), and the author's supervisor (the signed note,
/// the goals it addresses, and the author's addenda).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteAccess {
    /// Wrote it, and the couple is still theirs: edits the draft, signs, adds addenda.
    Author,
    /// The couple's counselor, reading a signed note another counselor wrote before the case
    /// moved to them.
    CoupleCounselor,
    /// Wrote it, but the couple has moved to another counselor: reads it as written.
    FormerAuthor,
    /// Supervises the note's author: reads and co-signs a signed progress note.
    Supervisor,
}

impl NoteAccess {
    /// Sees only what the note itself holds (not the couple's other goals or later addenda).
    fn holds_only(self) -> bool {
        matches!(self, NoteAccess::FormerAuthor | NoteAccess::Supervisor)
    }
}

#[derive(sqlx::FromRow)]
struct NoteRow {
    clinical_note_id: String,
    counseling_session_id: String,
    couple_id: String,
    case_name: String,
    session_starts: i64,
    author_id: String,
    author: String,
    kind: String,
    template: String,
    sections: String,
    goal_ids: String,
    updated_at: i64,
    signed_at: Option<i64>,
    signer: Option<String>,
    content_hash: Option<String>,
}

const NOTE_SELECT: &str = "select n.clinical_note_id, n.counseling_session_id, n.couple_id, \
    c.case_name, s.starts_at as session_starts, n.author_id, u.display_name as author, n.kind, \
    n.template, n.sections, n.goal_ids, n.updated_at, n.signed_at, \
    (select x.display_name from app_user x where x.app_user_id = n.signed_by) as signer, \
    n.content_hash \
    from clinical_note n join couple c on c.couple_id = n.couple_id \
    join counseling_session s on s.counseling_session_id = n.counseling_session_id \
    join app_user u on u.app_user_id = n.author_id";

async fn note_row(db: &Db, note_id: &str) -> Result<NoteRow, AppError> {
    sqlx::query_as(&format!("{NOTE_SELECT} where n.clinical_note_id = $1"))
        .bind(note_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(AppError::NotFound)
}

fn parse_sections(text: &str) -> BTreeMap<String, String> {
    serde_json::from_str(text).unwrap_or_default()
}

fn parse_goal_ids(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

/// How `user_id` may reach the note, or `None`. Psychotherapy notes are their author's alone,
/// and so is a draft.
pub async fn access(db: &Db, note_id: &str, user_id: &str) -> Result<Option<NoteAccess>, AppError> {
    let row: Option<(String, String, String, Option<i64>)> = sqlx::query_as(
        "select n.author_id, n.kind, c.counselor_id, n.signed_at from clinical_note n \
         join couple c on c.couple_id = n.couple_id where n.clinical_note_id = $1",
    )
    .bind(note_id)
    .fetch_optional(db.pool())
    .await?;
    let Some((author, kind, counselor, signed_at)) = row else {
        return Ok(None);
    };
    if author == user_id {
        return Ok(Some(if counselor == user_id {
            NoteAccess::Author
        } else {
            NoteAccess::FormerAuthor
        }));
    }
    if kind == "psychotherapy" || signed_at.is_none() {
        return Ok(None);
    }
    if counselor == user_id {
        return Ok(Some(NoteAccess::CoupleCounselor));
    }
    Ok(is_supervisor(db, user_id, &author)
        .await?
        .then_some(NoteAccess::Supervisor))
}

/// An audit entry about a note (its id, never its text).
fn note_entry<'a>(
    actor: &'a str,
    couple_id: &'a str,
    ip: Option<&'a str>,
    note_id: &'a str,
) -> AuditEntry<'a> {
    AuditEntry {
        actor_user_id: Some(actor),
        couple_id: Some(couple_id),
        ip,
        detail: Some(note_id),
        ..Default::default()
    }
}

/// The hash a signature seals: each part length-prefixed, SHA-256, hex.
pub(crate) fn content_hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p.as_bytes());
    }
    format!("{:x}", h.finalize())
}
