//! Creating an invitation (for a partner or a counselor), replacing any link still open.

use super::detail_of;
use super::email::queue_email;
use super::revoke::revoke_open;
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::auth::Role;
use crate::auth::repo::find_by_email;
use crate::crypto::token::{keyed_hash, new_token};
use crate::db::{new_id, now_ms};
use crate::error::AppError;
use crate::features::invitations::VALID_DAYS;
use crate::state::AppState;

/// Whom an invitation is for.
pub enum Target<'a> {
    Partner {
        couple_id: &'a str,
        position: i64,
    },
    Counselor {
        display_name: &'a str,
        email: &'a str,
    },
}

/// A new invitation: its id and the token for its link (never stored).
pub struct Created {
    pub invitation_id: String,
    pub token: String,
}

/// Creates an invitation, revoking any earlier link still open for the same person.
pub async fn create(
    app: &AppState,
    target: Target<'_>,
    actor: &str,
    ip: Option<&str>,
) -> Result<Created, AppError> {
    let now = now_ms();
    let mut tx = app.db.begin_write().await?;
    let (role, couple_id, position, email, display_name) = match target {
        Target::Partner {
            couple_id,
            position,
        } => {
            let row: Option<(String, String, Option<String>, String)> = sqlx::query_as(
                "select p.display_name, p.email, p.app_user_id, c.status from partner p \
                 join couple c on c.couple_id = p.couple_id \
                 where p.couple_id = $1 and p.position = $2",
            )
            .bind(couple_id)
            .bind(position)
            .fetch_optional(&mut *tx)
            .await?;
            let (name, email, account, status) = row.ok_or(AppError::NotFound)?;
            if status == "closed" {
                return Err(AppError::Conflict(
                    "This case is closed. Reopen it before inviting anyone.".into(),
                ));
            }
            if account.is_some() {
                return Err(AppError::Conflict(format!(
                    "{name} has already joined; they sign in with their own account."
                )));
            }
            (
                Role::Partner,
                Some(couple_id.to_string()),
                Some(position),
                email,
                name,
            )
        }
        Target::Counselor {
            display_name,
            email,
        } => {
            if find_by_email(&mut *tx, email).await?.is_some() {
                return Err(AppError::validation(
                    "email",
                    "An account with this email address already exists.",
                ));
            }
            (
                Role::Counselor,
                None,
                None,
                email.to_string(),
                display_name.to_string(),
            )
        }
    };
    let revoked = revoke_open(&mut tx, role, couple_id.as_deref(), position, &email, now).await?;
    let token = new_token();
    let invitation_id = new_id();
    sqlx::query(
        "insert into invitation (invitation_id, token_hash, role, couple_id, position, email, \
         display_name, created_by, created_at, expires_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&invitation_id)
    .bind(keyed_hash(&app.auth.session_key, &token))
    .bind(role.as_str())
    .bind(couple_id.as_deref())
    .bind(position)
    .bind(&email)
    .bind(&display_name)
    .bind(actor)
    .bind(now)
    .bind(now + VALID_DAYS * 24 * 3600 * 1000)
    .execute(&mut *tx)
    .await?;
    let detail = detail_of(role, position);
    record(
        &mut *tx,
        if revoked {
            AuditAction::InvitationResent
        } else {
            AuditAction::InvitationCreated
        },
        AuditEntry {
            actor_user_id: Some(actor),
            couple_id: couple_id.as_deref(),
            ip,
            detail: Some(&detail),
            ..Default::default()
        },
    )
    .await?;
    if app.mail_enabled {
        queue_email(
            &mut tx,
            app,
            &invitation_id,
            &token,
            role,
            &email,
            &display_name,
            actor,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Created {
        invitation_id,
        token,
    })
}
