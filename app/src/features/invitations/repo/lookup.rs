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

/// A partner's latest invitation, read by a statement about `partner p`: its columns (each
/// named `inv_...`, all null when the partner was never invited) and the join that finds
/// it. Decode them with `JoinedInvitation`.
pub const LATEST_OF_PARTNER_COLUMNS: &str = "i.invitation_id as inv_invitation_id, \
    i.token_hash as inv_token_hash, i.role as inv_role, i.email as inv_email, \
    i.display_name as inv_display_name, i.created_by as inv_created_by, \
    i.created_at as inv_created_at, i.expires_at as inv_expires_at, \
    i.accepted_at as inv_accepted_at, i.revoked_at as inv_revoked_at";

/// See `LATEST_OF_PARTNER_COLUMNS`. The latest: no invitation to the same seat was made
/// after it (or at the same millisecond with a later id).
pub const LATEST_OF_PARTNER_JOIN: &str = "left join invitation i \
    on i.couple_id = p.couple_id and i.position = p.position \
    and not exists (select 1 from invitation n where n.couple_id = i.couple_id \
      and n.position = i.position and (n.created_at > i.created_at \
      or (n.created_at = i.created_at and n.invitation_id > i.invitation_id)))";

/// A partner's latest invitation as `LATEST_OF_PARTNER_COLUMNS` read it.
#[derive(sqlx::FromRow)]
pub struct JoinedInvitation {
    inv_invitation_id: Option<String>,
    inv_token_hash: Option<String>,
    inv_role: Option<String>,
    inv_email: Option<String>,
    inv_display_name: Option<String>,
    inv_created_by: Option<String>,
    inv_created_at: Option<i64>,
    inv_expires_at: Option<i64>,
    inv_accepted_at: Option<i64>,
    inv_revoked_at: Option<i64>,
}

impl JoinedInvitation {
    /// The invitation of the partner at `position` of `couple_id`, if they were invited.
    pub fn row(self, couple_id: &str, position: i64) -> Option<InvitationRow> {
        Some(InvitationRow {
            invitation_id: self.inv_invitation_id?,
            token_hash: self.inv_token_hash?,
            role: self.inv_role?,
            couple_id: Some(couple_id.to_string()),
            position: Some(position),
            email: self.inv_email?,
            display_name: self.inv_display_name?,
            created_by: self.inv_created_by?,
            created_at: self.inv_created_at?,
            expires_at: self.inv_expires_at?,
            accepted_at: self.inv_accepted_at,
            revoked_at: self.inv_revoked_at,
        })
    }
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
