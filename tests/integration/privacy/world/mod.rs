//! The world every check runs against: a practice where everyone joined the way people do
//! (through invitation links), and where every kind of content of the privacy model was
//! written through the product by the person who writes it, each with its marker
//! (`people.rs`, `content.rs`). One signed-in browser per actor. `{name}` placeholders in a
//! row's arguments are filled with fixture ids, `{new_…}` with fresh targets (`fresh.rs`), and
//! `{set}` (in `places.rs`) with every id of a set.

mod consent;
mod content;
mod counselor_only;
mod intake;
mod joint;
mod measures;
mod messages;
mod people;
mod safety;

pub use consent::PRACTICE_CONSENT;
pub use people::token_of;

use super::model::{Actor, kinds};
use crate::helpers::{Browser, Page, TestApp};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub struct World<'a> {
    pub app: &'a TestApp,
    /// Fixture ids by name (`{couple}`, `{note}`…).
    pub ids: HashMap<&'static str, String>,
    /// Every id of a kind of thing (`{couples}`, `{notes}`…), for reading everything.
    pub sets: BTreeMap<&'static str, Vec<String>>,
    browsers: HashMap<Actor, Browser>,
    /// More browsers an actor holds, each with how they came by it (an attempt to take over
    /// someone's account, say): whatever it is shown, that actor saw.
    pub extra: Vec<(Actor, String, Browser)>,
    pub(in crate::privacy) seq: u32,
    /// Strings that mean a marker's content was shown: the marker itself, and for content
    /// that is a choice rather than words (a safety answer) how the product shows it.
    pub probes: Vec<(&'static str, String)>,
    /// Who saw each marker, and where the first of them saw it.
    pub seen: BTreeMap<&'static str, BTreeMap<Actor, String>>,
    /// Values of the secrets the database holds: no response may carry one.
    pub secrets: Vec<String>,
}

pub async fn scalar(app: &TestApp, sql: &str, bind: &str) -> String {
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql} [{bind}]: {e}"))
}

pub async fn user_id(app: &TestApp, email: &str) -> String {
    scalar(
        app,
        "select app_user_id from app_user where email = $1",
        email,
    )
    .await
}

