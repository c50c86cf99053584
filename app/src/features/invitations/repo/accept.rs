//! Accepting an invitation (a new account or an existing one), and recording a refusal.

use super::{InvitationRow, detail_of};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::auth::repo::{NewUser, insert_user, link_oidc_identity};
use crate::db::{Db, now_ms};
use crate::error::AppError;

/// Why a new account cannot be made with an invitation. Worded so that it names no one and
/// points to the other way in.
pub const NO_NEW_ACCOUNT: &str = "A new account cannot be made with this invitation. If you \
    already use Trellis with this email address, enter that password under \
    \"Already use Trellis?\" below instead.";

/// How the person accepting proves who they are.
pub enum Acceptance<'a> {
    /// A new account with this password hash (or none, when signing in with OIDC).
    NewAccount {
        display_name: &'a str,
        password_hash: Option<&'a str>,
        /// The (issuer, subject) of a single sign-on identity to link to the new account.
        oidc_identity: Option<(&'a str, &'a str)>,
    },
    /// An account that already exists with the invitation's email, whose owner has proven
    /// it (its password, or a single sign-on identity linked to it or verified for its
    /// address). A verified identity not linked yet is linked in the same transaction.
    Existing {
        user_id: &'a str,
        link_identity: Option<(&'a str, &'a str)>,
    },
}

/// Accepts an invitation: creates or reuses the account, binds a partner to their place in
/// the couple, and marks the link used, all or nothing. Returns the account's id.
pub async fn accept(
    db: &Db,
    invitation: &InvitationRow,
    how: Acceptance<'_>,
    ip: Option<&str>,
) -> Result<String, AppError> {
    if let Some(couple_id) = &invitation.couple_id {
        crate::couple::forget(couple_id);
    }
    let now = now_ms();
    let role = invitation.role();
    let mut tx = db.begin_write().await?;
    let user_id = match how {
        Acceptance::NewAccount {
            display_name,
            password_hash,
            oidc_identity,
        } => {
            let id = match insert_user(
                &mut *tx,
                NewUser {
                    email: &invitation.email,
                    display_name,
                    role,
                    password_hash,
                },
            )
            .await
            {
                Ok(id) => id,
                // Someone made an account for this address a moment ago.
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    return Err(AppError::Conflict(NO_NEW_ACCOUNT.into()));
                }
                Err(e) => return Err(e.into()),
            };
            if let Some((issuer, subject)) = oidc_identity {
                link_oidc_identity(&mut *tx, issuer, subject, &id).await?;
            }
            record(
                &mut *tx,
                AuditAction::AccountCreated,
                AuditEntry {
                    actor_user_id: Some(&id),
                    subject_user_id: Some(&id),
                    ip,
                    detail: Some(role.as_str()),
                    ..Default::default()
                },
            )
            .await?;
            id
        }
        Acceptance::Existing {
            user_id,
            link_identity,
        } => {
            if let Some((issuer, subject)) = link_identity {
                link_oidc_identity(&mut *tx, issuer, subject, user_id).await?;
            }
            user_id.to_string()
        }
    };
    let used = sqlx::query(
        "update invitation set accepted_at = $1, accepted_by = $2 where invitation_id = $3 \
         and accepted_at is null and revoked_at is null and expires_at > $1",
    )
    .bind(now)
    .bind(&user_id)
    .bind(&invitation.invitation_id)
    .execute(&mut *tx)
    .await?;
    if used.rows_affected() != 1 {
        return Err(AppError::Conflict(
            "This invitation link can no longer be used. Ask for a new one.".into(),
        ));
    }
    if let (Some(couple_id), Some(position)) = (&invitation.couple_id, invitation.position) {
        let bound = sqlx::query(
            "update partner set app_user_id = $1 where couple_id = $2 and position = $3 \
             and app_user_id is null and exists (select 1 from couple c \
               where c.couple_id = $2 and c.status <> 'closed') \
             and not exists (select 1 from partner o where o.couple_id = $2 \
               and o.app_user_id = $1)",
        )
        .bind(&user_id)
        .bind(couple_id)
        .bind(position)
        .execute(&mut *tx)
        .await?;
        if bound.rows_affected() != 1 {
            return Err(AppError::Conflict(
                "This invitation link can no longer be used. Ask your counselor for a new one."
                    .into(),
            ));
        }
        sqlx::query("update couple set updated_at = $1 where couple_id = $2")
            .bind(now)
            .bind(couple_id)
            .execute(&mut *tx)
            .await?;
    }
    record(
        &mut *tx,
        AuditAction::InvitationAccepted,
        AuditEntry {
            actor_user_id: Some(&user_id),
            couple_id: invitation.couple_id.as_deref(),
            ip,
            detail: Some(&detail_of(role, invitation.position)),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(user_id)
}

/// Records that an invitation was not accepted, and why (`detail`), with the account that
/// uses the invited address, if any, as its subject: administrators can see who was tried.
/// It carries no case, so the inviter's case timeline says nothing about that account.
pub async fn record_refusal(
    db: &Db,
    detail: &str,
    subject_user_id: Option<&str>,
    ip: Option<&str>,
) -> Result<(), AppError> {
    record(
        db.writer(),
        AuditAction::InvitationRefused,
        AuditEntry {
            subject_user_id,
            ip,
            detail: Some(detail),
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}
