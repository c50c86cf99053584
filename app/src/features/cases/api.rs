//! Server functions for cases. Every one starts with its guard; a case that is not the
//! caller's is "not found", so its existence is never revealed.

use super::{CaseOverview, Caseload, PartnerCouple};
use crate::error::AppError;
use crate::ids::CoupleId;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::{CaseStatus, RuptureRole, repo},
    crate::audit::AuditAction,
    crate::audit::repo::{AuditEntry, record_read},
    crate::auth::{Role, guard},
    crate::error::report_status,
    crate::state::app_state,
};

/// The new-couple form as submitted (`couple[...]` fields).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct NewCouple {
    pub case_name: String,
    pub partner1_name: String,
    pub partner1_email: String,
    #[serde(default)]
    pub partner1_pronouns: String,
    #[serde(default)]
    pub partner1_role: String,
    pub partner2_name: String,
    pub partner2_email: String,
    #[serde(default)]
    pub partner2_pronouns: String,
    #[serde(default)]
    pub partner2_role: String,
    #[serde(default)]
    pub rupture_date: String,
    #[serde(default)]
    pub presenting_concerns: String,
    #[serde(default)]
    pub intake_notes: String,
}

#[cfg(feature = "ssr")]
fn optional(text: &str, field: &str, max: usize) -> Result<Option<String>, AppError> {
    let text = text.trim();
    if text.chars().count() > max {
        return Err(AppError::validation(
            field,
            format!("Use at most {max} characters."),
        ));
    }
    Ok((!text.is_empty()).then(|| text.to_string()))
}

impl NewCouple {
    /// Checks every field and returns the couple ready to store.
    #[cfg(feature = "ssr")]
    pub fn check(&self) -> Result<repo::ValidCouple, AppError> {
        use crate::valid::{check_display_name, check_email};
        let case_name = self.case_name.trim();
        if case_name.is_empty() || case_name.chars().count() > 120 {
            return Err(AppError::validation(
                "case_name",
                "Enter a case name of up to 120 characters, such as \"Alex & Sam\".",
            ));
        }
        let partner = |n: u8, name: &str, email: &str, pronouns: &str, role: &str| {
            let which = if n == 1 { "first" } else { "second" };
            let display_name = check_display_name(name).map_err(|_| {
                AppError::validation(
                    "partner_name",
                    format!("Enter the {which} partner's name (up to 100 characters)."),
                )
            })?;
            let email = check_email(email).map_err(|_| {
                AppError::validation(
                    "partner_email",
                    format!("Enter the {which} partner's email address, like name@example.org."),
                )
            })?;
            let rupture_role = RuptureRole::parse(role).ok_or_else(|| {
                AppError::validation("partner_role", "Choose a role from the list.")
            })?;
            Ok::<_, AppError>(repo::ValidPartner {
                display_name,
                email,
                pronouns: optional(pronouns, "pronouns", 40)?,
                rupture_role,
            })
        };
        let p1 = partner(
            1,
            &self.partner1_name,
            &self.partner1_email,
            &self.partner1_pronouns,
            &self.partner1_role,
        )?;
        let p2 = partner(
            2,
            &self.partner2_name,
            &self.partner2_email,
            &self.partner2_pronouns,
            &self.partner2_role,
        )?;
        if p1.email == p2.email {
            return Err(AppError::validation(
                "partner_email",
                "Each partner needs their own email address: they each get their own login.",
            ));
        }
        let rupture_date = match self.rupture_date.trim() {
            "" => None,
            d => {
                let date = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                    AppError::validation("rupture_date", "Enter the date as YYYY-MM-DD.")
                })?;
                if date > chrono::Utc::now().date_naive() {
                    return Err(AppError::validation(
                        "rupture_date",
                        "The date of the rupture cannot be in the future.",
                    ));
                }
                Some(date)
            }
        };
        Ok(repo::ValidCouple {
            case_name: case_name.to_string(),
            partners: [p1, p2],
            rupture_date,
            presenting_concerns: optional(&self.presenting_concerns, "presenting_concerns", 4000)?,
            intake_notes: optional(&self.intake_notes, "intake_notes", 20000)?,
        })
    }
}

