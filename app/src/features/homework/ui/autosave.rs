//! Autosave of a partner's homework answers (JavaScript on). A draft is saved a moment after
//! they stop typing; it is never submitted and never shared. Words not saved yet are kept in
//! this browser tab (`sessionStorage`, keyed by the homework, gone when the tab closes), so a
//! session that ends while they type loses nothing: after signing in again, this page puts
//! the words back and saves them. Without JavaScript the form's "Save draft" button saves.

use leptos::prelude::*;

/// Saves the answer form it wraps as a draft while the partner types, and says so. The
/// homework and the version the page shows come from the form itself (its `assignment_id`
/// field and `data-version`): an island's props would be sent as JSON, and the browser
/// carries no JSON reader (see `crate::wire`).
#[island]
pub fn HomeworkAutosave(children: Children) -> impl IntoView {
    let status = RwSignal::new(String::new());
    let signed_out = RwSignal::new(false);
    let timer: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    let wrapper = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    {
        Effect::new(move |_| {
            let Some(form) = wrapper.get().and_then(|d| browser::form_in(&d)) else {
                return;
            };
            let Some((id, version)) = browser::homework_of(&form) else {
                return;
            };
            let key = browser::kept_key(&id);
            // The form was just saved or submitted: what was kept went with it.
            if browser::just_posted() {
                browser::forget(&key);
            } else if browser::restore(&form, &key) {
                status.set(
                    "Your words were kept while you were signed out. Saving them now\u{2026}"
                        .into(),
                );
                browser::save(form, id, version, status, signed_out);
            }
        });
    }
    let on_input = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            let Some(form) = browser::form_of(&ev) else {
                return;
            };
            let Some((id, version)) = browser::homework_of(&form) else {
                return;
            };
            if let Some(handle) = timer.get_value() {
                handle.clear();
            }
            browser::keep(&form, &browser::kept_key(&id));
            status.set("Not saved yet\u{2026}".into());
            let handle = set_timeout_with_handle(
                move || browser::save(form, id, version, status, signed_out),
                std::time::Duration::from_millis(1500),
            )
            .ok();
            timer.set_value(handle);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, timer, signed_out);
    };
    // Posting the form itself: no autosave may land after it (a draft after a submission).
    let on_submit = move |_: leptos::ev::SubmitEvent| {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
    };
    // The live region is there from the start, so what appears in it is announced; the
    // status inside it only while there is something to say.
    view! {
        <div node_ref=wrapper on:input=on_input on:submit=on_submit>{children()}</div>
        <div class="autosave-status" aria-live="polite">
            {move || {
                let now = status.get();
                (!now.is_empty()).then(|| view! { <p class="help" role="status">{now}</p> })
            }}
        </div>
        {move || signed_out.get().then(|| view! {
            <p class="message message-info signed-out-note">
                "You were signed out after a quiet spell, so this is not saved yet. Every word is still here and kept in this browser tab. "
                <a href="/login">"Sign in again"</a>
                ", then come back to this homework: your words will be put back and saved as your draft."
            </p>
        })}
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use crate::error::AppError;
    use crate::features::homework::api::autosave_homework;
    use leptos::prelude::*;
    use std::collections::HashMap;
    use wasm_bindgen::JsCast;
    use web_sys::{HtmlFormElement, HtmlInputElement, HtmlTextAreaElement, UrlSearchParams};

    pub fn kept_key(assignment_id: &str) -> String {
        format!("trellis-homework-{assignment_id}")
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.session_storage().ok().flatten()
    }

    pub fn form_in(div: &web_sys::HtmlDivElement) -> Option<HtmlFormElement> {
        div.query_selector("form").ok().flatten()?.dyn_into().ok()
    }

    pub fn form_of(ev: &leptos::ev::Event) -> Option<HtmlFormElement> {
        ev.target()?
            .dyn_into::<web_sys::Element>()
            .ok()?
            .closest("form")
            .ok()??
            .dyn_into()
            .ok()
    }

    /// The homework the form answers and the submitted version its page shows (0 for none).
    pub fn homework_of(form: &HtmlFormElement) -> Option<(String, i64)> {
        let id = form
            .query_selector("input[name=assignment_id]")
            .ok()??
            .dyn_into::<HtmlInputElement>()
            .ok()?
            .value();
        let version = form.get_attribute("data-version")?.parse().ok()?;
        Some((id, version))
    }

    /// The page was reached right after a successful save or submit of the form.
    pub fn just_posted() -> bool {
        let search = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        search.contains("saved=1") || search.contains("submitted=1")
    }

    /// The answers and the visibility choice as the form holds them now.
    fn entries(form: &HtmlFormElement) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let Ok(nodes) = form.query_selector_all("textarea, input") else {
            return out;
        };
        for i in 0..nodes.length() {
            let Some(node) = nodes.item(i) else { continue };
            if let Some(area) = node.dyn_ref::<HtmlTextAreaElement>() {
                if area.name().starts_with("answers[") {
                    out.push((area.name(), area.value()));
                }
            } else if let Some(input) = node.dyn_ref::<HtmlInputElement>() {
                let name = input.name();
                let choice = matches!(input.type_().as_str(), "radio" | "checkbox");
                if (name.starts_with("answers[") || name == "visibility")
                    && (!choice || input.checked())
                {
                    out.push((name, input.value()));
                }
            }
        }
        out
    }

    /// Keeps the form's words in this tab until they are saved.
    pub fn keep(form: &HtmlFormElement, key: &str) {
        let (Some(store), Ok(params)) = (storage(), UrlSearchParams::new()) else {
            return;
        };
        for (name, value) in entries(form) {
            params.append(&name, &value);
        }
        let _ = store.set_item(key, &String::from(params.to_string()));
    }

    pub fn forget(key: &str) {
        if let Some(store) = storage() {
            let _ = store.remove_item(key);
        }
    }

    /// Puts words kept in this tab back into the form; whether there were any.
    pub fn restore(form: &HtmlFormElement, key: &str) -> bool {
        let Some(kept) = storage().and_then(|s| s.get_item(key).ok().flatten()) else {
            return false;
        };
        let Ok(params) = UrlSearchParams::new_with_str(&kept) else {
            return false;
        };
        let Ok(nodes) = form.query_selector_all("textarea, input") else {
            return false;
        };
        for i in 0..nodes.length() {
            let Some(node) = nodes.item(i) else { continue };
            if let Some(area) = node.dyn_ref::<HtmlTextAreaElement>() {
                if let Some(text) = params.get(&area.name()) {
                    area.set_value(&text);
                }
            } else if let Some(input) = node.dyn_ref::<HtmlInputElement>() {
                let name = input.name();
                match input.type_().as_str() {
                    "radio" if params.has(&name) => {
                        input.set_checked(params.get(&name) == Some(input.value()));
                    }
                    "checkbox" if name.starts_with("answers[") => {
                        input.set_checked(params.has(&name));
                    }
                    _ => {}
                }
            }
        }
        true
    }

    /// Saves the form as a draft now and says how it went.
    pub fn save(
        form: HtmlFormElement,
        id: String,
        version: i64,
        status: RwSignal<String>,
        signed_out: RwSignal<bool>,
    ) {
        let key = kept_key(&id);
        keep(&form, &key);
        let mut answers = HashMap::new();
        let mut visibility = String::new();
        for (name, value) in entries(&form) {
            if name == "visibility" {
                visibility = value;
            } else if let Some(k) = name
                .strip_prefix("answers[")
                .and_then(|k| k.strip_suffix(']'))
            {
                answers.insert(k.to_string(), value);
            }
        }
        leptos::task::spawn_local(async move {
            status.set("Saving\u{2026}".into());
            match autosave_homework(id, answers, visibility, version).await {
                Ok(at) => {
                    forget(&key);
                    signed_out.set(false);
                    status.set(format!("Draft saved at {at}. Only you can see it."));
                }
                Err(AppError::NotSignedIn) => {
                    signed_out.set(true);
                    status.set("Not saved yet: you were signed out.".into());
                }
                Err(e) => status.set(format!(
                    "Not saved yet: {e} Your words are still here; \u{201c}Save draft\u{201d} tries again."
                )),
            }
        });
    }
}
