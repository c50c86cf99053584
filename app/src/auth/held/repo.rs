//! SQL for kept forms: the only place `held_form` is touched.

use sqlx::{Any, Executor};

pub struct NewHeld<'a> {
    pub held_form_id: &'a str,
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
}

pub async fn insert<'e>(
    ex: impl Executor<'e, Database = Any>,
    held: &NewHeld<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into held_form (held_form_id, app_user_id, endpoint, sealed, created_at, expires_at) \
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(held.held_form_id)
    .bind(held.app_user_id)
    .bind(held.endpoint)
    .bind(held.sealed)
    .bind(held.created_at)
    .bind(held.expires_at)
    .execute(ex)
    .await?;
    Ok(())
}

/// Removes and returns the kept form `id` if it is `user_id`'s and unexpired. One statement,
/// so two sign-ins racing for it send it once.
pub async fn take<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    user_id: &str,
    now: i64,
) -> Result<Option<HeldRow>, sqlx::Error> {
    sqlx::query_as(
        "delete from held_form where held_form_id = $1 and app_user_id = $2 and expires_at > $3 \
         returning endpoint, sealed",
    )
    .bind(id)
    .bind(user_id)
    .bind(now)
    .fetch_optional(ex)
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
