//! Check-ins as exports hold them: the counselor's CSV and the JSON records.

use crate::db::Db;
use crate::error::AppError;

/// Every check-in of the couple, oldest first, with the partner's name: (submitted at, name,
/// CSI-4 total, trust, hope, went well, was hard, texts shared, safety answer).
pub type CheckInExportRow = (
    i64,
    String,
    Option<i64>,
    i64,
    i64,
    String,
    String,
    i64,
    String,
);

/// The couple's check-ins for the counselor's CSV.
pub async fn check_in_rows(db: &Db, couple_id: &str) -> Result<Vec<CheckInExportRow>, AppError> {
    Ok(sqlx::query_as(
        "select k.submitted_at, p.display_name, k.csi_total, k.trust, k.hope, k.went_well, \
         k.was_hard, k.share_text, k.safety from check_in k \
         join partner p on p.couple_id = k.couple_id and p.position = k.position \
         where k.couple_id = $1 order by k.submitted_at",
    )
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?)
}

/// A check-in in an export: (position, submitted at, CSI-4 total, trust, hope, went well,
/// was hard, texts shared, safety answer).
pub type CheckInRecord = (i64, i64, Option<i64>, i64, i64, String, String, i64, String);

/// The couple's check-ins in full, or (`only` = a position) one partner's own.
pub async fn check_in_records(
    db: &Db,
    couple_id: &str,
    only: Option<i64>,
) -> Result<Vec<CheckInRecord>, AppError> {
    Ok(sqlx::query_as(
        "select position, submitted_at, csi_total, trust, hope, went_well, was_hard, share_text, safety \
         from check_in where couple_id = $1 and ($2 = 0 or position = $2) order by submitted_at",
    )
    .bind(couple_id)
    .bind(only.unwrap_or(0))
    .fetch_all(db.pool())
    .await?)
}
