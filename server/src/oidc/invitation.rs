//! Accepting an invitation with single sign-on.
//!
//! For an address with no account yet, the invitation link vouches for the person: the
//! identity they signed in with becomes their way into the new account. For an address that
//! already has an account, the link proves nothing (whoever made it holds it too), so the
//! identity must prove it owns that account: it is already linked to it, or its provider has
//! verified that it carries that very address. Anything else is refused, links nothing, makes
//! no session, leaves the invitation open for its real owner, and is audited.

use super::Identity;
use app::auth::repo::{self, normalize_email};
use app::auth::session::RequestContext;
use app::features::invitations::InvitationStatus;
use app::features::invitations::repo::{self as invitations, Acceptance, record_refusal};
use app::state::AppState;

/// Accepts the invitation with the identity; returns the account it was accepted for. The
/// error is the sign-in page's reason code, which never names anyone.
pub(super) async fn accept(
    state: &AppState,
    identity: &Identity<'_>,
    invitation_id: &str,
    ctx: &RequestContext,
) -> Result<String, &'static str> {
    let invitation = invitations::find_by_id(&state.db, invitation_id)
        .await
        .map_err(|_| "failed")?
        .filter(|r| r.status(app::db::now_ms()) == InvitationStatus::Pending)
        .ok_or("invitation_used")?;
    let ip = ctx.ip.as_deref();
    let (issuer, subject) = (identity.issuer(), identity.subject());
    let linked = repo::find_oidc_identity(state.db.pool(), issuer, subject)
        .await
        .map_err(|_| "failed")?;
    let existing = repo::find_by_email(state.db.pool(), &invitation.email)
        .await
        .map_err(|_| "failed")?;
    // An identity belongs to one account. One linked to another account is refused whatever
    // the invited address is, so that refusal tells nothing about the address.
    let how = match &existing {
        None if linked.is_some() => return Err("different_account"),
        None => Acceptance::NewAccount {
            display_name: &invitation.display_name,
            password_hash: None,
            oidc_identity: Some((issuer, subject)),
        },
        Some(user) => {
            let link_identity = match &linked {
                Some(id) if *id == user.app_user_id => None,
                Some(_) => return Err("different_account"),
                None => {
                    let proven = identity.verified_email().await?.is_some_and(|email| {
                        normalize_email(&email) == normalize_email(&user.email)
                    });
                    if !proven {
                        record(state, "identity_mismatch", &user.app_user_id, ip).await?;
                        return Err("identity_mismatch");
                    }
                    Some((issuer, subject))
                }
            };
            // Only someone who has proven the account is theirs learns what else is wrong.
            if !user.is_active() {
                record(state, "deactivated", &user.app_user_id, ip).await?;
                return Err("deactivated");
            }
            if user.role() != invitation.role() {
                record(state, "other_kind_of_account", &user.app_user_id, ip).await?;
                return Err("other_kind_of_account");
            }
            Acceptance::Existing {
                user_id: &user.app_user_id,
                link_identity,
            }
        }
    };
    invitations::accept(&state.db, &invitation, how, ip)
        .await
        .map_err(|e| match e {
            app::error::AppError::Conflict(_) => "invitation_used",
            _ => "failed",
        })
}

async fn record(
    state: &AppState,
    why: &str,
    user_id: &str,
    ip: Option<&str>,
) -> Result<(), &'static str> {
    record_refusal(
        &state.db,
        &format!("single_sign_on_{why}"),
        Some(user_id),
        ip,
    )
    .await
    .map_err(|_| "failed")
}
