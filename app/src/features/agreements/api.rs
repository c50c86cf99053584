//! Server functions for agreements. Partners read their couple's agreements, acknowledge them
//! and propose new ones or new wordings; the couple's counselor writes, rewords, approves,
//! declines and ends them. A partner's proposal stays between them and the counselor until
//! it is approved.

use super::MyAgreementsPage;
use crate::error::AppError;
use crate::ids::CoupleId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::MAX_AGREEMENT_CHARS,
    super::MAX_DECLINE_CHARS,
    super::repo::{self, Actor},
    crate::auth::session::SessionUser,
    crate::auth::{Role, guard},
    crate::couple::couple_page,
    crate::couple::{couple_param, partner_couple},
    crate::error::{finish, not_found},
    crate::state::app_state,
};

#[cfg(feature = "ssr")]
fn wording(body: &str) -> Result<String, AppError> {
    let body = body.trim();
    if body.is_empty() || body.chars().count() > MAX_AGREEMENT_CHARS {
        return Err(AppError::validation(
            "body",
            format!("Write the agreement in 1 to {MAX_AGREEMENT_CHARS} characters."),
        ));
    }
    Ok(body.to_string())
}

#[cfg(feature = "ssr")]
fn optional_id(id: &str) -> Option<&str> {
    Some(id.trim()).filter(|s| !s.is_empty())
}

/// The partner's couple (`couple_id`, one of theirs; empty: the one their home opens with),
/// their position in it, and whether the case is closed.
#[cfg(feature = "ssr")]
async fn partner_case(
    partner: &SessionUser,
    couple_id: &str,
) -> Result<(String, i64, bool), AppError> {
    let state = app_state()?;
    match partner_couple(&state.db, &partner.user.user_id, couple_id).await? {
        Some((couple_id, position, status)) => Ok((couple_id, position, status == "closed")),
        None => not_found(),
    }
}

/// The counselor of the couple a looked-up agreement belongs to; "not found" for anyone else
/// and for what does not exist.
#[cfg(feature = "ssr")]
async fn counselor_of(couple: Option<CoupleId>) -> Result<(SessionUser, CoupleId), AppError> {
    let Some(couple_id) = couple else {
        return not_found();
    };
    Ok((guard::require_case_counselor(&couple_id).await?, couple_id))
}

/// Agreements of a closed case are read-only.
#[cfg(feature = "ssr")]
async fn ensure_open(couple_id: &str) -> Result<(), AppError> {
    let state = app_state()?;
    match crate::couple::load(&state.db, &couple_id.into()).await? {
        Some(couple) => couple.require_open("change its agreements"),
        None => Ok(()),
    }
}

/// The partner's couple and position, when the case is still open.
#[cfg(feature = "ssr")]
async fn open_partner_case(
    partner: &SessionUser,
    couple_id: &str,
) -> Result<(String, i64), AppError> {
    match partner_case(partner, couple_id).await? {
        (_, _, true) => Err(AppError::Conflict("Your counseling case is closed.".into())),
        (couple_id, position, false) => Ok((couple_id, position)),
    }
}

/// Who acts, for the audit trail: `detail` is "counselor" or "partner_N".
#[cfg(feature = "ssr")]
fn acting<'a>(user: &'a SessionUser, couple_id: &'a str, detail: String) -> Actor<'a> {
    Actor {
        user_id: &user.user.user_id,
        couple_id,
        ip: None,
        detail,
    }
}

/// The signed-in partner's agreements page, for one of their couples (`couple_id`; empty: the
/// one their home opens with).
#[server(prefix = "/api", endpoint = "my_agreements")]
pub async fn my_agreements(
    #[server(default)] couple_id: String,
) -> Result<MyAgreementsPage, AppError> {
    let partner = guard::require_role(&[Role::Partner])?;
    let (couple_id, position, closed) = partner_case(&partner, &couple_id).await?;
    let state = app_state()?;
    let zone = crate::couple::time_zone(&state.db, &partner.user.user_id).await?;
    let mut page = repo::mine(&state.db, &couple_id, position, zone, closed).await?;
    page.couple_id = couple_param(&state.db, &partner.user.user_id, &couple_id).await?;
    Ok(page)
}

/// The couple's counselor writes a new agreement, or (with `agreement_id`) a new wording of
/// an active one that both partners then acknowledge again.
#[server(prefix = "/api", endpoint = "write_agreement")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn write_agreement(
    couple_id: CoupleId,
    body: String,
    #[server(default)] agreement_id: String,
) -> Result<(), AppError> {
    let counselor = guard::require_case_counselor(&couple_id).await?;
    let result = async {
        ensure_open(&couple_id).await?;
        let body = wording(&body)?;
        let state = app_state()?;
        let ip = guard::request_context().ip;
        let actor = Actor {
            ip: ip.as_deref(),
            ..acting(&counselor, &couple_id, "counselor".into())
        };
        repo::write(&state.db, &actor, optional_id(&agreement_id), &body).await
    }
    .await;
    finish(
        &result,
        &crate::couple::CaseSection::Agreements
            .path_then(couple_id.as_str(), "?agreement=saved#agreements"),
    );
    result.map(|_| ())
}

