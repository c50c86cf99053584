//! The reset link shown to whoever made it. Like an invitation link, it lives for a few
//! minutes in an HttpOnly cookie of their browser (so it survives the redirect back to the
//! page, with or without JavaScript) and is shown only while it matches an open link's hash.

use super::ResetLink;
use crate::auth::session::{cookie_value, set_cookie};
use crate::crypto::token::keyed_hash;
use crate::state::AppState;
use crate::time::utc;
use leptos::prelude::use_context;

pub const LINKS_COOKIE: &str = "trellis_reset_links";
/// How long a fresh link stays on its maker's screen.
const SHOW_FOR_SECS: u64 = 15 * 60;
/// Links remembered at once.
const KEEP: usize = 4;

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

/// Remembers a new link in its maker's browser, beside the few made just before it.
pub fn remember(state: &AppState, reset_id: &str, token: &str) {
    let mut links = request_links();
    links.retain(|(id, _)| id != reset_id);
    links.push((reset_id.to_string(), token.to_string()));
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

/// The link this browser made moments ago for `user_id`, among the open links (id, account,
/// token hash, expiry) given, newest first.
pub fn recall(
    state: &AppState,
    user_id: &str,
    open: &[(String, String, String, i64)],
) -> ResetLink {
    let mine = request_links();
    open.iter()
        .filter(|(_, account, _, _)| account == user_id)
        .find_map(|(id, _, hash, expires)| {
            mine.iter()
                .find(|(m, token)| m == id && keyed_hash(&state.auth.session_key, token) == *hash)
                .map(|(_, token)| ResetLink {
                    link: Some(super::repo::reset_url(state, token)),
                    expires_at: Some(utc(*expires)),
                })
        })
        .unwrap_or(ResetLink {
            link: None,
            expires_at: None,
        })
}
