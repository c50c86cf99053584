//! SQL for accounts, sessions and OIDC links: the only place these tables are touched.

use super::Role;
use crate::db::{new_id, now_ms};
use sqlx::{Any, Executor};

/// An account row. Stays on the server: it holds the password hash.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub app_user_id: String,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: Option<String>,
    pub status: String,
}

impl UserRow {
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Partner)
    }
    pub fn is_active(&self) -> bool {
        self.status == "active"
    }
}

/// Emails are compared and stored trimmed and lower-cased.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub async fn find_by_email<'e>(
    ex: impl Executor<'e, Database = Any>,
    email: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(
        "select app_user_id, email, display_name, role, password_hash, status \
         from app_user where email = $1",
    )
    .bind(normalize_email(email))
    .fetch_optional(ex)
    .await
}

pub async fn find_by_id<'e>(
    ex: impl Executor<'e, Database = Any>,
    user_id: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(
        "select app_user_id, email, display_name, role, password_hash, status \
         from app_user where app_user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(ex)
    .await
}

pub async fn count_users<'e>(ex: impl Executor<'e, Database = Any>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select count(*) from app_user")
        .fetch_one(ex)
        .await
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password_hash: Option<&'a str>,
}

/// Inserts an account and returns its id. A duplicate email is a unique violation.
pub async fn insert_user<'e>(
    ex: impl Executor<'e, Database = Any>,
    user: NewUser<'_>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "insert into app_user (app_user_id, email, display_name, role, password_hash, status, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, 'active', $6, $6)",
    )
    .bind(&id)
    .bind(normalize_email(user.email))
    .bind(user.display_name.trim())
    .bind(user.role.as_str())
    .bind(user.password_hash)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(id)
}

pub async fn set_status<'e>(
    ex: impl Executor<'e, Database = Any>,
    user_id: &str,
    status: &str,
) -> Result<(), sqlx::Error> {
    crate::db::changing_people(
        sqlx::query("update app_user set status = $1, updated_at = $2 where app_user_id = $3")
            .bind(status)
            .bind(now_ms())
            .bind(user_id)
            .execute(ex),
    )
    .await?;
    Ok(())
}

/// A session joined with its account, as resolved from a cookie.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub user_session_id: String,
    pub last_seen_at: i64,
    pub expires_at: i64,
    /// When it lapsed (null: it has not); a lapsed session signs no one in.
    pub lapsed_at: Option<i64>,
    pub app_user_id: String,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub status: String,
    /// When the account switched two-factor on (null: it has not).
    pub mfa_enabled_at: Option<i64>,
    /// The practice's two-factor policy setting ('on' when required).
    pub mfa_policy: Option<String>,
    /// The practice's current consent version (null: none published, the default is 1).
    pub consent_current: Option<i64>,
    /// The latest consent version this person has signed (null: none).
    pub consent_signed: Option<i64>,
    /// Their time zone's name (null: not set).
    pub time_zone: Option<String>,
}

/// Every write to what this reads goes through `db::changing_people`, so no server keeps a
/// copy of a session (`session::resolve`) past a change it made.
pub async fn find_session<'e>(
    ex: impl Executor<'e, Database = Any>,
    session_id: &str,
) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(
        "select s.user_session_id, s.last_seen_at, s.expires_at, s.lapsed_at, u.app_user_id, u.email, \
                u.display_name, u.role, u.status, \
                (select m.enabled_at from user_mfa m where m.app_user_id = u.app_user_id) as mfa_enabled_at, \
                (select v.value from app_setting v where v.app_setting_id = 'require_two_factor') as mfa_policy, \
                (select max(cv.version) from consent_version cv) as consent_current, \
                (select max(cs.version) from consent_signature cs where cs.app_user_id = u.app_user_id) as consent_signed, \
                u.time_zone \
         from user_session s join app_user u on u.app_user_id = s.app_user_id \
         where s.user_session_id = $1",
    )
    .bind(session_id)
    .fetch_optional(ex)
    .await
}

pub async fn insert_session<'e>(
    ex: impl Executor<'e, Database = Any>,
    session_id: &str,
    user_id: &str,
    expires_at: i64,
    ip: Option<&str>,
) -> Result<(), sqlx::Error> {
    let now = now_ms();
    sqlx::query(
        "insert into user_session (user_session_id, app_user_id, created_at, last_seen_at, expires_at, ip) \
         values ($1, $2, $3, $3, $4, $5)",
    )
    .bind(session_id)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .bind(ip)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn touch_session<'e>(
    ex: impl Executor<'e, Database = Any>,
    session_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("update user_session set last_seen_at = $1 where user_session_id = $2")
        .bind(now)
        .bind(session_id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Marks a session lapsed (idle or past its limit): it signs no one in from now on. True
/// for the one request that marked it (two racing requests record its end once).
pub async fn mark_lapsed<'e>(
    ex: impl Executor<'e, Database = Any>,
    session_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let update = sqlx::query(
        "update user_session set lapsed_at = $1 where user_session_id = $2 and lapsed_at is null",
    )
    .bind(now)
    .bind(session_id)
    .execute(ex);
    let done = crate::db::changing_people(update).await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_session<'e>(
    ex: impl Executor<'e, Database = Any>,
    session_id: &str,
) -> Result<(), sqlx::Error> {
    crate::db::changing_people(
        sqlx::query("delete from user_session where user_session_id = $1")
            .bind(session_id)
            .execute(ex),
    )
    .await?;
    Ok(())
}

/// Ends every session of an account (deactivation, password change).
pub async fn delete_sessions_of<'e>(
    ex: impl Executor<'e, Database = Any>,
    user_id: &str,
) -> Result<u64, sqlx::Error> {
    let done = crate::db::changing_people(
        sqlx::query("delete from user_session where app_user_id = $1")
            .bind(user_id)
            .execute(ex),
    )
    .await?;
    Ok(done.rows_affected())
}

