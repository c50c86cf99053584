//! `/cases/:id/report`: the printable progress report for a chosen period. The period and
//! whether notes are included are chosen with a plain GET form; the page prints cleanly
//! (the print stylesheet hides navigation and forms), so "Save as PDF" gives the document.

use super::Report;
use super::api::get_report;
use crate::components::{SignedIn, load_error};
use crate::features::measures::chart::MeasureChart;
use crate::features::progress::chart::{Measure, TrendChart};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ReportPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let args = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        (
            params.read().get("id").unwrap_or_default(),
            get("from"),
            get("to"),
            get("notes"),
            get("psychotherapy"),
        )
    };
    let report = Resource::new_blocking(args, |(id, from, to, notes, private)| {
        get_report(id.into(), from, to, notes, private)
    });
    view! {
        <SignedIn>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(r) => Either::Left(view! { <ReportView report=r /> }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn ReportView(report: Report) -> impl IntoView {
    let names = report.partner_names.clone();
    let has_csi = report
        .points
        .iter()
        .any(|p| p.partners.iter().flatten().any(|s| s.csi.is_some()));
    let with_notes = report.notes.is_some();
    view! {
        <Title text=format!("Progress report · {} · Trellis", report.case_name) />
        <p class="no-print"><a href=format!("/cases/{}", report.couple_id)>{format!("\u{2190} {}", report.case_name)}</a></p>
        <h1>{format!("Progress report: {}", report.case_name)}</h1>
        <p>{format!(
            "{} and {} \u{b7} counselor {} \u{b7} {} to {} \u{b7} produced {}",
            names[0], names[1], report.counselor,
            report.from.format("%-d %B %Y"), report.to.format("%-d %B %Y"), report.generated
        )}</p>
        <form method="get" class="form-stack report-options no-print" aria-label="Report options">
            <label for="report-from">"From"</label>
            <input id="report-from" name="from" type="date" value=report.from.to_string() />
            <label for="report-to">"To"</label>
            <input id="report-to" name="to" type="date" value=report.to.to_string() />
            <label class="choice"><input type="checkbox" name="notes" value="on" checked=with_notes />" Include signed session notes"</label>
            <label class="choice"><input type="checkbox" name="psychotherapy" value="on" checked=report.psychotherapy_included />" Also include my psychotherapy notes (only with session notes)"</label>
            <button type="submit" class="button-secondary">"Update the report"</button>
            <p class="help">"To print or keep a PDF, use your browser's Print command and choose Save as PDF."</p>
        </form>
        <h2>"Program"</h2>
        <p>{report.step_now.clone().unwrap_or_else(|| "Not on a program.".into())}</p>
        {if report.step_moves.is_empty() {
            Either::Left(view! { <p class="muted">"No step changes in this period."</p> })
        } else {
            Either::Right(view! { <ul>{report.step_moves.into_iter().map(|(when, what)| view! { <li>{format!("{when}: {what}")}</li> }).collect_view()}</ul> })
        }}
        <h2>"Homework completion"</h2>
        <table class="data-table">
            <caption>"Homework assigned in the period, and how much was submitted"</caption>
            <thead><tr><th scope="col">"Partner"</th><th scope="col">"Assigned"</th><th scope="col">"Submitted"</th><th scope="col">"Completion"</th></tr></thead>
            <tbody>
                {report.completion.into_iter().map(|c| {
                    let rate = if c.assigned > 0 { format!("{}%", c.submitted * 100 / c.assigned) } else { "\u{2014}".into() };
                    view! { <tr><td>{c.partner_name}</td><td>{c.assigned}</td><td>{c.submitted}</td><td>{rate}</td></tr> }
                }).collect_view()}
            </tbody>
        </table>
        <h2>"Measures"</h2>
        {if report.points.is_empty() {
            Either::Left(view! { <p class="muted">"No check-ins in this period."</p> })
        } else {
            Either::Right(view! {
                <TrendChart measure=Measure::Trust points=report.points.clone() names=names.clone() id="report-trust" />
                <TrendChart measure=Measure::Hope points=report.points.clone() names=names.clone() id="report-hope" />
                {has_csi.then(|| view! {
                    <TrendChart measure=Measure::Csi points=report.points.clone() names=names.clone() cutoff=crate::features::progress::CSI4_CUTOFF id="report-csi" />
                })}
            })
        }}
        <h2>"Questionnaires"</h2>
        {
            let names = report.questionnaires.names.clone();
            let charts: Vec<_> = report
                .questionnaires
                .by_measure
                .into_iter()
                .filter(|(_, points)| !points.is_empty())
                .filter_map(|(key, points)| {
                    let i = crate::features::measures::instruments::by_key(&key)?;
                    Some(view! { <MeasureChart instrument=i points=points names=names.clone() id=format!("report-{key}") /> })
                })
                .collect();
            if charts.is_empty() {
                Either::Left(view! { <p class="muted">"No questionnaires answered in this period."</p> })
            } else {
                Either::Right(charts.collect_view())
            }
        }
        <h2>"Treatment goals"</h2>
        {if report.goals.is_empty() {
            Either::Left(view! { <p class="muted">"No goals set."</p> })
        } else {
            Either::Right(view! {
                <ul>{report.goals.into_iter().map(|g| view! {
                    <li><strong>{g.title}</strong>{format!(" ({}): {}", g.status.label(), g.objective)}</li>
                }).collect_view()}</ul>
            })
        }}
        {report.notes.map(|notes| view! {
            <h2>"Session notes"</h2>
            {if notes.is_empty() {
                Either::Left(view! { <p class="muted">"No signed notes in this period."</p> })
            } else {
                Either::Right(notes.into_iter().map(|n| view! {
                    <article class="report-note">
                        <h3>{format!("{} \u{b7} {} ({})", n.session, n.kind, n.template)}</h3>
                        <p class="muted">{format!("Signed by {} on {}", n.author, n.signed)}</p>
                        <dl class="note-sections">
                            {n.sections.into_iter().map(|(label, text)| view! { <dt>{label}</dt><dd class="prose">{text}</dd> }).collect_view()}
                        </dl>
                    </article>
                }).collect_view())
            }}
        })}
    }
    .into_any()
}
