//! Sign-in throttling. Failures are counted in the database (not in a process), so several
//! servers behind one load balancer share the same counters.

use crate::db::{Db, now_ms};
use crate::error::AppError;

const WINDOW_MS: i64 = 15 * 60 * 1000;
/// Failed attempts on one account before it is paused for the rest of the window.
pub const ACCOUNT_LIMIT: i64 = 5;
/// Failed attempts from one address (across accounts) before it is paused.
pub const ADDRESS_LIMIT: i64 = 20;

fn keys(email: &str, ip: Option<&str>) -> Vec<(String, i64)> {
    let mut keys = vec![(
        format!("email:{}", super::repo::normalize_email(email)),
        ACCOUNT_LIMIT,
    )];
    if let Some(ip) = ip {
        keys.push((format!("ip:{ip}"), ADDRESS_LIMIT));
    }
    keys
}

/// Refuses the attempt if the account or the address has failed too often recently.
pub async fn check(db: &Db, email: &str, ip: Option<&str>) -> Result<(), AppError> {
    let now = now_ms();
    for (key, limit) in keys(email, ip) {
        let (count, oldest): (i64, Option<i64>) = sqlx::query_as(
            "select count(*), min(at) from sign_in_failure where throttle_key = $1 and at > $2",
        )
        .bind(&key)
        .bind(now - WINDOW_MS)
        .fetch_one(db.pool())
        .await?;
        if count >= limit {
            let retry_after_ms = oldest.unwrap_or(now) + WINDOW_MS - now;
            return Err(AppError::Throttled {
                retry_after_secs: (retry_after_ms / 1000).max(1),
            });
        }
    }
    Ok(())
}

pub async fn record_failure(db: &Db, email: &str, ip: Option<&str>) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    for (key, _) in keys(email, ip) {
        sqlx::query("insert into sign_in_failure (throttle_key, at) values ($1, $2)")
            .bind(&key)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    // Old failures no longer count; drop them as we go.
    sqlx::query("delete from sign_in_failure where at <= $1")
        .bind(now - WINDOW_MS)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A successful sign-in clears the account's count (not the address's).
pub async fn clear_account(db: &Db, email: &str) -> Result<(), AppError> {
    sqlx::query("delete from sign_in_failure where throttle_key = $1")
        .bind(format!("email:{}", super::repo::normalize_email(email)))
        .execute(db.writer())
        .await?;
    Ok(())
}
