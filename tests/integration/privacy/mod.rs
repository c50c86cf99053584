//! Privacy, proven rather than sampled. Two checks on one world (`world/`), each on both
//! engines:
//!
//! 1. **Who sees what** (`every_actor_sees_exactly_what_the_model_allows`): every kind of
//!    content in every state is written with a marker of its own (`model.rs`); then every
//!    page, server function, export and email (`places.rs`) is read as every actor. For each
//!    marker, the set of actors who saw it anywhere must equal the model's set: nobody
//!    outside it, and everybody in it somewhere. Every stored column is classified in the
//!    model, and secrets (hashes, tokens, keys) must never appear at all.
//! 2. **Who may do what** (`every_server_function_and_route_obeys_the_access_rows`): every
//!    registered server function and route × every actor (`rows_*.rs`, `pages.rs`). An
//!    allowed call succeeds; a refused one answers 401/403/404 and leaves the content of
//!    every table exactly as it was (the audit trail aside); what any call answers is read
//!    against the model too. Lists and their detail pages agree (`lists.rs`).
//!
//! A server function, route, export or stored column without its line fails the tests.

mod feeds;
mod fresh;
mod lists;
mod mail;
pub mod model;
pub mod pages;
mod places;
mod resets;

mod rows_accounts;
mod rows_care;
mod rows_cases;
mod rows_messages;
pub mod tables;
pub mod world;

use crate::both_engines;
use crate::helpers::{Browser, Engine, Options, Page, TestApp};
pub use model::{ALL, Actor};
use std::collections::BTreeSet;
use world::World;

both_engines!(
    every_actor_sees_exactly_what_the_model_allows,
    every_server_function_and_route_obeys_the_access_rows,
);

use Actor::*;

// Who may call, by the words of the access policy.
pub const NOBODY: &[Actor] = &[];
pub const EVERYONE: &[Actor] = &ALL;
pub const SIGNED_IN: &[Actor] = &[
    PartnerA,
    PartnerB,
    OtherPartner,
    DualPartner,
    Counselor,
    FormerCounselor,
    OtherCounselor,
    Admin,
    Supervisor,
];
/// Any partner (each acts on their own couple).
pub const PARTNERS: &[Actor] = &[PartnerA, PartnerB, OtherPartner, DualPartner];
/// The partners of the target couple.
pub const COUPLE: &[Actor] = &[PartnerA, PartnerB];
pub const A_ONLY: &[Actor] = &[PartnerA];
/// Any counselor (each acts on their own caseload).
pub const COUNSELORS: &[Actor] = &[Counselor, FormerCounselor, OtherCounselor, Supervisor];
/// The target couple's counselor.
pub const CASE_COUNSELOR: &[Actor] = &[Counselor];
pub const NOTE_READERS: &[Actor] = &[Counselor, Supervisor];
pub const SUPERVISOR: &[Actor] = &[Supervisor];
pub const ADMIN: &[Actor] = &[Admin];
/// Counselors (supervisors among them) and the administrator: who signs in with two factors.
pub const STAFF: &[Actor] = &[
    Counselor,
    FormerCounselor,
    OtherCounselor,
    Supervisor,
    Admin,
];

/// One server function: its endpoint, valid arguments for the target case (`{name}` is a
/// fixture id, `{new_…}` a fresh target made for each call) and who may call it.
pub struct Row {
    pub endpoint: &'static str,
    pub args: &'static [(&'static str, &'static str)],
    pub allow: &'static [Actor],
    /// Calls that end or replace the caller's session run in a browser of their own.
    pub own_session: bool,
    /// The statuses that mean "refused" for this function.
    pub refusal: &'static [u16],
    /// What an allowed call answers when the fixture cannot complete it (a code nobody can
    /// know in advance): a status past the guard, never a refusal. Empty: success (2xx).
    pub allowed_answers: &'static [u16],
    /// A refusal is counted like a failed sign-in (the throttle's counter may gain a row).
    pub counts_attempts: bool,
}