/// Opens a case for a new couple on the signed-in counselor's caseload.
#[server(prefix = "/api", endpoint = "create_couple")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_couple(couple: NewCouple) -> Result<String, AppError> {
    let counselor = guard::require_role(&[Role::Counselor])?;
    let result = async {
        let state = app_state()?;
        let valid = couple.check()?;
        let ip = guard::request_context().ip;
        repo::create(&state.db, &counselor.user.user_id, &valid, ip.as_deref()).await
    }
    .await;
    match &result {
        Ok(id) => leptos_axum::redirect(&crate::couple::CaseSection::Partners.path(id)),
        Err(err) => report_status(err),
    }
    result
}

/// The longest caseload search (a case or partner name is far shorter).
pub const MAX_SEARCH_CHARS: usize = 200;

/// A page of the signed-in counselor's caseload.
#[server(prefix = "/api", endpoint = "list_caseload")]
pub async fn list_caseload(q: String, status: String, page: i64) -> Result<Caseload, AppError> {
    let counselor = guard::require_role(&[Role::Counselor])?;
    // A search longer than any name is refused before it becomes a LIKE pattern (SQLite
    // refuses patterns past 50,000 bytes as a database error).
    if q.chars().count() > MAX_SEARCH_CHARS {
        let err = AppError::validation(
            "q",
            format!("Search for at most {MAX_SEARCH_CHARS} characters."),
        );
        report_status(&err);
        return Err(err);
    }
    let state = app_state()?;
    repo::caseload(
        &state.db,
        &counselor.user.user_id,
        &q,
        CaseStatus::parse(&status),
        page,
    )
    .await
}

/// The case's own details (for the form that corrects them). Reading it is recorded in the
/// audit trail, as reading the case page is.
#[server(prefix = "/api", endpoint = "get_couple")]
pub async fn get_couple(couple_id: CoupleId) -> Result<CaseOverview, AppError> {
    let access = guard::require_case_counselor(&couple_id).await?;
    let state = app_state()?;
    let case = repo::case_details(&state, &couple_id).await?;
    record_case_viewed(&access.user.user_id, &couple_id).await?;
    Ok(case)
}

/// Records in the audit trail that the caller read the case (its page or its details).
#[cfg(feature = "ssr")]
pub async fn record_case_viewed(reader: &str, couple_id: &CoupleId) -> Result<(), AppError> {
    record_read(
        &app_state()?.db,
        AuditAction::CaseViewed,
        AuditEntry {
            actor_user_id: Some(reader),
            couple_id: Some(couple_id),
            ip: guard::request_context().ip.as_deref(),
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}

/// Moves a case along intake, active, paused and closed (or reopens a closed one).
#[server(prefix = "/api", endpoint = "set_case_status")]
pub async fn set_case_status(couple_id: CoupleId, status: String) -> Result<(), AppError> {
    let counselor = guard::require_case_counselor(&couple_id).await?;
    let result = async {
        let state = app_state()?;
        let to = CaseStatus::parse(&status).ok_or(AppError::BadRequest)?;
        let ip = guard::request_context().ip;
        repo::change_status(
            &state.db,
            &couple_id,
            to,
            &counselor.user.user_id,
            ip.as_deref(),
        )
        .await
    }
    .await;
    match &result {
        Ok(()) => leptos_axum::redirect(&format!("/cases/{couple_id}")),
        Err(err) => report_status(err),
    }
    result
}

/// The signed-in partner's own couple(s).
#[server(prefix = "/api", endpoint = "my_couples")]
pub async fn my_couples() -> Result<Vec<PartnerCouple>, AppError> {
    let partner = guard::require_role(&[Role::Partner])?;
    let state = app_state()?;
    repo::partner_couples(&state.db, &partner.user.user_id).await
}

/// Corrects a case's details. A joined partner's email is their sign-in and stays as is;
/// changing a partner's email withdraws an invitation link sent to the old address.
#[server(prefix = "/api", endpoint = "update_couple")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn update_couple(couple_id: CoupleId, couple: NewCouple) -> Result<(), AppError> {
    let counselor = guard::require_case_counselor(&couple_id).await?;
    let result = async {
        let state = app_state()?;
        let valid = couple.check()?;
        let ip = guard::request_context().ip;
        repo::update(
            &state.db,
            &couple_id,
            &valid,
            &counselor.user.user_id,
            ip.as_deref(),
        )
        .await
    }
    .await;
    match &result {
        Ok(()) => leptos_axum::redirect(&format!("/cases/{couple_id}?saved=1")),
        Err(err) => report_status(err),
    }
    result
}
