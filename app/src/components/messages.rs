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

/// The body of a "Page not found" answer, with the 404 status. Used for pages someone may
/// not open too, so a case or page that is not theirs looks exactly like one that does
/// not exist.
pub fn not_found() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <leptos_meta::Title text="Not found · Trellis" />
        <h1>"Page not found"</h1>
        <p>"There is nothing at this address. " <a href="/">"Go to your home page"</a> "."</p>
    }
}

/// A failed page load: "not found" for what the person may not see, else the message.
pub fn load_error(err: AppError) -> impl IntoView {
    use leptos::either::Either;
    match err {
        AppError::NotFound | AppError::Forbidden => Either::Left(not_found()),
        other => Either::Right(view! {
            <p class="message message-error" role="alert">{other.to_string()}</p>
        }),
    }
}
