//! SQL for small wins.

use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;
use crate::ids::CoupleId;

/// A couple's newest wins (at most 50): (id, author, position, at, words, reaction).
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

/// The practice's setting: the program step from which a couple's wall opens by itself.
pub const FROM_STEP_SETTING: &str = "wins_from_step";

/// The step the practice chose (the program's own place for small wins, step 10, until it
/// chooses).
pub async fn from_step(db: &Db) -> Result<i64, AppError> {
    Ok(crate::db::setting(db, FROM_STEP_SETTING)
        .await?
        .and_then(|v| v.parse().ok())
        .unwrap_or(super::super::wins::DEFAULT_FROM_STEP))
}

pub async fn set_from_step(
    db: &Db,
    step: i64,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    crate::db::put_setting(&mut *tx, FROM_STEP_SETTING, &step.to_string()).await?;
    crate::audit::repo::record(
        &mut *tx,
        crate::audit::AuditAction::SettingChanged,
        crate::audit::repo::AuditEntry {
            actor_user_id: Some(actor),
            ip,
            detail: Some(FROM_STEP_SETTING),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The counselor's choice for the couple: `Some(true)` on, `Some(false)` off, `None` as the
/// practice sets it.
pub async fn couple_choice(db: &Db, couple_id: &str) -> Result<Option<bool>, AppError> {
    Ok(crate::couple::load(db, &couple_id.into())
        .await?
        .and_then(|couple| couple.wins_wall))
}

pub async fn set_couple_choice(
    db: &Db,
    couple_id: &str,
    choice: Option<bool>,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("update couple set wins_wall = $1 where couple_id = $2")
        .bind(choice.map(|on| if on { "on" } else { "off" }))
        .bind(couple_id)
        .execute(&mut *tx)
        .await?;
    let detail = match choice {
        Some(true) => "wins_wall_on",
        Some(false) => "wins_wall_off",
        None => "wins_wall_practice",
    };
    crate::audit::repo::record(
        &mut *tx,
        crate::audit::AuditAction::CaseUpdated,
        crate::audit::repo::AuditEntry {
            actor_user_id: Some(actor),
            couple_id: Some(couple_id),
            ip,
            detail: Some(detail),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    crate::couple::forget(couple_id);
    Ok(())
}
