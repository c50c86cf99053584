//! The case page's server function: one section of the counselor's view of a couple, each
//! section reading only what it shows.

use super::CaseSectionPage;
use crate::error::AppError;
use crate::ids::CoupleId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{
        AgreementsSection, CaseHead, HomeworkSection, Overview, PartnersSection, ProgressSection,
        SectionBody, SessionsSection, TimelineSection,
    },
    crate::auth::guard,
    crate::couple::{CaseSection, CoupleContext},
    crate::features::progress::FlagView,
    crate::state::{AppState, app_state},
    chrono_tz::Tz,
};

/// One section of the case page (`section`: its path segment; none or empty for the
/// overview). Reading it is recorded in the audit trail.
#[server(prefix = "/api", endpoint = "get_case_section")]
pub async fn get_case_section(
    couple_id: CoupleId,
    section: Option<String>,
) -> Result<CaseSectionPage, AppError> {
    let access = guard::require_case_counselor(&couple_id).await?;
    let section = CaseSection::parse(section.as_deref().unwrap_or("")).ok_or(AppError::NotFound)?;
    let state = app_state()?;
    let page = gather(&state, &couple_id, section).await?;
    crate::features::cases::api::record_case_viewed(&access.user.user_id, &couple_id).await?;
    Ok(page)
}

