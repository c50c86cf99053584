//! The feed address shown to whoever just made it. Only its hash is stored, so the address
//! lives for a few minutes in an HttpOnly cookie of their browser (it survives the redirect
//! back to Settings, with or without JavaScript) and is shown only while it still matches
//! the person's stored hash: a reset or a stop hides it at once.

use crate::auth::session::{cookie_value, set_cookie};
use crate::crypto::token::keyed_hash;
use crate::state::AppState;
use leptos::prelude::use_context;

pub const COOKIE: &str = "trellis_calendar_link";
/// How long a fresh address stays on its maker's screen.
const SHOW_FOR_SECS: u64 = 15 * 60;

/// The address a token opens.
pub fn feed_url(state: &AppState, token: &str) -> String {
    format!(
        "{}/calendar/{token}.ics",
        state.auth.public_url.trim_end_matches('/')
    )
}

pub fn remember(state: &AppState, token: &str) {
    let secure = if state.auth.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    set_cookie(&format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={SHOW_FOR_SECS}{secure}"
    ));
}

/// Forgets a fresh address on sign-out, so it does not stay in a shared browser's cookies.
pub fn forget() {
    set_cookie(&format!(
        "{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
    ));
}

/// The address, if this browser made it moments ago and it is the one whose hash is stored.
pub fn recall(state: &AppState, stored_hash: Option<&str>) -> Option<String> {
    let token = use_context::<http::request::Parts>()
        .and_then(|parts| cookie_value(&parts.headers, COOKIE))?;
    (Some(keyed_hash(&state.auth.session_key, &token).as_str()) == stored_hash)
        .then(|| feed_url(state, &token))
}
