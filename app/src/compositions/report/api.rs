//! The report's server function.

use crate::error::AppError;
use crate::ids::CoupleId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {crate::auth::guard, crate::state::app_state, crate::time as tz};

/// The printable progress report for a period (`from`/`to` as YYYY-MM-DD; default the last
/// 90 days). Notes appear only when `notes` is "on"; the counselor's own psychotherapy notes
/// only when `psychotherapy` is "on" as well.
#[server(prefix = "/api", endpoint = "get_report")]
pub async fn get_report(
    couple_id: CoupleId,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] notes: String,
    #[server(default)] psychotherapy: String,
) -> Result<super::Report, AppError> {
    let counselor = guard::require_case_counselor(&couple_id).await?;
    let state = app_state()?;
    let zone = crate::couple::time_zone(&state.db, &counselor.user.user_id).await?;
    let today = tz::at(crate::db::now_ms(), zone).date_naive();
    let date = |s: &str, default: chrono::NaiveDate| {
        if s.trim().is_empty() {
            Ok(default)
        } else {
            chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .map_err(|_| AppError::validation("from", "Enter the dates as YYYY-MM-DD."))
        }
    };
    let to = date(&to, today)?;
    let from = date(&from, to - chrono::Duration::days(90))?;
    if from > to {
        return Err(AppError::validation(
            "from",
            "The period must start before it ends.",
        ));
    }
    let report = super::build::report(
        &state.db,
        &couple_id,
        (from, to),
        notes == "on",
        (psychotherapy == "on").then_some(counselor.user.user_id.as_str()),
        zone,
    )
    .await?;
    let ip = guard::request_context().ip;
    crate::audit::repo::record_read(
        &state.db,
        crate::audit::AuditAction::ReportViewed,
        crate::audit::repo::AuditEntry {
            actor_user_id: Some(&counselor.user.user_id),
            couple_id: Some(&couple_id),
            ip: ip.as_deref(),
            detail: Some(if notes == "on" {
                "with_notes"
            } else {
                "without_notes"
            }),
            ..Default::default()
        },
    )
    .await?;
    Ok(report)
}
