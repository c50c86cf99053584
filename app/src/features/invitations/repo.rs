//! SQL for invitations: the only place the `invitation` table is touched.

use super::{InvitationState, InvitationStatus, VALID_DAYS};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::auth::Role;
use crate::auth::repo::{NewUser, find_by_email, insert_user, link_oidc_identity};
use crate::crypto::token::{keyed_hash, new_token};
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;
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

/// "partner_1", "partner_2" or "counselor": which invitation an audit entry is about.
fn detail_of(role: Role, position: Option<i64>) -> String {
    match position {
        Some(p) => format!("partner_{p}"),
        None => role.as_str().to_string(),
    }
}

/// Revokes the open link(s) for the same person; returns whether there was one.
async fn revoke_open(
    tx: &mut crate::db::Tx,
    role: Role,
    couple_id: Option<&str>,
    position: Option<i64>,
    email: &str,
    now: i64,
) -> Result<bool, AppError> {
    let done = match couple_id {
        Some(couple_id) => {
            sqlx::query(
                "update invitation set revoked_at = $1 where couple_id = $2 and position = $3 \
                 and accepted_at is null and revoked_at is null and expires_at > $1",
            )
            .bind(now)
            .bind(couple_id)
            .bind(position)
            .execute(&mut **tx)
            .await?
        }
        None => {
            sqlx::query(
                "update invitation set revoked_at = $1 where role = $2 and email = $3 \
                 and accepted_at is null and revoked_at is null and expires_at > $1",
            )
            .bind(now)
            .bind(role.as_str())
            .bind(email)
            .execute(&mut **tx)
            .await?
        }
    };
    Ok(done.rows_affected() > 0)
}

/// Revokes a partner's open link. Returns whether there was one to revoke.
pub async fn revoke_partner(
    db: &Db,
    couple_id: &str,
    position: i64,
    actor: &str,
    ip: Option<&str>,
) -> Result<bool, AppError> {
    let mut tx = db.begin_write().await?;
    let revoked = revoke_open(
        &mut tx,
        Role::Partner,
        Some(couple_id),
        Some(position),
        "",
        now_ms(),
    )
    .await?;
    if revoked {
        record(
            &mut *tx,
            AuditAction::InvitationRevoked,
            AuditEntry {
                actor_user_id: Some(actor),
                couple_id: Some(couple_id),
                ip,
                detail: Some(&detail_of(Role::Partner, Some(position))),
                ..Default::default()
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(revoked)
}

/// Revokes a counselor's open invitation by id.
pub async fn revoke_counselor(
    db: &Db,
    invitation_id: &str,
    actor: &str,
    ip: Option<&str>,
) -> Result<bool, AppError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "update invitation set revoked_at = $1 where invitation_id = $2 and role = 'counselor' \
         and accepted_at is null and revoked_at is null and expires_at > $1",
    )
    .bind(now_ms())
    .bind(invitation_id)
    .execute(&mut *tx)
    .await?;
    let revoked = done.rows_affected() > 0;
    if revoked {
        record(
            &mut *tx,
            AuditAction::InvitationRevoked,
            AuditEntry {
                actor_user_id: Some(actor),
                ip,
                detail: Some("counselor"),
                ..Default::default()
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(revoked)
}

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

/// Queues the email carrying a new invitation link (in the invitation's own transaction).
/// Its text, and so the link, is erased from the outbox once sent; a link revoked or
/// replaced before the email goes is never sent.
#[allow(clippy::too_many_arguments)]
async fn queue_email(
    tx: &mut crate::db::Tx,
    app: &AppState,
    invitation_id: &str,
    token: &str,
    role: Role,
    email: &str,
    name: &str,
    actor: &str,
    now: i64,
) -> Result<(), AppError> {
    use crate::outbox::{NewEmail, enqueue};
    let inviter: String =
        sqlx::query_scalar("select display_name from app_user where app_user_id = $1")
            .bind(actor)
            .fetch_one(&mut **tx)
            .await?;
    let url = format!("{}/invite/{token}", app.auth.public_url);
    let expires = time(now + VALID_DAYS * 24 * 3600 * 1000).format("%A %-d %B");
    let what = match role {
        Role::Counselor => "to join your practice's Trellis as a counselor".to_string(),
        _ => "to Trellis, where you will find the homework your counselor sets for you \
              and can answer it privately"
            .to_string(),
    };
    let body = format!(
        "Hello {name},\n\n{inviter} has invited you {what}.\n\n\
         Open this link to set up your account. It works once, until {expires}:\n{url}\n\n\
         If you were not expecting this email, you can ignore it.\n"
    );
    let key = format!("invitation:{invitation_id}");
    enqueue(
        &mut **tx,
        NewEmail {
            dedupe_key: &key,
            kind: "invitation",
            app_user_id: None,
            to_address: email,
            subject: "Your invitation to Trellis",
            body: &body,
        },
        now,
    )
    .await?;
    Ok(())
}
