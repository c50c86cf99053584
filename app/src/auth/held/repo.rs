//! SQL for kept forms: the only place `held_form` is touched.

use sqlx::{Any, Executor};

pub struct NewHeld<'a> {
    pub held_form_id: &'a str,
    pub token_hash: &'a str,
    pub app_user_id: &'a str,
    pub endpoint: &'a str,
    pub sealed: &'a str,
    pub created_at: i64,
    pub expires_at: i64,
}

#[derive(sqlx::FromRow)]
pub struct HeldRow {
    pub endpoint: String,
    pub sealed: String,
    pub created_at: i64,
}

pub async fn insert<'e>(
    ex: impl Executor<'e, Database = Any>,
    held: &NewHeld<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into held_form (held_form_id, token_hash, app_user_id, endpoint, sealed, \
         created_at, expires_at) values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(held.held_form_id)
    .bind(held.token_hash)
    .bind(held.app_user_id)
    .bind(held.endpoint)
    .bind(held.sealed)
    .bind(held.created_at)
    .bind(held.expires_at)
    .execute(ex)
    .await?;
    Ok(())
}

/// Removes and returns the unexpired forms kept under `token_hash` for `user_id`. One
/// statement, so two sign-ins racing for them send each once.
pub async fn take<'e>(
    ex: impl Executor<'e, Database = Any>,
    token_hash: &str,
    user_id: &str,
    now: i64,
) -> Result<Vec<HeldRow>, sqlx::Error> {
    sqlx::query_as(
        "delete from held_form where token_hash = $1 and app_user_id = $2 and expires_at > $3 \
         returning endpoint, sealed, created_at",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .fetch_all(ex)
    .await
}

/// How many unexpired forms wait for `user_id`, in any browser.
pub async fn count_for<'e>(
    ex: impl Executor<'e, Database = Any>,
    user_id: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select count(*) from held_form where app_user_id = $1 and expires_at > $2")
        .bind(user_id)
        .bind(now)
        .fetch_one(ex)
        .await
}

/// How many unexpired forms (anyone's) wait under `token_hash`.
pub async fn count_under<'e>(
    ex: impl Executor<'e, Database = Any>,
    token_hash: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select count(*) from held_form where token_hash = $1 and expires_at > $2")
        .bind(token_hash)
        .bind(now)
        .fetch_one(ex)
        .await
}

/// Housekeeping: drops kept forms whose time has passed.
pub async fn delete_expired<'e>(
    ex: impl Executor<'e, Database = Any>,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("delete from held_form where expires_at <= $1")
        .bind(now)
        .execute(ex)
        .await?;
    Ok(done.rows_affected())
}

/// Drops every form kept for `user_id` (their account is being deactivated: nobody will sign
/// in to send them). A password or two-factor reset keeps them: the person signs in again.
pub async fn delete_of<'e>(
    ex: impl Executor<'e, Database = Any>,
    user_id: &str,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("delete from held_form where app_user_id = $1")
        .bind(user_id)
        .execute(ex)
        .await?;
    Ok(done.rows_affected())
}
