//! Hostile input through every server function and page: each corpus entry in each argument
//! of every row of the access matrix (as an actor the row allows), malformed and oversized
//! bodies, and the wrong content types. Expected: never a server error; a refusal is a 4xx
//! carrying a message and writes nothing; accepted text is stored exactly; no page ever
//! renders it as markup.

mod corpus;
mod edges;
mod shown;

use crate::both_engines;
use crate::helpers::{Engine, Options, TestApp};
use crate::privacy::tables::table_counts;
use crate::privacy::world::World;
use crate::privacy::{Actor, Row, rows};
use corpus::{MALFORMED, ODD, TEXT, long_text};
use std::collections::BTreeMap;

both_engines!(hostile_input_never_breaks_trellis);

/// The actor a row's hostile calls come from: the couple's counselor or partner A where
/// allowed (their pages show the target case), anyone otherwise.
fn actor_for(row: &Row) -> Actor {
    [Actor::Counselor, Actor::PartnerA]
        .into_iter()
        .find(|a| row.allow.contains(a))
        .or_else(|| row.allow.first().copied())
        .unwrap_or(Actor::Anonymous)
}

/// Functions that only read: what they are given is a filter, never stored.
fn reads_only(endpoint: &str) -> bool {
    ["get_", "list_", "my_"]
        .iter()
        .any(|p| endpoint.starts_with(p))
        || matches!(
            endpoint,
            "audit_log" | "practice_overview" | "assignment_form" | "review_queue" | "sign_in"
        )
}

/// Arguments read as a switch (anything but "on"/"true" is off) or as a choice with a
/// default: accepted without being stored as written.
fn is_switch(arg: &str) -> bool {
    matches!(
        arg,
        "on" | "email_reminders"
            | "share_text"
            | "visibility"
            | "active"
            | "partners_may_write"
            | "full_names"
    )
}

/// Writes a refusal may make on purpose: a failed sign-in is counted (throttling) and
/// audited; so is a wrong two-factor code, as it may be someone guessing. The first-run
/// form counts its refusals by address.
fn expected_writes(endpoint: &str) -> &'static [&'static str] {
    match endpoint {
        "sign_in" | "verify_sign_in_code" | "turn_off_mfa" | "accept_invitation_with_account" => {
            &["sign_in_throttle", "audit_event"]
        }
        // A wrong password given to sign counts like a failed sign-in.
        "create_first_admin" | "save_note" | "add_addendum" | "cosign_note" => {
            &["sign_in_throttle"]
        }
        "confirm_mfa_setup" | "renew_recovery_codes" => &["audit_event"],
        // A wrong current password counts like a failed sign-in; a refused reset link is
        // audited, as it may be someone guessing.
        "change_password" => &["sign_in_throttle", "audit_event"],
        "reset_password" => &["audit_event"],
        // Words that crossed a newer save are kept for their writer, never lost.
        "save_joint" => &["joint_draft"],
        _ => &[],
    }
}

/// A 4xx carries something a person can read: the app's error (which the page shows by
/// its message) or a plain sentence.
fn has_message(body: &str) -> bool {
    if let Ok(err) = serde_json::from_str::<app::error::AppError>(body) {
        return !err.to_string().trim().is_empty();
    }
    body.split_whitespace().count() >= 3
}

struct Probe<'w, 'a> {
    world: &'w mut World<'a>,
    failures: Vec<String>,
    /// Accepted text to find stored exactly: (endpoint, argument, value).
    accepted: Vec<(String, String, String)>,
}

impl Probe<'_, '_> {
    fn check_response(
        &mut self,
        what: &str,
        status: u16,
        body: &str,
        before: &BTreeMap<String, i64>,
        after: &BTreeMap<String, i64>,
        endpoint: &str,
    ) {
        if status >= 500 {
            self.failures
                .push(format!("{what}: server error {status} {body}"));
        }
        if (400..500).contains(&status) {
            if !has_message(body) {
                self.failures
                    .push(format!("{what}: {status} without a message: {body:?}"));
            }
            let allowed = expected_writes(endpoint);
            let changed: Vec<&String> = after
                .iter()
                .filter(|(t, n)| before.get(*t) != Some(n) && !allowed.contains(&t.as_str()))
                .map(|(t, _)| t)
                .collect();
            if !changed.is_empty() {
                self.failures
                    .push(format!("{what}: refused ({status}) but wrote {changed:?}"));
            }
        }
    }
}

