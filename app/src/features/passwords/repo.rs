//! SQL for passwords: the only place the `password_reset` table is touched, and where a
//! password is changed or set from a reset link (with the sessions that ends).

use super::VALID_MINUTES;
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::auth::repo::{
    delete_other_sessions_of, delete_sessions_of, find_by_email, set_password_hash,
};
use crate::crypto::token::{keyed_hash, new_token};
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;
use crate::state::AppState;

const VALID_MS: i64 = VALID_MINUTES * 60 * 1000;

/// A new reset link: its id and the token for its link (never stored).
pub struct Created {
    pub reset_id: String,
    pub token: String,
    pub expires_at: i64,
}

/// The address a reset link opens.
pub fn reset_url(app: &AppState, token: &str) -> String {
    format!(
        "{}/reset/{token}",
        app.auth.public_url.trim_end_matches('/')
    )
}

async fn insert(
    tx: &mut crate::db::Tx,
    app: &AppState,
    user_id: &str,
    made_by: Option<&str>,
    now: i64,
) -> Result<Created, AppError> {
    let token = new_token();
    let reset_id = new_id();
    sqlx::query(
        "insert into password_reset (password_reset_id, token_hash, app_user_id, made_by, \
         created_at, expires_at) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&reset_id)
    .bind(keyed_hash(&app.auth.session_key, &token))
    .bind(user_id)
    .bind(made_by)
    .bind(now)
    .bind(now + VALID_MS)
    .execute(&mut **tx)
    .await?;
    Ok(Created {
        reset_id,
        token,
        expires_at: now + VALID_MS,
    })
}

/// A link made by a counselor or an administrator for someone's account, shown to them once.
/// `couple_id` ties the audit entry to the case a counselor made it from.
pub async fn make_link(
    app: &AppState,
    user_id: &str,
    actor: &str,
    actor_detail: &str,
    couple_id: Option<&str>,
    ip: Option<&str>,
) -> Result<Created, AppError> {
    let now = now_ms();
    let mut tx = app.db.begin_write().await?;
    let status: Option<String> =
        sqlx::query_scalar("select status from app_user where app_user_id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    match status.as_deref() {
        None => return Err(AppError::NotFound),
        Some("active") => {}
        Some(_) => {
            return Err(AppError::Conflict(
                "This account is deactivated. Reactivate it before making a reset link.".into(),
            ));
        }
    }
    let created = insert(&mut tx, app, user_id, Some(actor), now).await?;
    record(
        &mut *tx,
        AuditAction::PasswordResetLinkMade,
        AuditEntry {
            actor_user_id: Some(actor),
            subject_user_id: Some(user_id),
            couple_id,
            ip,
            detail: Some(actor_detail),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

/// Someone asked for a link by email. Only an active account's address gets one; the
/// caller answers the same either way. The email names no one and holds no clinical words.
pub async fn request_by_email(
    app: &AppState,
    email: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = app.db.begin_write().await?;
    let user = find_by_email(&mut *tx, email)
        .await?
        .filter(|u| u.is_active());
    if let Some(user) = &user {
        let created = insert(&mut tx, app, &user.app_user_id, None, now).await?;
        let url = reset_url(app, &created.token);
        let body = format!(
            "Hello,\n\nSomeone asked to reset the password of the Trellis account that uses this \
             email address. If that was you, open this link to choose a new password. It works \
             once, for one hour:\n{url}\n\nIf you did not ask for this, you can ignore this \
             email: your password stays as it is.\n"
        );
        let key = format!("password_reset:{}", created.reset_id);
        crate::outbox::enqueue(
            &mut *tx,
            crate::outbox::NewEmail {
                dedupe_key: &key,
                kind: "password_reset",
                // Not a reminder: it goes even to someone who turned reminders off.
                app_user_id: None,
                to_address: &user.email,
                subject: "Reset your Trellis password",
                body: &body,
            },
            now,
        )
        .await?;
    }
    record(
        &mut *tx,
        AuditAction::PasswordResetAsked,
        AuditEntry {
            subject_user_id: user.as_ref().map(|u| u.app_user_id.as_str()),
            ip,
            detail: user.is_none().then_some("unknown_email"),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An open link's account: its id and email (the link unused, unexpired, the account active).
pub async fn find_open(app: &AppState, token: &str) -> Result<Option<(String, String)>, AppError> {
    Ok(sqlx::query_as(
        "select u.app_user_id, u.email from password_reset r \
         join app_user u on u.app_user_id = r.app_user_id \
         where r.token_hash = $1 and r.used_at is null and r.expires_at > $2 \
         and u.status = 'active'",
    )
    .bind(keyed_hash(&app.auth.session_key, token))
    .bind(now_ms())
    .fetch_optional(app.db.pool())
    .await?)
}

/// Uses a link: marks it used (only if it still is open, so it works exactly once), sets the
/// new password, ends every session of the account and closes its other open links.
/// Returns false when the link no longer works.
pub async fn use_link(
    app: &AppState,
    token: &str,
    user_id: &str,
    hash: &str,
    ip: Option<&str>,
) -> Result<bool, AppError> {
    let now = now_ms();
    let mut tx = app.db.begin_write().await?;
    let taken = sqlx::query(
        "update password_reset set used_at = $1 where token_hash = $2 and app_user_id = $3 \
         and used_at is null and expires_at > $1",
    )
    .bind(now)
    .bind(keyed_hash(&app.auth.session_key, token))
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    if taken.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "update password_reset set used_at = $1 where app_user_id = $2 and used_at is null",
    )
    .bind(now)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    set_password_hash(&mut *tx, user_id, hash).await?;
    let ended = delete_sessions_of(&mut *tx, user_id).await?;
    let detail = format!("sessions_ended_{ended}");
    record(
        &mut *tx,
        AuditAction::PasswordResetUsed,
        AuditEntry {
            subject_user_id: Some(user_id),
            ip,
            detail: Some(&detail),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Records a link that did not work (used, expired or unknown), for the audit trail.
pub async fn record_refusal(db: &Db, ip: Option<&str>) -> Result<(), AppError> {
    record(
        db.writer(),
        AuditAction::PasswordResetRefused,
        AuditEntry {
            ip,
            detail: Some("used_expired_or_unknown"),
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}

/// Changes a password from a session, ending the account's other sessions.
pub async fn change(
    db: &Db,
    user_id: &str,
    keep_session: &str,
    hash: &str,
    ip: Option<&str>,
) -> Result<u64, AppError> {
    let mut tx = db.begin_write().await?;
    set_password_hash(&mut *tx, user_id, hash).await?;
    let ended = delete_other_sessions_of(&mut *tx, user_id, keep_session).await?;
    let detail = format!("sessions_ended_{ended}");
    record(
        &mut *tx,
        AuditAction::PasswordChanged,
        AuditEntry {
            actor_user_id: Some(user_id),
            subject_user_id: Some(user_id),
            ip,
            detail: Some(&detail),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(ended)
}

/// Links still open that were made for these accounts, newest first: (id, account, token
/// hash, expiry), for showing the one this browser just made.
pub async fn open_links_for(
    db: &Db,
    user_ids: &[String],
) -> Result<Vec<(String, String, String, i64)>, AppError> {
    if user_ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "select password_reset_id, app_user_id, token_hash, expires_at from password_reset \
         where app_user_id in ({}) and made_by is not null and used_at is null \
         and expires_at > $1 order by created_at desc",
        crate::db::placeholders(2, user_ids.len())
    );
    let mut query = sqlx::query_as(&sql).bind(now_ms());
    for user_id in user_ids {
        query = query.bind(user_id);
    }
    Ok(query.fetch_all(db.pool()).await?)
}

/// Every account's open links made by someone (the administrator's page).
pub async fn all_open_links(db: &Db) -> Result<Vec<(String, String, String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "select password_reset_id, app_user_id, token_hash, expires_at from password_reset \
         where made_by is not null and used_at is null and expires_at > $1 \
         order by created_at desc",
    )
    .bind(now_ms())
    .fetch_all(db.pool())
    .await?)
}
