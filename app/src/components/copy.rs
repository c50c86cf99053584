//! A "Copy" button for a link shown in a read-only field. It is an island: without
//! JavaScript it stays hidden and the field can be selected and copied by hand.

use leptos::prelude::*;

#[island]
pub fn CopyButton(text: String, label: String) -> impl IntoView {
    let ready = RwSignal::new(false);
    let copied = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&text);
            copied.set(true);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&text, copied);
    };
    view! {
        <button type="button" class="button-secondary copy-button" hidden=move || !ready.get()
            on:click=copy aria-label=label>
            {move || if copied.get() { "Copied" } else { "Copy" }}
        </button>
    }
}