async fn hostile_input_never_breaks_trellis(engine: Engine) {
    // Addresses from the proxy header, so each fresh browser signs in from its own address
    // (the hostile sign-ins pause their own address, as they should).
    let options = Options {
        trust_proxy: true,
        ..Default::default()
    };
    let app = TestApp::spawn_with(engine, options).await;
    let started = std::time::Instant::now();
    let mut world = World::build(&app).await;
    let mut probe = Probe {
        world: &mut world,
        failures: Vec::new(),
        accepted: Vec::new(),
    };
    let long = long_text();
    let mut calls = 0;
    for row in rows() {
        let row_started = std::time::Instant::now();
        let actor = actor_for(row);
        for i in 0..row.args.len() {
            let args = probe.world.resolve(row.args).await;
            let key = args[i].0.clone();
            let values = TEXT
                .iter()
                .chain(ODD.iter())
                .map(|(name, v)| (*name, *v))
                .chain([("long text", long.as_str())]);
            // Each call's "before" is the previous call's "after" (one count per call).
            let mut before = table_counts(&app).await;
            for (name, value) in values {
                let mut args = args.clone();
                args[i].1 = value.to_string();
                let mut own = probe.world.own_browser(actor, row).await;
                if own.is_some() {
                    before = table_counts(&app).await;
                }
                let res = probe.world.call_as(actor, row, &args, own.as_mut()).await;
                let after = table_counts(&app).await;
                calls += 1;
                let what = format!("{} [{key} = {name}] as {actor:?}", row.endpoint);
                probe.check_response(&what, res.status, &res.body, &before, &after, row.endpoint);
                before = after;
                let text = TEXT.iter().any(|(_, v)| *v == value);
                if (200..300).contains(&res.status)
                    && text
                    && !reads_only(row.endpoint)
                    && !is_switch(&key)
                {
                    probe
                        .accepted
                        .push((row.endpoint.to_string(), key.clone(), value.to_string()));
                }
            }
        }
        // Bodies that are not a form of the arguments at all.
        let mut before = table_counts(&app).await;
        for (name, content_type, body) in MALFORMED {
            let own = probe.world.own_browser(actor, row).await;
            if own.is_some() {
                before = table_counts(&app).await;
            }
            let b = match &own {
                Some(b) => b,
                None => &*probe.world.browser(actor),
            };
            let res = b
                .client
                .post(format!("{}/api/{}", b.base, row.endpoint))
                .header("cookie", cookie_header(b))
                .header("content-type", content_type)
                .body(body.to_vec())
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            let text = res.text().await.unwrap_or_default();
            let after = table_counts(&app).await;
            calls += 1;
            let what = format!("{} [{name}] as {actor:?}", row.endpoint);
            probe.check_response(&what, status, &text, &before, &after, row.endpoint);
            before = after;
        }
        if std::env::var("TRELLIS_TIMING").is_ok() {
            eprintln!("{}: {:?}", row.endpoint, row_started.elapsed());
        }
        // Each text the administrator published is a new consent version, which every
        // partner signs before the rows after this one.
        if row.endpoint == "publish_consent" {
            probe.world.sign_again().await;
        }
        // The hostile passwords and codes just sent pause their accounts, as they should (the
        // throttle tests prove it); the rows after these need those accounts working.
        sqlx::query("delete from sign_in_throttle")
            .execute(app.state.db.writer())
            .await
            .unwrap();
    }
    let Probe {
        world,
        mut failures,
        accepted,
    } = probe;
    failures.extend(edges::oversized_bodies(world).await);
    failures.extend(edges::odd_addresses(world).await);
    for (endpoint, key, value) in &accepted {
        if !shown::stored_exactly(&app, engine, value).await {
            failures.push(format!(
                "{endpoint} [{key}] accepted {value:?} but did not store it exactly"
            ));
        }
    }
    failures.extend(shown::pages_render_text_not_markup(world).await);
    eprintln!(
        "hostile input on {engine:?}: {calls} calls, {} accepted texts, in {:?}",
        accepted.len(),
        started.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn cookie_header(b: &crate::helpers::Browser) -> String {
    b.cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}
