//! Invitations: single-use, expiring links with which a partner (or a counselor) creates
//! their account. The database keeps only a keyed hash of each link's token; the link is
//! shown to the person who created it, once, in a short-lived cookie of their own browser.

pub mod accept;
pub mod api;
#[cfg(feature = "ssr")]
pub mod link;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod ui;

use crate::auth::Role;
use serde::{Deserialize, Serialize};

/// How long an invitation link works.
pub const VALID_DAYS: i64 = 7;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationStatus {
    NotInvited,
    Pending,
    Accepted,
    Expired,
    Revoked,
}

impl InvitationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InvitationStatus::NotInvited => "not_invited",
            InvitationStatus::Pending => "pending",
            InvitationStatus::Accepted => "accepted",
            InvitationStatus::Expired => "expired",
            InvitationStatus::Revoked => "revoked",
        }
    }
}

/// Where someone's invitation stands, as the person who invites them sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationState {
    pub status: InvitationStatus,
    pub invitation_id: Option<String>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    pub accepted_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The link itself: present only right after this browser created it.
    pub link: Option<String>,
    /// Trellis emails invitation links (an outgoing mail server is configured).
    pub emailed: bool,
}

impl InvitationState {
    pub fn none() -> Self {
        InvitationState {
            status: InvitationStatus::NotInvited,
            invitation_id: None,
            sent_at: None,
            expires_at: None,
            accepted_at: None,
            link: None,
            emailed: false,
        }
    }

    /// One line for people: "Invited 3 Nov; the link works until 10 Nov".
    pub fn describe(&self) -> String {
        let day = |d: &Option<chrono::DateTime<chrono::Utc>>| {
            d.map(|d| d.format("%-d %b %Y").to_string())
                .unwrap_or_default()
        };
        match self.status {
            InvitationStatus::NotInvited => "Not invited yet".into(),
            InvitationStatus::Pending => format!(
                "Invited on {}; the link works until {}",
                day(&self.sent_at),
                day(&self.expires_at)
            ),
            InvitationStatus::Accepted => match self.accepted_at {
                Some(_) => format!("Joined on {}", day(&self.accepted_at)),
                None => "Joined".into(),
            },
            InvitationStatus::Expired => {
                format!("The invitation link expired on {}", day(&self.expires_at))
            }
            InvitationStatus::Revoked => "The invitation link was revoked".into(),
        }
    }
}

/// A counselor invitation, as the administrator sees it on the accounts page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounselorInvitation {
    pub display_name: String,
    pub email: String,
    pub state: InvitationState,
}

/// What the invitation page shows to whoever opens a link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationPage {
    Open(OpenInvitation),
    Accepted,
    Expired,
    Revoked,
    Unknown,
}

/// An open invitation as its page shows it. It says nothing about whether the address
/// already has an account: the page is the same either way, so opening a link (perhaps by
/// the person who made it) tells no one that the address is already a Trellis client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenInvitation {
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub invited_by: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// Single sign-on button text, when configured.
    pub oidc_label: Option<String>,
}
