//! Counselors' server functions: assigning and cancelling homework, reading and reviewing
//! what was sent, and the review queue across the caseload.

use crate::error::AppError;
use crate::features::homework::AssignmentReview;
use crate::ids::CoupleId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::audit::AuditAction,
    crate::audit::repo::{AuditEntry, record_read},
    crate::auth::session::SessionUser,
    crate::auth::{Role, guard},
    crate::error::{finish, not_found},
    crate::features::homework::{MAX_FEEDBACK_CHARS, repo},
    crate::features::program::{Audience, ResponseField},
    crate::state::app_state,
};

/// The counselor of the couple this assignment belongs to, or "not found".
#[cfg(feature = "ssr")]
async fn require_assignment_counselor(
    assignment_id: &str,
) -> Result<(SessionUser, CoupleId), AppError> {
    let _signed_in = guard::require_user()?;
    let state = app_state()?;
    let Some((couple_id, _)) = repo::locate(&state.db, assignment_id).await? else {
        return not_found();
    };
    let user = guard::require_case_counselor(&couple_id).await?;
    Ok((user, couple_id))
}

/// Sends homework to one partner or both, from a template (its instructions may be edited
/// first) or written from scratch.
#[server(prefix = "/api", endpoint = "assign_homework")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn assign_homework(
    couple_id: CoupleId,
    #[server(default)] template_id: String,
    recipients: String,
    title: String,
    instructions: String,
    #[server(default)] due_on: String,
    #[server(default)] repeat: String,
) -> Result<(), AppError> {
    let counselor = guard::require_case_counselor(&couple_id).await?;
    let result = async {
        let state = app_state()?;
        let title = title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            return Err(AppError::validation(
                "title",
                "Give the homework a title of up to 200 characters.",
            ));
        }
        let instructions = instructions.trim();
        if instructions.is_empty() || instructions.chars().count() > 5000 {
            return Err(AppError::validation(
                "instructions",
                "Write instructions for the homework (up to 5,000 characters).",
            ));
        }
        let positions = match recipients.as_str() {
            "both" => vec![1, 2],
            "1" => vec![1],
            "2" => vec![2],
            _ => {
                return Err(AppError::validation(
                    "recipients",
                    "Choose who the homework is for.",
                ));
            }
        };
        let due_on = match due_on.trim() {
            "" => None,
            d => Some(
                chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                    AppError::validation("due_on", "Enter the due date as YYYY-MM-DD.")
                })?,
            ),
        };
        if due_on.is_some_and(|d| d < chrono::Utc::now().date_naive()) {
            return Err(AppError::validation(
                "due_on",
                "The due date cannot be in the past.",
            ));
        }
        let repeat_days = match repeat.as_str() {
            "" | "once" => None,
            "daily" => Some(1),
            "weekly" => Some(7),
            _ => {
                return Err(AppError::validation(
                    "repeat",
                    "Choose how often the homework repeats.",
                ));
            }
        };
        if repeat_days.is_some() && due_on.is_none() {
            return Err(AppError::validation(
                "due_on",
                "Repeating homework needs a first due date; each repeat is due a day or a week after the last.",
            ));
        }
        let (template_version_id, step_number, fields, counselor_only, joint) = if template_id
            .is_empty()
        {
            let fields = vec![ResponseField::Text {
                key: "response".into(),
                label: "Your response".into(),
                help: None,
            }];
            (None, None, fields, false, false)
        } else {
            let source = repo::template_source(&state.db, &template_id)
                .await?
                .ok_or_else(|| {
                    AppError::validation("template_id", "Choose an exercise from the list.")
                })?;
            let couple = crate::couple::load(&state.db, &couple_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let audience = Audience::parse(&source.audience).unwrap_or(Audience::Both);
            let roles = couple.partners.clone().map(|p| p.rupture_role);
            if let Some(refused) = role_refusal(audience, roles, &recipients) {
                return Err(refused);
            }
            (
                Some(source.template_version_id),
                Some(source.step_number),
                source.fields,
                source.counselor_only,
                source.joint,
            )
        };
        if joint && (recipients != "both" || repeat_days.is_some()) {
            return Err(AppError::validation(
                "recipients",
                "This exercise is done together: both partners write one shared answer, once. \
                 Send it to both partners without repeats.",
            ));
        }
        let new = repo::NewAssignment {
            template_version_id,
            step_number,
            title: title.to_string(),
            instructions: instructions.to_string(),
            fields,
            counselor_only,
            due_on,
            positions,
            repeat_days,
        };
        let ip = guard::request_context().ip;
        if joint {
            repo::joint::assign(
                &state.db,
                &couple_id,
                &new,
                &counselor.user.user_id,
                ip.as_deref(),
            )
            .await
            .map(|id| vec![id])
        } else {
            repo::assign(
                &state.db,
                &couple_id,
                &new,
                &counselor.user.user_id,
                ip.as_deref(),
            )
            .await
        }
    }
    .await;
    finish(
        &result,
        &crate::couple::CaseSection::Homework.path_then(couple_id.as_str(), "?assigned=1#homework"),
    );
    result.map(|_| ())
}

