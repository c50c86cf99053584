//! The "Calendar" section of Settings (make, reset or stop the feed address; a counselor's
//! choice of names), and the labelled link that downloads one session as a calendar file.

use super::api::{MakeCalendarLink, SetCalendarNames, StopCalendarLink, my_calendar};
use crate::components::{ActionError, Notice, ReturnTo, error_of, load_error};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// On everyone's Settings page.
#[component]
pub fn CalendarSection() -> impl IntoView {
    let settings = Resource::new_blocking(|| (), |_| my_calendar());
    let make = ServerAction::<MakeCalendarLink>::new();
    let stop = ServerAction::<StopCalendarLink>::new();
    let names = ServerAction::<SetCalendarNames>::new();
    let query = use_query_map();
    let said = move || query.read().get("calendar");
    view! {
        <section id="calendar" aria-labelledby="calendar-heading" class="card">
            <h2 id="calendar-heading">"Calendar"</h2>
            {move || match said().as_deref() {
                Some("stopped") => Some(view! { <Notice>"Your calendar address no longer works."</Notice> }),
                Some("saved") => Some(view! { <Notice>"Calendar choice saved."</Notice> }),
                _ => None,
            }}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(s) => Either::Left(view! {
                            <p>
                                "You can see your sessions in the calendar you already use, on your phone or computer. \
                                 Trellis gives you a private web address for it; your calendar app looks at it from time to time \
                                 and keeps your sessions up to date, also when one moves or is cancelled."
                            </p>
                            <p>
                                {if s.is_counselor {
                                    "It lists the sessions of your caseload, from a few weeks back to a year ahead: when, how long, \
                                     joint or individual, and where or the joining link. Couples are named by their initials unless \
                                     you choose names below. Notes, agenda items and reasons for cancelling are never in it."
                                } else {
                                    "It lists the sessions you attend: when, how long, joint or individual, and where or the link to \
                                     join. Nothing anyone wrote in Trellis is ever in it."
                                }}
                            </p>
                            <p class="help">
                                <strong>"Keep the address to yourself."</strong>
                                " Anyone who has it can see your session times without signing in. If someone else may have it, \
                                 reset it: the old address stops working straight away."
                            </p>
                            {s.link.clone().map(|link| view! {
                                <label for="calendar_link">"Your calendar address"</label>
                                <input id="calendar_link" name="calendar_link" readonly value=link aria-describedby="calendar-link-help" />
                                <p id="calendar-link-help" class="help">
                                    "Copy it now: to keep it private, Trellis shows it only for a few minutes. In your calendar app, \
                                     choose to add a calendar from a web address (it may say \u{201c}subscribe\u{201d} or \u{201c}from URL\u{201d}) and paste it."
                                </p>
                            })}
                            {(s.has_link && s.link.is_none()).then(|| view! {
                                <p>
                                    "Your calendar address is set up. Trellis keeps no copy it could show again: \
                                     if you need it on another device, reset it and add the new address to your calendars."
                                </p>
                            })}
                            {s.last_read.clone().map(|at| view! {
                                <p class="muted">{format!("A calendar app last read it on {at}.")}</p>
                            })}
                            <ActionForm action=make attr:class="form-stack">
                                <ReturnTo />
                                <ActionError error=error_of(make) />
                                <button type="submit" class="button-primary">
                                    {if s.has_link { "Reset my calendar address" } else { "Create my calendar address" }}
                                </button>
                            </ActionForm>
                            {s.has_link.then(|| view! {
                                <ActionForm action=stop attr:class="form-stack">
                                    <ReturnTo />
                                    <ActionError error=error_of(stop) />
                                    <button type="submit" class="button-secondary">"Stop my calendar address"</button>
                                </ActionForm>
                            })}
                            {s.is_counselor.then(|| view! {
                                <ActionForm action=names attr:class="form-stack">
                                    <ReturnTo />
                                    <ActionError error=error_of(names) />
                                    <label class="choice">
                                        <input type="checkbox" name="full_names" value="on" checked=s.full_names aria-describedby="calendar-names-help" />
                                        " Show couples\u{2019} names in my calendar"
                                    </label>
                                    <p id="calendar-names-help" class="help">
                                        "Unchecked, sessions read like \u{201c}Session: J. & C.\u{201d}. Names are safer left out \
                                         if others can see your calendar or your phone."
                                    </p>
                                    <button type="submit" class="button-secondary">"Save calendar choice"</button>
                                </ActionForm>
                            })}
                        }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A visible, labelled link to download one session for a calendar.
#[component]
pub fn SessionIcsLink(session_id: String) -> impl IntoView {
    view! {
        <a href=super::session_ics_path(&session_id) download="trellis-session.ics">
            "Add to my calendar (.ics file)"
        </a>
    }
}
