//! Where sessions happen, as set once: a counselor's own joining link (Settings) and the
//! practice's address (the administrator's practice settings).

use super::super::SessionPlaces;
use super::super::api::{SetMeetingLink, SetPracticeAddress};
use crate::components::{ActionError, Notice, ReturnTo, error_of};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// On a counselor's Settings page: their joining link for online sessions. The page loads
/// `places` with its own data: a resource created inside another's `Suspense` can leave a
/// server-rendered page waiting forever.
#[component]
pub fn MeetingLinkSection(places: SessionPlaces) -> impl IntoView {
    let action = ServerAction::<SetMeetingLink>::new();
    let query = use_query_map();
    let saved = move || query.read().get("saved").as_deref() == Some("link");
    view! {
        <section id="meeting-link" aria-labelledby="meeting-link-heading" class="card">
            <h2 id="meeting-link-heading">"Online sessions"</h2>
            {move || saved().then(|| view! { <Notice>"Joining link saved."</Notice> })}
            <ActionForm action=action attr:class="form-stack">
                <ReturnTo />
                <ActionError error=error_of(action) />
                <label for="meeting_link">"Your joining link"</label>
                <input id="meeting_link" name="meeting_link" type="url" maxlength="500"
                    value=places.meeting_link aria-describedby="meeting-link-help" />
                <p id="meeting-link-help" class="help">
                    "Partners see this link with each video session that has no link of its own. \
                     Leave it empty to give a link with each session instead."
                </p>
                <button type="submit" class="button-primary">"Save joining link"</button>
            </ActionForm>
        </section>
    }
}

/// In the practice settings: the address partners are given for sessions in person (loaded
/// with the rest of the practice settings, for the reason above).
#[component]
pub fn PracticeAddressForm(places: SessionPlaces) -> impl IntoView {
    let action = ServerAction::<SetPracticeAddress>::new();
    view! {
        <ActionForm action=action attr:class="form-stack">
            <ReturnTo />
            <ActionError error=error_of(action) />
            <label for="practice_address">"Practice address for sessions in person"</label>
            <input id="practice_address" name="practice_address" maxlength="500"
                value=places.practice_address aria-describedby="practice-address-help" />
            <p id="practice-address-help" class="help">
                "Partners see it with each session in person that has no place of its own. It is never shown to anyone else."
            </p>
            <button type="submit" class="button-primary">"Save address"</button>
        </ActionForm>
    }
}
