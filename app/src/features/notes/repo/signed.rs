//! SQL for the couple's signed notes as reports and exports read them.

use crate::db::Db;
use crate::error::AppError;

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
