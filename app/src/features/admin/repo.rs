//! SQL for practice settings and the pick lists of the administrator's pages.

use super::{Choice, Overview};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::Db;
use crate::db::put_setting;
use crate::error::AppError;

use crate::couple::RETENTION_KEY;
pub use crate::couple::retention_years;

pub async fn set_retention_years(
    db: &Db,
    years: u32,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    put_setting(&mut *tx, RETENTION_KEY, &years.to_string()).await?;
    record(
        &mut *tx,
        AuditAction::SettingChanged,
        AuditEntry {
            actor_user_id: Some(actor),
            ip,
            detail: Some(RETENTION_KEY),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Active counselors, by name.
pub async fn counselors(db: &Db) -> Result<Vec<Choice>, AppError> {
    choices(
        db,
        "select app_user_id, display_name from app_user \
         where role = 'counselor' and status = 'active' order by display_name, app_user_id",
    )
    .await
}

/// Everyone with an account, for the audit filter.
pub async fn people(db: &Db) -> Result<Vec<Choice>, AppError> {
    choices(
        db,
        "select app_user_id, display_name || ' (' || email || ')' from app_user \
         order by display_name, app_user_id",
    )
    .await
}

/// Every case by name, for the audit filter.
pub async fn couples(db: &Db) -> Result<Vec<Choice>, AppError> {
    choices(
        db,
        "select couple_id, case_name from couple order by case_name, couple_id",
    )
    .await
}

async fn choices(db: &Db, sql: &str) -> Result<Vec<Choice>, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as(sql).fetch_all(db.pool()).await?;
    Ok(rows
        .into_iter()
        .map(|(id, label)| Choice { id, label })
        .collect())
}

/// Counts for the practice overview: no names, no clinical content.
pub async fn overview(db: &Db) -> Result<Overview, AppError> {
    let count = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql).fetch_one(db.pool()).await
    };
    let by_status: Vec<(String, i64)> =
        sqlx::query_as("select status, count(*) from couple group by status")
            .fetch_all(db.pool())
            .await?;
    let couples = crate::couple::CaseStatus::ALL
        .into_iter()
        .map(|s| {
            let n = by_status
                .iter()
                .find(|(k, _)| k == s.as_str())
                .map(|(_, n)| *n)
                .unwrap_or(0);
            (s.label().to_string(), n)
        })
        .collect();
    let now = crate::db::now_ms();
    let today = chrono::DateTime::from_timestamp_millis(now)
        .unwrap_or_default()
        .date_naive();
    let monday = crate::time::week_start(today);
    let mut weeks = Vec::new();
    for back in (0..8).rev() {
        let start = monday - chrono::Duration::days(7 * back);
        let from = start
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc()
            .timestamp_millis();
        let n: i64 = sqlx::query_scalar(
            "select count(*) from check_in where submitted_at >= $1 and submitted_at < $2",
        )
        .bind(from)
        .bind(from + 7 * 24 * 3600 * 1000)
        .fetch_one(db.pool())
        .await?;
        weeks.push((start.format("%-d %b").to_string(), n));
    }
    let open_due = "from assignment a where a.cancelled_at is null and a.due_on is not null \
        and not exists (select 1 from submission s where s.assignment_id = a.assignment_id)";
    let homework_due: i64 = sqlx::query_scalar(&format!("select count(*) {open_due}"))
        .fetch_one(db.pool())
        .await?;
    let homework_overdue: i64 =
        sqlx::query_scalar(&format!("select count(*) {open_due} and a.due_on < $1"))
            .bind(today.to_string())
            .fetch_one(db.pool())
            .await?;
    Ok(Overview {
        couples,
        counselors: count(
            "select count(*) from app_user where role = 'counselor' and status = 'active'",
        )
        .await?,
        partners: count(
            "select count(*) from app_user where role = 'partner' and status = 'active'",
        )
        .await?,
        check_ins_per_week: weeks,
        homework_due,
        homework_overdue,
        open_safety_flags: count("select count(*) from safety_flag where acknowledged_at is null")
            .await?,
    })
}