/// The head and the body of one section. The caller has checked access.
#[cfg(feature = "ssr")]
async fn gather(
    app: &AppState,
    couple_id: &CoupleId,
    section: CaseSection,
) -> Result<CaseSectionPage, AppError> {
    let db = &app.db;
    let couple = crate::couple::load(db, couple_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let zone = crate::couple::time_zone(db, &couple.counselor_id).await?;
    // The overview and the progress section read every flag anyway; the others only the
    // open ones, for the head.
    let (body, flags) = match section {
        CaseSection::Overview => {
            let (overview, flags) = overview(app, &couple, zone).await?;
            (SectionBody::Overview(Box::new(overview)), flags)
        }
        CaseSection::Progress => {
            let progress = progress(app, &couple, zone).await?;
            let flags = progress.check_ins.flags.clone();
            (SectionBody::Progress(Box::new(progress)), flags)
        }
        other => (
            body(app, &couple, zone, other).await?,
            crate::features::progress::repo::flags(db, couple_id.as_str(), zone, true).await?,
        ),
    };
    Ok(CaseSectionPage {
        head: CaseHead {
            couple_id: couple_id.to_string(),
            case_name: couple.case_name.clone(),
            status: couple.status,
            open_flags: flags
                .into_iter()
                .filter(|f| f.acknowledged.is_none())
                .collect(),
        },
        body,
    })
}

/// The sections that do not need every flag.
#[cfg(feature = "ssr")]
async fn body(
    app: &AppState,
    couple: &CoupleContext,
    zone: Tz,
    section: CaseSection,
) -> Result<SectionBody, AppError> {
    let db = &app.db;
    let couple_id = couple.couple_id.as_str();
    Ok(match section {
        CaseSection::Homework => SectionBody::Homework(Box::new(homework(app, couple_id).await?)),
        CaseSection::Agreements => SectionBody::Agreements(Box::new(AgreementsSection {
            agreements: crate::features::agreements::repo::panel(
                db,
                couple_id,
                zone,
                couple.names(),
            )
            .await?,
        })),
        CaseSection::Sessions => SectionBody::Sessions(Box::new(SessionsSection {
            sessions: crate::features::sessions::repo::for_couple(db, couple_id, zone).await?,
            time_zone: zone.name().to_string(),
            partners: couple
                .partners
                .iter()
                .map(|p| (p.position, p.display_name.clone()))
                .collect(),
            goals: crate::features::notes::repo::goals(db, couple_id).await?,
        })),
        CaseSection::Partners => {
            SectionBody::Partners(Box::new(partners(app, couple, zone).await?))
        }
        CaseSection::Timeline => {
            let steps = crate::features::program::repo::couple_step_titles(db, couple_id).await?;
            let (entries, truncated) =
                crate::features::cases::repo::timeline(db, couple_id, &steps, &couple.names())
                    .await?;
            SectionBody::Timeline(Box::new(TimelineSection { entries, truncated }))
        }
        CaseSection::Overview | CaseSection::Progress => {
            unreachable!("gathered with every flag")
        }
    })
}

/// The overview, and every flag of the couple.
#[cfg(feature = "ssr")]
async fn overview(
    app: &AppState,
    couple: &CoupleContext,
    zone: Tz,
) -> Result<(Overview, Vec<FlagView>), AppError> {
    use crate::features::homework::HomeworkState;
    let db = &app.db;
    let couple_id = couple.couple_id.as_str();
    let (rupture_date, kept_until) = crate::features::cases::repo::facts(db, couple).await?;
    let next_session = crate::features::sessions::repo::for_couple(db, couple_id, zone)
        .await?
        .into_iter()
        .find(|s| s.upcoming && s.status == crate::features::sessions::SessionStatus::Scheduled);
    let board = crate::features::homework::repo::board(db, couple_id).await?;
    let (to_review, overdue) = (
        board
            .iter()
            .filter(|h| h.state == HomeworkState::Submitted)
            .cloned()
            .collect(),
        board
            .iter()
            .filter(|h| h.overdue && h.state == HomeworkState::NotSubmitted)
            .cloned()
            .collect(),
    );
    let panel = crate::features::progress::repo::panel(db, couple_id, zone).await?;
    let latest = |i: usize| {
        panel
            .points
            .iter()
            .rev()
            .find_map(|p| p.partners[i].map(|s| (p.label.clone(), s)))
    };
    let overview = Overview {
        counselor_name: couple.counselor_name.clone(),
        rupture_date,
        kept_until,
        step: crate::features::program::repo::current_step(db, couple_id).await?,
        next_session,
        to_review,
        overdue,
        latest_check_ins: [latest(0), latest(1)],
        partner_names: panel.partner_names.clone(),
        divergence: panel.divergence.clone(),
        messages: crate::features::messages::page::case_panel(
            app,
            couple,
            &couple.counselor_id,
            &panel.flags,
        )
        .await?,
    };
    Ok((overview, panel.flags))
}

/// The program, with the exercises a counselor can assign from it, and the homework board.
#[cfg(feature = "ssr")]
async fn homework(app: &AppState, couple_id: &str) -> Result<HomeworkSection, AppError> {
    let db = &app.db;
    let progress = crate::features::program::repo::progress(db, couple_id).await?;
    let homework = crate::features::homework::repo::board(db, couple_id).await?;
    let exercises = match &progress.program {
        Some((program_id, _)) => {
            let mut choices: Vec<crate::features::homework::ExerciseChoices> = vec![];
            for e in crate::features::program::repo::exercise_options(db, program_id).await? {
                let label = if e.joint {
                    format!("{} ({}, together)", e.title, e.audience.label())
                } else {
                    format!("{} ({})", e.title, e.audience.label())
                };
                match choices.last_mut() {
                    Some(c) if c.step_number == e.step_number => {
                        c.exercises.push((e.template_id, label))
                    }
                    _ => choices.push(crate::features::homework::ExerciseChoices {
                        step_number: e.step_number,
                        step_title: e.step_title,
                        exercises: vec![(e.template_id, label)],
                    }),
                }
            }
            let current = progress.current_step.unwrap_or(1);
            choices.sort_by_key(|c| (c.step_number != current, c.step_number));
            choices
        }
        None => vec![],
    };
    Ok(HomeworkSection {
        progress,
        homework,
        exercises,
    })
}

/// Check-ins with every flag, questionnaires, trends and the wins wall.
#[cfg(feature = "ssr")]
async fn progress(
    app: &AppState,
    couple: &CoupleContext,
    zone: Tz,
) -> Result<ProgressSection, AppError> {
    let db = &app.db;
    let couple_id = couple.couple_id.as_str();
    let progress = crate::features::program::repo::progress(db, couple_id).await?;
    let step = progress.current_step;
    Ok(ProgressSection {
        progress,
        check_ins: crate::features::progress::repo::panel(db, couple_id, zone).await?,
        completion: crate::features::progress::trends::completion(db, couple_id, zone).await?,
        measures: crate::features::measures::repo::panel(db, couple, zone).await?,
        wins: crate::features::progress::wins::wall(db, couple_id, zone, None).await?,
        wins_state: crate::features::progress::wins::wall_state_at(db, couple_id, step).await?,
    })
}

/// The partners with their invitations, consent, intake and reset links.
#[cfg(feature = "ssr")]
async fn partners(
    app: &AppState,
    couple: &CoupleContext,
    zone: Tz,
) -> Result<PartnersSection, AppError> {
    let db = &app.db;
    let seats: Vec<_> = couple
        .partners
        .iter()
        .map(|s| {
            (
                s.display_name.clone(),
                s.account.as_ref().map(|a| a.to_string()),
            )
        })
        .collect();
    Ok(PartnersSection {
        case: crate::features::cases::repo::case_details(app, couple.couple_id.as_str()).await?,
        consent: crate::features::consent::repo::statuses(db, &seats, zone).await?,
        intake: crate::features::intake::repo::statuses(db, couple, zone).await?,
        resets: crate::features::passwords::api::partner_resets(app, couple).await?,
    })
}
