//! SQL for the case page's trend charts.

use crate::db::Db;
use crate::error::AppError;

/// The couple's homework due since `first` (or, without a due date, set since `since`):
/// (position, due on, set at, 1 when sent).
pub async fn due_since(
    db: &Db,
    couple_id: &str,
    first: chrono::NaiveDate,
    since: i64,
) -> Result<Vec<(i64, Option<String>, i64, i64)>, AppError> {
    Ok(sqlx::query_as(
        "select a.position, a.due_on, a.assigned_at, \
         case when exists (select 1 from submission s where s.assignment_id = a.assignment_id) then 1 else 0 end \
         from assignment a where a.couple_id = $1 and a.cancelled_at is null \
         and (a.due_on >= $2 or (a.due_on is null and a.assigned_at >= $3))",
    )
    .bind(couple_id)
    .bind(first.to_string())
    .bind(since)
    .fetch_all(db.pool())
    .await?)
}
