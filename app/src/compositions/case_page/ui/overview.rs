//! The overview: what a counselor needs to know before the couple walks in, on one screen,
//! each part linking to the section that holds the rest.

use crate::compositions::case_page::Overview;
use crate::couple::CaseSection;
use crate::features::cases::ui::elapsed;
use crate::features::homework::HomeworkItem;
use crate::features::messages::ui::MessagesCard;
use leptos::prelude::*;

#[component]
pub fn OverviewSection(couple_id: String, overview: Overview, closed: bool) -> impl IntoView {
    let today = chrono::Utc::now().date_naive();
    let Overview {
        counselor_name,
        rupture_date,
        kept_until,
        step,
        next_session,
        to_review,
        overdue,
        partner_names,
        latest_check_ins,
        divergence,
        messages,
    } = overview;
    let section = |s: CaseSection, rest: &str| s.path_then(&couple_id, rest);
    let next = match next_session {
        Some(s) => view! {
            <p><a href=format!("/sessions/{}", s.session_id)>{s.when.clone()}</a></p>
            <p class="muted">{format!("{} min \u{b7} {} \u{b7} {}", s.duration_minutes, s.format.label(), s.attendees)}</p>
            {s.place.map(|p| view! { <p class="muted">{p}</p> })}
        }
        .into_any(),
        None => view! { <p>"No session planned."</p> }.into_any(),
    };
    let step = match step {
        Some((number, title, of)) => {
            view! { <p>{format!("Step {number} of {of}: {title}")}</p> }.into_any()
        }
        None => view! { <p>"Not started on a program yet."</p> }.into_any(),
    };
    let check_ins = partner_names
        .iter()
        .zip(latest_check_ins)
        .map(|(name, latest)| match latest {
            Some((week, s)) => view! {
                <li>
                    <strong>{name.clone()}</strong>
                    {format!(" \u{b7} week of {week}: trust {}/10, hope {}/10", s.trust, s.hope)}
                    {s.csi.map(|c| format!(", CSI-4 {c}/21"))}
                </li>
            }
            .into_any(),
            None => view! { <li><strong>{name.clone()}</strong>" \u{b7} no check-in in the charted weeks"</li> }.into_any(),
        })
        .collect_view();
    view! {
        <section class="overview" aria-labelledby="overview-heading">
            <h2 id="overview-heading">"Before they walk in"</h2>
            <div class="overview-grid">
                <section class="card" aria-labelledby="next-session-heading">
                    <h3 id="next-session-heading">"Next session"</h3>
                    {next}
                    <p><a href=section(CaseSection::Sessions, "#sessions")>"All sessions and goals"</a></p>
                </section>
                <section class="card" aria-labelledby="week-heading">
                    <h3 id="week-heading">"Latest check-ins"</h3>
                    <ul class="plain">{check_ins}</ul>
                    {(!divergence.is_empty()).then(|| view! {
                        <ul class="divergence">
                            {divergence.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}
                        </ul>
                    })}
                    <p><a href=section(CaseSection::Progress, "#check-ins")>"Check-ins and progress"</a></p>
                </section>
                <section class="card" aria-labelledby="waiting-heading">
                    <h3 id="waiting-heading">"Homework"</h3>
                    <Waiting items=to_review heading="Waiting for your review" empty="Nothing waiting for your review." />
                    <Waiting items=overdue heading="Past its due date" empty="Nothing past its due date." />
                    <p><a href=section(CaseSection::Homework, "#homework")>"All homework"</a></p>
                </section>
                <section class="card" aria-labelledby="step-heading">
                    <h3 id="step-heading">"In the program"</h3>
                    {step}
                    <p><a href=section(CaseSection::Homework, "#program")>"Program and homework"</a></p>
                </section>
            </div>
            <dl class="facts">
                <dt>"Counselor"</dt><dd>{counselor_name}</dd>
                <dt>"Since the rupture"</dt>
                <dd>{rupture_date.map(|d| format!("{} (since {d})", elapsed(d, today))).unwrap_or_else(|| "Not recorded".into())}</dd>
                {kept_until.map(|d| view! {
                    <dt>"Records kept until"</dt>
                    <dd>{d.format("%-d %B %Y").to_string()}" (the practice\u{2019}s retention setting)"</dd>
                })}
            </dl>
        </section>
        <MessagesCard threads=messages.threads heading="Messages"
            open_joint=(!messages.joint_open && !closed).then(|| format!("/cases/{couple_id}/messages/joint")) />
    }
}

/// A short list of homework, each opening its answer (or its joint work).
#[component]
fn Waiting(items: Vec<HomeworkItem>, heading: &'static str, empty: &'static str) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    view! {
        <p><strong>{heading}</strong></p>
        <ul class="plain">
            {items.into_iter().map(|i| {
                let href = if i.joint {
                    format!("/together/{}", i.assignment_id)
                } else {
                    format!("/assignments/{}", i.assignment_id)
                };
                let who = if i.joint { "both, together".to_string() } else { i.partner_name.clone() };
                view! { <li><a href=href>{i.title}</a>{format!(" \u{b7} {who}")}</li> }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
