//! "Quick exit": leaves Trellis at once for an ordinary-looking site, for a partner who is
//! not safe to be seen using it. Without JavaScript it is a plain link. With JavaScript it
//! replaces the page in the tab's history (so "back" does not return to it) and Escape
//! pressed twice does the same. Browsers let no page remove the ones visited before it.

use leptos::prelude::*;

/// Where quick exit goes: a neutral page that looks like everyday browsing.
pub const NEUTRAL_PAGE: &str = "https://www.wikipedia.org/";

/// Two presses of Escape within this many milliseconds leave.
#[cfg(feature = "hydrate")]
const DOUBLE_PRESS_MS: f64 = 1500.0;

#[island]
pub fn QuickExit() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let last_escape = RwSignal::new(f64::NEG_INFINITY);
        let _listener = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.key() != "Escape" {
                return;
            }
            let now = ev.time_stamp();
            if now - last_escape.get_untracked() <= DOUBLE_PRESS_MS {
                leave();
            } else {
                last_escape.set(now);
            }
        });
    }
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if cfg!(feature = "hydrate") {
            ev.prevent_default();
            leave();
        }
    };
    view! {
        <a class="quick-exit" href=NEUTRAL_PAGE rel="noreferrer" on:click=on_click>
            "Quick exit"
        </a>
    }
}

/// Replaces this page with the neutral one (no history entry for the page left).
fn leave() {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().replace(NEUTRAL_PAGE);
    }
}