/// Ends every session of an account but `keep` (a password changed from that session).
pub async fn delete_other_sessions_of<'e>(
    ex: impl Executor<'e, Database = Any>,
    user_id: &str,
    keep: &str,
) -> Result<u64, sqlx::Error> {
    let done = crate::db::changing_people(
        sqlx::query("delete from user_session where app_user_id = $1 and user_session_id <> $2")
            .bind(user_id)
            .bind(keep)
            .execute(ex),
    )
    .await?;
    Ok(done.rows_affected())
}

/// Replaces an account's password hash.
pub async fn set_password_hash<'e>(
    ex: impl Executor<'e, Database = Any>,
    user_id: &str,
    hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("update app_user set password_hash = $1, updated_at = $2 where app_user_id = $3")
        .bind(hash)
        .bind(now_ms())
        .bind(user_id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Removes sessions past their absolute or idle limit; safe to run from any process.
/// Lapsed sessions are kept for `grace_ms` (they sign no one in), so a form posted from a
/// page left open that long still names its author and its words can be kept for them
/// (`held`).
pub async fn delete_stale_sessions<'e>(
    ex: impl Executor<'e, Database = Any>,
    now: i64,
    idle_ms: i64,
    grace_ms: i64,
) -> Result<u64, sqlx::Error> {
    let done = crate::db::changing_people(
        sqlx::query("delete from user_session where expires_at <= $1 or last_seen_at <= $2")
            .bind(now - grace_ms)
            .bind(now - idle_ms - grace_ms)
            .execute(ex),
    )
    .await?;
    Ok(done.rows_affected())
}

pub async fn find_oidc_identity<'e>(
    ex: impl Executor<'e, Database = Any>,
    issuer: &str,
    subject: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("select app_user_id from oidc_identity where issuer = $1 and subject = $2")
        .bind(issuer)
        .bind(subject)
        .fetch_optional(ex)
        .await
}

pub async fn link_oidc_identity<'e>(
    ex: impl Executor<'e, Database = Any>,
    issuer: &str,
    subject: &str,
    user_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into oidc_identity (issuer, subject, app_user_id, created_at) values ($1, $2, $3, $4)",
    )
    .bind(issuer)
    .bind(subject)
    .bind(user_id)
    .bind(now_ms())
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn insert_oidc_login<'e>(
    ex: impl Executor<'e, Database = Any>,
    login_id: &str,
    pkce_verifier: &str,
    nonce: &str,
    invitation_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into oidc_login (oidc_login_id, pkce_verifier, nonce, created_at, invitation_id) \
         values ($1, $2, $3, $4, $5)",
    )
    .bind(login_id)
    .bind(pkce_verifier)
    .bind(nonce)
    .bind(now_ms())
    .bind(invitation_id)
    .execute(ex)
    .await?;
    Ok(())
}

/// An OIDC sign-in in flight, as taken back at the callback.
pub struct OidcLogin {
    pub pkce_verifier: String,
    pub nonce: String,
    /// The invitation this sign-in accepts, if it started from an invitation page.
    pub invitation_id: Option<String>,
}

/// Takes an OIDC login in flight (single use): returns it if it is younger than
/// `max_age_ms`, and deletes it either way.
pub async fn take_oidc_login(
    db: &crate::db::Db,
    login_id: &str,
    max_age_ms: i64,
) -> Result<Option<OidcLogin>, crate::error::AppError> {
    let mut tx = db.begin_write().await?;
    let row: Option<(String, String, i64, Option<String>)> = sqlx::query_as(
        "select pkce_verifier, nonce, created_at, invitation_id from oidc_login \
         where oidc_login_id = $1",
    )
    .bind(login_id)
    .fetch_optional(&mut *tx)
    .await?;
    sqlx::query("delete from oidc_login where oidc_login_id = $1 or created_at < $2")
        .bind(login_id)
        .bind(now_ms() - max_age_ms)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(row
        .filter(|(_, _, created, _)| now_ms() - created <= max_age_ms)
        .map(|(pkce_verifier, nonce, _, invitation_id)| OidcLogin {
            pkce_verifier,
            nonce,
            invitation_id,
        }))
}

/// When the session began (to tell a recent sign-in from an old one), if it exists.
pub async fn session_started(
    db: &crate::db::Db,
    session_id: &str,
) -> Result<Option<i64>, crate::error::AppError> {
    Ok(
        sqlx::query_scalar("select created_at from user_session where user_session_id = $1")
            .bind(session_id)
            .fetch_optional(db.pool())
            .await?,
    )
}
