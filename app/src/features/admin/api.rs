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
        wins_from_step: crate::features::progress::repo::wins::from_step(&state.db).await?,
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
    repo::overview(&state.db).await
}
