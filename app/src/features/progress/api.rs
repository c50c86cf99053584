//! Server functions for check-ins. A partner checks in for themselves and reads their own
//! history and what the other partner shared; only the couple's counselor reads both
//! partners' answers, and no one but the counselor ever sees a safety answer.

// `submit_check_in` takes one argument per field of the check-in form, as the HTML form
// posts them; the code `#[server]` generates for it has as many.
#![allow(clippy::too_many_arguments)]

use super::CheckInPage;
use crate::error::AppError;
use crate::ids::CoupleId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::repo::{self, NewCheckIn},
    super::{CSI4, SafetyAnswer, csi4_total},
    crate::auth::{Role, guard},
    crate::couple::couple_page,
    crate::couple::partner_couple,
    crate::error::{finish, not_found},
    crate::state::app_state,
};

/// Longest answer to a free-text check-in question.
pub const MAX_CHECK_IN_TEXT: usize = 5_000;

#[cfg(feature = "ssr")]
fn score(field: &str, value: &str, max: i64, message: &str) -> Result<i64, AppError> {
    value
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|v| (0..=max).contains(v))
        .ok_or_else(|| AppError::validation(field, message))
}

/// The signed-in partner's check-in page, for one of their couples (`couple_id`; empty: the
/// one their home opens with).
#[server(prefix = "/api", endpoint = "my_check_in")]
pub async fn my_check_in(#[server(default)] couple_id: String) -> Result<CheckInPage, AppError> {
    let partner = guard::require_role(&[Role::Partner])?;
    let state = app_state()?;
    let Some((couple_id, position, _)) =
        partner_couple(&state.db, &partner.user.user_id, &couple_id).await?
    else {
        return not_found();
    };
    let zone = crate::couple::time_zone(&state.db, &partner.user.user_id).await?;
    let mut page =
        repo::page_for_partner(&state.db, &partner.user.user_id, &couple_id, position, zone)
            .await?;
    let news = flag_news(&state.db, &couple_id, position, &partner.user.user_id).await?;
    if news.raised {
        page.help = Some(crate::features::safety::repo::help(&state.db).await?);
        page.offer_private_thread = news.private_talk;
    }
    page.seen = seen_words(&news, zone);
    Ok(page)
}

/// The partner's check-in card from their `FlagNews`: when their next check-in is due, and
/// whether their counselor has read a worrying answer. `days`: between check-ins.
#[cfg(feature = "ssr")]
pub fn check_in_due(
    news: &repo::FlagNews,
    days: i64,
    zone: chrono_tz::Tz,
    couple_param: String,
) -> super::CheckInDue {
    let (due, is_due) = repo::due_words(news.latest_check_in, days, zone);
    super::CheckInDue {
        couple_id: couple_param,
        due,
        is_due,
        seen: seen_words(news, zone),
    }
}

/// Since when a partner's flags count for their `FlagNews` at `now`: (the help panel, the
/// note that their counselor has read one).
#[cfg(feature = "ssr")]
pub fn flag_news_since(now: i64) -> (i64, i64) {
    (
        now - crate::features::safety::HELP_SHOWN_FOR_MS,
        now - SEEN_SHOWN_FOR_MS,
    )
}

/// What the partner at `position` should hear of their own safety flags now: crisis help
/// just after a worrying answer, and for two weeks that their counselor has read it.
#[cfg(feature = "ssr")]
async fn flag_news(
    db: &crate::db::Db,
    couple_id: &str,
    position: i64,
    user_id: &str,
) -> Result<repo::FlagNews, AppError> {
    repo::flag_news(
        db,
        couple_id,
        position,
        user_id,
        flag_news_since(crate::db::now_ms()),
    )
    .await
}

/// "Your counselor has read ..." after a worrying answer they acknowledged (never what the
/// counselor wrote).
#[cfg(feature = "ssr")]
fn seen_words(news: &repo::FlagNews, zone: chrono_tz::Tz) -> Option<String> {
    news.acknowledged_raised_at.map(|raised| {
        let day = crate::time::at(raised, zone).format("%A %-d %B");
        format!("Your counselor has read what you told them in your check-in of {day}.")
    })
}

/// How long after a worrying check-in the partner's home says their counselor has read it.
#[cfg(feature = "ssr")]
const SEEN_SHOWN_FOR_MS: i64 = 14 * 24 * 60 * 60 * 1000;