/// The ids a query returns (`$1` bound to `bind` when given).
pub async fn column(app: &TestApp, sql: &str, bind: Option<&str>) -> Vec<String> {
    let query = sqlx::query_scalar(sql);
    let query = match bind {
        Some(b) => query.bind(b.to_string()),
        None => query,
    };
    query
        .fetch_all(app.state.db.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

impl<'a> World<'a> {
    pub async fn build(app: &'a TestApp) -> World<'a> {
        let mut world = World {
            app,
            ids: HashMap::new(),
            sets: BTreeMap::new(),
            browsers: HashMap::new(),
            extra: Vec::new(),
            seq: 0,
            probes: kinds().map(|k| (k.marker, k.marker.to_string())).collect(),
            seen: BTreeMap::new(),
            secrets: Vec::new(),
        };
        world.browsers.insert(Actor::Anonymous, app.browser());
        world.join_everyone().await;
        world.write_everything().await;
        world.tick_a_safety_item().await;
        world.answer_a_counselor_only_exercise().await;
        world.write_messages().await;
        world.write_intakes().await;
        world.write_measures().await;
        world.write_together().await;
        if app.config.oidc_issuer.is_some() {
            world.try_to_take_over_accounts().await;
        }
        world.gather_sets().await;
        world.consent_fixtures().await;
        // Every kind of content in every state: the counts the caseload keeps agree.
        assert!(app.assert_caseload_counts_current().await > 0);
        world
    }

    pub fn browser(&mut self, actor: Actor) -> &mut Browser {
        self.browsers.get_mut(&actor).unwrap()
    }

    /// A new browser signed in as the actor (for calls that end or replace a session). Each
    /// comes from an address of its own (as the proxy reports it, where the app trusts one),
    /// so the sign-in throttle counting other calls' failures never stops it.
    pub async fn fresh_browser(&self, actor: Actor) -> Browser {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut b = self.app.browser();
        b.forwarded_for = Some(format!("10.{}.{}.{}", n >> 16 & 255, n >> 8 & 255, n & 255));
        if let Some(email) = actor.email() {
            let res = b.sign_in(email, crate::helpers::PASSWORD).await;
            assert!(
                b.session_cookie().is_some(),
                "{actor:?} signs in: {} {:?} {}",
                res.status,
                res.location,
                res.body
            );
        }
        b
    }

    /// Calls a server function as the actor and insists it worked; returns the answer.
    pub async fn ok(&mut self, actor: Actor, endpoint: &str, form: &[(&str, &str)]) -> Page {
        let res = self
            .browser(actor)
            .call(&format!("/api/{endpoint}"), form)
            .await;
        assert!(
            (200..300).contains(&res.status),
            "{actor:?} {endpoint} {form:?}: {} {}",
            res.status,
            res.body
        );
        res
    }

    /// Submits a form as a browser with JavaScript off, and returns where it was sent.
    pub async fn form(&mut self, actor: Actor, endpoint: &str, form: &[(&str, &str)]) -> String {
        let res = self
            .browser(actor)
            .submit("/", &format!("/api/{endpoint}"), form)
            .await;
        let to = res
            .location
            .unwrap_or_else(|| panic!("{actor:?} {endpoint}: {} {}", res.status, res.body));
        assert!(!to.contains("error="), "{actor:?} {endpoint}: sent to {to}");
        to
    }

    pub async fn latest(&self, sql: &str, bind: &str) -> String {
        scalar(self.app, sql, bind).await
    }

    /// The arguments with every `{name}` replaced: fixture ids, or fresh targets (`new_…`)
    /// made for this one call.
    pub async fn resolve(&mut self, args: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (k, v) in args {
            out.push((self.fill(k).await, self.fill(v).await));
        }
        out
    }

    pub async fn fill(&mut self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                break;
            };
            out.push_str(&rest[..start]);
            let name = &rest[start + 1..start + len];
            let value = if name.starts_with("new_") {
                self.fresh(name).await
            } else {
                self.ids
                    .get(name)
                    .unwrap_or_else(|| panic!("no fixture named {name}"))
                    .clone()
            };
            out.push_str(&value);
            rest = &rest[start + len + 1..];
        }
        out.push_str(rest);
        out
    }

    /// Every way `text` can be filled from the sets: `{couples}` becomes each couple id in
    /// turn (several sets multiply); plain `{name}` fixtures are filled as usual.
    pub async fn expand(&mut self, text: &str) -> Vec<String> {
        let mut outs = vec![String::new()];
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let len = rest[start..].find('}').expect("a closed placeholder");
            let name = &rest[start + 1..start + len];
            let values = match self.sets.get(name) {
                Some(set) => set.clone(),
                None => vec![self.fill(&format!("{{{name}}}")).await],
            };
            let prefix = &rest[..start];
            outs = outs
                .iter()
                .flat_map(|o| values.iter().map(move |v| format!("{o}{prefix}{v}")))
                .collect();
            rest = &rest[start + len + 1..];
        }
        outs.into_iter().map(|o| o + rest).collect()
    }

    /// Reads the secrets the database holds now (hashes, tokens, keys).
    pub async fn gather_secrets(&mut self) {
        self.secrets = super::model::secret_values(self.app).await;
        assert!(!self.secrets.is_empty(), "the world has secrets");
    }

    /// Notes which markers the actor received in `body`, and records a failure for each the
    /// model does not allow them.
    pub fn observe(&mut self, actor: Actor, what: &str, body: &str, failures: &mut Vec<String>) {
        for secret in &self.secrets {
            if body.contains(secret.as_str()) {
                failures.push(format!("{what}: {actor:?} received a stored secret"));
            }
        }
        for (marker, probe) in &self.probes {
            if body.contains(probe.as_str()) {
                let readers = super::model::readers(marker);
                if !readers.contains(&actor) {
                    let k = kinds().find(|k| k.marker == *marker).unwrap();
                    failures.push(format!(
                        "{what}: {actor:?} received {} ({}, {}) [{marker}]",
                        probe, k.kind, k.state
                    ));
                }
                self.seen
                    .entry(marker)
                    .or_default()
                    .entry(actor)
                    .or_insert_with(|| what.to_string());
            }
        }
    }

    /// Row counts of every table (the hostile-input checks compare them).
    pub async fn counts(&self) -> BTreeMap<String, i64> {
        super::tables::table_counts(self.app).await
    }

    /// Every id of the kinds of things the read checks open one by one.
    async fn gather_sets(&mut self) {
        let app = self.app;
        for (name, sql) in [
            (
                "couples",
                "select couple_id from couple order by created_at",
            ),
            (
                "assignments",
                "select assignment_id from assignment order by assigned_at",
            ),
            (
                "notes",
                "select clinical_note_id from clinical_note order by created_at",
            ),
            (
                "joints",
                "select joint_work_id from joint_work order by assigned_at",
            ),
            (
                "sessions",
                "select counseling_session_id from counseling_session order by created_at",
            ),
            (
                "programs",
                "select program_id from program order by created_at",
            ),
            (
                "templates",
                "select exercise_template_id from exercise_template where created_by is not null",
            ),
        ] {
            let ids = column(app, sql, None).await;
            assert!(!ids.is_empty(), "the world has {name}");
            self.sets.insert(name, ids);
        }
        // Every invitation link made (used ones too): whoever holds one may open it.
        assert!(
            self.sets["tokens"].len() > 5,
            "the world's invitation links"
        );
    }

    /// The actors who may read each marker but were never shown it: each must be, somewhere,
    /// or the model and the product disagree.
    pub fn unseen(&self) -> Vec<String> {
        let mut out = Vec::new();
        for k in kinds() {
            let saw: BTreeSet<Actor> = self
                .seen
                .get(k.marker)
                .map(|m| m.keys().copied().collect())
                .unwrap_or_default();
            for reader in k.readers {
                if !saw.contains(reader) {
                    out.push(format!(
                        "{reader:?} may read {} ({}) [{}] but no page, call, export or email showed it to them",
                        k.kind, k.state, k.marker
                    ));
                }
            }
        }
        out
    }
}
