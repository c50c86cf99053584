//! SQL for writing a note: starting it, saving the draft, and signing it.

use super::{content_hash, goals, note_entry, note_row, parse_sections};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;
use crate::features::notes::{NoteKind, NoteTemplate};
use std::collections::BTreeMap;

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
