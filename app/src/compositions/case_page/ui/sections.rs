//! The case page's sections other than the overview, each a composition of feature panels.

use crate::components::{ActionError, ReturnTo, error_of};
use crate::compositions::case_page::{
    HomeworkSection as Homework, PartnersSection as Partners, ProgressSection as Progress,
    SessionsSection as Sessions, TimelineSection as Timeline,
};
use crate::couple::CaseStatus;
use crate::features::cases::TIMELINE_LENGTH;
use crate::features::cases::api::SetCaseStatus;
use crate::features::consent::ui::ConsentStatusPanel;
use crate::features::homework::ui::HomeworkBoard;
use crate::features::intake::ui::IntakeStatusPanel;
use crate::features::invitations::api::{InvitePartner, RevokePartnerInvitation};
use crate::features::invitations::ui::PartnerInvitation;
use crate::features::measures::ui::MeasuresSection;
use crate::features::notes::ui::GoalsPanel;
use crate::features::passwords::api::MakePartnerResetLink;
use crate::features::passwords::ui::PartnerResetLink;
use crate::features::program::ui::ProgramPanel;
use crate::features::progress::trends::{CompletionChart, StepsTimeline};
use crate::features::progress::ui::CheckInsPanel;
use crate::features::progress::wins::WinsWall;
use crate::features::sessions::ui::SessionsPanel;
use leptos::prelude::*;

/// The program and the homework board.
#[component]
pub fn HomeworkSection(couple_id: String, section: Homework, closed: bool) -> impl IntoView {
    view! {
        <ProgramPanel couple_id=couple_id.clone() progress=section.progress closed=closed />
        <HomeworkBoard couple_id=couple_id items=section.homework exercises=section.exercises closed=closed />
    }
}

/// Trends, check-ins with their flags, questionnaires and the wins wall.
#[component]
pub fn ProgressSection(couple_id: String, section: Progress, closed: bool) -> impl IntoView {
    let Progress {
        progress,
        check_ins,
        completion,
        measures,
        wins,
        wins_state,
    } = section;
    view! {
        <section id="trends" aria-labelledby="trends-heading">
            <h2 id="trends-heading">"Progress over time"</h2>
            {(!progress.moves.is_empty()).then(|| view! {
                <StepsTimeline moves=progress.moves steps=progress.steps current=progress.current_step
                    now=chrono::Utc::now().timestamp_millis() />
            })}
            <CompletionChart weeks=completion names=check_ins.partner_names.clone() />
        </section>
        <CheckInsPanel couple_id=couple_id.clone() panel=check_ins closed=closed />
        <MeasuresSection couple_id=couple_id.clone() panel=measures closed=closed />
        <WinsWall wins=wins post=false react=!closed couple_id=couple_id state=wins_state />
    }
}

/// Sessions and treatment goals.
#[component]
pub fn SessionsSection(couple_id: String, section: Sessions, closed: bool) -> impl IntoView {
    view! {
        <SessionsPanel couple_id=couple_id.clone() sessions=section.sessions partners=section.partners
            time_zone=section.time_zone closed=closed />
        <GoalsPanel couple_id=couple_id goals=section.goals closed=closed />
    }
}

/// The partners with their invitations and reset links, consent and intake, the case's
/// details, and its status.
#[component]
pub fn PartnersSection(section: Partners, closed: bool) -> impl IntoView {
    let Partners {
        case,
        consent,
        intake,
        resets,
    } = section;
    let invite = ServerAction::<InvitePartner>::new();
    let revoke = ServerAction::<RevokePartnerInvitation>::new();
    let reset = ServerAction::<MakePartnerResetLink>::new();
    let status_action = ServerAction::<SetCaseStatus>::new();
    let couple_id = case.couple_id.clone();
    let status_buttons = case
        .status
        .next()
        .iter()
        .map(|&to| {
            let verb = if closed { "Reopen the case" } else { to.verb() };
            let couple_id = couple_id.clone();
            view! {
                <ActionForm action=status_action attr:class="inline-form">
                    <ReturnTo />
                    <input type="hidden" name="couple_id" value=couple_id />
                    <input type="hidden" name="status" value=to.as_str() />
                    <button type="submit" class="button-secondary">{verb}</button>
                </ActionForm>
            }
        })
        .collect_view();
    view! {
        <h2 id="partners">"Partners"</h2>
        <ActionError error=error_of(invite) />
        <ActionError error=error_of(revoke) />
        <ActionError error=error_of(reset) />
        <ul class="partners">
            {case.partners.into_iter().map(|p| {
                let couple_id = couple_id.clone();
                let partner_reset = resets.iter().find(|r| r.position == p.position).cloned();
                let reset_name = p.display_name.clone();
                let reset_couple = couple_id.to_string();
                view! {
                    <li id=format!("partner-{}", p.position)>
                        <strong>{p.display_name.clone()}</strong>
                        {p.pronouns.map(|pr| view! { <span class="muted">" (" {pr} ")"</span> })}
                        <div>{p.email}</div>
                        <div class="muted">{p.rupture_role.label()}</div>
                        <PartnerInvitation couple_id=couple_id position=p.position name=p.display_name
                            state=p.invitation closed=closed invite=invite revoke=revoke />
                        {partner_reset.map(|r| view! {
                            <PartnerResetLink couple_id=reset_couple name=reset_name reset=r closed=closed action=reset />
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        <ConsentStatusPanel statuses=consent />
        <IntakeStatusPanel couple_id=couple_id.clone() statuses=intake />
        {case.presenting_concerns.map(|t| view! { <h2>"Presenting concerns"</h2><p class="prose">{t}</p> })}
        {case.intake_notes.map(|t| view! { <h2>"Intake notes"</h2><p class="prose">{t}</p> })}
        <section aria-labelledby="status-heading" class="case-status">
            <h2 id="status-heading">"Case status"</h2>
            <p class="muted">{format!("Now: {}.", case.status.label())}
                {(case.status == CaseStatus::Closed).then(|| case.kept_until.map(|d| format!(
                    " Its records are kept until {} under the practice\u{2019}s retention setting.",
                    d.format("%-d %B %Y")
                )))}
            </p>
            <ActionError error=error_of(status_action) />
            <div class="button-row">{status_buttons}</div>
        </section>
    }
}

/// The case's history: the newest changes, oldest first.
#[component]
pub fn TimelineSection(section: Timeline) -> impl IntoView {
    view! {
        <h2 id="timeline">"Timeline"</h2>
        {section.truncated.then(|| view! {
            <p class="muted">
                "The latest " {TIMELINE_LENGTH} " changes to this case. "
                "Earlier ones stay in the practice's audit log, which an administrator can read."
            </p>
        })}
        <ol class="timeline">
            {section.entries.into_iter().map(|e| view! {
                <li>
                    <time datetime=e.at.to_rfc3339()>{e.at.format("%Y-%m-%d %H:%M UTC").to_string()}</time>
                    " \u{2014} " {e.what}
                    {e.who.map(|w| view! { <span class="muted">" by " {w}</span> })}
                </li>
            }).collect_view()}
        </ol>
    }
}
