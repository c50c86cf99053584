//! A session's agenda items: adding one and listing them.

use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;
use crate::features::sessions::AgendaItem;
use crate::time as tz;
use chrono_tz::Tz;

pub async fn add_agenda_item(
    db: &Db,
    session_id: &str,
    body: &str,
    actor: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "insert into agenda_item (agenda_item_id, counseling_session_id, body, created_by, created_at) \
         values ($1, $2, $3, $4, $5)",
    )
    .bind(new_id())
    .bind(session_id)
    .bind(body)
    .bind(actor)
    .bind(now_ms())
    .execute(db.writer())
    .await?;
    Ok(())
}

pub async fn agenda_items(db: &Db, session_id: &str, tz: Tz) -> Result<Vec<AgendaItem>, AppError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "select body, created_at from agenda_item where counseling_session_id = $1 order by created_at",
    )
    .bind(session_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(body, at)| AgendaItem {
            body,
            added: tz::when(at, tz),
        })
        .collect())
}
