//! SQL for what is added to a signed note: its author's addenda, a supervisor's co-signature.

use super::{content_hash, note_entry, note_row};
use crate::audit::AuditAction;
use crate::audit::repo::record;
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;

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
