//! Form messages and the hydration marker.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The error of the last submission of a form, announced to screen readers.
#[component]
pub fn ActionError(#[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    move || {
        error.get().map(|message| {
            view! { <p class="message message-error" role="alert">{message}</p> }
        })
    }
}

/// The message of an action's last error, if its last submission failed. Works with JS off
/// too: leptos carries the error back to the form's page in the URL.
pub fn error_of<S>(action: ServerAction<S>) -> Signal<Option<String>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    Signal::derive(move || {
        action.value().with(|v| match v {
            Some(Err(err)) => Some(err.to_string()),
            _ => None,
        })
    })
}

/// A calm, non-error notice (e.g. "You have signed out.").
#[component]
pub fn Notice(children: Children) -> impl IntoView {
    view! { <p class="message message-info" role="status">{children()}</p> }
}

/// Marks `<body data-hydrated>` once the page's WASM has run, so browser tests (and
/// curious people) can tell an enhanced page from a plain one.
#[island]
pub fn HydrationMarker() -> impl IntoView {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
