//! SQL for small wins.

use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;
use crate::ids::CoupleId;

/// The couple's newest wins (at most 50): (id, author's name, posted at, words, reaction).
/// A couple's wins, newest first: (id, author, position, at, body, reaction).
pub async fn wall_rows(
    db: &Db,
    couple_id: &str,
) -> Result<Vec<(String, String, i64, i64, String, Option<String>)>, AppError> {
    Ok(sqlx::query_as(
        "select w.small_win_id, p.display_name, w.position, w.created_at, w.body, w.reaction \
         from small_win w \
         join partner p on p.couple_id = w.couple_id and p.position = w.position \
         where w.couple_id = $1 order by w.created_at desc limit 50",
    )
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?)
}

pub async fn post(
    db: &Db,
    couple_id: &str,
    position: i64,
    user_id: &str,
    body: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "insert into small_win (small_win_id, couple_id, position, app_user_id, body, created_at) \
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(couple_id)
    .bind(position)
    .bind(user_id)
    .bind(body)
    .bind(now_ms())
    .execute(db.writer())
    .await?;
    Ok(())
}

/// The couple a win was posted in.
pub async fn couple_of(db: &Db, win_id: &str) -> Result<Option<CoupleId>, AppError> {
    Ok(
        sqlx::query_scalar("select couple_id from small_win where small_win_id = $1")
            .bind(win_id)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// The counselor's reaction to a win.
pub async fn react(
    db: &Db,
    win_id: &str,
    reaction: &str,
    counselor_id: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "update small_win set reaction = $1, reacted_by = $2, reacted_at = $3 where small_win_id = $4",
    )
    .bind(reaction)
    .bind(counselor_id)
    .bind(now_ms())
    .bind(win_id)
    .execute(db.writer())
    .await?;
    Ok(())
}
