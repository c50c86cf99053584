//! Session pages: the counselor's agenda, the case page's sessions panel, and what a partner
//! sees of their sessions (the session page itself is `compositions::session_page`).

use super::api::{ScheduleSession, my_agenda};
use super::{Agenda, PartnerSession, SessionFormat, SessionSummary};
use crate::components::ReturnTo;
use crate::components::{ActionError, SignedIn, error_of, load_error};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

mod places;
pub use places::{MeetingLinkSection, PracticeAddressForm};

/// The fields shared by scheduling and rescheduling.
#[component]
pub fn SessionFields(
    partners: Vec<(i64, String)>,
    #[prop(optional)] current: Option<SessionSummary>,
    id_prefix: &'static str,
) -> impl IntoView {
    let when = current
        .as_ref()
        .map(|s| s.when_input.clone())
        .unwrap_or_default();
    let minutes = current.as_ref().map(|s| s.duration_minutes).unwrap_or(50);
    let format = current
        .as_ref()
        .map(|s| s.format)
        .unwrap_or(SessionFormat::InPerson);
    let attendees = current
        .as_ref()
        .map(|s| s.attendees_key.clone())
        .unwrap_or_else(|| "both".into());
    let place = current
        .as_ref()
        .and_then(|s| s.place.clone())
        .unwrap_or_default();
    let id = move |f: &str| format!("{id_prefix}-{f}");
    let mut who = vec![("both".to_string(), "Both partners".to_string())];
    who.extend(partners.into_iter().map(|(p, name)| {
        (
            format!("partner_{p}"),
            format!("Individual session with {name}"),
        )
    }));
    view! {
        <label for=id("starts")>"Date and time"</label>
        <input id=id("starts") name="starts_at" type="datetime-local" required value=when />
        <label for=id("minutes")>"Length (minutes)"</label>
        <input id=id("minutes") name="duration_minutes" type="number" min="5" max="480" required value=minutes.to_string() />
        <label for=id("format")>"Format"</label>
        <select id=id("format") name="format">
            {SessionFormat::ALL.into_iter().map(|f| view! {
                <option value=f.as_str() selected=f == format>{f.label()}</option>
            }).collect_view()}
        </select>
        <label for=id("attendees")>"Who attends"</label>
        <select id=id("attendees") name="attendees">
            {who.into_iter().map(|(v, l)| {
                let selected = v == attendees;
                view! { <option value=v selected=selected>{l}</option> }
            }).collect_view()}
        </select>
        <label for=id("place")>"Joining link or place (optional)"</label>
        <input id=id("place") name="place" maxlength="500" value=place aria-describedby=id("place-help") />
        <p id=id("place-help") class="help">
            "For a video session, the joining link (https://\u{2026}); left empty, your own joining link from Settings is used. \
             For a session in person, where to come; left empty, the practice\u{2019}s address is used. \
             Partners attending see it with the date and time."
        </p>
    }
}

/// On the case page: the couple's sessions and a form to schedule one.
#[component]
pub fn SessionsPanel(
    couple_id: String,
    sessions: Vec<SessionSummary>,
    partners: Vec<(i64, String)>,
    time_zone: String,
    closed: bool,
) -> impl IntoView {
    let action = ServerAction::<ScheduleSession>::new();
    // A refused form stays open with its reason in view.
    let refused = error_of(action);
    let list = if sessions.is_empty() {
        Either::Left(view! { <p class="empty-state">"No sessions yet."</p> })
    } else {
        Either::Right(view! {
            <ul class="session-list">
                {sessions.into_iter().map(|s| view! {
                    <li class=if s.upcoming { "session upcoming" } else { "session" }>
                        <a href=format!("/sessions/{}", s.session_id)>{s.when.clone()}</a>
                        <span class="muted">{format!(" \u{b7} {} min \u{b7} {} \u{b7} {} \u{b7} {}", s.duration_minutes, s.format.label(), s.attendees, s.status.label())}</span>
                        {s.place.clone().map(|p| view! { <span class="muted">{format!(" \u{b7} {p}")}</span> })}
                    </li>
                }).collect_view()}
            </ul>
        })
    }
    .into_any();
    view! {
        <section id="sessions" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">"Sessions"</h2>
            {list}
            {(!closed).then(|| view! {
                <details class="card" open=move || refused.get().is_some()>
                    <summary>"Schedule a session"</summary>
                    <ActionForm action=action attr:class="form-stack">
                        <ReturnTo />
                        <ActionError error=refused />
                        <input type="hidden" name="couple_id" value=couple_id.clone() />
                        <SessionFields partners=partners id_prefix="new-session" />
                        <p class="help">{format!("Times are in your time zone, {time_zone}. Change it on your Settings page.")}</p>
                        <button type="submit" class="button-primary">"Schedule the session"</button>
                    </ActionForm>
                </details>
            })}
        </section>
    }
    .into_any()
}

