//! The help page, the list of services every page that offers help shows, and the
//! administrator's page for the practice's list.

use super::api::{
    AddCrisisResource, RemoveCrisisResource, SetCrisisResponse, crisis_help, crisis_settings,
};
use super::{CrisisInfo, CrisisResource, dial_address};
use crate::components::{ActionError, Notice, QuickExit, ReturnTo, SignedIn, error_of, load_error};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The services, each with every way to reach it the practice gave.
#[component]
pub fn CrisisList(resources: Vec<CrisisResource>) -> impl IntoView {
    let items = resources
        .into_iter()
        .map(|r| {
            let phone = (!r.phone.is_empty()).then(|| {
                let href = dial_address("tel", &r.phone);
                view! { <li>"Call " <a href=href>{r.phone.clone()}</a></li> }
            });
            let text = (!r.text.is_empty()).then(|| {
                let href = dial_address("sms", &r.text);
                view! { <li>"Text " <a href=href>{r.text.clone()}</a></li> }
            });
            let link = (!r.link.is_empty()).then(|| {
                view! {
                    <li>
                        <a href=r.link.clone() rel="noopener noreferrer">{r.link.clone()}</a>
                    </li>
                }
            });
            let hours = (!r.hours.is_empty()).then(|| view! { <li>{r.hours.clone()}</li> });
            let details = (!r.details.is_empty()).then(|| view! { <p>{r.details.clone()}</p> });
            view! {
                <li class="crisis-service">
                    <h3>{r.name}</h3>
                    {details}
                    <ul class="crisis-ways">{phone}{text}{link}{hours}</ul>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="crisis-list">{items}</ul> }
}

/// Help as a partner sees it after a worrying answer, or anyone on the help page: the
/// services first, then when the practice responds.
#[component]
pub fn CrisisPanel(help: CrisisInfo, #[prop(into)] heading: String) -> impl IntoView {
    view! {
        <section class="crisis-panel" aria-labelledby="crisis-heading">
            <h2 id="crisis-heading">{heading}</h2>
            <p>"You don't have to wait for your next session. These services can help right now:"</p>
            <CrisisList resources=help.resources />
            <h3>"When your practice responds"</h3>
            <p class="crisis-response">{help.response}</p>
        </section>
    }
}

/// `/help`: anyone may open it, signed in or not (it is linked from the sign-in page and
/// from every partner page).
#[component]
pub fn HelpPage() -> impl IntoView {
    let help = Resource::new_blocking(|| (), |_| crisis_help());
    view! {
        <Title text="Get help now · Trellis" />
        <main id="main" class="page narrow help-page">
            <div class="help-exit"><QuickExit /></div>
            <h1>"Get help now"</h1>
            <p class="help">"If someone might see your screen, \u{201c}Quick exit\u{201d} (on this page, and at the top of every page once you are signed in) takes you to an ordinary website at once. With a keyboard, press Escape twice. Your browser may still keep the pages you visited before this one in its history; a private or incognito window keeps none."</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match help.await {
                        Ok(help) => Either::Left(view! {
                            <CrisisPanel help=help heading="If you need help now" />
                        }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
            <p><a href="/">"Back to Trellis"</a></p>
        </main>
    }
}

/// `/admin/help`: the practice's list of services and its response statement.
#[component]
pub fn CrisisSettingsPage() -> impl IntoView {
    let help = Resource::new_blocking(|| (), |_| crisis_settings());
    let query = use_query_map();
    let saved = move || query.read().get("saved");
    let add = ServerAction::<AddCrisisResource>::new();
    let remove = ServerAction::<RemoveCrisisResource>::new();
    let response = ServerAction::<SetCrisisResponse>::new();
    view! {
        <SignedIn>
            <Title text="Crisis help · Trellis" />
            <h1>"Crisis help"</h1>
            <p>"Partners see these services on the sign-in page, behind \u{201c}Get help now\u{201d} on every page, and at once after a check-in answer that says they may not be safe. List the services that serve your clients where they live: the local emergency number, a suicide and crisis line, a domestic-violence line."</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match help.await {
                        Ok(help) => Either::Left(view! {
                            <section id="resources" aria-labelledby="resources-heading">
                                <h2 id="resources-heading">"Services partners see"</h2>
                                {(saved().as_deref() == Some("resources")).then(|| view! { <Notice>"The list is saved."</Notice> })}
                                {(!help.configured).then(|| view! {
                                    <p class="help">"Your practice has not written its own list yet, so partners see these general entries. Adding or removing a service makes the list your own."</p>
                                })}
                                <ActionError error=error_of(remove) />
                                <ol class="crisis-admin-list">
                                    {help.resources.clone().into_iter().enumerate().map(|(i, r)| {
                                        let position = (i + 1).to_string();
                                        let label = format!("Remove {}", r.name);
                                        view! {
                                            <li>
                                                <CrisisList resources=vec![r.clone()] />
                                                <ActionForm action=remove>
                                                    <ReturnTo />
                                                    <input type="hidden" name="position" value=position />
                                                    <input type="hidden" name="name" value=r.name.clone() />
                                                    <button type="submit" class="button-secondary">{label}</button>
                                                </ActionForm>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ol>
                                <h3>"Add a service"</h3>
                                <ActionForm action=add attr:class="form-stack">
                                    <ReturnTo />
                                    <ActionError error=error_of(add) />
                                    <label for="crisis-name">"Name"</label>
                                    <input id="crisis-name" name="name" required maxlength="120" />
                                    <label for="crisis-details">"What it is for (optional)"</label>
                                    <textarea id="crisis-details" name="details" rows="2" maxlength="400"></textarea>
                                    <label for="crisis-phone">"Number to call (optional)"</label>
                                    <input id="crisis-phone" name="phone" type="tel" maxlength="120" />
                                    <label for="crisis-text">"Number to text (optional)"</label>
                                    <input id="crisis-text" name="text" type="tel" maxlength="120" />
                                    <label for="crisis-link">"Web address (optional)"</label>
                                    <input id="crisis-link" name="link" type="url" maxlength="300" placeholder="https://" />
                                    <label for="crisis-hours">"Hours (optional)"</label>
                                    <input id="crisis-hours" name="hours" maxlength="120" aria-describedby="crisis-hours-help" />
                                    <p id="crisis-hours-help" class="help">"For example \u{201c}At any time\u{201d} or \u{201c}Weekdays 9:00 to 17:00\u{201d}."</p>
                                    <button type="submit" class="button-primary">"Add the service"</button>
                                </ActionForm>
                            </section>
                            <section id="response" aria-labelledby="response-heading">
                                <h2 id="response-heading">"When your practice responds"</h2>
                                {(saved().as_deref() == Some("response")).then(|| view! { <Notice>"The statement is saved."</Notice> })}
                                <p>"Partners read this after a worrying check-in answer. Say only what your practice does, for example \u{201c}Your counselor reads worrying answers within one working day.\u{201d} Leave it empty to show the general statement."</p>
                                <ActionForm action=response attr:class="form-stack">
                                    <ReturnTo />
                                    <ActionError error=error_of(response) />
                                    <label for="crisis-statement">"Response statement"</label>
                                    <textarea id="crisis-statement" name="statement" rows="3" maxlength="400">
                                        {help.response_configured.then(|| crate::components::textarea_text(help.response.clone()))}
                                    </textarea>
                                    <button type="submit" class="button-primary">"Save the statement"</button>
                                </ActionForm>
                            </section>
                        }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}
