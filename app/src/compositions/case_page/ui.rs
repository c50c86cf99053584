//! The case page: partners and their invitations, status, and the timeline.

use super::CaseDetail;
use super::api::get_case;
use crate::components::ReturnTo;
use crate::components::{ActionError, Notice, SignedIn, error_of, not_found};
use crate::couple::CaseStatus;
use crate::features::agreements::ui::AgreementsSection;
use crate::features::cases::TIMELINE_LENGTH;
use crate::features::cases::api::SetCaseStatus;
use crate::features::cases::ui::elapsed;
use crate::features::consent::ui::ConsentStatusPanel;
use crate::features::homework::ui::HomeworkBoard;
use crate::features::intake::ui::IntakeStatusPanel;
use crate::features::invitations::api::{InvitePartner, RevokePartnerInvitation};
use crate::features::invitations::ui::PartnerInvitation;
use crate::features::measures::ui::MeasuresSection;
use crate::features::messages::ui::MessagesCard;
use crate::features::notes::ui::GoalsPanel;
use crate::features::passwords::api::MakePartnerResetLink;
use crate::features::passwords::ui::PartnerResetLink;
use crate::features::program::ui::ProgramPanel;
use crate::features::progress::trends::{CompletionChart, StepsTimeline};
use crate::features::progress::ui::CheckInsPanel;
use crate::features::sessions::ui::SessionsPanel;
use crate::ids::CoupleId;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || CoupleId::from(params.read().get("id").unwrap_or_default());
    let case = Resource::new_blocking(id, get_case);
    view! {
        <SignedIn>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match case.await {
                        Ok(detail) => Either::Left(view! { <CaseView detail=detail /> }),
                        Err(_) => Either::Right(not_found()),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn CaseView(detail: CaseDetail) -> impl IntoView {
    let today = chrono::Utc::now().date_naive();
    let invite = ServerAction::<InvitePartner>::new();
    let revoke = ServerAction::<RevokePartnerInvitation>::new();
    let reset = ServerAction::<MakePartnerResetLink>::new();
    let resets = detail.resets.clone();
    let status_action = ServerAction::<SetCaseStatus>::new();
    let closed = detail.case.status == CaseStatus::Closed;
    let query = use_query_map();
    let saved = move || query.read().get("saved").is_some();
    let couple_id = detail.case.couple_id.clone();
    let (moves, steps, current_step) = (
        detail.progress.moves.clone(),
        detail.progress.steps.clone(),
        detail.progress.current_step,
    );
    let status_buttons = detail
        .case
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
    let open_flags: Vec<_> = detail
        .check_ins
        .flags
        .iter()
        .filter(|f| f.acknowledged.is_none())
        .cloned()
        .collect();
    view! {
        <Title text=format!("{} · Trellis", detail.case.case_name) />
        <div class="page-head">
            <h1>{detail.case.case_name.clone()}</h1>
            <span class=format!("status status-{}", detail.case.status.as_str())>{detail.case.status.label()}</span>
            {(!closed).then(|| view! {
                <a class="button button-secondary-link" href=format!("/cases/{}/edit", detail.case.couple_id)>"Edit details"</a>
            })}
        </div>
        {saved().then(|| view! { <Notice>"Changes saved."</Notice> })}
        // Flags first: open safety flags above everything else, until acknowledged below.
        {(!open_flags.is_empty()).then(|| view! {
            <section class="flags-first message message-error" role="alert" aria-labelledby="flags-first-heading">
                <h2 id="flags-first-heading">{format!("Open safety flag{}", if open_flags.len() == 1 { "" } else { "s" })}</h2>
                <ul class="flags">
                    {open_flags.iter().map(|f| view! {
                        <li><strong>{f.summary.clone()}</strong>{format!(" \u{b7} {}", f.raised)}</li>
                    }).collect_view()}
                </ul>
                <p><a href="#check-ins">"Read and acknowledge in Check-ins"</a></p>
            </section>
        })}
        {closed.then(|| view! {
            <p class="message message-info" role="status">
                "This case is closed and read-only. Its records are kept until "
                {detail.case.kept_until.map(|d| d.format("%-d %B %Y").to_string()).unwrap_or_default()}
                " under the practice's retention setting."
            </p>
        })}
        <dl class="facts">
            <dt>"Counselor"</dt><dd>{detail.case.counselor_name}</dd>
            <dt>"Since the rupture"</dt>
            <dd>{detail.case.rupture_date.map(|d| format!("{} (since {d})", elapsed(d, today))).unwrap_or_else(|| "Not recorded".into())}</dd>
        </dl>
        <MessagesCard threads=detail.messages.threads.clone() heading="Messages"
            open_joint=(!detail.messages.joint_open && !closed).then(|| format!("/cases/{}/messages/joint", detail.case.couple_id)) />
        <ConsentStatusPanel statuses=detail.consent />
        <IntakeStatusPanel couple_id=detail.case.couple_id.to_string() statuses=detail.intake />
        <ProgramPanel couple_id=detail.case.couple_id.clone() progress=detail.progress closed=closed />
        <HomeworkBoard couple_id=detail.case.couple_id.clone() items=detail.homework exercises=detail.exercises closed=closed />
        <section id="trends" aria-labelledby="trends-heading">
            <h2 id="trends-heading">"Progress over time"</h2>
            {(!moves.is_empty()).then(|| view! {
                <StepsTimeline moves=moves steps=steps current=current_step now=chrono::Utc::now().timestamp_millis() />
            })}
            <CompletionChart weeks=detail.completion names=detail.check_ins.partner_names.clone() />
        </section>
        <CheckInsPanel couple_id=detail.case.couple_id.clone() panel=detail.check_ins closed=closed />
        <MeasuresSection couple_id=detail.case.couple_id.clone() panel=detail.measures closed=closed />
        <AgreementsSection couple_id=detail.case.couple_id.clone() panel=detail.agreements closed=closed />
        <crate::features::progress::wins::WinsWall wins=detail.wins post=false react=!closed
            couple_id=detail.case.couple_id.clone() state=detail.wins_state />
        <SessionsPanel couple_id=detail.case.couple_id.clone() sessions=detail.sessions
            partners=detail.case.partners.iter().map(|p| (p.position, p.display_name.clone())).collect()
            time_zone=detail.time_zone closed=closed />
        <GoalsPanel couple_id=detail.case.couple_id.clone() goals=detail.goals closed=closed />
        <section aria-labelledby="status-heading" class="case-status">
            <h2 id="status-heading">"Case status"</h2>
            <ActionError error=error_of(status_action) />
            <div class="button-row">{status_buttons}</div>
        </section>
        <h2 id="partners">"Partners"</h2>
        <ActionError error=error_of(invite) />
        <ActionError error=error_of(revoke) />
        <ActionError error=error_of(reset) />
        <ul class="partners">
            {detail.case.partners.into_iter().map(|p| {
                let couple_id = detail.case.couple_id.clone();
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
        {detail.case.presenting_concerns.map(|t| view! { <h2>"Presenting concerns"</h2><p class="prose">{t}</p> })}
        {detail.case.intake_notes.map(|t| view! { <h2>"Intake notes"</h2><p class="prose">{t}</p> })}
        <h2>"Timeline"</h2>
        {detail.case.timeline_truncated.then(|| view! {
            <p class="muted">
                "The latest " {TIMELINE_LENGTH} " changes to this case. "
                "Earlier ones stay in the practice's audit log, which an administrator can read."
            </p>
        })}
        <ol class="timeline">
            {detail.case.timeline.into_iter().map(|e| view! {
                <li>
                    <time datetime=e.at.to_rfc3339()>{e.at.format("%Y-%m-%d %H:%M UTC").to_string()}</time>
                    " \u{2014} " {e.what}
                    {e.who.map(|w| view! { <span class="muted">" by " {w}</span> })}
                </li>
            }).collect_view()}
        </ol>
    }
}
