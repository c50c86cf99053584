//! `/admin/messages`: whether partners may message between sessions, and the response-time
//! statement every thread shows.

use super::super::api::{SetMessaging, practice_messaging};
use super::super::{DEFAULT_RESPONSE, MAX_RESPONSE, NOT_FOR_EMERGENCIES};
use crate::components::{ActionError, Notice, ReturnTo, SignedIn, error_of, load_error};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn MessagingSettingsPage() -> impl IntoView {
    let settings = Resource::new_blocking(|| (), |_| practice_messaging());
    let query = use_query_map();
    let saved = move || query.read().get("saved").is_some();
    let save = ServerAction::<SetMessaging>::new();
    view! {
        <SignedIn>
            <Title text="Messages · Trellis" />
            <h1>"Messages"</h1>
            <p>"Each partner has a private thread with their counselor, and a counselor can open a joint thread for a couple. Administrators never read messages; these settings say how your practice uses them."</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(s) => Either::Left(view! {
                            {saved().then(|| view! { <Notice>"The settings are saved."</Notice> })}
                            <ActionForm action=save attr:class="form-stack">
                                <ReturnTo />
                                <ActionError error=error_of(save) />
                                <label class="choice" for="partners-may-write">
                                    <input id="partners-may-write" type="checkbox" name="partners_may_write" value="on" checked=s.partners_may_write />
                                    " Partners may send messages between sessions"
                                </label>
                                <p class="help">"When this is off, partners still read their threads, and the box tells them why it is closed and where to get help now. Counselors can always write."</p>
                                <label for="messages-response">"Response-time statement"</label>
                                <textarea id="messages-response" name="response" rows="3" maxlength=MAX_RESPONSE.to_string() aria-describedby="messages-response-help">
                                    {s.response_configured.then(|| crate::components::textarea_text(s.response.clone()))}
                                </textarea>
                                <p id="messages-response-help" class="help">
                                    {format!("Shown on every thread. Leave it empty for: \u{201c}{DEFAULT_RESPONSE}\u{201d} Every thread also says: \u{201c}{NOT_FOR_EMERGENCIES}\u{201d}")}
                                </p>
                                <button type="submit" class="button-primary">"Save the settings"</button>
                            </ActionForm>
                        }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}
