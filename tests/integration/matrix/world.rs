//! The world every row runs against: the practice fixture filled with private and shared
//! words of every kind (each kind carrying a marker that only its readers may ever receive),
//! one signed-in browser per actor, and `{name}` placeholders in a row's arguments filled
//! with fixture ids or fresh targets (`fresh.rs`).

use super::Actor;
use super::tables::table_counts;
use crate::helpers::{Browser, TestApp};
use crate::practice::{as_actor, counselor, open_case, practice};
use app::auth::Role;
use std::collections::{BTreeMap, HashMap};

/// Clinical note text: the couple's counselor and their supervisor only.
pub const NOTE: &str = "MXNOTE7Q";
/// Partner A's private words (homework answer, check-in text): A and the counselor.
pub const A_PRIVATE: &str = "MXAPRIV7Q";
/// Partner B's private words: B and the counselor.
pub const B_PRIVATE: &str = "MXBPRIV7Q";
/// Words the couple shares (agreement, win, shared check-in text).
pub const SHARED: &str = "MXSHARED7Q";
/// The other couple's words: their partner and their counselor.
pub const OTHER: &str = "MXOTHER7Q";

/// Who may ever receive each marker, in any response to any call or page.
pub const MARKERS: [(&str, &[Actor]); 5] = {
    use Actor::*;
    [
        (NOTE, &[Counselor, Supervisor]),
        (A_PRIVATE, &[PartnerA, Counselor]),
        (B_PRIVATE, &[PartnerB, Counselor]),
        (SHARED, &[PartnerA, PartnerB, Counselor]),
        (OTHER, &[OtherPartner, OtherCounselor]),
    ]
};

pub struct World<'a> {
    pub app: &'a TestApp,
    pub ids: HashMap<&'static str, String>,
    browsers: HashMap<Actor, Browser>,
    pub(super) seq: u32,
    /// The markers some reader has received.
    pub delivered: std::collections::BTreeSet<&'static str>,
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

