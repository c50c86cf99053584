//! The partner's page for one questionnaire, the card that lists those due, and the case
//! page's section where the counselor chooses them and reads the scores.

use super::api::{AnswerMeasure, SetMeasures, my_measure};
use super::chart::MeasureChart;
use super::instruments::{ALL, Instrument, by_key};
use super::{DueMeasure, Frequency, MeasureForm, MeasuresPanel};
use crate::components::{ActionError, Notice, ReturnTo, SignedIn, error_of, load_error};
use crate::couple::couple_page;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The questionnaires due now, on the partner's home and check-in page.
#[component]
pub fn DueMeasuresCard(due: Vec<DueMeasure>) -> impl IntoView {
    (!due.is_empty()).then(|| {
        view! {
            <section class="card measures-due" aria-labelledby="measures-due-heading">
                <h2 id="measures-due-heading">"Questionnaires from your counselor"</h2>
                <p>"Short standard questionnaires your counselor uses to see how you are doing over time. Only your counselor sees your answers."</p>
                <ul>
                    {due.into_iter().filter_map(|d| {
                        let i = by_key(&d.key)?;
                        Some(view! {
                            <li><a href=d.href>{format!("{}: {}", i.name, i.title)}</a>
                                <span class="muted">{format!(" \u{b7} {}", i.about)}</span></li>
                        })
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// `/measures/:key`: the partner answers one questionnaire, one question per group.
#[component]
pub fn MeasurePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let args = move || {
        (
            params.read().get("key").unwrap_or_default(),
            query.read().get("couple").unwrap_or_default(),
        )
    };
    let page = Resource::new_blocking(args, |(key, couple)| my_measure(key, couple));
    view! {
        <SignedIn>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match page.await.map(|p| (by_key(&p.key), p)) {
                        Ok((Some(i), p)) => Either::Left(view! { <MeasureFormView page=p instrument=i /> }),
                        Ok((None, _)) => Either::Right(load_error(crate::error::AppError::NotFound)),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn MeasureFormView(page: MeasureForm, instrument: &'static Instrument) -> impl IntoView {
    let action = ServerAction::<AnswerMeasure>::new();
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    let home = couple_page("/check-in", &page.couple_param);
    let items = instrument
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let n = i + 1;
            view! {
                <fieldset class="measure-item">
                    <legend>{format!("{n}. {item}")}</legend>
                    <div class="measure-options">
                        {instrument.options.iter().map(|o| view! {
                            <label class="choice">
                                <input type="radio" name=format!("item[{n}]") value=o.value.to_string() required />
                                {format!(" {} ({})", o.label, o.value)}
                            </label>
                        }).collect_view()}
                    </div>
                </fieldset>
            }
        })
        .collect_view();
    let follow_up = instrument.follow_up.map(|f| {
        view! {
            <fieldset class="measure-item">
                <legend>{f.question}</legend>
                {f.options.iter().map(|o| view! {
                    <label class="choice"><input type="radio" name="follow_up" value=*o />{format!(" {o}")}</label>
                }).collect_view()}
            </fieldset>
        }
    });
    let form = (!page.closed).then(|| {
        view! {
            <ActionForm action=action attr:class="form-stack measure-form">
                <ReturnTo />
                <ActionError error=error_of(action) />
                <input type="hidden" name="key" value=instrument.key />
                <input type="hidden" name="couple_id" value=page.couple_param.clone() />
                <p class="measure-stem"><strong>{instrument.stem}</strong></p>
                {instrument.lead_in.map(|l| view! { <p>{l}</p> })}
                {items}
                {follow_up}
                <button type="submit" class="button-primary">{format!("Send my {} answers", instrument.name)}</button>
            </ActionForm>
        }
    });
    view! {
        <Title text=format!("{} · Trellis", instrument.name) />
        <p><a href=home>"\u{2190} Check-in"</a></p>
        <h1>{format!("{}: {}", instrument.name, instrument.title)}</h1>
        {page.help.clone().map(|help| view! {
            <p class="message message-info" role="status">"Thank you for answering honestly. Your answer about hurting yourself is marked for your counselor\u{2019}s attention, first on their list. Your partner is not told."</p>
            <crate::features::safety::ui::CrisisPanel help=help heading="Help is here if you need it" />
        })}
        {move || sent().then(|| view! { <Notice>"Sent. Thank you: your counselor will look at it with you."</Notice> })}
        <p class="lead">{format!(
            "{} asks you to answer this questionnaire from time to time, so you can both see how you are doing. Only your counselor sees your answers; your partner does not.",
            page.counselor_name
        )}</p>
        {page.last_answered.clone().map(|d| view! { <p class="muted">{format!("You last answered it on {d}.")}</p> })}
        {(!page.due).then(|| view! { <p class="muted">"It is not due yet; you can still answer it now if you would like to."</p> })}
        {if page.closed {
            Either::Left(view! { <p class="message message-info">"Your counselling case is closed, so questionnaires are no longer collected."</p> })
        } else {
            Either::Right(form)
        }}
        <p class="muted citation">{format!("{} {}", instrument.citation, instrument.rights)}</p>
        <p>"If you or someone else is in danger now, "<a href="/help">"get help now"</a>"."</p>
    }
}

/// The case page's questionnaires: what each partner is asked and how often, and every
/// measure's scores over time for both.
#[component]
pub fn MeasuresSection(couple_id: String, panel: MeasuresPanel, closed: bool) -> impl IntoView {
    let set = ServerAction::<SetMeasures>::new();
    let query = use_query_map();
    let saved = move || query.read().get("measures").is_some();
    let names = panel.scores.names.clone();
    let plans = panel
        .plans
        .into_iter()
        .map(|p| {
            let chosen = p.chosen.clone();
            let summary = if chosen.is_empty() {
                "No questionnaires chosen.".to_string()
            } else {
                chosen
                    .iter()
                    .filter_map(|(k, f)| by_key(k).map(|i| format!("{} {}", i.name, f.label().to_lowercase())))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let latest = ALL
                .iter()
                .filter_map(|i| {
                    let (now, before) = panel.scores.latest(i.key, p.position);
                    let now = now?;
                    let band = i.band(now).map(|b| b.label).unwrap_or("");
                    let change = before.map(|b| format!(", was {b}")).unwrap_or_default();
                    Some(format!("{} {now} ({band}{change})", i.name))
                })
                .collect::<Vec<_>>();
            let name = p.partner_name.clone();
            let form = (!closed).then(|| {
                let couple_id = couple_id.clone();
                let selects = ALL
                    .iter()
                    .map(|i| {
                        let current = chosen.iter().find(|(k, _)| k == i.key).map(|(_, f)| *f);
                        let id = format!("measure-{}-{}", p.position, i.key);
                        view! {
                            <label for=id.clone()>{format!("{} ({})", i.name, i.title)}</label>
                            <select id=id name=format!("every[{}]", i.key)>
                                <option value="" selected=current.is_none()>"Not asked"</option>
                                {Frequency::CHOICES.iter().map(|f| view! {
                                    <option value=f.days().to_string() selected=current == Some(*f)>{f.label()}</option>
                                }).collect_view()}
                            </select>
                        }
                    })
                    .collect_view();
                view! {
                    <ActionForm action=set attr:class="form-stack measure-plan">
                        <ReturnTo />
                        <input type="hidden" name="couple_id" value=couple_id />
                        <input type="hidden" name="position" value=p.position.to_string() />
                        {selects}
                        <button type="submit" class="button-secondary">{format!("Save questionnaires for {name}")}</button>
                    </ActionForm>
                }
            });
            view! {
                <div class="card measure-partner">
                    <h3>{p.partner_name.clone()}</h3>
                    <p>{summary}</p>
                    {(!latest.is_empty()).then(|| view! { <p>{format!("Latest: {}.", latest.join("; "))}</p> })}
                    {form}
                </div>
            }
        })
        .collect_view();
    let charts = panel
        .scores
        .by_measure
        .into_iter()
        .filter(|(_, points)| !points.is_empty())
        .filter_map(|(key, points)| {
            let i = by_key(&key)?;
            Some(view! { <MeasureChart instrument=i points=points names=names.clone() id=format!("chart-{key}") /> })
        })
        .collect_view();
    view! {
        <section id="measures" aria-labelledby="measures-heading">
            <h2 id="measures-heading">"Questionnaires"</h2>
            {move || saved().then(|| view! { <Notice>"Questionnaires saved."</Notice> })}
            <ActionError error=error_of(set) />
            <p class="muted">"Standard measures each partner answers in their check-in: choose which, and how often. Before each session means once in the week before it. A PHQ-9 answer above \u{201c}not at all\u{201d} to item 9 raises a safety flag at once."</p>
            <div class="side-by-side">{plans}</div>
            {charts}
        </section>
    }
}