/// Cancels one partner's copy of an assignment.
#[server(prefix = "/api", endpoint = "cancel_homework")]
pub async fn cancel_homework(assignment_id: String) -> Result<(), AppError> {
    let (counselor, couple_id) = require_assignment_counselor(&assignment_id).await?;
    let result = async {
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::cancel(
            &state.db,
            &assignment_id,
            &counselor.user.user_id,
            ip.as_deref(),
        )
        .await
    }
    .await;
    finish(
        &result,
        &crate::couple::CaseSection::Homework.path_then(couple_id.as_str(), "#homework"),
    );
    result
}

/// An assignment with every submitted version, for its counselor. Reading it is audited.
#[server(prefix = "/api", endpoint = "get_assignment")]
pub async fn get_assignment(assignment_id: String) -> Result<AssignmentReview, AppError> {
    let (counselor, couple_id) = require_assignment_counselor(&assignment_id).await?;
    let state = app_state()?;
    let zone = crate::couple::time_zone(&state.db, &counselor.user.user_id).await?;
    let review = repo::review_page(&state.db, &assignment_id, zone).await?;
    let position = repo::locate(&state.db, &assignment_id)
        .await?
        .map(|(_, p)| p)
        .unwrap_or(0);
    record_read(
        &state.db,
        AuditAction::SubmissionViewed,
        AuditEntry {
            actor_user_id: Some(&counselor.user.user_id),
            couple_id: Some(&couple_id),
            ip: guard::request_context().ip.as_deref(),
            detail: Some(&format!("partner_{position}")),
            ..Default::default()
        },
    )
    .await?;
    Ok(review)
}

/// Marks the latest submission reviewed, with feedback the partner (only) will read.
#[server(prefix = "/api", endpoint = "review_homework")]
pub async fn review_homework(assignment_id: String, feedback: String) -> Result<(), AppError> {
    let (counselor, _) = require_assignment_counselor(&assignment_id).await?;
    let result = async {
        let feedback = feedback.trim();
        if feedback.chars().count() > MAX_FEEDBACK_CHARS {
            return Err(AppError::validation(
                "feedback",
                format!("Feedback can be up to {MAX_FEEDBACK_CHARS} characters."),
            ));
        }
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::review(
            &state.db,
            &assignment_id,
            feedback,
            &counselor.user.user_id,
            ip.as_deref(),
        )
        .await
    }
    .await;
    finish(&result, &format!("/assignments/{assignment_id}?reviewed=1"));
    result
}

