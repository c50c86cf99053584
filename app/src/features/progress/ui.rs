//! Check-in pages: the partner's check-in form and history (`/check-in`), and the counselor's
//! panel on the case page: safety flags, the divergence flag, charts with their data table,
//! and what each partner wrote.

use super::api::{AcknowledgeFlag, SetCheckInDays, SubmitCheckIn, my_check_in};
use super::chart::{Measure, TrendChart};
use super::{CSI4, CSI4_CUTOFF, CheckInPage, CouplePanel, SafetyAnswer};
use crate::components::ReturnTo;
use crate::components::{ActionError, Notice, SignedIn, error_of, load_error};
use crate::features::agreements::Kept;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A 0-10 scale as radio buttons with labelled ends.
#[component]
fn Scale(
    name: &'static str,
    #[prop(into)] legend: String,
    low: &'static str,
    high: &'static str,
) -> impl IntoView {
    view! {
        <fieldset class="scale">
            <legend>{legend}</legend>
            <p class="help">{format!("0 = {low}, 10 = {high}")}</p>
            <div class="scale-options">
                {(0..=10).map(|v| view! {
                    <label class="scale-option">
                        <input type="radio" name=name value=v.to_string() required />
                        <span>{v.to_string()}</span>
                    </label>
                }).collect_view()}
            </div>
        </fieldset>
    }
}

