//! SQL for two-factor sign-in: secrets, recovery codes, pending sign-ins and the policy.

use crate::db::{get_setting, put_setting};
use crate::db::{new_id, now_ms};
use sqlx::{Any, Executor};

/// The practice setting that requires two-factor for counselors and administrators.
pub const POLICY_KEY: &str = "require_two_factor";

/// A person's two-factor row. Server-only: it holds the secret, sealed (see `seal`).
#[derive(Clone, sqlx::FromRow)]
pub struct MfaRow {
    /// The sealed secret as stored; `seal::Keyring::open` gives the secret.
    pub secret: String,
    pub enabled_at: Option<i64>,
    pub last_used_step: Option<i64>,
}

impl MfaRow {
    pub fn enabled(&self) -> bool {
        self.enabled_at.is_some()
    }
}

pub async fn find<'e>(
    ex: impl Executor<'e, Database = Any>,
    user_id: &str,
) -> Result<Option<MfaRow>, sqlx::Error> {
    sqlx::query_as("select secret, enabled_at, last_used_step from user_mfa where app_user_id = $1")
        .bind(user_id)
        .fetch_optional(ex)
        .await
}

/// Whether the person has two-factor switched on.
pub async fn is_enabled<'e>(
    ex: impl Executor<'e, Database = Any>,
    user_id: &str,
) -> Result<bool, sqlx::Error> {
    Ok(find(ex, user_id).await?.is_some_and(|r| r.enabled()))
}

impl std::fmt::Debug for MfaRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MfaRow")
            .field("secret", &"[sealed]")
            .field("enabled_at", &self.enabled_at)
            .field("last_used_step", &self.last_used_step)
            .finish()
    }
}

/// Stores a new (sealed) secret awaiting confirmation, replacing an unconfirmed one. Returns
/// false (and changes nothing) when two-factor is already on.
pub async fn start_setup<'e>(
    ex: impl Executor<'e, Database = Any>,
    user_id: &str,
    sealed_secret: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into user_mfa (app_user_id, secret, created_at) values ($1, $2, $3) \
         on conflict (app_user_id) do update set secret = excluded.secret, \
         created_at = excluded.created_at, last_used_step = null \
         where user_mfa.enabled_at is null",
    )
    .bind(user_id)
    .bind(sealed_secret)
    .bind(now_ms())
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Every stored secret: (account, secret as stored). Only counselors and administrators
/// have rows, so there are few.
pub async fn all_secrets<'e>(
    ex: impl Executor<'e, Database = Any>,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("select app_user_id, secret from user_mfa order by app_user_id")
        .fetch_all(ex)
        .await
}

/// Replaces a stored secret with the same secret sealed anew, only if the row still holds
/// `old`: a set-up restarted meanwhile, or another server doing the same, wins.
pub async fn replace_sealed<'e>(
    ex: impl Executor<'e, Database = Any>,
    user_id: &str,
    old: &str,
    new: &str,
) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("update user_mfa set secret = $1 where app_user_id = $2 and secret = $3")
            .bind(new)
            .bind(user_id)
            .bind(old)
            .execute(ex)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Switches two-factor on, recording the step of the confirming code.
