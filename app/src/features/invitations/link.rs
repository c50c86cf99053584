//! The link shown to whoever created an invitation. It lives for a few minutes in an
//! HttpOnly cookie of their browser (so it survives the redirect back to the page, with or
//! without JavaScript) and is shown only if it still matches the stored hash.

use crate::auth::session::{cookie_value, set_cookie};
use crate::crypto::token::keyed_hash;
use crate::state::AppState;
use leptos::prelude::use_context;

pub const LINKS_COOKIE: &str = "trellis_links";
/// How long a fresh link stays on the creator's screen.
const SHOW_FOR_SECS: u64 = 15 * 60;
/// Links remembered at once (a counselor invites both partners in a row).
const KEEP: usize = 4;

/// The invitation page's address for a token.
pub fn invitation_url(state: &AppState, token: &str) -> String {
    format!(
        "{}/invite/{token}",
        state.auth.public_url.trim_end_matches('/')
    )
}

fn request_links() -> Vec<(String, String)> {
    use_context::<http::request::Parts>()
        .and_then(|parts| cookie_value(&parts.headers, LINKS_COOKIE))
        .map(|v| {
            v.split('~')
                .filter_map(|pair| pair.split_once('.'))
                .map(|(id, token)| (id.to_string(), token.to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// Remembers a new link in the creator's browser, beside the few made just before it.
pub fn remember(state: &AppState, invitation_id: &str, token: &str) {
    let mut links = request_links();
    links.retain(|(id, _)| id != invitation_id);
    links.push((invitation_id.to_string(), token.to_string()));
    let start = links.len().saturating_sub(KEEP);
    let value = links[start..]
        .iter()
        .map(|(id, token)| format!("{id}.{token}"))
        .collect::<Vec<_>>()
        .join("~");
    let secure = if state.auth.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    set_cookie(&format!(
        "{LINKS_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={SHOW_FOR_SECS}{secure}"
    ));
}

/// Forgets every remembered link (on sign-out).
pub fn forget_all() {
    set_cookie(&format!(
        "{LINKS_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
    ));
}

/// The link for an invitation, if this browser created it moments ago and it is the one
/// whose hash is stored.
pub fn recall(state: &AppState, invitation_id: &str, token_hash: &str) -> Option<String> {
    request_links()
        .into_iter()
        .find(|(id, token)| {
            id == invitation_id && keyed_hash(&state.auth.session_key, token) == token_hash
        })
        .map(|(_, token)| invitation_url(state, &token))
}