/// A partner proposes an agreement, or (with `agreement_id`) a new wording of an active one.
/// The counselor approves or declines it.
#[server(prefix = "/api", endpoint = "propose_agreement")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn propose_agreement(
    body: String,
    #[server(default)] agreement_id: String,
    #[server(default)] couple_id: String,
) -> Result<(), AppError> {
    let partner = guard::require_role(&[Role::Partner])?;
    let result = async {
        let (couple_id, position) = open_partner_case(&partner, &couple_id).await?;
        let body = wording(&body)?;
        let state = app_state()?;
        let ip = guard::request_context().ip;
        let actor = Actor {
            ip: ip.as_deref(),
            ..acting(&partner, &couple_id, format!("partner_{position}"))
        };
        repo::propose(&state.db, &actor, optional_id(&agreement_id), &body).await
    }
    .await;
    finish(
        &result,
        &couple_page("/agreements?proposed=1#proposals", &couple_id),
    );
    result
}

/// The couple's counselor approves (`decision` = "approve") or declines ("decline", with an
/// optional reason) a partner's proposal.
#[server(prefix = "/api", endpoint = "decide_agreement")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn decide_agreement(
    version_id: String,
    decision: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let _signed_in = guard::require_user()?;
    let state = app_state()?;
    let couple = repo::version_couple(&state.db, &version_id).await?;
    let (counselor, couple_id) = counselor_of(couple).await?;
    let result = async {
        ensure_open(&couple_id).await?;
        let approve = match decision.as_str() {
            "approve" => true,
            "decline" => false,
            _ => return Err(AppError::BadRequest),
        };
        let reason = reason.trim();
        if reason.chars().count() > MAX_DECLINE_CHARS {
            return Err(AppError::validation(
                "reason",
                format!("Keep the reason to {MAX_DECLINE_CHARS} characters."),
            ));
        }
        let ip = guard::request_context().ip;
        let actor = Actor {
            ip: ip.as_deref(),
            ..acting(&counselor, &couple_id, "counselor".into())
        };
        repo::decide(&state.db, &actor, &version_id, approve, reason).await
    }
    .await;
    finish(
        &result,
        &crate::couple::CaseSection::Agreements
            .path_then(couple_id.as_str(), "?agreement=decided#agreements"),
    );
    result
}

/// A partner acknowledges the current wording of an agreement of one of their couples.
#[server(prefix = "/api", endpoint = "acknowledge_agreement")]
pub async fn acknowledge_agreement(version_id: String) -> Result<(), AppError> {
    let partner = guard::require_role(&[Role::Partner])?;
    let state = app_state()?;
    // The wording's couple, when the partner is in it ("not found" otherwise).
    let couple = repo::version_couple(&state.db, &version_id)
        .await?
        .unwrap_or_default();
    let back = couple_param(&state.db, &partner.user.user_id, &couple).await?;
    let result = async {
        if couple.is_empty() {
            return not_found();
        }
        let (couple_id, position) = open_partner_case(&partner, &couple).await?;
        let ip = guard::request_context().ip;
        let actor = Actor {
            ip: ip.as_deref(),
            ..acting(&partner, &couple_id, format!("partner_{position}"))
        };
        repo::acknowledge(&state.db, &actor, position, &version_id).await
    }
    .await;
    finish(&result, &couple_page("/agreements?acknowledged=1", &back));
    result
}

/// The couple's counselor ends an agreement: check-ins stop asking about it.
#[server(prefix = "/api", endpoint = "end_agreement")]
pub async fn end_agreement(agreement_id: String) -> Result<(), AppError> {
    let _signed_in = guard::require_user()?;
    let state = app_state()?;
    let couple = repo::agreement_couple(&state.db, &agreement_id).await?;
    let (counselor, couple_id) = counselor_of(couple).await?;
    let result = async {
        ensure_open(&couple_id).await?;
        let ip = guard::request_context().ip;
        let actor = Actor {
            ip: ip.as_deref(),
            ..acting(&counselor, &couple_id, "counselor".into())
        };
        repo::retire(&state.db, &actor, &agreement_id).await
    }
    .await;
    finish(
        &result,
        &crate::couple::CaseSection::Agreements
            .path_then(couple_id.as_str(), "?agreement=ended#agreements"),
    );
    result
}