pub async fn enable<'e>(
    ex: impl Executor<'e, Database = Any>,
    user_id: &str,
    step: i64,
) -> Result<bool, sqlx::Error> {
    let done = crate::db::changing_people(
        sqlx::query(
            "update user_mfa set enabled_at = $1, last_used_step = $2 \
         where app_user_id = $3 and enabled_at is null",
        )
        .bind(now_ms())
        .bind(step)
        .bind(user_id)
        .execute(ex),
    )
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records `step` as used, only if it is later than the last one used: of two requests
/// racing with the same code, one wins.
pub async fn claim_step<'e>(
    ex: impl Executor<'e, Database = Any>,
    user_id: &str,
    step: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update user_mfa set last_used_step = $1 \
         where app_user_id = $2 and (last_used_step is null or last_used_step < $1)",
    )
    .bind(step)
    .bind(user_id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces the person's recovery codes with these (hashed) ones.
pub async fn replace_recovery_codes(
    tx: &mut crate::db::Tx,
    user_id: &str,
    hashes: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("delete from mfa_recovery_code where app_user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    let now = now_ms();
    for hash in hashes {
        sqlx::query(
            "insert into mfa_recovery_code (mfa_recovery_code_id, app_user_id, code_hash, created_at) \
             values ($1, $2, $3, $4)",
        )
        .bind(new_id())
        .bind(user_id)
        .bind(hash)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Uses up a recovery code; false if it is not one of the person's unused codes.
pub async fn use_recovery_code<'e>(
    ex: impl Executor<'e, Database = Any>,
    user_id: &str,
    hash: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update mfa_recovery_code set used_at = $1 \
         where app_user_id = $2 and code_hash = $3 and used_at is null",
    )
    .bind(now_ms())
    .bind(user_id)
    .bind(hash)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn recovery_codes_left<'e>(
    ex: impl Executor<'e, Database = Any>,
    user_id: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select count(*) from mfa_recovery_code where app_user_id = $1 and used_at is null",
    )
    .bind(user_id)
    .fetch_one(ex)
    .await
}

/// Removes everything two-factor of a person (turned off, or reset by an administrator).
/// Returns whether they had anything set up.
pub async fn remove(tx: &mut crate::db::Tx, user_id: &str) -> Result<bool, sqlx::Error> {
    for table in ["mfa_recovery_code", "mfa_pending_login"] {
        sqlx::query(&format!("delete from {table} where app_user_id = $1"))
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
    }
    let done = crate::db::changing_people(
        sqlx::query("delete from user_mfa where app_user_id = $1")
            .bind(user_id)
            .execute(&mut **tx),
    )
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn insert_pending<'e>(
    ex: impl Executor<'e, Database = Any>,
    pending_id: &str,
    user_id: &str,
    first_step: &str,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into mfa_pending_login (mfa_pending_login_id, app_user_id, first_step, created_at, expires_at) \
         values ($1, $2, $3, $4, $5)",
    )
    .bind(pending_id)
    .bind(user_id)
    .bind(first_step)
    .bind(now_ms())
    .bind(expires_at)
    .execute(ex)
    .await?;
    Ok(())
}

/// A live pending sign-in: (account, first step). Expired ones are not returned.
pub async fn find_pending<'e>(
    ex: impl Executor<'e, Database = Any>,
    pending_id: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "select app_user_id, first_step from mfa_pending_login \
         where mfa_pending_login_id = $1 and expires_at > $2",
    )
    .bind(pending_id)
    .bind(now_ms())
    .fetch_optional(ex)
    .await
}

/// Ends a pending sign-in (and any expired ones). True if this one was still there: a
/// pending sign-in completes once.
pub async fn take_pending<'e>(
    ex: impl Executor<'e, Database = Any>,
    pending_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "delete from mfa_pending_login where mfa_pending_login_id = $1 and expires_at > $2",
    )
    .bind(pending_id)
    .bind(now_ms())
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_expired_pending<'e>(
    ex: impl Executor<'e, Database = Any>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("delete from mfa_pending_login where expires_at <= $1")
        .bind(now_ms())
        .execute(ex)
        .await?;
    Ok(done.rows_affected())
}

/// Whether the practice requires two-factor for counselors and administrators.
pub async fn required<'e>(ex: impl Executor<'e, Database = Any>) -> Result<bool, sqlx::Error> {
    Ok(get_setting(ex, POLICY_KEY).await?.as_deref() == Some("on"))
}

pub async fn set_required<'e>(
    ex: impl Executor<'e, Database = Any>,
    on: bool,
) -> Result<(), sqlx::Error> {
    put_setting(ex, POLICY_KEY, if on { "on" } else { "off" }).await
}