/// What a refusal answers, unless a row says otherwise.
pub const REFUSED: &[u16] = &[401, 403, 404];

pub const fn row(
    endpoint: &'static str,
    args: &'static [(&'static str, &'static str)],
    allow: &'static [Actor],
) -> Row {
    Row {
        endpoint,
        args,
        allow,
        own_session: false,
        refusal: REFUSED,
        allowed_answers: &[],
        counts_attempts: false,
    }
}

/// A function whose allowed callers get past the guard to a clear 4xx (say, a wrong code).
pub const fn past_guard(
    endpoint: &'static str,
    args: &'static [(&'static str, &'static str)],
    allow: &'static [Actor],
    answers: &'static [u16],
) -> Row {
    Row {
        allowed_answers: answers,
        ..row(endpoint, args, allow)
    }
}

/// A function closed to everyone in this practice's state, answering 409 with the reason.
/// (The first-run form: each refusal counts against the caller's address.)
pub const fn closed(endpoint: &'static str, args: &'static [(&'static str, &'static str)]) -> Row {
    Row {
        refusal: &[409],
        counts_attempts: true,
        ..row(endpoint, args, NOBODY)
    }
}

pub const fn own_session(
    endpoint: &'static str,
    args: &'static [(&'static str, &'static str)],
    allow: &'static [Actor],
) -> Row {
    Row {
        own_session: true,
        ..row(endpoint, args, allow)
    }
}

pub fn rows() -> Vec<&'static Row> {
    rows_accounts::ROWS
        .iter()
        .chain(rows_cases::ROWS)
        .chain(rows_care::ROWS)
        .chain(rows_messages::ROWS)
        .collect()
}

/// Denied actors first: they must change nothing, so each sees the target untouched.
fn order(allow: &[Actor]) -> Vec<Actor> {
    let mut actors: Vec<Actor> = ALL.into_iter().filter(|a| !allow.contains(a)).collect();
    actors.extend(ALL.into_iter().filter(|a| allow.contains(a)));
    actors
}

pub fn refused(status: u16) -> bool {
    matches!(status, 401 | 403 | 404)
}

impl World<'_> {
    /// A browser of its own for rows that need one (signed in before anything is compared).
    pub async fn own_browser(&self, actor: Actor, row: &Row) -> Option<Browser> {
        if row.own_session {
            Some(self.fresh_browser(actor).await)
        } else {
            None
        }
    }

    /// Calls the row's server function as the actor (in `own` if given).
    pub async fn call_as(
        &mut self,
        actor: Actor,
        row: &Row,
        args: &[(String, String)],
        own: Option<&mut Browser>,
    ) -> Page {
        let form: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let path = format!("/api/{}", row.endpoint);
        match own {
            Some(b) => b.call(&path, &form).await,
            None => self.browser(actor).call(&path, &form).await,
        }
    }
}

async fn check_rows(world: &mut World<'_>, failures: &mut Vec<String>) {
    for row in rows() {
        for actor in order(row.allow) {
            let allowed = row.allow.contains(&actor);
            let args = world.resolve(row.args).await;
            let mut own = world.own_browser(actor, row).await;
            let before = tables::table_contents(world.app).await;
            let res = world.call_as(actor, row, &args, own.as_mut()).await;
            let what = format!("{} as {actor:?}", row.endpoint);
            let answered = if row.allowed_answers.is_empty() {
                (200..300).contains(&res.status)
            } else {
                row.allowed_answers.contains(&res.status)
            };
            if allowed && !answered {
                failures.push(format!("{what}: allowed, got {} {}", res.status, res.body));
            }
            if !allowed {
                if !row.refusal.contains(&res.status) {
                    failures.push(format!("{what}: denied, got {} {}", res.status, res.body));
                }
                let after = tables::table_contents(world.app).await;
                let changed: Vec<String> = tables::changed(&before, &after)
                    .into_iter()
                    .filter(|c| !(row.counts_attempts && c.starts_with("sign_in_throttle:")))
                    .collect();
                if !changed.is_empty() {
                    failures.push(format!("{what}: refused but changed {changed:?}"));
                }
            }
            world.observe(actor, &what, &res.body, failures);
        }
    }
}

