//! Words kept when a sign-in has ended. A browser without JavaScript cannot save drafts as
//! someone types, so a long answer can outlast the sign-in it was started under. When such a
//! form arrives after the session has lapsed, its words are kept here, sealed, and the person
//! is asked to sign in again; once the same person has signed in in that browser, the form is
//! sent as if it had just been posted (the server does this, `server::held`).
//!
//! - Only forms that carry someone's own words are kept (`KEPT_ENDPOINTS`), never sign-out
//!   or settings, so a kept form can only finish what the person started.
//! - A kept form belongs to the account whose session lapsed, and is sent only for it:
//!   anyone else signing in in that browser never sees it and never sends it.
//! - The browser's cookie holds the token; the database holds its keyed hash and the words
//!   sealed under a key derived from the token, so the database alone cannot open them.
//! - Nothing is kept longer than `KEEP_FOR`, and no password is ever kept (the server drops
//!   it before keeping; signing in again confirms who is signing instead).

pub mod repo;

use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::crypto::seal::{open_with, seal_with};
use crate::crypto::token::{keyed_hash, new_token};
use crate::db::now_ms;
use crate::error::AppError;
use crate::state::AppState;
use chacha20poly1305::XChaCha20Poly1305;
use chacha20poly1305::aead::KeyInit;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;

/// The cookie naming a kept form in the browser that sent it.
pub const HELD_COOKIE: &str = "trellis_held";

/// How long kept words wait for their author to sign in again.
pub const KEEP_FOR: Duration = Duration::from_secs(24 * 60 * 60);

/// Where the person is sent to sign in again; the page says their words are kept.
pub const SIGN_IN_AGAIN: &str = "/login?held=1";

/// The server functions whose forms carry what someone wrote. Only these are kept.
pub const KEPT_ENDPOINTS: &[&str] = &[
    // Partners
    "save_homework",
    "save_joint",
    "submit_check_in",
    "save_intake",
    "answer_measure",
    "send_message",
    "reply_message",
    "post_win",
    "propose_agreement",
    "add_agenda_item",
    // Counselors
    "save_note",
    "add_addendum",
    "review_homework",
    "write_agreement",
    "add_goal",
];

/// Whether a form posted to `endpoint` is kept when its sign-in has lapsed.
pub fn keeps(endpoint: &str) -> bool {
    KEPT_ENDPOINTS.contains(&endpoint)
}

/// A kept form, opened: where it was going, what it said (the form's encoded body), and
/// when it was first kept.
pub struct Held {
    pub endpoint: String,
    pub body: Vec<u8>,
    pub created_at: i64,
}

/// At most this many forms wait for one person at a time; a form past it is refused as
/// signed out, as before there was keeping.
const MOST_KEPT: i64 = 20;

/// The token's stored form: its keyed hash (never the token).
fn hash_of(state: &AppState, token: &str) -> String {
    keyed_hash(&state.auth.session_key, &format!("held-form-id:{token}"))
}

/// The key the words are sealed under: derived from the token, which only the browser
/// holds, and the server's key, which only the server holds.
fn cipher_of(state: &AppState, token: &str) -> XChaCha20Poly1305 {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&state.auth.session_key)
        .expect("HMAC takes any key length");
    mac.update(b"held-form-key:");
    mac.update(token.as_bytes());
    let key: [u8; 32] = mac.finalize().into_bytes().into();
    XChaCha20Poly1305::new(&key.into())
}

fn associated(user_id: &str, endpoint: &str) -> Vec<u8> {
    format!("trellis/held_form/v1/{user_id}/{endpoint}").into_bytes()
}

