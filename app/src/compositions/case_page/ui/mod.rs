//! The case page's sections: the same head on each (the couple, their status, the section
//! links and any open safety flag), then the section's own panels.

mod overview;
mod sections;

use super::api::get_case_section;
use super::{CaseHead, CaseSectionPage, SectionBody};
use crate::components::{Notice, SignedIn, not_found};
use crate::couple::{CaseSection, CaseStatus};
use crate::ids::CoupleId;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/cases/:id` and `/cases/:id/<section>`: one section of a couple's case.
#[component]
pub fn CasePage(section: CaseSection) -> impl IntoView {
    let params = use_params_map();
    let id = move || CoupleId::from(params.read().get("id").unwrap_or_default());
    let page = Resource::new_blocking(id, move |id| {
        get_case_section(id, Some(section.slug().to_string()))
    });
    view! {
        <SignedIn>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => Either::Left(view! { <CaseSectionView page=page section=section /> }),
                        Err(_) => Either::Right(not_found()),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn CaseSectionView(page: CaseSectionPage, section: CaseSection) -> impl IntoView {
    let CaseSectionPage { head, body } = page;
    let closed = head.status == CaseStatus::Closed;
    let couple_id = head.couple_id.clone();
    let body = match body {
        SectionBody::Overview(o) => view! { <overview::OverviewSection couple_id=couple_id overview=*o closed=closed /> }.into_any(),
        SectionBody::Homework(h) => view! { <sections::HomeworkSection couple_id=couple_id section=*h closed=closed /> }.into_any(),
        SectionBody::Progress(p) => view! { <sections::ProgressSection couple_id=couple_id section=*p closed=closed /> }.into_any(),
        SectionBody::Agreements(a) => view! { <crate::features::agreements::ui::AgreementsSection couple_id=couple_id panel=a.agreements closed=closed /> }.into_any(),
        SectionBody::Sessions(s) => view! { <sections::SessionsSection couple_id=couple_id section=*s closed=closed /> }.into_any(),
        SectionBody::Partners(p) => view! { <sections::PartnersSection section=*p closed=closed /> }.into_any(),
        SectionBody::Timeline(t) => view! { <sections::TimelineSection section=*t /> }.into_any(),
    };
    view! {
        <Head head=head section=section />
        {body}
    }
}

/// The couple's name and status, the section links, and every open safety flag: a flag
/// stays above whatever section the counselor opens until it is acknowledged.
#[component]
fn Head(head: CaseHead, section: CaseSection) -> impl IntoView {
    let query = use_query_map();
    let saved = move || query.read().get("saved").is_some();
    let closed = head.status == CaseStatus::Closed;
    let title = match section {
        CaseSection::Overview => format!("{} · Trellis", head.case_name),
        s => format!("{} · {} · Trellis", s.label(), head.case_name),
    };
    let flags = head.open_flags;
    let couple_id = head.couple_id.clone();
    view! {
        <Title text=title />
        <div class="page-head">
            <h1>{head.case_name.clone()}</h1>
            <span class=format!("status status-{}", head.status.as_str())>{head.status.label()}</span>
            {(!closed).then(|| view! {
                <a class="button button-secondary-link" href=format!("/cases/{}/edit", head.couple_id)>"Edit details"</a>
            })}
        </div>
        <nav class="case-sections" aria-label="Sections of this case">
            <ul>
                {CaseSection::ALL.into_iter().map(|s| {
                    let current = (s == section).then_some("page");
                    view! { <li><a href=s.path(&couple_id) aria-current=current>{s.label()}</a></li> }
                }).collect_view()}
            </ul>
        </nav>
        {saved().then(|| view! { <Notice>"Changes saved."</Notice> })}
        {(!flags.is_empty()).then(|| view! {
            <section class="flags-first message message-error" role="alert" aria-labelledby="flags-first-heading">
                <h2 id="flags-first-heading">{format!("Open safety flag{}", if flags.len() == 1 { "" } else { "s" })}</h2>
                <ul class="flags">
                    {flags.iter().map(|f| view! {
                        <li><strong>{f.summary.clone()}</strong>{format!(" \u{b7} {}", f.raised)}</li>
                    }).collect_view()}
                </ul>
                <p><a href=CaseSection::Progress.path_then(&couple_id, "#check-ins")>"Read and acknowledge in Check-ins"</a></p>
            </section>
        })}
        {closed.then(|| view! {
            <p class="message message-info" role="status">
                "This case is closed and read-only."
            </p>
        })}
    }
}
