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

mod repo;

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
        settle(
            &self.db,
            repo::Settled::Failed,
            std::mem::take(&mut self.keys),
        )
        .await
    }

    /// The password or code was right (or was not the point): no failure.
    pub async fn passed(mut self) -> Result<(), AppError> {
        settle(
            &self.db,
            repo::Settled::Passed,
            std::mem::take(&mut self.keys),
        )
        .await
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
                if let Err(e) = settle(&db, repo::Settled::Failed, keys).await {
                    tracing::warn!(error = %e, "settling an abandoned sign-in attempt failed");
                }
            });
        }
    }
}

async fn settle(db: &Db, outcome: repo::Settled, keys: Vec<String>) -> Result<(), AppError> {
    for key in keys {
        repo::settle(db, outcome, &key).await?;
    }
    Ok(())
}

fn account_key(email: &str) -> String {
    format!("email:{}", crate::auth::repo::normalize_email(email))
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

/// Requests for a password reset link allowed per address asked for, and per client
/// address, in a window.
pub const RESET_EMAIL_LIMIT: i64 = 3;
pub const RESET_ADDRESS_LIMIT: i64 = 10;

/// Takes a slot for asking for a password reset link for `email`, from `ip`, on counts of
/// its own (never pausing anyone's sign-in). Every request counts, known address or not,
/// so the answer is the same for both: settle it with `failed`.
pub async fn take_reset_request(db: &Db, email: &str, ip: Option<&str>) -> Result<Slot, AppError> {
    let mut keys = Vec::new();
    if let Some(ip) = ip {
        keys.push((format!("reset-ip:{ip}"), RESET_ADDRESS_LIMIT));
    }
    keys.push((
        format!("reset-email:{}", crate::auth::repo::normalize_email(email)),
        RESET_EMAIL_LIMIT,
    ));
    take_keys(db, &keys).await
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
        let (failures, in_flight, window_started_at) =
            repo::take(db, key, now, now - WINDOW_MS).await?;
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
    repo::clear_failures(db, &account_key(email)).await
}

/// Drops counters whose window has passed with nothing under way (housekeeping; any server
/// may run it). An attempt takes seconds, so after an hour nothing is under way anyway.
pub async fn delete_stale(db: &Db) -> Result<(), AppError> {
    let now = now_ms();
    repo::delete_before(db, now - WINDOW_MS, now - 4 * WINDOW_MS).await
}
