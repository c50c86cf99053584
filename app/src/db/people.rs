//! Changes to people, counted: an account's status, its sessions, its two-factor sign-in,
//! its time zone, the consent it signed, the consent the practice asks for and the
//! practice's two-factor policy. A server keeps a short-lived copy of each session it reads
//! (`auth::session`); a copy read before a change is never used after it.

use std::sync::atomic::{AtomicU64, Ordering::SeqCst};

/// Grows with every change to people in this process.
static CHANGES: AtomicU64 = AtomicU64::new(0);

/// The count of changes so far: a copy read now is good while this stays the same.
pub fn people_generation() -> u64 {
    CHANGES.load(SeqCst)
}

/// Someone's session, account, two-factor or consent is changing (or the practice's consent
/// or two-factor policy): every copy read before now is dropped. Within a request, the copies
/// are dropped again when the request ends, after its transaction has committed, so a copy
/// read meanwhile (before the change was committed) is not kept either.
pub fn people_changed() {
    CHANGES.fetch_add(1, SeqCst);
    if let Some(memo) = leptos::prelude::use_context::<super::RequestSettings>() {
        memo.people_changed();
    }
}

/// Runs a write that changes people (see `people_changed`): copies are dropped before it
/// starts and again once it is done (a copy read while it ran may hold what it replaced).
pub async fn changing_people<F: std::future::Future>(write: F) -> F::Output {
    people_changed();
    let done = write.await;
    people_changed();
    done
}

/// The end of a request that changed people (`RequestSettings`).
pub(super) fn changed_again() {
    CHANGES.fetch_add(1, SeqCst);
}