/// Whether `token` looks like one this server made (so a cookie's value is reused, never
/// trusted as anything more).
fn well_formed(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Keeps a form `user_id` sent to `endpoint` after their sign-in lapsed, under the
/// browser's kept-forms token (`existing`, from its cookie) or a new one. Several forms can
/// wait in one browser, each for its own author. Returns the `Set-Cookie` value.
pub async fn keep(
    state: &AppState,
    existing: Option<&str>,
    user_id: &str,
    endpoint: &str,
    body: &[u8],
    ip: Option<&str>,
) -> Result<String, AppError> {
    let token = existing
        .filter(|t| well_formed(t))
        .map(str::to_string)
        .unwrap_or_else(new_token);
    let now = now_ms();
    let mut tx = state.db.begin_write().await?;
    if repo::count_for(&mut *tx, user_id, now).await? >= MOST_KEPT {
        return Err(AppError::Conflict("too many kept forms".into()));
    }
    insert(state, &mut tx, &token, user_id, endpoint, body, now).await?;
    record(
        &mut *tx,
        AuditAction::WordsKept,
        AuditEntry {
            actor_user_id: Some(user_id),
            ip,
            detail: Some(endpoint),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(cookie(state, &token, KEEP_FOR.as_secs()))
}

/// Seals `body` and stores it under `token`, kept from `created_at` for `KEEP_FOR`.
async fn insert(
    state: &AppState,
    tx: &mut crate::db::Tx,
    token: &str,
    user_id: &str,
    endpoint: &str,
    body: &[u8],
    created_at: i64,
) -> Result<(), AppError> {
    let sealed = seal_with(
        &cipher_of(state, token),
        &associated(user_id, endpoint),
        body,
    );
    repo::insert(
        &mut **tx,
        &repo::NewHeld {
            held_form_id: &crate::db::new_id(),
            token_hash: &hash_of(state, token),
            app_user_id: user_id,
            endpoint,
            sealed: &sealed,
            created_at,
            expires_at: created_at + KEEP_FOR.as_millis() as i64,
        },
    )
    .await?;
    Ok(())
}

/// Takes (opens and removes) the forms kept under `token` for `user_id` that are still
/// within their time, oldest first. Anyone else's stay where they are, unopened.
pub async fn take(state: &AppState, token: &str, user_id: &str) -> Result<Vec<Held>, AppError> {
    let rows = repo::take(state.db.writer(), &hash_of(state, token), user_id, now_ms()).await?;
    let mut kept = Vec::with_capacity(rows.len());
    let cipher = cipher_of(state, token);
    for row in rows {
        let aad = associated(user_id, &row.endpoint);
        // One that does not open (the server's key changed since) is logged and dropped;
        // the others still go.
        let Ok(body) = open_with(&cipher, &aad, &row.sealed) else {
            tracing::warn!(endpoint = %row.endpoint, "a kept form does not open; dropped");
            continue;
        };
        kept.push(Held {
            endpoint: row.endpoint,
            body,
            created_at: row.created_at,
        });
    }
    kept.sort_by_key(|k| k.created_at);
    Ok(kept)
}

/// A kept form was sent for its author: the audit trail says so.
pub async fn sent(
    state: &AppState,
    user_id: &str,
    endpoint: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    record(
        state.db.writer(),
        AuditAction::WordsResumed,
        AuditEntry {
            actor_user_id: Some(user_id),
            ip,
            detail: Some(endpoint),
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}

/// A kept form that could not be sent (refused this time) is kept again, as it was and
/// until its first day is over, for the next sign-in.
pub async fn keep_again(
    state: &AppState,
    token: &str,
    user_id: &str,
    held: &Held,
) -> Result<(), AppError> {
    let mut tx = state.db.begin_write().await?;
    insert(
        state,
        &mut tx,
        token,
        user_id,
        &held.endpoint,
        &held.body,
        held.created_at,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether anything (anyone's) is still kept under `token`: the cookie stays until nothing is.
pub async fn any_left(state: &AppState, token: &str) -> Result<bool, AppError> {
    Ok(repo::count_under(state.db.pool(), &hash_of(state, token), now_ms()).await? > 0)
}

fn cookie(state: &AppState, token: &str, max_age: u64) -> String {
    crate::auth::session::own_cookie(state, HELD_COOKIE, token, max_age)
}

/// A `Set-Cookie` value that removes the kept form's cookie (once it has been sent).
pub fn clearing_cookie(state: &AppState) -> String {
    cookie(state, "", 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_forms_with_written_words_are_kept() {
        assert!(keeps("save_homework"));
        assert!(keeps("save_note"));
        for endpoint in [
            "sign_out",
            "sign_in",
            "set_time_zone",
            "change_password",
            "",
        ] {
            assert!(!keeps(endpoint), "{endpoint} must not be kept");
        }
    }
}