impl<'a> World<'a> {
    pub async fn build(app: &'a TestApp) -> World<'a> {
        let mut p = practice(app).await;
        let couple = p.couple.clone();
        let mut sky = counselor(app, "sky@example.org").await;
        app.create_user(Role::Partner, "Spare", "spare@example.org")
            .await;
        let mut ids: HashMap<&'static str, String> = HashMap::new();
        for (name, email) in [
            ("robin_id", "robin@example.org"),
            ("dana_id", "dana@example.org"),
            ("sky_id", "sky@example.org"),
            ("jordan_id", "jordan@example.org"),
        ] {
            ids.insert(name, user_id(app, email).await);
        }
        let mut admin = as_actor(app, Some("admin@example.org")).await;
        let res = admin
            .call(
                "/api/set_supervision",
                &[
                    ("supervisor_id", ids["sky_id"].as_str()),
                    ("supervisee_id", ids["robin_id"].as_str()),
                    ("on", "on"),
                ],
            )
            .await;
        assert_eq!(res.status, 200, "supervision: {}", res.body);
        let spare = open_case(
            &mut p.robin,
            &[
                ("couple[case_name]", "Spare & Case"),
                ("couple[partner1_name]", "Spare One"),
                ("couple[partner1_email]", "spare1@example.org"),
                ("couple[partner2_name]", "Spare Two"),
                ("couple[partner2_email]", "spare2@example.org"),
            ],
        )
        .await;

        // Homework: each partner answers privately (to the counselor only).
        let mut jordan = as_actor(app, Some("jordan@example.org")).await;
        let mut casey = as_actor(app, Some("casey@example.org")).await;
        let mut pat = as_actor(app, Some("pat@example.org")).await;
        let res = p
            .robin
            .call(
                "/api/assign_homework",
                &[
                    ("couple_id", couple.as_str()),
                    ("recipients", "both"),
                    ("title", "Matrix letter"),
                    ("instructions", "Write."),
                ],
            )
            .await;
        assert_eq!(res.status, 200, "assign: {}", res.body);
        let copies: Vec<(String,)> = sqlx::query_as(
            "select assignment_id from assignment where couple_id = $1 order by position",
        )
        .bind(&couple)
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
        for (b, copy, text) in [
            (&mut jordan, &copies[0].0, A_PRIVATE),
            (&mut casey, &copies[1].0, B_PRIVATE),
        ] {
            let res = b
                .call(
                    "/api/save_homework",
                    &[
                        ("assignment_id", copy.as_str()),
                        ("answers[response]", text),
                        ("visibility", "counselor"),
                        ("intent", "submit"),
                    ],
                )
                .await;
            assert_eq!(res.status, 200, "answer: {}", res.body);
        }
        ids.insert("assignment_a", copies[0].0.clone());
        ids.insert("assignment_b", copies[1].0.clone());

        let mut dana = as_actor(app, Some("dana@example.org")).await;
        let res = dana
            .call(
                "/api/assign_homework",
                &[
                    ("couple_id", p.other_couple.as_str()),
                    ("recipients", "1"),
                    ("title", "Other couple's homework"),
                    ("instructions", "Write."),
                ],
            )
            .await;
        assert_eq!(res.status, 200, "assign: {}", res.body);

        // Check-ins: A's private words with an unsafe answer (a flag); B shares theirs.
        for (b, text, share, safety) in [
            (&mut jordan, A_PRIVATE, false, "unsafe"),
            (&mut casey, SHARED, true, "safe"),
        ] {
            let mut form = vec![
                ("csi[1]", "3"),
                ("csi[2]", "3"),
                ("csi[3]", "3"),
                ("csi[4]", "3"),
                ("trust", "5"),
                ("hope", "5"),
                ("text[went_well]", text),
                ("safety", safety),
            ];
            if share {
                form.push(("share_text", "on"));
            }
            let res = b.call("/api/submit_check_in", &form).await;
            assert_eq!(res.status, 200, "check-in: {}", res.body);
        }
        ids.insert(
            "flag",
            scalar(
                app,
                "select safety_flag_id from safety_flag where couple_id = $1",
                &couple,
            )
            .await,
        );

        // Wins, an agreement, a goal.
        for (b, text) in [(&mut jordan, SHARED), (&mut pat, OTHER)] {
            let res = b.call("/api/post_win", &[("body", text)]).await;
            assert_eq!(res.status, 200, "win: {}", res.body);
        }
        ids.insert(
            "win",
            scalar(
                app,
                "select small_win_id from small_win where couple_id = $1",
                &couple,
            )
            .await,
        );
        let agreement_text = format!("{SHARED} agreement");
        let res = p
            .robin
            .call(
                "/api/write_agreement",
                &[("couple_id", couple.as_str()), ("body", &agreement_text)],
            )
            .await;
        assert_eq!(res.status, 200, "agreement: {}", res.body);
        ids.insert(
            "agreement_version",
            scalar(
                app,
                "select agreement_version_id from agreement_version where body = $1",
                &agreement_text,
            )
            .await,
        );
        let version = ids["agreement_version"].clone();
        ids.insert(
            "agreement",
            scalar(
                app,
                "select agreement_id from agreement_version where agreement_version_id = $1",
                &version,
            )
            .await,
        );
        let res = p
            .robin
            .call(
                "/api/add_goal",
                &[
                    ("couple_id", couple.as_str()),
                    ("title", "Matrix goal"),
                    ("objective", "Weekly check-in"),
                ],
            )
            .await;
        assert_eq!(res.status, 200, "goal: {}", res.body);
        ids.insert(
            "goal",
            scalar(
                app,
                "select treatment_goal_id from treatment_goal where couple_id = $1",
                &couple,
            )
            .await,
        );
        ids.insert(
            "program",
            scalar(
                app,
                "select program_id from program where builtin_key = $1",
                "ten-steps",
            )
            .await,
        );
        ids.insert("couple", couple);
        ids.insert("other_couple", p.other_couple.clone());
        ids.insert("spare_couple", spare);
        let mut browsers = HashMap::new();
        browsers.insert(Actor::Counselor, p.robin);
        browsers.insert(Actor::PartnerA, jordan);
        browsers.insert(Actor::PartnerB, casey);
        browsers.insert(Actor::OtherPartner, pat);
        browsers.insert(Actor::Admin, admin);
        browsers.insert(
            Actor::Supervisor,
            std::mem::replace(&mut sky, app.browser()),
        );
        browsers.insert(Actor::Anonymous, app.browser());
        browsers.insert(Actor::OtherCounselor, dana);
        let mut world = World {
            app,
            ids,
            browsers,
            seq: 0,
            delivered: Default::default(),
        };
        // A session with a signed clinical note; a practice copy of the program to edit.
        let note = world.fresh("new_signed_note").await;
        let session = scalar(
            app,
            "select counseling_session_id from clinical_note where clinical_note_id = $1",
            &note,
        )
        .await;
        world.ids.insert("note", note);
        world.ids.insert("session", session);
        let program = world.ids["program"].clone();
        let res = world
            .browser(Actor::Counselor)
            .call(
                "/api/duplicate_program",
                &[("program_id", program.as_str()), ("title", "Practice copy")],
            )
            .await;
        assert_eq!(res.status, 200, "duplicate: {}", res.body);
        let copy: String = serde_json::from_str(&res.body).unwrap();
        let template = scalar(
            app,
            "select t.exercise_template_id from exercise_template t join program_step s \
             on s.program_step_id = t.program_step_id where s.program_id = $1 \
             order by s.number, t.position limit 1",
            &copy,
        )
        .await;
        world.ids.insert("program_copy", copy);
        world.ids.insert("template", template);
        world
    }

    pub fn browser(&mut self, actor: Actor) -> &mut Browser {
        self.browsers.get_mut(&actor).unwrap()
    }

    /// A new browser signed in as the actor (for calls that end or replace a session).
    pub async fn fresh_browser(&self, actor: Actor) -> Browser {
        as_actor(self.app, actor.email()).await
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

    /// Row counts of every table: what a refused call must leave unchanged.
    pub async fn counts(&self) -> BTreeMap<String, i64> {
        table_counts(self.app).await
    }
}
