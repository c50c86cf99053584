//! Fresh targets made on demand, one per call, for calls that use their target up
//! (deciding a proposal, signing a note, revoking an invitation, accepting a link…).

use super::Actor;
use super::world::{World, user_id};
use crate::helpers::PASSWORD;
use app::auth::Role;

/// Words of the fresh notes signed for single calls (clinical, but no marker of the model).
const NOTE: &str = "Fresh note";

fn tomorrow_at(hhmm: &str) -> String {
    let d = chrono::Utc::now().date_naive() + chrono::Days::new(1);
    format!("{d}T{hhmm}")
}

impl World<'_> {
    /// Makes a fresh target of the named kind and returns its id.
    pub async fn fresh(&mut self, name: &str) -> String {
        use Actor::*;
        self.seq += 1;
        let n = format!("matrix-{}", self.seq);
        let couple = self.ids["couple"].clone();
        match name {
            "new_email" => format!("{n}@example.org"),
            "new_slot" => tomorrow_at(&format!(
                "{:02}:{:02}",
                6 + self.seq / 60 % 12,
                self.seq % 60
            )),
            // A new feed address of the administrator's: `TOKEN.ics`.
            "new_admin_feed" => {
                let res = self.ok(Admin, "make_calendar_link", &[]).await;
                let url: String = serde_json::from_str(&res.body).unwrap();
                url.rsplit_once("/calendar/").unwrap().1.to_string()
            }
            "new_message" => {
                self.ok(PartnerA, "send_message", &[("body", &n)]).await;
                self.latest("select message_id from message where body = $1", &n)
                    .await
            }
            "new_proposal" => {
                self.ok(PartnerA, "propose_agreement", &[("body", &n)])
                    .await;
                self.latest(
                    "select agreement_version_id from agreement_version where body = $1",
                    &n,
                )
                .await
            }
            "new_agreement" => {
                self.ok(
                    Counselor,
                    "write_agreement",
                    &[("couple_id", &couple), ("body", &n)],
                )
                .await;
                self.latest(
                    "select agreement_id from agreement_version where body = $1",
                    &n,
                )
                .await
            }
            "new_session" => {
                let starts = tomorrow_at(&format!(
                    "{:02}:{:02}",
                    6 + self.seq / 60 % 12,
                    self.seq % 60
                ));
                let res = self
                    .browser(Counselor)
                    .submit(
                        "/",
                        "/api/schedule_session",
                        &[
                            ("couple_id", couple.as_str()),
                            ("starts_at", &starts),
                            ("duration_minutes", "50"),
                            ("format", "video"),
                            ("attendees", "both"),
                        ],
                    )
                    .await;
                let to = res
                    .location
                    .unwrap_or_else(|| panic!("scheduled: {}", res.body));
                to.trim_start_matches("/sessions/")
                    .trim_end_matches("?scheduled=1")
                    .to_string()
            }
            "new_draft_note" => {
                let session = Box::pin(self.fresh("new_session")).await;
                let res = self
                    .browser(Counselor)
                    .submit(
                        "/",
                        "/api/start_note",
                        &[
                            ("session_id", session.as_str()),
                            ("kind", "progress"),
                            ("template", "soap"),
                        ],
                    )
                    .await;
                let to = res.location.unwrap_or_else(|| panic!("note: {}", res.body));
                to.trim_start_matches("/notes/").to_string()
            }
            "new_signed_note" => {
                let note = Box::pin(self.fresh("new_draft_note")).await;
                let text = format!("{NOTE} subjective words");
                self.ok(
                    Counselor,
                    "save_note",
                    &[
                        ("note_id", note.as_str()),
                        ("sections[subjective]", &text),
                        ("intent", "sign"),
                        ("password", PASSWORD),
                    ],
                )
                .await;
                note
            }
            "new_joint" | "new_written_joint" => {
                let template = self
                    .latest(
                        "select exercise_template_id from exercise_template where builtin_key = $1",
                        "s2-hard-feelings-agreement",
                    )
                    .await;
                self.ok(
                    Counselor,
                    "assign_homework",
                    &[
                        ("couple_id", &couple),
                        ("template_id", &template),
                        ("recipients", "both"),
                        ("title", &n),
                        ("instructions", "Together."),
                    ],
                )
                .await;
                let id = self
                    .latest("select joint_work_id from joint_work where title = $1", &n)
                    .await;
                if name == "new_written_joint" {
                    self.ok(
                        PartnerA,
                        "save_joint",
                        &[
                            ("joint_id", id.as_str()),
                            ("answers[pause_signal]", "A hand up"),
                            ("base_version", "0"),
                            ("intent", "save"),
                        ],
                    )
                    .await;
                }
                id
            }
            "new_assignment" | "new_submitted_assignment" => {
                self.ok(
                    Counselor,
                    "assign_homework",
                    &[
                        ("couple_id", &couple),
                        ("recipients", "1"),
                        ("title", &n),
                        ("instructions", "Write."),
                    ],
                )
                .await;
                let id = self
                    .latest("select assignment_id from assignment where title = $1", &n)
                    .await;
                if name == "new_submitted_assignment" {
                    self.ok(
                        PartnerA,
                        "save_homework",
                        &[
                            ("assignment_id", id.as_str()),
                            ("answers[response]", "done"),
                            ("visibility", "counselor"),
                            ("intent", "submit"),
                        ],
                    )
                    .await;
                }
                id
            }
            "new_couple" => {
                let (one, two) = (format!("{n}-1@example.org"), format!("{n}-2@example.org"));
                let fields = [
                    ("couple[case_name]", n.as_str()),
                    ("couple[partner1_name]", "One"),
                    ("couple[partner1_email]", one.as_str()),
                    ("couple[partner2_name]", "Two"),
                    ("couple[partner2_email]", two.as_str()),
                ];
                let to = self.form(Counselor, "create_couple", &fields).await;
                to.trim_start_matches("/cases/")
                    .trim_end_matches("/partners")
                    .to_string()
            }
            "new_counselor" => {
                let email = format!("{n}@example.org");
                self.app.create_user(Role::Counselor, &n, &email).await;
                user_id(self.app, &email).await
            }
            "new_flag" => {
                // Casey is not sure she is safe: a new flag, waiting for the counselor.
                let kept: Vec<(String, String)> = ["agreement", "agreement_counselor"]
                    .iter()
                    .map(|a| {
                        (
                            format!("kept[agreement-{}]", self.ids[a]),
                            "kept".to_string(),
                        )
                    })
                    .collect();
                let mut form: Vec<(&str, &str)> = vec![
                    ("csi[1]", "3"),
                    ("csi[2]", "3"),
                    ("csi[3]", "3"),
                    ("csi[4]", "3"),
                    ("trust", "5"),
                    ("hope", "5"),
                    ("safety", "unsure"),
                ];
                form.extend(kept.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                self.ok(PartnerB, "submit_check_in", &form).await;
                self.latest(
                    "select safety_flag_id from safety_flag where couple_id = $1 \
                     and acknowledged_at is null order by raised_at desc limit 1",
                    &couple,
                )
                .await
            }
            "new_user" => {
                let email = format!("{n}@example.org");
                self.app.create_user(Role::Partner, &n, &email).await;
                user_id(self.app, &email).await
            }
            "new_mfa_user" => {
                // A counselor with a two-factor set-up waiting for its code: something for an
                // administrator to reset, whose sessions nobody else here relies on.
                let email = format!("{n}@example.org");
                let id = self.app.create_user(Role::Counselor, &n, &email).await;
                let sealed = self
                    .app
                    .state
                    .auth
                    .mfa_keys
                    .seal(&id, b"matrix 2fa secret!!!");
                sqlx::query(
                    "insert into user_mfa (app_user_id, secret, created_at) values ($1, $2, $3)",
                )
                .bind(&id)
                .bind(&sealed)
                .bind(app::db::now_ms())
                .execute(self.app.state.db.writer())
                .await
                .unwrap();
                id
            }
            "new_partner_token" => {
                let spare = Box::pin(self.fresh("new_couple")).await;
                let body = self
                    .ok(
                        Counselor,
                        "invite_partner",
                        &[("couple_id", &spare), ("position", "1")],
                    )
                    .await;
                super::world::token_of(&body.body)
            }
            // An invitation for an address that already has a partner's account (someone
            // joining a second couple).
            "new_member_token" => {
                let member = format!("{n}-member@example.org");
                self.app.create_user(Role::Partner, &n, &member).await;
                let fields = [
                    ("couple[case_name]", n.as_str()),
                    ("couple[partner1_name]", "Member"),
                    ("couple[partner1_email]", member.as_str()),
                    ("couple[partner2_name]", "Other"),
                    ("couple[partner2_email]", &format!("{n}-other@example.org")),
                ];
                let to = self.form(Counselor, "create_couple", &fields).await;
                let spare = to
                    .trim_start_matches("/cases/")
                    .trim_end_matches("/partners")
                    .to_string();
                let body = self
                    .ok(
                        Counselor,
                        "invite_partner",
                        &[("couple_id", &spare), ("position", "1")],
                    )
                    .await;
                super::world::token_of(&body.body)
            }
            "new_invited_couple" => {
                let spare = self.ids["spare_couple"].clone();
                self.ok(
                    Counselor,
                    "invite_partner",
                    &[("couple_id", &spare), ("position", "2")],
                )
                .await;
                spare
            }
            // A reset link an administrator made for a fresh account of its own (using it
            // ends that account's sessions and sets its password; nobody here relies on them).
            "new_reset_token" => {
                let email = format!("{n}@example.org");
                let id = self.app.create_user(Role::Partner, &n, &email).await;
                let body = self.ok(Admin, "make_reset_link", &[("user_id", &id)]).await;
                body.body
                    .trim_matches('"')
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string()
            }
            "new_counselor_invitation" => {
                let email = format!("{n}@example.org");
                self.ok(
                    Admin,
                    "invite_counselor",
                    &[("display_name", &n), ("email", &email)],
                )
                .await;
                self.latest(
                    "select invitation_id from invitation where email = $1",
                    &email,
                )
                .await
            }
            other => panic!("no fresh fixture named {other}"),
        }
    }
}