/// Who a template is for, as the recipients a new assignment defaults to: "both", or the
/// position of the one partner whose role it is for. `None` when it is for a role no
/// partner of the couple has (roles not set yet).
#[cfg(feature = "ssr")]
pub fn default_recipients(
    audience: Audience,
    roles: [crate::couple::RuptureRole; 2],
) -> Option<String> {
    use crate::couple::RuptureRole;
    let wanted = match audience {
        Audience::Both => return Some("both".into()),
        Audience::BrokeTrust => RuptureRole::BrokeTrust,
        Audience::Hurt => RuptureRole::Hurt,
    };
    roles
        .iter()
        .position(|r| *r == wanted)
        .map(|i| (i + 1).to_string())
}

/// Why role-specific work cannot go where it was sent, if it cannot.
#[cfg(feature = "ssr")]
fn role_refusal(
    audience: Audience,
    roles: [crate::couple::RuptureRole; 2],
    recipients: &str,
) -> Option<AppError> {
    if audience == Audience::Both {
        return None;
    }
    let role = audience.label().to_lowercase();
    match default_recipients(audience, roles) {
        None => Some(AppError::validation(
            "recipients",
            format!(
                "This exercise is for {role}, and this couple's roles are not set yet. \
                 Set each partner's role in the case details, then send it."
            ),
        )),
        Some(only) if only != recipients => Some(AppError::validation(
            "recipients",
            format!("This exercise is for {role} only; send it to that partner alone."),
        )),
        Some(_) => None,
    }
}

/// The assign page: the couple's partners, and the exercise (if one was chosen) with its
/// instructions ready to edit and the partner it suits.
#[server(prefix = "/api", endpoint = "assignment_form")]
pub async fn assignment_form(
    couple_id: CoupleId,
    #[server(default)] template_id: String,
) -> Result<crate::features::homework::AssignmentForm, AppError> {
    let _counselor = guard::require_case_counselor(&couple_id).await?;
    let state = app_state()?;
    let couple = crate::couple::load(&state.db, &couple_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let roles = couple.partners.clone().map(|p| p.rupture_role);
    let source = if template_id.is_empty() {
        None
    } else {
        Some(
            repo::template_source(&state.db, &template_id)
                .await?
                .ok_or(AppError::NotFound)?,
        )
    };
    let audience = source
        .as_ref()
        .map(|s| Audience::parse(&s.audience).unwrap_or(Audience::Both));
    Ok(crate::features::homework::AssignmentForm {
        couple_id: couple_id.to_string(),
        case_name: couple.case_name.clone(),
        closed: couple.is_closed(),
        partners: couple
            .partners
            .iter()
            .map(|p| (p.position, p.display_name.clone()))
            .collect(),
        template_id: (!template_id.is_empty()).then_some(template_id),
        recipients: audience
            .and_then(|a| default_recipients(a, roles))
            .unwrap_or_else(|| "both".into()),
        for_role: audience
            .filter(|a| *a != Audience::Both)
            .map(|a| a.label().to_string()),
        roles_missing: audience.is_some_and(|a| default_recipients(a, roles).is_none()),
        joint: source.as_ref().is_some_and(|s| s.joint),
        step_number: source.as_ref().map(|s| s.step_number),
        title: source.as_ref().map(|s| s.title.clone()).unwrap_or_default(),
        instructions: source
            .as_ref()
            .map(|s| s.instructions.clone())
            .unwrap_or_default(),
        repeat: source
            .as_ref()
            .map(|s| s.cadence.clone())
            .unwrap_or_else(|| "once".into()),
        fields: source.map(|s| s.fields).unwrap_or_default(),
    })
}

/// Submissions awaiting review across the signed-in counselor's caseload, oldest first.
#[server(prefix = "/api", endpoint = "review_queue")]
pub async fn review_queue() -> Result<Vec<crate::features::homework::QueueItem>, AppError> {
    let counselor = guard::require_role(&[Role::Counselor])?;
    let state = app_state()?;
    repo::review_queue(&state.db, &counselor.user.user_id).await
}
