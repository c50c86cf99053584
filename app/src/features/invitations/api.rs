//! Server functions for invitations. Creating and revoking are for the inviter (the case's
//! counselor, or an administrator for counselors); opening and accepting a link are public,
//! the unguessable token being the credential.

use super::{CounselorInvitation, InvitationPage};
use crate::error::AppError;
use crate::ids::CoupleId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::repo::{self, Target},
    super::{InvitationStatus, OpenInvitation, link},
    crate::auth::{Role, guard, repo as auth_repo},
    crate::error::finish,
    crate::state::app_state,
    crate::valid::{check_display_name, check_email},
};

/// Reports a failure's status to non-browser callers, or redirects a browser on success.
/// Creates (or re-creates, revoking the old one) a partner's invitation link. The link is
/// returned, and shown on the case page in this browser for the next few minutes.
#[server(prefix = "/api", endpoint = "invite_partner")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn invite_partner(couple_id: CoupleId, position: i64) -> Result<String, AppError> {
    let counselor = guard::require_case_counselor(&couple_id).await?;
    let result = async {
        if !(1..=2).contains(&position) {
            return Err(AppError::BadRequest);
        }
        let state = app_state()?;
        let ip = guard::request_context().ip;
        let target = Target::Partner {
            couple_id: &couple_id,
            position,
        };
        let created = repo::create(&state, target, &counselor.user.user_id, ip.as_deref()).await?;
        link::remember(&state, &created.invitation_id, &created.token);
        Ok(link::invitation_url(&state, &created.token))
    }
    .await;
    finish(
        &result,
        &crate::couple::CaseSection::Partners
            .path_then(couple_id.as_str(), &format!("#partner-{position}")),
    );
    result
}

/// Revokes a partner's open invitation link.
#[server(prefix = "/api", endpoint = "revoke_partner_invitation")]
pub async fn revoke_partner_invitation(couple_id: CoupleId, position: i64) -> Result<(), AppError> {
    let counselor = guard::require_case_counselor(&couple_id).await?;
    let result = async {
        let state = app_state()?;
        let ip = guard::request_context().ip;
        let revoked = repo::revoke_partner(
            &state.db,
            &couple_id,
            position,
            &counselor.user.user_id,
            ip.as_deref(),
        )
        .await?;
        if revoked {
            Ok(())
        } else {
            Err(AppError::Conflict(
                "There is no open invitation link to revoke.".into(),
            ))
        }
    }
    .await;
    finish(
        &result,
        &crate::couple::CaseSection::Partners
            .path_then(couple_id.as_str(), &format!("#partner-{position}")),
    );
    result
}

/// Invites a counselor to the practice (administrators only).
#[server(prefix = "/api", endpoint = "invite_counselor")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn invite_counselor(display_name: String, email: String) -> Result<String, AppError> {
    let admin = guard::require_role(&[Role::Admin])?;
    let result = async {
        let state = app_state()?;
        let display_name = check_display_name(&display_name)?;
        let email = check_email(&email)?;
        let ip = guard::request_context().ip;
        let target = Target::Counselor {
            display_name: &display_name,
            email: &email,
        };
        let created = repo::create(&state, target, &admin.user.user_id, ip.as_deref()).await?;
        link::remember(&state, &created.invitation_id, &created.token);
        Ok(link::invitation_url(&state, &created.token))
    }
    .await;
    finish(&result, "/#invitations");
    result
}

/// Revokes a counselor's open invitation (administrators only).
#[server(prefix = "/api", endpoint = "revoke_counselor_invitation")]
pub async fn revoke_counselor_invitation(invitation_id: String) -> Result<(), AppError> {
    let admin = guard::require_role(&[Role::Admin])?;
    let result = async {
        let state = app_state()?;
        let ip = guard::request_context().ip;
        if repo::revoke_counselor(
            &state.db,
            &invitation_id,
            &admin.user.user_id,
            ip.as_deref(),
        )
        .await?
        {
            Ok(())
        } else {
            Err(AppError::Conflict(
                "There is no open invitation link to revoke.".into(),
            ))
        }
    }
    .await;
    finish(&result, "/#invitations");
    result
}

/// Counselor invitations not yet accepted (administrators only).
#[server(prefix = "/api", endpoint = "list_counselor_invitations")]
pub async fn list_counselor_invitations() -> Result<Vec<CounselorInvitation>, AppError> {
    let _admin = guard::require_role(&[Role::Admin])?;
    let state = app_state()?;
    let rows = repo::open_counselor_invitations(&state.db).await?;
    Ok(rows
        .into_iter()
        .map(|r| CounselorInvitation {
            state: r.state(&state),
            display_name: r.display_name,
            email: r.email,
        })
        .collect())
}

/// What an invitation link leads to. Anyone holding the link may ask.
#[server(prefix = "/api", endpoint = "get_invitation")]
pub async fn get_invitation(token: String) -> Result<InvitationPage, AppError> {
    let _ctx = guard::public();
    let state = app_state()?;
    let Some(row) = repo::find_by_token(&state, &token).await? else {
        return Ok(InvitationPage::Unknown);
    };
    Ok(match row.status(crate::db::now_ms()) {
        InvitationStatus::Accepted => InvitationPage::Accepted,
        InvitationStatus::Expired => InvitationPage::Expired,
        InvitationStatus::Revoked => InvitationPage::Revoked,
        InvitationStatus::Pending | InvitationStatus::NotInvited => {
            let inviter = auth_repo::find_by_id(state.db.pool(), &row.created_by).await?;
            // Whether the address already has an account is deliberately not looked up:
            // the page must be the same either way.
            InvitationPage::Open(OpenInvitation {
                role: row.role(),
                invited_by: inviter.map(|u| u.display_name).unwrap_or_default(),
                expires_at: chrono::DateTime::from_timestamp_millis(row.expires_at)
                    .unwrap_or_default(),
                oidc_label: state.auth.oidc_label.clone(),
                display_name: row.display_name,
                email: row.email,
            })
        }
    })
}
