//! SQL for reading notes: one note as its reader sees it, a session's notes, the last
//! plan, and the audit of a read.

use super::{
    NOTE_SELECT, NoteAccess, NoteRow, goals, note_entry, note_row, parse_goal_ids, parse_sections,
};
use crate::audit::AuditAction;
use crate::audit::repo;
use crate::db::Db;
use crate::error::AppError;
use crate::features::notes::{
    AddendumView, NoteKind, NoteSection, NoteSummary, NoteTemplate, NoteView,
};
use crate::time as tz;
use chrono_tz::Tz;

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
                let goal = crate::features::notes::NoteGoal {
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
    repo::record_read(
        db,
        AuditAction::NoteViewed,
        note_entry(reader, couple_id, ip, note_id),
    )
    .await?;
    Ok(())
}
