//! The way back for a form posted without JavaScript.

use leptos::prelude::*;

/// The name of the hidden field that carries the page a form was posted from.
pub const RETURN_FIELD: &str = "return_to";

/// A hidden field holding the page (path and query) the form is on. When the server refuses
/// a form that a browser without JavaScript posted, it sends the browser back to that page
/// with the message. Browsers send no `Referer` to Trellis (its policy is `no-referrer`, so
/// no page address, with its case id, ever travels in a header), so each form carries its
/// own way back. The server accepts only a path on its own site (see `server::return_to`).
#[component]
pub fn ReturnTo() -> impl IntoView {
    view! { <input type="hidden" name=RETURN_FIELD value=current_page() /> }
}

#[cfg(feature = "ssr")]
fn current_page() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.uri.path_and_query().map(|pq| pq.as_str().to_string()))
        .unwrap_or_else(|| "/".into())
}

#[cfg(not(feature = "ssr"))]
fn current_page() -> String {
    web_sys::window()
        .and_then(|w| {
            let here = w.location();
            Some(format!("{}{}", here.pathname().ok()?, here.search().ok()?))
        })
        .unwrap_or_else(|| "/".into())
}