/// `/check-in`: the partner checks in, and sees their history.
#[component]
pub fn CheckInFormPage() -> impl IntoView {
    let query = use_query_map();
    let couple = move || query.read().get("couple").unwrap_or_default();
    let page = Resource::new_blocking(couple, my_check_in);
    let measures = Resource::new_blocking(couple, crate::features::measures::api::my_measures);
    view! {
        <SignedIn>
            <Title text="Check-in · Trellis" />
            <h1>"Check-in"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let due = measures.await.unwrap_or_default();
                    view! { <crate::features::measures::ui::DueMeasuresCard due=due /> }
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => Either::Left(view! { <CheckInForm page=p /> }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn CheckInForm(page: CheckInPage) -> impl IntoView {
    // Which agreements this form asks about, so one added meanwhile does not block it.
    let shown = page
        .agreements
        .iter()
        .map(|a| a.agreement_id.clone())
        .collect::<Vec<_>>()
        .join(" ");
    let action = ServerAction::<SubmitCheckIn>::new();
    let query = use_query_map();
    let done = move || query.read().get("done").is_some();
    let help = page.help.clone();
    view! {
        {move || done().then(|| view! { <Notice>"Thank you. Your check-in is saved; your counselor will see it."</Notice> })}
        {page.offer_private_thread.then(|| {
            let href = crate::couple::couple_page("/messages", &page.couple_id);
            view! {
                <p class="message message-info private-talk-offer" role="status">
                    "You said you would rather talk to your counselor privately, and they have been told. "
                    <a href=href>"Write to your counselor in your private messages"</a>
                    ": only the two of you read them."
                </p>
            }
        })}
        {help.map(|help| view! {
            <crate::features::safety::ui::CrisisPanel help=help heading="Help is here if you need it" />
        })}
        <p>{page.due.clone()}</p>
        <p class="help">"Answer on your own. Your counselor reads your answers; your partner sees none of them unless you choose to share what you write below, and never your answer about safety."</p>
        <ActionForm action=action attr:class="form-stack check-in-form">
            <ReturnTo />
            <ActionError error=error_of(action) />
            <input type="hidden" name="couple_id" value=page.couple_id.clone() />
            {page.csi_enabled.then(|| view! {
                <h2>"Your relationship"</h2>
                {CSI4.iter().enumerate().map(|(i, item)| view! {
                    <fieldset>
                        <legend>{item.question}</legend>
                        {item.answers.iter().enumerate().map(|(v, label)| view! {
                            <label class="choice">
                                <input type="radio" name=format!("csi[{}]", i + 1) value=v.to_string() required />
                                " " {*label}
                            </label>
                        }).collect_view()}
                    </fieldset>
                }).collect_view()}
            })}
            <input type="hidden" name="kept[shown]" value=shown />
            {(!page.agreements.is_empty()).then(|| view! {
                <h2>"Your agreements"</h2>
                <p class="help">"How did you keep each agreement since your last check-in? Only your counselor sees these answers."</p>
                {page.agreements.iter().map(|a| view! {
                    <fieldset>
                        <legend>{a.body.clone()}</legend>
                        {Kept::ALL.into_iter().map(|k| view! {
                            <label class="choice">
                                <input type="radio" name=format!("kept[{}]", crate::features::agreements::kept_key(&a.agreement_id)) value=k.as_str() required />
                                " " {k.label()}
                            </label>
                        }).collect_view()}
                    </fieldset>
                }).collect_view()}
            })}
            <h2>"This week"</h2>
            <Scale name="trust" legend=page.trust_question.clone() low="not at all" high="completely" />
            <Scale name="hope" legend="How hopeful do you feel about the relationship?" low="no hope" high="very hopeful" />
            <label for="went_well">"What went well? (optional)"</label>
            <textarea id="went_well" name="text[went_well]" rows="3" maxlength="5000"></textarea>
            <label for="was_hard">"What was hard? (optional)"</label>
            <textarea id="was_hard" name="text[was_hard]" rows="3" maxlength="5000"></textarea>
            <label class="choice">
                <input type="checkbox" name="share_text" value="on" />
                " Let my partner read what I wrote above"
            </label>
            <fieldset>
                <legend>{SafetyAnswer::QUESTION}</legend>
                <p class="help">"Only your counselor sees this answer. Your partner never does."</p>
                {SafetyAnswer::ALL.into_iter().map(|a| view! {
                    <label class="choice">
                        <input type="radio" name="safety" value=a.as_str() required />
                        " " {a.label()}
                    </label>
                }).collect_view()}
            </fieldset>
            <button type="submit" class="button-primary">"Send my check-in"</button>
        </ActionForm>
        <p class="help">"If you are in danger right now, call your local emergency number."</p>
        {(!page.shared.is_empty()).then(|| view! {
            <h2>"Shared with you by your partner"</h2>
            {page.shared.into_iter().map(|s| view! {
                <article class="card">
                    <p class="muted">{format!("{} \u{b7} {}", s.partner_name, s.when)}</p>
                    {(!s.went_well.is_empty()).then(|| view! { <h3>"What went well"</h3><p class="prose">{s.went_well.clone()}</p> })}
                    {(!s.was_hard.is_empty()).then(|| view! { <h3>"What was hard"</h3><p class="prose">{s.was_hard.clone()}</p> })}
                </article>
            }).collect_view()}
        })}
        <h2>"Your past check-ins"</h2>
        {if page.history.is_empty() {
            Either::Left(view! { <p class="empty-state">"None yet."</p> })
        } else {
            Either::Right(view! {
                <ul class="session-list">
                    {page.history.into_iter().map(|c| view! {
                        <li>
                            <strong>{c.when}</strong>
                            <span class="muted">{format!(
                                " \u{b7} trust {} \u{b7} hope {}{}{}",
                                c.scores.trust,
                                c.scores.hope,
                                c.scores.csi.map(|v| format!(" \u{b7} relationship {v}/21")).unwrap_or_default(),
                                if c.shared { " \u{b7} texts shared with your partner" } else { "" }
                            )}</span>
                        </li>
                    }).collect_view()}
                </ul>
            })
        }}
    }
    .into_any()
}

/// On the partner's home: whether a check-in is due.
#[component]
pub fn CheckInCard(
    due: String,
    is_due: bool,
    couple_id: String,
    #[prop(default = None)] seen: Option<String>,
) -> impl IntoView {
    let href = crate::couple::couple_page("/check-in", &couple_id);
    view! {
        <section class=if is_due { "card check-in-card due" } else { "card check-in-card" } aria-labelledby="check-in-heading">
            <h2 id="check-in-heading">"Check-in"</h2>
            {seen.map(|seen| view! { <Notice>{seen}</Notice> })}
            <p>{due}</p>
            <a class="button button-primary" href=href>"Check in now"</a>
            <p class="help">
                "Your data is yours: " <a href="/export/my-data.json" download>"download everything you can see in Trellis"</a> " (JSON)."
            </p>
        </section>
    }
}

/// On the case page: both partners' check-ins, safety flags and the divergence flag.
#[component]
pub fn CheckInsPanel(couple_id: String, panel: CouplePanel, closed: bool) -> impl IntoView {
    let ack = ServerAction::<AcknowledgeFlag>::new();
    let days = ServerAction::<SetCheckInDays>::new();
    let names = panel.partner_names.clone();
    let any_csi = panel
        .points
        .iter()
        .any(|p| p.partners.iter().flatten().any(|s| s.csi.is_some()));
    let open_flags = panel
        .flags
        .iter()
        .filter(|f| f.acknowledged.is_none())
        .count();
    view! {
        <section id="check-ins" aria-labelledby="check-ins-heading">
            <h2 id="check-ins-heading">"Check-ins"</h2>
            <ActionError error=error_of(ack) />
            {(open_flags > 0).then(|| view! {
                <p class="message message-error" role="alert">{format!("{open_flags} safety flag{} to look at.", if open_flags == 1 { "" } else { "s" })}</p>
            })}
            {(!panel.flags.is_empty()).then(|| view! {
                <ul class="flags">
                    {panel.flags.into_iter().map(|f| {
                        let id = f.flag_id.clone();
                        let field = format!("ack-{id}");
                        view! {
                            <li class=if f.acknowledged.is_none() { "flag open" } else { "flag" }>
                                <strong>{format!("Safety: {}", f.summary)}</strong>
                                <span class="muted">{format!(" \u{b7} {}", f.raised)}</span>
                                {match f.acknowledged.clone() {
                                    Some((by, when, note)) => Either::Left(view! {
                                        <p class="muted">{format!("Acknowledged by {by} on {when}: ")}<span class="prose">{note}</span></p>
                                    }),
                                    None => Either::Right(view! {
                                        <ActionForm action=ack attr:class="form-stack">
                                            <ReturnTo />
                                            <input type="hidden" name="flag_id" value=id.clone() />
                                            <label for=field.clone()>"What you did or will do"</label>
                                            <textarea id=field name="note" rows="2" required maxlength="2000"></textarea>
                                            <button type="submit" class="button-secondary">"Acknowledge the flag"</button>
                                        </ActionForm>
                                    }),
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {panel.divergence.iter().map(|d| view! {
                <p class="message message-info" role="status">{d.clone()}</p>
            }).collect_view()}
            {if panel.points.is_empty() {
                Either::Left(view! { <p class="empty-state">"No check-ins yet."</p> })
            } else {
                Either::Right(view! {
                    <TrendChart measure=Measure::Trust points=panel.points.clone() names=names.clone() id="chart-trust" />
                    <TrendChart measure=Measure::Hope points=panel.points.clone() names=names.clone() id="chart-hope" />
                    {any_csi.then(|| view! {
                        <TrendChart measure=Measure::Csi points=panel.points.clone() names=names.clone() cutoff=CSI4_CUTOFF id="chart-csi" />
                    })}
                    <table class="data-table">
                        <caption>"Check-ins by week (each partner's latest that week)"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Week of"</th>
                                <th scope="col">{format!("{}: trust / hope / CSI-4", names[0])}</th>
                                <th scope="col">{format!("{}: trust / hope / CSI-4", names[1])}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {panel.points.iter().rev().map(|p| {
                                let cell = |i: usize| p.partners[i].map(|s| format!(
                                    "{} / {} / {}", s.trust, s.hope, s.csi.map(|v| v.to_string()).unwrap_or_else(|| "\u{2014}".into())
                                )).unwrap_or_else(|| "No check-in".into());
                                view! { <tr><td>{p.label.clone()}</td><td>{cell(0)}</td><td>{cell(1)}</td></tr> }
                            }).collect_view()}
                        </tbody>
                    </table>
                })
            }}
            {(!panel.texts.is_empty()).then(|| view! {
                <details class="card">
                    <summary>"What they wrote"</summary>
                    {panel.texts.into_iter().map(|t| view! {
                        <article>
                            <p class="muted">{format!("{} \u{b7} {}{}", t.partner_name, t.when, if t.shared { " \u{b7} shared with their partner" } else { " \u{b7} counselor only" })}</p>
                            {(!t.went_well.is_empty()).then(|| view! { <p class="prose"><strong>"Went well: "</strong>{t.went_well.clone()}</p> })}
                            {(!t.was_hard.is_empty()).then(|| view! { <p class="prose"><strong>"Was hard: "</strong>{t.was_hard.clone()}</p> })}
                        </article>
                    }).collect_view()}
                </details>
            })}
            <h3>"Reports and exports"</h3>
            <ul class="exports">
                <li><a href=format!("/cases/{couple_id}/report")>"Printable progress report"</a></li>
                <li><a href=format!("/cases/{couple_id}/export/check-ins.csv") download>"Check-ins (CSV)"</a></li>
                <li><a href=format!("/cases/{couple_id}/export/measures.csv") download>"Questionnaires: PHQ-9, GAD-7, PCL-5 (CSV)"</a></li>
                <li><a href=format!("/cases/{couple_id}/export/homework.csv") download>"Homework status (CSV)"</a></li>
                <li><a href=format!("/cases/{couple_id}/export.json") download>"Full case export (JSON, without psychotherapy notes)"</a></li>
            </ul>
            {(!closed).then(|| view! {
                <ActionForm action=days attr:class="inline-form">
                    <ReturnTo />
                    <ActionError error=error_of(days) />
                    <input type="hidden" name="couple_id" value=couple_id.clone() />
                    <label for="check-in-days">"Ask for a check-in every (days)"</label>
                    <input id="check-in-days" name="days" type="number" min="1" max="31" value=panel.check_in_days.to_string() />
                    <button type="submit" class="button-secondary button-small">"Save"</button>
                </ActionForm>
            })}
        </section>
    }
    .into_any()
}
