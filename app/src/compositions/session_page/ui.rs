//! `/sessions/:id`: the session's details and actions, the pre-session brief, agenda items,
//! and the session's notes.

use super::api::get_session;
use super::{Brief, SessionPage};
use crate::components::ReturnTo;
use crate::components::{ActionError, Notice, SignedIn, error_of, load_error};
use crate::features::notes::api::StartNote;
use crate::features::notes::{NoteKind, NoteTemplate};
use crate::features::sessions::SessionStatus;
use crate::features::sessions::api::{AddAgendaItem, RescheduleSession, SetSessionStatus};
use crate::features::sessions::ui::SessionFields;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn SessionPageView() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let page = Resource::new_blocking(id, get_session);
    view! {
        <SignedIn>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => Either::Left(view! { <SessionView page=p /> }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn SessionView(page: SessionPage) -> impl IntoView {
    let query = use_query_map();
    let scheduled = move || query.read().get("scheduled").is_some();
    let saved = move || query.read().get("saved").is_some();
    let s = page.session.clone();
    let open = s.status == SessionStatus::Scheduled && !page.closed;
    let title = format!("Session {} \u{b7} {}", s.when, s.case_name);
    view! {
        <Title text=format!("{title} · Trellis") />
        <p><a href=crate::couple::CaseSection::Sessions.path_then(&s.couple_id, "#sessions")>{format!("\u{2190} {}", s.case_name)}</a></p>
        <h1>{format!("Session: {}", s.when)}</h1>
        {move || scheduled().then(|| view! { <Notice>"Session scheduled."</Notice> })}
        {move || (saved() && !scheduled()).then(|| view! { <Notice>"Session updated."</Notice> })}
        <dl class="facts">
            <dt>"When"</dt><dd>{format!("{} ({}), {} minutes", s.when, page.time_zone, s.duration_minutes)}</dd>
            <dt>"Format"</dt><dd>{s.format.label()}</dd>
            <dt>"Who attends"</dt><dd>{s.attendees.clone()}</dd>
            <dt>"Status"</dt><dd>{s.status.label()}{s.cancel_reason.clone().map(|r| format!(" \u{2014} {r}"))}</dd>
        </dl>
        <p><crate::features::calendar::ui::SessionIcsLink session_id=s.session_id.clone() /></p>
        <SessionActions page=page.clone() open=open />
        <BriefView brief=page.brief.clone() upcoming=s.upcoming />
        <AgendaItems page=page.clone() />
        <NotesList page=page />
    }
    .into_any()
}

#[component]
fn SessionActions(page: SessionPage, open: bool) -> impl IntoView {
    let reschedule = ServerAction::<RescheduleSession>::new();
    let status = ServerAction::<SetSessionStatus>::new();
    let s = page.session.clone();
    let id = s.session_id.clone();
    let started = !s.upcoming;
    let can_record = !page.closed && started && matches!(s.status, SessionStatus::Scheduled);
    view! {
        <section aria-labelledby="actions-heading">
            <h2 id="actions-heading" class="visually-hidden">"Change this session"</h2>
            <ActionError error=error_of(status) />
            {can_record.then(|| {
                let id = id.clone();
                view! {
                    <div class="button-row">
                        {[("attended", "Mark attended"), ("no_show", "Mark as no-show")].into_iter().map(|(v, l)| {
                            let id = id.clone();
                            view! {
                                <ActionForm action=status attr:class="inline-form">
                                    <ReturnTo />
                                    <input type="hidden" name="session_id" value=id />
                                    <input type="hidden" name="status" value=v />
                                    <button type="submit" class="button-secondary">{l}</button>
                                </ActionForm>
                            }
                        }).collect_view()}
                    </div>
                }
            })}
            {open.then(|| {
                let id2 = id.clone();
                view! {
                    <details class="card">
                        <summary>"Reschedule"</summary>
                        <ActionForm action=reschedule attr:class="form-stack">
                            <ReturnTo />
                            <ActionError error=error_of(reschedule) />
                            <input type="hidden" name="session_id" value=id.clone() />
                            <SessionFields partners=page.partners.clone() current=s.clone() id_prefix="reschedule" />
                            <button type="submit" class="button-primary">"Save the new time"</button>
                        </ActionForm>
                    </details>
                    <details class="card">
                        <summary>"Cancel this session"</summary>
                        <ActionForm action=status attr:class="form-stack">
                            <ReturnTo />
                            <input type="hidden" name="session_id" value=id2 />
                            <input type="hidden" name="status" value="cancelled" />
                            <label for="cancel-reason">"Reason for cancelling"</label>
                            <input id="cancel-reason" name="reason" required maxlength="500" />
                            <button type="submit" class="button-danger">"Cancel the session"</button>
                        </ActionForm>
                    </details>
                }
            })}
        </section>
    }
    .into_any()
}

#[component]
fn BriefView(brief: Brief, upcoming: bool) -> impl IntoView {
    view! {
        <section class="brief card" aria-labelledby="brief-heading">
            <h2 id="brief-heading">{if upcoming { "Pre-session brief" } else { "Brief" }}</h2>
            <p class="muted">{format!("Everything {}.", brief.since)}</p>
            <h3>"Safety flags"</h3>
            {if brief.flags.is_empty() {
                Either::Left(view! { <p class="muted">"No open safety flags."</p> })
            } else {
                Either::Right(view! {
                    <ul class="flags">
                        {brief.flags.into_iter().map(|f| view! {
                            <li class="flag open"><strong>{f.summary.clone()}</strong>{format!(" \u{b7} {}", f.raised)}</li>
                        }).collect_view()}
                    </ul>
                })
            }}
            <h3>"Where they are"</h3>
            <p>{brief.step.clone().unwrap_or_else(|| "Not started on a program yet.".into())}</p>
            <h3>"Plan from the last note"</h3>
            {match brief.last_plan.clone() {
                Some((note_id, plan, when)) => Either::Left(view! {
                    <p class="prose">{plan}</p>
                    <p class="muted">"From " <a href=format!("/notes/{note_id}")>{format!("the note of the session on {when}")}</a>"."</p>
                }),
                None => Either::Right(view! { <p class="muted">"No signed note yet."</p> }),
            }}
            <h3>{format!("Homework submitted ({})", brief.submissions.len())}</h3>
            {if brief.submissions.is_empty() {
                Either::Left(view! { <p class="muted">"Nothing submitted in this period."</p> })
            } else {
                Either::Right(view! {
                    <ul>
                        {brief.submissions.into_iter().map(|s| view! {
                            <li>
                                <a href=format!("/assignments/{}", s.assignment_id)>{s.title}</a>
                                {format!(" \u{b7} {} \u{b7} {} \u{b7} {}{}", s.partner_name, s.submitted, s.visibility, if s.reviewed { " \u{b7} reviewed" } else { " \u{b7} awaiting review" })}
                            </li>
                        }).collect_view()}
                    </ul>
                })
            }}
            <h3>{format!("Overdue homework ({})", brief.overdue.len())}</h3>
            {if brief.overdue.is_empty() {
                Either::Left(view! { <p class="muted">"Nothing overdue."</p> })
            } else {
                Either::Right(view! {
                    <ul>
                        {brief.overdue.into_iter().map(|o| view! {
                            <li><a href=format!("/assignments/{}", o.assignment_id)>{o.title}</a>{format!(" \u{b7} {} \u{b7} due {}", o.partner_name, o.due)}</li>
                        }).collect_view()}
                    </ul>
                })
            }}
            <h3>"Active treatment goals"</h3>
            {if brief.goals.is_empty() {
                Either::Left(view! { <p class="muted">"No goals set. Add them on the case page."</p> })
            } else {
                Either::Right(view! {
                    <ul>
                        {brief.goals.into_iter().map(|g| view! { <li><strong>{g.title}</strong>{format!(": {}", g.objective)}</li> }).collect_view()}
                    </ul>
                })
            }}
            <h3>"Check-ins"</h3>
            {brief.divergence.into_iter().map(|d| view! { <p class="message message-info">{d}</p> }).collect_view()}
            {if brief.check_ins.is_empty() {
                Either::Left(view! { <p class="muted">"No check-ins yet."</p> })
            } else {
                Either::Right(view! { <ul>{brief.check_ins.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul> })
            }}
            <h3>"Questionnaires"</h3>
            {if brief.measures.is_empty() {
                Either::Left(view! { <p class="muted">"No questionnaires answered yet."</p> })
            } else {
                Either::Right(view! { <ul>{brief.measures.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul> })
            }}
        </section>
    }
    .into_any()
}

#[component]
fn AgendaItems(page: SessionPage) -> impl IntoView {
    let action = ServerAction::<AddAgendaItem>::new();
    view! {
        <section id="agenda" aria-labelledby="agenda-heading">
            <h2 id="agenda-heading">"Agenda for this session"</h2>
            {if page.agenda.is_empty() {
                Either::Left(view! { <p class="muted">"No agenda items yet."</p> })
            } else {
                Either::Right(view! {
                    <ol>{page.agenda.into_iter().map(|a| view! { <li class="prose">{a.body}</li> }).collect_view()}</ol>
                })
            }}
            {(!page.closed).then(|| view! {
                <ActionForm action=action attr:class="form-stack">
                    <ReturnTo />
                    <ActionError error=error_of(action) />
                    <input type="hidden" name="session_id" value=page.session.session_id.clone() />
                    <label for="agenda-body">"Add an agenda item"</label>
                    <textarea id="agenda-body" name="body" rows="2" required maxlength="1000"></textarea>
                    <button type="submit" class="button-secondary">"Add to the agenda"</button>
                </ActionForm>
            })}
        </section>
    }
    .into_any()
}

#[component]
fn NotesList(page: SessionPage) -> impl IntoView {
    let action = ServerAction::<StartNote>::new();
    view! {
        <section id="notes" aria-labelledby="notes-heading">
            <h2 id="notes-heading">"Notes"</h2>
            {if page.notes.is_empty() {
                Either::Left(view! { <p class="muted">"No notes for this session yet."</p> })
            } else {
                Either::Right(view! {
                    <ul class="note-list">
                        {page.notes.into_iter().map(|n| view! {
                            <li>
                                <a href=format!("/notes/{}", n.note_id)>{format!("{} ({})", n.kind.label(), n.template.short())}</a>
                                <span class="muted">{format!(" \u{b7} {} \u{b7} {}", n.author, n.state)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                })
            }}
            {(!page.closed).then(|| view! {
                <ActionForm action=action attr:class="form-stack">
                    <ReturnTo />
                    <ActionError error=error_of(action) />
                    <input type="hidden" name="session_id" value=page.session.session_id.clone() />
                    <label for="note-template">"Note template"</label>
                    <select id="note-template" name="template">
                        {NoteTemplate::ALL.into_iter().map(|t| view! { <option value=t.as_str()>{t.label()}</option> }).collect_view()}
                    </select>
                    <label for="note-kind">"Kind of note"</label>
                    <select id="note-kind" name="kind" aria-describedby="note-kind-help">
                        {[NoteKind::Progress, NoteKind::Psychotherapy].into_iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                    </select>
                    <p id="note-kind-help" class="help">"Psychotherapy notes are your private process notes: kept apart from the record, read by you alone, and left out of reports."</p>
                    <button type="submit" class="button-primary">"Write a note"</button>
                </ActionForm>
            })}
        </section>
    }
    .into_any()
}
