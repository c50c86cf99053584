//! The throttle's counters: one row per key (an account's email or an address).

use crate::db::Db;
use crate::error::AppError;

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

/// How a checked attempt ended.
#[derive(Debug, Clone, Copy)]
pub enum Settled {
    Passed,
    Failed,
}

/// Counts an attempt on `key` as under way; returns (failures, in flight, window start).
pub async fn take(
    db: &Db,
    key: &str,
    now: i64,
    window_ended_before: i64,
) -> Result<(i64, i64, i64), AppError> {
    Ok(sqlx::query_as(TAKE)
        .bind(key)
        .bind(now)
        .bind(window_ended_before)
        .fetch_one(db.writer())
        .await?)
}

/// Ends an attempt under way on `key`, counting a failure when it failed.
pub async fn settle(db: &Db, outcome: Settled, key: &str) -> Result<(), AppError> {
    let sql = match outcome {
        Settled::Passed => DONE,
        Settled::Failed => FAILED,
    };
    sqlx::query(sql).bind(key).execute(db.writer()).await?;
    Ok(())
}

pub async fn clear_failures(db: &Db, key: &str) -> Result<(), AppError> {
    sqlx::query("update sign_in_throttle set failures = 0 where throttle_key = $1")
        .bind(key)
        .execute(db.writer())
        .await?;
    Ok(())
}

/// Drops counters whose window started at or before `window_start`, with nothing under way
/// (or so old that nothing can still be).
pub async fn delete_before(
    db: &Db,
    window_start: i64,
    abandoned_start: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "delete from sign_in_throttle where window_started_at <= $1 \
         and (in_flight = 0 or window_started_at <= $2)",
    )
    .bind(window_start)
    .bind(abandoned_start)
    .execute(db.writer())
    .await?;
    Ok(())
}
