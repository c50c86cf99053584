//! Server functions for administrators: practice settings, reassigning couples, the audit
//! log. Each starts with the administrator guard.

use super::{AuditPage, CouplesPage, PracticeSettings};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{AUDIT_PER_PAGE, AuditLine, repo},
    crate::audit::AuditAction,
    crate::audit::repo::{AuditFilter, search},
    crate::auth::{Role, guard},
    crate::error::report_status,
    crate::features::cases::{PER_PAGE, repo as cases_repo},
    crate::state::app_state,
};

#[server(prefix = "/api", endpoint = "get_practice_settings")]
pub async fn get_practice_settings() -> Result<PracticeSettings, AppError> {
    let _admin = guard::require_role(&[Role::Admin])?;
    let state = app_state()?;
    Ok(PracticeSettings {
        retention_years: repo::retention_years(&state.db).await?,
        csi_enabled: crate::features::progress::repo::csi_enabled(&state.db).await?,
        two_factor_required: crate::auth::mfa::repo::required(state.db.pool()).await?,
    })
}

/// Sets how many years closed cases are kept.
#[server(prefix = "/api", endpoint = "set_retention_years")]
pub async fn set_retention_years(retention_years: String) -> Result<(), AppError> {
    let admin = guard::require_role(&[Role::Admin])?;
    let result = async {
        let years: u32 = retention_years
            .trim()
            .parse()
            .ok()
            .filter(|y| (1..=100).contains(y))
            .ok_or_else(|| {
                AppError::validation(
                    "retention_years",
                    "Enter a whole number of years between 1 and 100.",
                )
            })?;
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::set_retention_years(&state.db, years, &admin.user.user_id, ip.as_deref()).await
    }
    .await;
    match &result {
        Ok(()) => leptos_axum::redirect("/?saved=settings#settings"),
        Err(err) => report_status(err),
    }
    result
}

/// Every couple with its counselor (no clinical content), and the counselors to choose from.
#[server(prefix = "/api", endpoint = "list_couples")]
pub async fn list_couples(page: i64) -> Result<CouplesPage, AppError> {
    let _admin = guard::require_role(&[Role::Admin])?;
    let state = app_state()?;
    let (couples, total) = cases_repo::all_couples(&state.db, page).await?;
    Ok(CouplesPage {
        couples,
        counselors: repo::counselors(&state.db).await?,
        total,
        page: page.max(1),
        per_page: PER_PAGE * 2,
    })
}

/// Hands a couple to another counselor.
#[server(prefix = "/api", endpoint = "reassign_couple")]
pub async fn reassign_couple(couple_id: String, counselor_id: String) -> Result<(), AppError> {
    let admin = guard::require_role(&[Role::Admin])?;
    let result = async {
        let state = app_state()?;
        let ip = guard::request_context().ip;
        cases_repo::reassign(
            &state.db,
            &couple_id,
            &counselor_id,
            &admin.user.user_id,
            ip.as_deref(),
        )
        .await
    }
    .await;
    match &result {
        Ok(()) => leptos_axum::redirect("/admin/couples?reassigned=1"),
        Err(err) => report_status(err),
    }
    result
}

#[cfg(feature = "ssr")]
fn day_start_ms(date: &str, field: &str) -> Result<Option<i64>, AppError> {
    match date.trim() {
        "" => Ok(None),
        d => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(|d| {
                Some(
                    d.and_hms_opt(0, 0, 0)
                        .unwrap_or_default()
                        .and_utc()
                        .timestamp_millis(),
                )
            })
            .map_err(|_| AppError::validation(field, "Enter dates as YYYY-MM-DD.")),
    }
}

/// The audit log, filtered by person, case and dates (inclusive, UTC).
#[server(prefix = "/api", endpoint = "audit_log")]
pub async fn audit_log(
    person: String,
    couple: String,
    from: String,
    to: String,
    page: i64,
) -> Result<AuditPage, AppError> {
    let _admin = guard::require_role(&[Role::Admin])?;
    let state = app_state()?;
    let page = page.max(1);
    let from_ms = day_start_ms(&from, "from")?;
    let to_ms = day_start_ms(&to, "to")?.map(|t| t + 24 * 3600 * 1000);
    let filter = AuditFilter {
        person: Some(person.as_str()).filter(|p| !p.is_empty()),
        couple_id: Some(couple.as_str()).filter(|c| !c.is_empty()),
        from_ms,
        to_ms,
    };
    let (rows, total) = search(
        state.db.pool(),
        &filter,
        AUDIT_PER_PAGE,
        (page - 1) * AUDIT_PER_PAGE,
    )
    .await?;
    Ok(AuditPage {
        lines: rows
            .into_iter()
            .map(|r| AuditLine {
                at: chrono::DateTime::from_timestamp_millis(r.at).unwrap_or_default(),
                who: r.actor_name,
                what: AuditAction::describe(&r.action, r.detail.as_deref(), &[]),
                about: r.subject_name,
                case_name: r.case_name.or(r.couple_id),
                ip: r.ip,
            })
            .collect(),
        total,
        page,
        per_page: AUDIT_PER_PAGE,
        people: repo::people(&state.db).await?,
        couples: repo::couples(&state.db).await?,
    })
}

/// Counts for the practice overview. Administrators only; no clinical content.
#[server(prefix = "/api", endpoint = "practice_overview")]
pub async fn practice_overview() -> Result<super::Overview, AppError> {
    let _admin = guard::require_role(&[Role::Admin])?;
    let state = app_state()?;
    let db = &state.db;
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
    Ok(super::Overview {
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
