//! Server functions for measures: a partner sees which are due and answers them (one page
//! each); the couple's counselor chooses them per partner. Anyone else gets "not found".

use super::{DueMeasure, MeasureForm};
use crate::error::AppError;
use crate::ids::CoupleId;
use leptos::prelude::*;
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use {
    super::instruments::by_key,
    super::{Frequency, repo},
    crate::auth::{Role, guard},
    crate::couple::{couple_page, couple_param, partner_couple},
    crate::db::{Db, now_ms},
    crate::error::{finish, not_found},
    crate::state::app_state,
};

/// Of the partner's `plan`, the measures due now, in the order they are listed. `last`: when
/// they last answered each.
#[cfg(feature = "ssr")]
async fn due_for(
    db: &Db,
    couple_id: &str,
    position: i64,
    plan: &[(String, Frequency)],
    last: &[(String, i64)],
    param: &str,
) -> Result<Vec<DueMeasure>, AppError> {
    if plan.is_empty() {
        return Ok(vec![]);
    }
    let now = now_ms();
    let sessions =
        crate::features::sessions::repo::around_for_partner(db, couple_id, position, now).await?;
    Ok(super::instruments::ALL
        .iter()
        .filter_map(|i| {
            let (_, every) = plan.iter().find(|(m, _)| m == i.key)?;
            let answered = last.iter().find(|(m, _)| m == i.key).map(|(_, at)| *at);
            every.due(answered, sessions, now).then(|| DueMeasure {
                key: i.key.to_string(),
                href: couple_page(&format!("{}/{}", super::PAGE, i.key), param),
            })
        })
        .collect())
}

/// The questionnaires the signed-in partner's counselor asks them to answer now (for one of
/// their couples; empty: the one their home opens with).
#[server(prefix = "/api", endpoint = "my_measures")]
pub async fn my_measures(
    #[server(default)] couple_id: String,
) -> Result<Vec<DueMeasure>, AppError> {
    let partner = guard::require_role(&[Role::Partner])?;
    let db = &app_state()?.db;
    let me = &partner.user.user_id;
    let Some((couple_id, position, status)) = partner_couple(db, me, &couple_id).await? else {
        return Ok(vec![]);
    };
    if status == "closed" {
        return Ok(vec![]);
    }
    let (plan, last) = repo::plan_and_last(db, &couple_id, position).await?;
    if plan.is_empty() {
        return Ok(vec![]);
    }
    let param = couple_param(db, me, &couple_id).await?;
    due_for(db, &couple_id, position, &plan, &last, &param).await
}

/// One questionnaire for the signed-in partner to answer. Only those their counselor chose
/// for them open.
#[server(prefix = "/api", endpoint = "my_measure")]
pub async fn my_measure(
    key: String,
    #[server(default)] couple_id: String,
) -> Result<MeasureForm, AppError> {
    let partner = guard::require_role(&[Role::Partner])?;
    let state = app_state()?;
    let db = &state.db;
    let me = &partner.user.user_id;
    let Some((couple_id, position, status)) = partner_couple(db, me, &couple_id).await? else {
        return not_found();
    };
    let Some(instrument) = by_key(key.trim()) else {
        return not_found();
    };
    let (plan, last) = repo::plan_and_last(db, &couple_id, position).await?;
    if !plan.iter().any(|(m, _)| m == instrument.key) {
        return not_found();
    }
    let param = couple_param(db, me, &couple_id).await?;
    let due = due_for(db, &couple_id, position, &plan, &last, &param)
        .await?
        .iter()
        .any(|d| d.key == instrument.key);
    let zone = crate::couple::time_zone(db, me).await?;
    let last_answered = last
        .into_iter()
        .find(|(m, _)| m == instrument.key)
        .map(|(_, at)| crate::time::at(at, zone).format("%-d %B %Y").to_string());
    let since = now_ms() - crate::features::safety::HELP_SHOWN_FOR_MS;
    let help = if repo::flagged_since(db, &couple_id, position, instrument.key, since).await? {
        Some(crate::features::safety::repo::help(db).await?)
    } else {
        None
    };
    let couple = crate::couple::load(db, &couple_id.as_str().into())
        .await?
        .ok_or(AppError::NotFound)?;
    let counselor_name = couple.counselor_name.clone();
    Ok(MeasureForm {
        key: instrument.key.to_string(),
        couple_param: param,
        counselor_name,
        due,
        last_answered,
        closed: status == "closed",
        help,
    })
}