/// A partner's check-in. CSI-4 items are `csi[1]`..`csi[4]` (when the practice asks them),
/// trust and hope 0-10, two optional texts (`text[went_well]`, `text[was_hard]`), whether to share the texts, the private
/// safety answer, and `kept[<agreement id>]` (kept / partly / not) for each active agreement.
#[server(prefix = "/api", endpoint = "submit_check_in")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn submit_check_in(
    #[server(default)] csi: std::collections::BTreeMap<String, String>,
    #[server(default)] trust: String,
    #[server(default)] hope: String,
    #[server(default)] text: std::collections::BTreeMap<String, String>,
    #[server(default)] share_text: String,
    #[server(default)] safety: String,
    #[server(default)] kept: std::collections::BTreeMap<String, String>,
    #[server(default)] couple_id: String,
) -> Result<(), AppError> {
    let partner = guard::require_role(&[Role::Partner])?;
    let result = async {
        let state = app_state()?;
        let Some((couple_id, position, status)) =
            partner_couple(&state.db, &partner.user.user_id, &couple_id).await?
        else {
            return not_found();
        };
        if status == "closed" {
            return Err(AppError::Conflict(
                "Your counseling case is closed, so check-ins are no longer collected.".into(),
            ));
        }
        let csi = if repo::csi_enabled(&state.db).await? {
            let mut items = [0_i64; 4];
            for (i, item) in CSI4.iter().enumerate() {
                let value = csi
                    .get(&(i + 1).to_string())
                    .map(String::as_str)
                    .unwrap_or("");
                items[i] = score(
                    item.key,
                    value,
                    item.answers.len() as i64 - 1,
                    "Answer each of the four relationship questions.",
                )?;
            }
            Some(
                csi4_total(items)
                    .map(|_| items)
                    .ok_or(AppError::BadRequest)?,
            )
        } else {
            None
        };
        let trust = score(
            "trust",
            &trust,
            10,
            "Choose how much you trust your partner this week, from 0 to 10.",
        )?;
        let hope = score(
            "hope",
            &hope,
            10,
            "Choose how hopeful you feel about the relationship, from 0 to 10.",
        )?;
        let safety = SafetyAnswer::parse(&safety).ok_or_else(|| {
            AppError::validation("safety", "Answer the question about feeling safe at home.")
        })?;
        let text_of = |key: &str| {
            text.get(key)
                .map(|t| t.trim().to_string())
                .unwrap_or_default()
        };
        let (went_well, was_hard) = (text_of("went_well"), text_of("was_hard"));
        if went_well.chars().count() > MAX_CHECK_IN_TEXT
            || was_hard.chars().count() > MAX_CHECK_IN_TEXT
        {
            return Err(AppError::validation(
                "went_well",
                format!("Each answer can be up to {MAX_CHECK_IN_TEXT} characters."),
            ));
        }
        // Every active agreement is asked about. The form lists what it showed in
        // `kept[shown]`: an agreement added while it was open is left for next time, and
        // answers about agreements that ended meanwhile are let go.
        let shown: Option<Vec<&str>> = kept.get("shown").map(|s| s.split_whitespace().collect());
        let mut answers = Vec::new();
        for (agreement_id, version_id, _) in
            crate::features::agreements::repo::questions(&state.db, &couple_id).await?
        {
            let answer = kept
                .get(&crate::features::agreements::kept_key(&agreement_id))
                .and_then(|v| crate::features::agreements::Kept::parse(v));
            match answer {
                Some(answer) => answers.push((agreement_id, version_id, answer)),
                None if shown
                    .as_ref()
                    .is_some_and(|s| !s.contains(&agreement_id.as_str())) => {}
                None => {
                    return Err(AppError::validation(
                        "kept",
                        "Say how you kept each of your agreements (kept, partly or not).",
                    ));
                }
            }
        }
        let input = NewCheckIn {
            kept: answers,
            csi,
            trust,
            hope,
            went_well,
            was_hard,
            share_text: share_text == "on",
            safety,
        };
        let ip = guard::request_context().ip;
        let flag = repo::submit(
            &state.db,
            &couple_id,
            position,
            &partner.user.user_id,
            &input,
            ip.as_deref(),
        )
        .await?;
        if let Some(flag_id) = flag {
            crate::features::safety::repo::flags::alert_counselor(&state, &couple_id, &flag_id)
                .await?;
        }
        Ok(())
    }
    .await;
    finish(&result, &couple_page("/check-in?done=1", &couple_id));
    result
}

/// The couple's counselor acknowledges a safety flag with a note.
#[server(prefix = "/api", endpoint = "acknowledge_flag")]
pub async fn acknowledge_flag(flag_id: String, note: String) -> Result<(), AppError> {
    let _signed_in = guard::require_user()?;
    let state = app_state()?;
    let Some(couple_id) = repo::flag_couple(&state.db, &flag_id).await? else {
        return not_found();
    };
    let counselor = guard::require_case_counselor(&couple_id).await?;
    let result = async {
        let note = note.trim();
        if note.is_empty() || note.chars().count() > 2000 {
            return Err(AppError::validation(
                "note",
                "Write what you did or will do (up to 2,000 characters).",
            ));
        }
        let ip = guard::request_context().ip;
        repo::acknowledge(
            &state.db,
            &flag_id,
            &couple_id,
            &counselor.user.user_id,
            note,
            ip.as_deref(),
        )
        .await
    }
    .await;
    finish(
        &result,
        &crate::couple::CaseSection::Progress
            .path_then(couple_id.as_str(), "?acknowledged=1#check-ins"),
    );
    result
}

/// How many days between the check-ins asked of a couple (1 to 31).
#[server(prefix = "/api", endpoint = "set_check_in_days")]
pub async fn set_check_in_days(couple_id: CoupleId, days: String) -> Result<(), AppError> {
    let _counselor = guard::require_case_counselor(&couple_id).await?;
    let result = async {
        let days = days
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=31).contains(d))
            .ok_or_else(|| AppError::validation("days", "Enter a number of days from 1 to 31."))?;
        let state = app_state()?;
        repo::set_check_in_days(&state.db, &couple_id, days).await
    }
    .await;
    finish(
        &result,
        &crate::couple::CaseSection::Progress.path_then(couple_id.as_str(), "#check-ins"),
    );
    result
}

/// Switches the CSI-4 in check-ins on ("on") or off ("off") for the practice.
#[server(prefix = "/api", endpoint = "set_csi_enabled")]
pub async fn set_csi_enabled(on: String) -> Result<(), AppError> {
    let admin = guard::require_role(&[Role::Admin])?;
    let result = async {
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::set_csi_enabled(&state.db, on == "on", &admin.user.user_id, ip.as_deref()).await
    }
    .await;
    finish(&result, "/?saved=settings#settings");
    result
}