/// `/agenda`: today and the coming week across the caseload.
#[component]
pub fn AgendaPage() -> impl IntoView {
    let agenda = Resource::new_blocking(|| (), |_| my_agenda());
    view! {
        <SignedIn>
            <Title text="Agenda · Trellis" />
            <h1>"Agenda"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match agenda.await {
                        Ok(a) => Either::Left(view! { <AgendaView agenda=a /> }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn AgendaView(agenda: Agenda) -> impl IntoView {
    let empty = agenda.days.iter().all(|d| d.sessions.is_empty());
    view! {
        <p class="muted">{format!("Today and the next seven days, in {}.", agenda.time_zone)}</p>
        {empty.then(|| view! { <p class="empty-state">"No sessions this week. Schedule one from a couple's case page."</p> })}
        {agenda.days.into_iter().filter(|d| !d.sessions.is_empty()).map(|d| view! {
            <section class="agenda-day" aria-label=d.label.clone()>
                <h2>{d.label.clone()}</h2>
                <ul class="session-list">
                    {d.sessions.into_iter().map(|s| view! {
                        <li class=format!("session status-{}", s.status.as_str())>
                            <strong>{s.time.clone()}</strong> " "
                            <a href=format!("/sessions/{}", s.session_id)>{s.case_name.clone()}</a>
                            <span class="muted">{format!(" \u{b7} {} min \u{b7} {} \u{b7} {} \u{b7} {}", s.duration_minutes, s.format.label(), s.attendees, s.status.label())}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }).collect_view()}
    }
    .into_any()
}

/// On a partner's home: their upcoming sessions: date, time, format, joint or individual, and
/// the joining link or where to come.
#[component]
pub fn PartnerSessions(sessions: Vec<PartnerSession>) -> impl IntoView {
    let zone = sessions
        .first()
        .map(|s| s.time_zone.clone())
        .unwrap_or_default();
    view! {
        <h2>"Your next sessions"</h2>
        {if sessions.is_empty() {
            Either::Left(view! { <p class="empty-state">"No sessions booked. Your counselor will set the next one."</p> })
        } else {
            Either::Right(view! {
                <ul class="session-list">
                    {sessions.into_iter().map(|s| {
                        let when = s.when.clone();
                        view! {
                            <li>{s.when} <span class="muted">{format!(" \u{b7} {} min \u{b7} {} \u{b7} {}", s.duration_minutes, s.format.label(), s.kind)}</span>
                                {s.link.map(|link| view! {
                                    " " <a href=link.clone() rel="noopener noreferrer" target="_blank"
                                        aria-label=format!("Join the video session on {when} (opens a new tab)")>"Join the video session"</a>
                                    <span class="muted">{format!(" ({link})")}</span>
                                })}
                                {s.address.map(|a| view! { <span>{format!(" \u{b7} At {a}")}</span> })}
                                // The calendar feature's download; named by address, not imported
                                // (calendars read sessions, so sessions cannot import them).
                                " " <a href=format!("/sessions/{}/calendar.ics", s.session_id) download="trellis-session.ics"
                                    aria-label=format!("Add the session on {when} to my calendar (.ics file)")>"Add to my calendar"</a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <p class="help">{format!("Times are in {zone}; you can change your time zone on your Settings page.")}</p>
            })
        }}
    }
    .into_any()
}
