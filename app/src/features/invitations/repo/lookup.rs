//! Finding invitations: by link, by id, a couple's latest, counselors' open ones.

use super::{COLUMNS, InvitationRow};
use crate::crypto::token::keyed_hash;
use crate::db::Db;
use crate::error::AppError;
use crate::state::AppState;

pub async fn find_by_token(app: &AppState, token: &str) -> Result<Option<InvitationRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "select {COLUMNS} from invitation where token_hash = $1"
    ))
    .bind(keyed_hash(&app.auth.session_key, token))
    .fetch_optional(app.db.pool())
    .await?)
}

pub async fn find_by_id(db: &Db, invitation_id: &str) -> Result<Option<InvitationRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "select {COLUMNS} from invitation where invitation_id = $1"
    ))
    .bind(invitation_id)
    .fetch_optional(db.pool())
    .await?)
}

/// The latest invitation of each partner of a couple, by position.
pub async fn latest_for_couple(db: &Db, couple_id: &str) -> Result<Vec<InvitationRow>, AppError> {
    let rows: Vec<InvitationRow> = sqlx::query_as(&format!(
        "select {COLUMNS} from invitation where couple_id = $1 order by created_at, invitation_id"
    ))
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?;
    let mut latest: Vec<InvitationRow> = Vec::new();
    for row in rows {
        latest.retain(|r| r.position != row.position);
        latest.push(row);
    }
    Ok(latest)
}

/// Counselor invitations not yet accepted (the latest per email), newest first.
pub async fn open_counselor_invitations(db: &Db) -> Result<Vec<InvitationRow>, AppError> {
    let rows: Vec<InvitationRow> = sqlx::query_as(&format!(
        "select {COLUMNS} from invitation i where role = 'counselor' and accepted_at is null \
         and revoked_at is null and not exists (select 1 from invitation n \
           where n.role = 'counselor' and n.email = i.email and n.created_at > i.created_at) \
         and not exists (select 1 from app_user u where u.email = i.email) \
         order by created_at desc limit 200"
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows)
}
