//! Sign-in throttling. Counters live in the database (not in a process), so several
//! servers behind one load balancer share them.
//!
//! An attempt takes its slot first, in one statement that counts it as under way and reads
//! the counts back, and only then is its password or code checked. Simultaneous guesses
//! therefore cannot all pass a count that none of them has yet added to: failures plus
//! attempts under way never exceed the limit, so at most the limit is ever checked per key
//! and window. Attempts beyond it while others are still being checked wait their turn
//! briefly (a burst of people signing in from one office is not a pause); attempts after
//! the limit's worth of failures are paused until the window ends.

use crate::db::{Db, now_ms};
use crate::error::AppError;
use std::time::{Duration, Instant};

const WINDOW_MS: i64 = 15 * 60 * 1000;
/// Failed attempts on one account before it is paused for the rest of the window.
pub const ACCOUNT_LIMIT: i64 = 5;
/// Failed attempts from one address (across accounts) before it is paused.
pub const ADDRESS_LIMIT: i64 = 20;
/// How long an attempt waits for others under way to finish before it gives up: long
/// enough for a whole office signing in at once on a busy server, short of a browser's
/// patience.
const BUSY_WAIT: Duration = Duration::from_secs(15);

/// Counts the attempt as under way and reads the counts back, starting a new window (no
/// failures) when the last one has passed. One statement, so no two attempts read the same
/// counts.
const TAKE: &str = "insert into sign_in_throttle \
     (throttle_key, failures, in_flight, window_started_at) values ($1, 0, 1, $2) \
     on conflict (throttle_key) do update set \
     failures = case when sign_in_throttle.window_started_at <= $3 then 0 \
         else sign_in_throttle.failures end, \
     in_flight = sign_in_throttle.in_flight + 1, \
     window_started_at = case when sign_in_throttle.window_started_at <= $3 then $2 \
         else sign_in_throttle.window_started_at end \
     returning failures, in_flight, window_started_at";

const DONE: &str = "update sign_in_throttle set \
     in_flight = case when in_flight > 0 then in_flight - 1 else 0 end \
     where throttle_key = $1";

const FAILED: &str = "update sign_in_throttle set failures = failures + 1, \
     in_flight = case when in_flight > 0 then in_flight - 1 else 0 end \
     where throttle_key = $1";

/// An attempt's place in the counts, taken before its password or code is checked, and
/// settled once it is: `failed` or `passed`. One dropped unsettled (an error, a client that
/// hung up) is settled as a failure.
#[must_use = "a slot is settled as failed or passed"]
#[derive(Debug)]
pub struct Slot {
    db: Db,
    keys: Vec<String>,
}

impl Slot {
    /// The password or code was wrong: a failure, for every key.
    pub async fn failed(mut self) -> Result<(), AppError> {
        settle(&self.db, FAILED, std::mem::take(&mut self.keys)).await
    }

    /// The password or code was right (or was not the point): no failure.
    pub async fn passed(mut self) -> Result<(), AppError> {
        settle(&self.db, DONE, std::mem::take(&mut self.keys)).await
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if self.keys.is_empty() {
            return;
        }
        let (db, keys) = (self.db.clone(), std::mem::take(&mut self.keys));
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Err(e) = settle(&db, FAILED, keys).await {
                    tracing::warn!(error = %e, "settling an abandoned sign-in attempt failed");
                }
            });
        }
    }
}

async fn settle(db: &Db, sql: &str, keys: Vec<String>) -> Result<(), AppError> {
    for key in keys {
        sqlx::query(sql).bind(key).execute(db.writer()).await?;
    }
    Ok(())
}

fn account_key(email: &str) -> String {
    format!("email:{}", super::repo::normalize_email(email))
}

/// Takes a slot for checking a password or code of the account with `email`, from `ip`.
/// Refused (`Throttled`) when the account or the address has failed too often recently.
pub async fn take(db: &Db, email: &str, ip: Option<&str>) -> Result<Slot, AppError> {
    // The address first: an address already paused then adds no row per email it tries.
    let mut keys = Vec::new();
    if let Some(ip) = ip {
        keys.push((format!("ip:{ip}"), ADDRESS_LIMIT));
    }
    keys.push((account_key(email), ACCOUNT_LIMIT));
    take_keys(db, &keys).await
}

/// Takes a slot for the first-run form (it hashes a password), by address, with the same
/// limit as sign-in's, on a count of its own so it never pauses anyone's sign-in.
pub async fn take_first_run(db: &Db, ip: Option<&str>) -> Result<Slot, AppError> {
    let key = format!("setup:{}", ip.unwrap_or("unknown"));
    take_keys(db, &[(key, ADDRESS_LIMIT)]).await
}

enum Outcome {
    Taken(Slot),
    /// Too many failures: paused for this long (seconds).
    Paused(i64),
    /// Failures and attempts under way fill the limit: wait for those to finish.
    Busy,
}

async fn take_keys(db: &Db, keys: &[(String, i64)]) -> Result<Slot, AppError> {
    let deadline = Instant::now() + BUSY_WAIT;
    let mut pause = Duration::from_millis(20);
    loop {
        match try_take(db, keys).await? {
            Outcome::Taken(slot) => return Ok(slot),
            Outcome::Paused(retry_after_secs) => {
                return Err(AppError::Throttled { retry_after_secs });
            }
            Outcome::Busy if Instant::now() + pause < deadline => {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_millis(400));
            }
            Outcome::Busy => {
                return Err(AppError::Throttled {
                    retry_after_secs: 1,
                });
            }
        }
    }
}

async fn try_take(db: &Db, keys: &[(String, i64)]) -> Result<Outcome, AppError> {
    let now = now_ms();
    let mut slot = Slot {
        db: db.clone(),
        keys: Vec::new(),
    };
    for (key, limit) in keys {
        let (failures, in_flight, window_started_at): (i64, i64, i64) = sqlx::query_as(TAKE)
            .bind(key)
            .bind(now)
            .bind(now - WINDOW_MS)
            .fetch_one(db.writer())
            .await?;
        slot.keys.push(key.clone());
        if failures >= *limit {
            // Never checked, so not a failure: paused attempts do not lengthen the pause.
            slot.passed().await?;
            let retry_after_ms = window_started_at + WINDOW_MS - now;
            return Ok(Outcome::Paused((retry_after_ms / 1000).max(1)));
        }
        if failures + in_flight > *limit {
            slot.passed().await?;
            return Ok(Outcome::Busy);
        }
    }
    Ok(Outcome::Taken(slot))
}

/// A successful sign-in clears the account's failures (not the address's).
pub async fn clear_account(db: &Db, email: &str) -> Result<(), AppError> {
    sqlx::query("update sign_in_throttle set failures = 0 where throttle_key = $1")
        .bind(account_key(email))
        .execute(db.writer())
        .await?;
    Ok(())
}

/// Drops counters whose window has passed with nothing under way (housekeeping; any server
/// may run it). An attempt takes seconds, so after an hour nothing is under way anyway.
pub async fn delete_stale(db: &Db) -> Result<(), AppError> {
    let now = now_ms();
    sqlx::query(
        "delete from sign_in_throttle where window_started_at <= $1 \
         and (in_flight = 0 or window_started_at <= $2)",
    )
    .bind(now - WINDOW_MS)
    .bind(now - 4 * WINDOW_MS)
    .execute(db.writer())
    .await?;
    Ok(())
}
