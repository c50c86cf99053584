//! A "Copy" button for a link shown in a read-only field. It is an island: without
//! JavaScript it stays hidden and the field can be selected and copied by hand.

use leptos::prelude::*;

/// Copies the link of the `.link-field` beside it (in the same `.copy-row`), and takes its
/// accessible name from that field's `data-copy-label`. It takes no props: props would be
/// sent as JSON, and the browser carries no JSON reader (see `crate::wire`).
#[island]
pub fn CopyButton() -> impl IntoView {
    let ready = RwSignal::new(false);
    let copied = RwSignal::new(false);
    let label = RwSignal::new(String::new());
    let button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(field) = button.get().and_then(|b| link_field(&b)) {
            label.set(field.get_attribute("data-copy-label").unwrap_or_default());
            ready.set(true);
        }
    });
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        if let (Some(window), Some(field)) =
            (web_sys::window(), button.get().and_then(|b| link_field(&b)))
        {
            let _ = window.navigator().clipboard().write_text(&field.value());
            copied.set(true);
        }
    };
    view! {
        <button type="button" class="button-secondary copy-button" node_ref=button
            hidden=move || !ready.get() on:click=copy
            aria-label=move || { let l = label.get(); (!l.is_empty()).then_some(l) }>
            {move || if copied.get() { "Copied" } else { "Copy" }}
        </button>
    }
}

#[cfg(feature = "hydrate")]
fn link_field(button: &web_sys::HtmlButtonElement) -> Option<web_sys::HtmlInputElement> {
    use wasm_bindgen::JsCast;
    button
        .closest(".copy-row")
        .ok()??
        .query_selector(".link-field")
        .ok()??
        .dyn_into()
        .ok()
}
