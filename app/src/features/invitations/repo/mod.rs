//! SQL for invitations: the only place the `invitation` table is touched. The row and its
//! state here; creating, revoking, finding and accepting invitations, and their email, in
//! the submodules.

mod accept;
mod create;
mod email;
mod lookup;
mod revoke;

pub use accept::{Acceptance, NO_NEW_ACCOUNT, accept, record_refusal};
pub use create::{Created, Target, create};
pub use lookup::{
    JoinedInvitation, LATEST_OF_PARTNER_COLUMNS, LATEST_OF_PARTNER_JOIN, find_by_id, find_by_token,
    open_counselor_invitations,
};
pub use revoke::{revoke_counselor, revoke_partner};

use super::{InvitationState, InvitationStatus};
use crate::auth::Role;
use crate::db::now_ms;
use crate::state::AppState;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct InvitationRow {
    pub invitation_id: String,
    pub token_hash: String,
    pub role: String,
    pub couple_id: Option<String>,
    pub position: Option<i64>,
    pub email: String,
    pub display_name: String,
    pub created_by: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

const COLUMNS: &str = "invitation_id, token_hash, role, couple_id, position, email, \
    display_name, created_by, created_at, expires_at, accepted_at, revoked_at";

use crate::time::utc as time;

impl InvitationRow {
    pub fn status(&self, now: i64) -> InvitationStatus {
        if self.accepted_at.is_some() {
            InvitationStatus::Accepted
        } else if self.revoked_at.is_some() {
            InvitationStatus::Revoked
        } else if self.expires_at <= now {
            InvitationStatus::Expired
        } else {
            InvitationStatus::Pending
        }
    }

    /// The state shown to the inviter, with the link if this browser just created it.
    pub fn state(&self, app: &AppState) -> InvitationState {
        let status = self.status(now_ms());
        InvitationState {
            status,
            invitation_id: Some(self.invitation_id.clone()),
            sent_at: Some(time(self.created_at)),
            expires_at: Some(time(self.expires_at)),
            accepted_at: self.accepted_at.map(time),
            link: (status == InvitationStatus::Pending)
                .then(|| super::link::recall(app, &self.invitation_id, &self.token_hash))
                .flatten(),
            emailed: app.mail_enabled,
        }
    }

    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Partner)
    }
}

/// "partner_1", "partner_2" or "counselor": which invitation an audit entry is about.
fn detail_of(role: Role, position: Option<i64>) -> String {
    match position {
        Some(p) => format!("partner_{p}"),
        None => role.as_str().to_string(),
    }
}
