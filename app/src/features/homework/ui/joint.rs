//! `/together/:id`: work done together. Partners write one shared answer and see what the
//! other changed; their counselor reads every version and can turn the answers into draft
//! agreements.

use super::super::api::{JointAgreements, SaveJoint, get_joint};
use super::super::joint::{JointPage, JointState, JointVersionView};
use super::answer::{AnswersView, field_input};
use super::due_phrase;
use crate::components::{ActionError, Notice, ReturnTo, SignedIn, error_of, load_error};
use crate::features::program::ResponseField;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn JointWorkPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let page = Resource::new_blocking(id, get_joint);
    view! {
        <SignedIn>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) if p.viewer.is_some() => Either::Left(Either::Left(view! { <PartnerView page=p /> })),
                        Ok(p) => Either::Left(Either::Right(view! { <CounselorView page=p /> })),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

/// "Version 3, saved by Sam on Thu 26 Nov 2026, 14:00".
fn byline(v: &JointVersionView) -> String {
    format!("Version {}, saved by {} on {}", v.version, v.author, v.when)
}

/// Every version, newest first, each with what it changed.
#[component]
fn History(fields: Vec<ResponseField>, versions: Vec<JointVersionView>) -> impl IntoView {
    (!versions.is_empty()).then(|| {
        let count = versions.len();
        view! {
            <section aria-labelledby="history-heading" class="joint-history">
                <h2 id="history-heading">{format!("Every version ({count})")}</h2>
                <ol reversed class="plain-list">
                    {versions.into_iter().map(|v| {
                        let changed = if v.changed.is_empty() {
                            "No answers changed".to_string()
                        } else {
                            format!("Changed: {}", v.changed.join("; "))
                        };
                        view! {
                            <li>
                                <details>
                                    <summary>{byline(&v)}</summary>
                                    <p class="muted">{changed}</p>
                                    <AnswersView fields=fields.clone() answers=v.answers />
                                </details>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </section>
        }
    })
}

#[component]
fn PartnerView(page: JointPage) -> impl IntoView {
    let action = ServerAction::<SaveJoint>::new();
    let discard = ServerAction::<SaveJoint>::new();
    let query = use_query_map();
    let flag = move |key: &'static str| move || query.read().get(key).is_some();
    let me = page.viewer.unwrap_or(1);
    let other = page.partner_names[if me == 1 { 1 } else { 0 }].clone();
    let current = page.current().cloned();
    let base = current.as_ref().map(|v| v.version).unwrap_or(0);
    let answers = match (&page.crossed, &current) {
        (Some((mine, _)), _) => mine.clone(),
        (None, Some(v)) => v.answers.clone(),
        (None, None) => Default::default(),
    };
    let open = page.state != JointState::Cancelled && !page.closed;
    let joint_id = page.joint_id.clone();
    let fields = page
        .fields
        .clone()
        .into_iter()
        .map(|f| field_input(f, &answers))
        .collect_view();
    let sent_line = match (page.state, &page.sent) {
        (JointState::Sent, Some((v, when))) => Some(format!(
            "Sent to your counselor on {when} (version {v}). You can both still change it and send it again."
        )),
        (JointState::ChangedSinceSent, Some((v, when))) => Some(format!(
            "Version {v} was sent to your counselor on {when}. It has changed since; send it again when you are both happy with it."
        )),
        _ => None,
    };
    view! {
        <Title text=format!("{} · Trellis", page.title) />
        <p><a href="/">"\u{2190} Your homework"</a></p>
        <h1>{page.title.clone()}</h1>
        <p class="muted">{format!("Done together with {other} \u{b7} {}", due_phrase(page.due_on, false))}</p>
        {move || flag("saved")().then(|| view! { <Notice>"Saved. Your partner will see this version next time they open it."</Notice> })}
        {move || flag("sent")().then(|| view! { <Notice>"Saved and sent to your counselor."</Notice> })}
        {move || flag("discarded")().then(|| view! { <Notice>"Your unsaved words are gone; the page shows the newest version."</Notice> })}
        <p class="prose instructions">{page.instructions.clone()}</p>
        {page.step.clone().filter(|s| !s.for_partners.trim().is_empty()).map(|step| view! {
            <crate::features::program::for_partners::StepCard step=step homework=true />
        })}
        <p class="help">{format!(
            "You and {other} write one answer between you. Whatever either of you saves, the other can read and change, and every version is kept. Your counselor can read it too."
        )}</p>
        {(!page.since_mine.is_empty()).then(|| view! {
            <section class="card joint-changes" aria-labelledby="changes-heading">
                <h2 id="changes-heading">{format!("What {other} changed since you last saved")}</h2>
                <dl class="answers">
                    {page.since_mine.clone().into_iter().map(|c| view! {
                        <dt>{c.label}</dt>
                        <dd>
                            <p class="muted">{format!("Before: {}", if c.before.is_empty() { "(no answer)" } else { &c.before })}</p>
                            <p>{format!("Now: {}", if c.now.is_empty() { "(no answer)" } else { &c.now })}</p>
                        </dd>
                    }).collect_view()}
                </dl>
            </section>
        })}
        {page.crossed.clone().map(|(mine, _)| view! {
            <section class="card joint-crossed" aria-labelledby="crossed-heading">
                <h2 id="crossed-heading">"Your words that are not saved yet"</h2>
                <p>"Only you can see these. The form below holds them; the newest saved version is under \u{201c}Every version\u{201d}. Save when the form says what you both want to keep, or let them go to start from the newest version."</p>
                <AnswersView fields=page.fields.clone() answers=mine />
                <ActionForm action=discard attr:class="inline-form">
                    <ReturnTo />
                    <input type="hidden" name="joint_id" value=joint_id.clone() />
                    <button type="submit" name="intent" value="discard" class="button-secondary">"Let my unsaved words go"</button>
                </ActionForm>
            </section>
        })}
        {current.as_ref().map(|v| view! { <p class="muted">{format!("Newest: {}.", byline(v))}</p> })}
        {sent_line.map(|l| view! { <p class="muted">{l}</p> })}
        {if open {
            Either::Left(view! {
                <ActionForm action=action attr:class="form-stack answer-form">
                    <ReturnTo />
                    <ActionError error=error_of(action) />
                    <input type="hidden" name="joint_id" value=page.joint_id.clone() />
                    <input type="hidden" name="base_version" value=base.to_string() />
                    {fields}
                    <div class="button-row">
                        <button type="submit" name="intent" value="save" class="button-secondary">"Save our answer"</button>
                        <button type="submit" name="intent" value="send" class="button-primary">"Save and send to our counselor"</button>
                    </div>
                </ActionForm>
            })
        } else if page.closed {
            Either::Right(view! { <p class="message message-info">"This case is closed, so this answer can no longer change."</p> })
        } else {
            Either::Right(view! { <p class="message message-info">"Your counselor has cancelled this exercise. What you both wrote is kept below."</p> })
        }}
        <History fields=page.fields.clone() versions=page.versions.clone() />
    }
}

#[component]
fn CounselorView(page: JointPage) -> impl IntoView {
    let action = ServerAction::<JointAgreements>::new();
    let query = use_query_map();
    let made = move || query.read().get("agreements").is_some();
    let current = page.current().cloned();
    let names = page.partner_names.join(" and ");
    let already = current
        .as_ref()
        .is_some_and(|c| page.agreements_version == Some(c.version));
    let can_draft = !page.closed && !already && !page.candidates.is_empty();
    let current_version = current.as_ref().map(|c| c.version).unwrap_or(0);
    view! {
        <Title text=format!("{} · together · Trellis", page.title) />
        <p><a href=crate::couple::CaseSection::Homework.path_then(&page.couple_id, "#homework")>"\u{2190} Back to the case"</a></p>
        <h1>{page.title.clone()}</h1>
        <p class="muted">{format!("Done together by {names} \u{b7} {} \u{b7} {}", due_phrase(page.due_on, false), page.state.counselor_label())}</p>
        <details class="guidance"><summary>"Instructions sent"</summary><p class="prose">{page.instructions.clone()}</p></details>
        {match current {
            None => Either::Left(view! { <p class="empty-state">"Nothing written yet."</p> }),
            Some(v) => Either::Right(view! {
                <h2>{format!("Newest: {}", byline(&v))}</h2>
                {page.sent.clone().map(|(n, when)| view! { <p class="muted">{format!("Version {n} was sent to you on {when}.")}</p> })}
                <AnswersView fields=page.fields.clone() answers=v.answers.clone() />
            }),
        }}
        <section id="agreements" aria-labelledby="agreements-heading">
            <h2 id="agreements-heading">"Draft agreements from these answers"</h2>
            {move || made().then(|| view! { <Notice>"Draft agreements made. Approve, change or decline each one under Agreements on the case page."</Notice> })}
            {if already {
                Either::Left(view! { <p>"Draft agreements were made from this version. They wait for you under Agreements on the case page; the partners see an agreement once you approve it."</p> })
            } else if can_draft {
                Either::Right(Either::Left(view! {
                    <ActionForm action=action attr:class="form-stack">
                        <ReturnTo />
                        <ActionError error=error_of(action) />
                        <input type="hidden" name="joint_id" value=page.joint_id.clone() />
                        <input type="hidden" name="version" value=current_version.to_string() />
                        <fieldset>
                            <legend>"Answers to turn into agreements, one each"</legend>
                            {page.candidates.clone().into_iter().map(|c| view! {
                                <label class="choice">
                                    <input type="checkbox" name=format!("chosen[{}]", c.key) value="on" checked=true />
                                    " " <strong>{c.label}</strong> " " {c.text}
                                </label>
                            }).collect_view()}
                        </fieldset>
                        <p class="help">"Each becomes a proposed agreement waiting for your approval; the partners see it once you approve it."</p>
                        <button type="submit" class="button-primary">"Make draft agreements"</button>
                    </ActionForm>
                }))
            } else {
                Either::Right(Either::Right(view! { <p class="muted">"When the partners have written answers in words, you can turn them into draft agreements here."</p> }))
            }}
        </section>
        <History fields=page.fields.clone() versions=page.versions.clone() />
    }
}