/// A partner's answers to one questionnaire: `item[1]`..`item[n]` (each option's number) and,
/// where the instrument has one, the unscored `follow_up`.
#[server(prefix = "/api", endpoint = "answer_measure")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn answer_measure(
    key: String,
    #[server(default)] couple_id: String,
    #[server(default)] item: BTreeMap<String, String>,
    #[server(default)] follow_up: String,
) -> Result<(), AppError> {
    let partner = guard::require_role(&[Role::Partner])?;
    let state = app_state()?;
    let db = &state.db;
    let me = &partner.user.user_id;
    let mut to = String::from("/");
    let result = async {
        let Some((couple_id, position, status)) = partner_couple(db, me, &couple_id).await?
        else {
            return not_found();
        };
        let Some(instrument) = by_key(key.trim()) else {
            return not_found();
        };
        let plan = repo::plan(db, &couple_id, position).await?;
        if !plan.iter().any(|(m, _)| m == instrument.key) {
            return not_found();
        }
        if status == "closed" {
            return Err(AppError::Conflict(
                "Your counselling case is closed, so questionnaires are no longer collected."
                    .into(),
            ));
        }
        let mut answers = Vec::with_capacity(instrument.items.len());
        for n in 1..=instrument.items.len() {
            let value = item
                .get(&n.to_string())
                .and_then(|v| v.trim().parse::<i64>().ok())
                .filter(|v| instrument.options.iter().any(|o| o.value == *v));
            match value {
                Some(v) => answers.push(v),
                None => {
                    return Err(AppError::validation(
                        "item",
                        format!(
                            "Please answer every question; question {n} has no answer yet. Nothing you chose has been lost."
                        ),
                    ));
                }
            }
        }
        let follow_up = follow_up.trim();
        let follow_up = match instrument.follow_up {
            Some(f) if f.options.contains(&follow_up) => Some(follow_up),
            Some(_) if follow_up.is_empty() => None,
            Some(_) => return Err(AppError::BadRequest),
            None => None,
        };
        let score = instrument
            .score(&answers)
            .map_err(|e| AppError::validation("item", e.to_string()))?;
        let ip = guard::request_context().ip;
        let (_, flag) = repo::answer(
            db,
            repo::NewAnswer {
                couple_id: &couple_id,
                position,
                user_id: me,
                instrument,
                answers: &answers,
                follow_up,
                total: score.total,
                ip: ip.as_deref(),
            },
        )
        .await?;
        if let Some(flag_id) = flag {
            crate::features::safety::repo::flags::alert_counselor(&state, &couple_id, &flag_id)
                .await?;
        }
        let param = couple_param(db, me, &couple_id).await?;
        to = couple_page(&format!("{}/{}?sent=1", super::PAGE, instrument.key), &param);
        Ok(())
    }
    .await;
    finish(&result, &to);
    result
}

/// The couple's counselor chooses the partner at `position`'s questionnaires:
/// `every[<measure>]` is how often in days ("0": before each session), or empty: not asked.
#[server(prefix = "/api", endpoint = "set_measures")]
pub async fn set_measures(
    couple_id: CoupleId,
    position: String,
    #[server(default)] every: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let counselor = guard::require_case_counselor(&couple_id).await?;
    let result = async {
        let position = match position.trim() {
            "1" => 1,
            "2" => 2,
            _ => return Err(AppError::BadRequest),
        };
        let mut chosen = Vec::new();
        for instrument in super::instruments::ALL {
            let value = every.get(instrument.key).map(|v| v.trim()).unwrap_or("");
            if value.is_empty() {
                continue;
            }
            let frequency = value
                .parse::<i64>()
                .ok()
                .and_then(Frequency::from_days)
                .filter(|f| Frequency::CHOICES.contains(f))
                .ok_or_else(|| AppError::validation("every", "Choose how often from the list."))?;
            chosen.push((instrument.key, frequency));
        }
        let db = &app_state()?.db;
        let couple = crate::couple::load(db, &couple_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if couple.status == crate::couple::CaseStatus::Closed {
            return Err(AppError::Conflict(
                "This case is closed, so its questionnaires cannot change.".into(),
            ));
        }
        let ip = guard::request_context().ip;
        repo::set_plan(
            db,
            couple_id.as_str(),
            position,
            &chosen,
            &counselor.user.user_id,
            ip.as_deref(),
        )
        .await
    }
    .await;
    finish(
        &result,
        &crate::couple::CaseSection::Progress
            .path_then(couple_id.as_str(), "?measures=saved#measures"),
    );
    result
}