/// Server functions the app registers and routes it serves, against the tables' rows.
fn check_coverage(failures: &mut Vec<String>) {
    let surface = server::startup::surface();
    let registered: BTreeSet<String> = surface
        .server_fns
        .iter()
        .map(|p| p.trim_start_matches("/api/").to_string())
        .collect();
    let listed: BTreeSet<String> = rows().iter().map(|r| r.endpoint.to_string()).collect();
    assert!(
        registered.len() > 50,
        "the registry is read: {registered:?}"
    );
    for missing in registered.difference(&listed) {
        failures.push(format!(
            "server function {missing} has no row in the access matrix"
        ));
    }
    for gone in listed.difference(&registered) {
        failures.push(format!(
            "the matrix has a row for {gone}, which is not registered"
        ));
    }
    if rows().len() != listed.len() {
        failures.push("a server function has two rows".into());
    }
    let served: BTreeSet<String> = surface
        .pages
        .iter()
        .chain(&surface.handlers)
        .cloned()
        .collect();
    let listed: BTreeSet<String> = pages::ROUTES
        .iter()
        .map(|r| r.pattern.to_string())
        .collect();
    for missing in served.difference(&listed) {
        failures.push(format!("route {missing} has no row in the access matrix"));
    }
    for gone in listed.difference(&served) {
        failures.push(format!(
            "the matrix has a row for route {gone}, which is not served"
        ));
    }
}

fn report(what: &str, engine: Engine, failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{what} on {engine:?}: {} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

async fn every_actor_sees_exactly_what_the_model_allows(engine: Engine) {
    let smtp = crate::smtp::SmtpServer::start().await;
    let options = Options {
        smtp: Some(smtp.port),
        trust_proxy: true,
        oidc: Some(crate::oidc::settings().await),
        ..Default::default()
    };
    let app = TestApp::spawn_with(engine, options).await;
    let started = std::time::Instant::now();
    let mut world = World::build(&app).await;
    let built = started.elapsed();
    let mut failures = Vec::new();
    model::check_columns(&app, &mut failures).await;
    model::check_document(&mut failures);
    places::check_coverage(&mut failures);
    // Feeds first, so their stored hashes are among the secrets nothing may show.
    let feeds = feeds::make_every_feed(&mut world).await;
    world.gather_secrets().await;
    let mut opened = places::read_everywhere(&mut world, &mut failures).await;
    opened += feeds::read_every_feed(&mut world, &feeds, &mut failures).await;
    let emails = mail::read_every_email(&mut world, &smtp, &mut failures).await;
    failures.extend(world.unseen());
    eprintln!(
        "privacy model on {engine:?}: {} kinds x {} actors; {opened} reads and {emails} emails; \
         world in {built:?}, everything in {:?}",
        model::kinds().count(),
        ALL.len(),
        started.elapsed()
    );
    report("the privacy model", engine, failures);
}

async fn every_server_function_and_route_obeys_the_access_rows(engine: Engine) {
    let options = Options {
        trust_proxy: true,
        ..Default::default()
    };
    let app = TestApp::spawn_with(engine, options).await;
    let started = std::time::Instant::now();
    let mut world = World::build(&app).await;
    let mut failures = Vec::new();
    check_coverage(&mut failures);
    check_rows(&mut world, &mut failures).await;
    pages::check_routes(&mut world, &mut failures).await;
    lists::check_lists_agree(&mut world, &mut failures).await;
    resets::check_reset_links(&mut world, &mut failures).await;
    eprintln!(
        "access rows on {engine:?}: everything in {:?}",
        started.elapsed()
    );
    report("the access rows", engine, failures);
}
