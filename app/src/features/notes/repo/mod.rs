//! SQL for clinical notes, addenda and co-signatures (goals and supervision in the
//! submodules).
//!
//! A signed note is locked twice over: these functions refuse to change it, and the
//! database's triggers refuse any UPDATE or DELETE of a signed row, whoever issues it.

mod goals;
mod supervision;

pub use goals::{add_goal, goal_couple, goals, set_goal_status};
pub use supervision::{
    counselor_choices, is_supervisor, set_supervision, supervised_notes, supervisions,
};

use super::{AddendumView, NoteKind, NoteSection, NoteSummary, NoteTemplate, NoteView};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;
use crate::time as tz;
use chrono_tz::Tz;
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

/// Starts a note on a session (the caller is the couple's counselor).
pub async fn create(
    db: &Db,
    session_id: &str,
    author: &str,
    kind: NoteKind,
    template: NoteTemplate,
    ip: Option<&str>,
) -> Result<String, AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let row: Option<(String, String)> = sqlx::query_as(
        "select s.couple_id, c.status from counseling_session s join couple c on c.couple_id = s.couple_id \
         where s.counseling_session_id = $1",
    )
    .bind(session_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (couple_id, status) = row.ok_or(AppError::NotFound)?;
    if status == "closed" {
        return Err(AppError::Conflict(
            "This case is closed and read-only. Reopen it to write notes.".into(),
        ));
    }
    let id = new_id();
    let empty: BTreeMap<String, String> = template
        .sections()
        .iter()
        .map(|(k, _, _)| (k.to_string(), String::new()))
        .collect();
    sqlx::query(
        "insert into clinical_note (clinical_note_id, counseling_session_id, couple_id, author_id, \
         kind, template, sections, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(&id)
    .bind(session_id)
    .bind(&couple_id)
    .bind(author)
    .bind(kind.as_str())
    .bind(template.as_str())
    .bind(serde_json::to_string(&empty).map_err(|e| AppError::internal("note", e))?)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    record(
        &mut *tx,
        AuditAction::NoteCreated,
        AuditEntry {
            actor_user_id: Some(author),
            couple_id: Some(&couple_id),
            ip,
            detail: Some(kind.as_str()),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
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

/// Records a refused attempt to change a signed note.
async fn refuse_locked(
    db: &Db,
    note_id: &str,
    couple_id: &str,
    actor: &str,
    ip: Option<&str>,
) -> AppError {
    let _ = record(
        db.writer(),
        AuditAction::NoteChangeRefused,
        note_entry(actor, couple_id, ip, note_id),
    )
    .await;
    AppError::Conflict("This note is signed and locked. Add an addendum instead.".into())
}

/// Saves the draft's sections (those given) and goals. Only the author, only before signing.
pub async fn save_draft(
    db: &Db,
    note_id: &str,
    author: &str,
    sections: &BTreeMap<String, String>,
    goal_ids: &[String],
    ip: Option<&str>,
) -> Result<(), AppError> {
    let row = note_row(db, note_id).await?;
    if row.signed_at.is_some() {
        return Err(refuse_locked(db, note_id, &row.couple_id, author, ip).await);
    }
    let template = NoteTemplate::parse(&row.template).unwrap_or(NoteTemplate::Free);
    // Sections not sent keep their text: a partial save never erases what was written.
    let before = parse_sections(&row.sections);
    let kept: BTreeMap<String, String> = template
        .sections()
        .iter()
        .map(|(k, _, _)| {
            let text = sections.get(*k).or_else(|| before.get(*k)).cloned();
            (k.to_string(), text.unwrap_or_default())
        })
        .collect();
    let couple_goals: Vec<String> = goals(db, &row.couple_id)
        .await?
        .into_iter()
        .map(|g| g.goal_id)
        .collect();
    let goal_ids: Vec<&String> = goal_ids
        .iter()
        .filter(|g| couple_goals.contains(g))
        .collect();
    let done = sqlx::query(
        "update clinical_note set sections = $1, goal_ids = $2, updated_at = $3 \
         where clinical_note_id = $4 and author_id = $5 and signed_at is null",
    )
    .bind(serde_json::to_string(&kept).map_err(|e| AppError::internal("note", e))?)
    .bind(serde_json::to_string(&goal_ids).map_err(|e| AppError::internal("note", e))?)
    .bind(now_ms())
    .bind(note_id)
    .bind(author)
    .execute(db.writer())
    .await?;
    if done.rows_affected() == 0 {
        return Err(refuse_locked(db, note_id, &row.couple_id, author, ip).await);
    }
    Ok(())
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

/// Signs and locks the note. The caller has confirmed the author's identity.
pub async fn sign(db: &Db, note_id: &str, author: &str, ip: Option<&str>) -> Result<(), AppError> {
    let row = note_row(db, note_id).await?;
    if row.author_id != author {
        return Err(AppError::NotFound);
    }
    if row.signed_at.is_some() {
        return Err(refuse_locked(db, note_id, &row.couple_id, author, ip).await);
    }
    let sections = parse_sections(&row.sections);
    if sections.values().all(|t| t.trim().is_empty()) {
        return Err(AppError::validation(
            "sections",
            "Write the note before signing it.",
        ));
    }
    let now = now_ms();
    let content_hash = content_hash(&[
        note_id,
        author,
        &now.to_string(),
        &row.sections,
        &row.goal_ids,
    ]);
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "update clinical_note set signed_at = $1, signed_by = $2, content_hash = $3 \
         where clinical_note_id = $4 and signed_at is null and sections = $5",
    )
    .bind(now)
    .bind(author)
    .bind(&content_hash)
    .bind(note_id)
    .bind(&row.sections)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "The note changed while you were signing it. Reload it and sign again.".into(),
        ));
    }
    record(
        &mut *tx,
        AuditAction::NoteSigned,
        note_entry(author, &row.couple_id, ip, note_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a signed addendum to a signed note.
pub async fn add_addendum(
    db: &Db,
    note_id: &str,
    author: &str,
    body: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let row = note_row(db, note_id).await?;
    if row.signed_at.is_none() {
        return Err(AppError::Conflict(
            "This note is still a draft: edit it directly, then sign it.".into(),
        ));
    }
    let now = now_ms();
    let id = new_id();
    let content_hash = content_hash(&[&id, note_id, author, &now.to_string(), body]);
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "insert into note_addendum (note_addendum_id, clinical_note_id, author_id, body, signed_at, \
         content_hash) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(note_id)
    .bind(author)
    .bind(body)
    .bind(now)
    .bind(&content_hash)
    .execute(&mut *tx)
    .await?;
    record(
        &mut *tx,
        AuditAction::AddendumSigned,
        note_entry(author, &row.couple_id, ip, note_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a supervisor's co-signature on a signed note.
pub async fn cosign(
    db: &Db,
    note_id: &str,
    supervisor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let row = note_row(db, note_id).await?;
    if row.signed_at.is_none() {
        return Err(AppError::Conflict(
            "Only a signed note can be co-signed. Ask its author to sign it first.".into(),
        ));
    }
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "insert into note_cosignature (clinical_note_id, cosigner_id, cosigned_at) values ($1, $2, $3) \
         on conflict (clinical_note_id, cosigner_id) do nothing",
    )
    .bind(note_id)
    .bind(supervisor)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "You have already co-signed this note.".into(),
        ));
    }
    record(
        &mut *tx,
        AuditAction::NoteCosigned,
        note_entry(supervisor, &row.couple_id, ip, note_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The note as `reader` sees it.
pub async fn view(
    db: &Db,
    note_id: &str,
    reader: &str,
    access: NoteAccess,
    tz: Tz,
) -> Result<NoteView, AppError> {
    let row = note_row(db, note_id).await?;
    let template = NoteTemplate::parse(&row.template).unwrap_or(NoteTemplate::Free);
    let texts = parse_sections(&row.sections);
    let addressed = parse_goal_ids(&row.goal_ids);
    let cosignatures: Vec<(String, i64, String)> = sqlx::query_as(
        "select u.display_name, c.cosigned_at, c.cosigner_id from note_cosignature c \
         join app_user u on u.app_user_id = c.cosigner_id where c.clinical_note_id = $1 order by c.cosigned_at",
    )
    .bind(note_id)
    .fetch_all(db.pool())
    .await?;
    // A reader who sees only what the note holds sees the addenda of its author (the former
    // author: their own), not those others added later.
    let addenda_by = access.holds_only().then_some(row.author_id.as_str());
    let addenda: Vec<(String, i64, String, String)> = sqlx::query_as(
        "select u.display_name, a.signed_at, a.body, a.content_hash from note_addendum a \
         join app_user u on u.app_user_id = a.author_id where a.clinical_note_id = $1 \
         and ($2 = '' or a.author_id = $2) order by a.signed_at",
    )
    .bind(note_id)
    .bind(addenda_by.unwrap_or(""))
    .fetch_all(db.pool())
    .await?;
    let already_cosigned = cosignatures.iter().any(|(_, _, id)| id == reader);
    Ok(NoteView {
        note_id: row.clinical_note_id,
        session_id: row.counseling_session_id,
        couple_id: row.couple_id.clone(),
        case_name: row.case_name,
        session_when: tz::when(row.session_starts, tz),
        kind: NoteKind::parse(&row.kind).unwrap_or(NoteKind::Progress),
        template,
        author: row.author,
        sections: template
            .sections()
            .iter()
            .map(|(k, label, prompt)| NoteSection {
                key: k.to_string(),
                label: label.to_string(),
                prompt: prompt.to_string(),
                text: texts.get(*k).cloned().unwrap_or_default(),
            })
            .collect(),
        goals: goals(db, &row.couple_id)
            .await?
            .into_iter()
            .map(|g| {
                let on = addressed.contains(&g.goal_id);
                let goal = super::NoteGoal {
                    goal_id: g.goal_id,
                    title: g.title,
                    objective: g.objective,
                };
                (goal, on)
            })
            .filter(|(_, on)| *on || !access.holds_only())
            .collect(),
        saved: tz::when(row.updated_at, tz),
        signature: row.signed_at.map(|at| {
            (
                row.signer.unwrap_or_default(),
                tz::when(at, tz),
                row.content_hash.unwrap_or_default(),
            )
        }),
        can_cosign: access == NoteAccess::Supervisor
            && row.signed_at.is_some()
            && !already_cosigned,
        cosignatures: cosignatures
            .into_iter()
            .map(|(name, at, _)| (name, tz::when(at, tz)))
            .collect(),
        addenda: addenda
            .into_iter()
            .map(|(author, at, body, content_hash)| AddendumView {
                author,
                signed: tz::when(at, tz),
                body,
                content_hash,
            })
            .collect(),
        is_author: access == NoteAccess::Author,
    })
}

/// The notes of a session the reader may see (others' psychotherapy notes are not listed).
pub async fn for_session(
    db: &Db,
    session_id: &str,
    reader: &str,
    tz: Tz,
) -> Result<Vec<NoteSummary>, AppError> {
    let rows: Vec<NoteRow> = sqlx::query_as(&format!(
        "{NOTE_SELECT} where n.counseling_session_id = $1 \
         and (n.kind = 'progress' or n.author_id = $2) order by n.created_at"
    ))
    .bind(session_id)
    .bind(reader)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| NoteSummary {
            note_id: r.clinical_note_id,
            kind: NoteKind::parse(&r.kind).unwrap_or(NoteKind::Progress),
            template: NoteTemplate::parse(&r.template).unwrap_or(NoteTemplate::Free),
            state: match r.signed_at {
                Some(at) => format!(
                    "Signed by {} on {}",
                    r.signer.unwrap_or_default(),
                    tz::when(at, tz)
                ),
                None => format!("Draft, last saved {}", tz::when(r.updated_at, tz)),
            },
            signed: r.signed_at.is_some(),
            author: r.author,
        })
        .collect())
}

/// The plan of the couple's last signed progress note from a session before `before`: the
/// note's id, the plan, and that session's date.
pub async fn last_plan(
    db: &Db,
    couple_id: &str,
    before: i64,
    tz: Tz,
) -> Result<Option<(String, String, String)>, AppError> {
    let row: Option<(String, String, i64)> = sqlx::query_as(
        "select n.clinical_note_id, n.sections, s.starts_at from clinical_note n \
         join counseling_session s on s.counseling_session_id = n.counseling_session_id \
         where n.couple_id = $1 and n.kind = 'progress' and n.signed_at is not null \
         and s.starts_at < $2 order by s.starts_at desc, n.signed_at desc limit 1",
    )
    .bind(couple_id)
    .bind(before)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.and_then(|(id, sections, at)| {
        let texts = parse_sections(&sections);
        texts
            .get("plan")
            .or_else(|| texts.get("note"))
            .filter(|t| !t.trim().is_empty())
            .map(|t| (id, t.clone(), tz::when(at, tz)))
    }))
}

/// Audits a read of a note (ids only).
pub async fn record_read(
    db: &Db,
    note_id: &str,
    couple_id: &str,
    reader: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    record(
        db.writer(),
        AuditAction::NoteViewed,
        note_entry(reader, couple_id, ip, note_id),
    )
    .await?;
    Ok(())
}

/// A signed note as a report lists it: kind, template, sections (JSON), author's name,
/// signed at, session start.
pub type SignedNoteRow = (String, String, String, String, i64, i64);

/// The couple's signed progress notes of sessions between `start` and `end` (UTC
/// milliseconds), and the signed psychotherapy notes of `psychotherapy_of` (their own).
pub async fn signed_between(
    db: &Db,
    couple_id: &str,
    start: i64,
    end: i64,
    psychotherapy_of: Option<&str>,
) -> Result<Vec<SignedNoteRow>, AppError> {
    Ok(sqlx::query_as(
        "select n.kind, n.template, n.sections, u.display_name, n.signed_at, s.starts_at \
         from clinical_note n join app_user u on u.app_user_id = n.author_id \
         join counseling_session s on s.counseling_session_id = n.counseling_session_id \
         where n.couple_id = $1 and n.signed_at is not null and s.starts_at >= $2 and s.starts_at < $3 \
         and (n.kind = 'progress' or (n.kind = 'psychotherapy' and n.author_id = $4)) \
         order by s.starts_at",
    )
    .bind(couple_id)
    .bind(start)
    .bind(end)
    .bind(psychotherapy_of.unwrap_or(""))
    .fetch_all(db.pool())
    .await?)
}

/// A signed note as an export holds it: (id, kind, template, sections (JSON), author's name,
/// signed at, content hash).
pub type ExportNote = (
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
);

/// The couple's signed progress notes (and `psychotherapy_of`'s own signed psychotherapy
/// notes), oldest first, each with its addenda: (body, signed at, content hash).
pub async fn signed_with_addenda(
    db: &Db,
    couple_id: &str,
    psychotherapy_of: Option<&str>,
) -> Result<Vec<(ExportNote, Vec<(String, i64, String)>)>, AppError> {
    let notes: Vec<ExportNote> = sqlx::query_as(
        "select n.clinical_note_id, n.kind, n.template, n.sections, u.display_name, n.signed_at, n.content_hash \
         from clinical_note n join app_user u on u.app_user_id = n.author_id \
         where n.couple_id = $1 and n.signed_at is not null \
         and (n.kind = 'progress' or (n.kind = 'psychotherapy' and n.author_id = $2)) order by n.created_at",
    )
    .bind(couple_id)
    .bind(psychotherapy_of.unwrap_or(""))
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(notes.len());
    for note in notes {
        let addenda: Vec<(String, i64, String)> = sqlx::query_as(
            "select body, signed_at, content_hash from note_addendum where clinical_note_id = $1 \
             order by signed_at",
        )
        .bind(&note.0)
        .fetch_all(db.pool())
        .await?;
        out.push((note, addenda));
    }
    Ok(out)
}
