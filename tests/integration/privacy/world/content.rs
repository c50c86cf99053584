//! Every kind of content in every state (model.rs), written through the product by the
//! person who writes it, each carrying its marker.

use super::{World, column, scalar};
use crate::helpers::PASSWORD;
use crate::privacy::model::Actor::{self, *};

fn tomorrow_at(hhmm: &str) -> String {
    let d = chrono::Utc::now().date_naive() + chrono::Days::new(1);
    format!("{d}T{hhmm}")
}

fn tomorrow() -> String {
    (chrono::Utc::now().date_naive() + chrono::Days::new(1)).to_string()
}

impl World<'_> {
    /// Sets homework (written from scratch) and returns its copies' ids by position.
    async fn assign(
        &mut self,
        counselor: Actor,
        couple: &str,
        recipients: &str,
        title: &str,
    ) -> Vec<String> {
        let due = tomorrow();
        self.ok(
            counselor,
            "assign_homework",
            &[
                ("couple_id", couple),
                ("recipients", recipients),
                ("title", title),
                ("instructions", "Write a few lines, on your own."),
                ("due_on", &due),
            ],
        )
        .await;
        column(
            self.app,
            "select assignment_id from assignment where title = $1 order by position",
            Some(title),
        )
        .await
    }

    /// One partner's answer: "draft", or sent to the counselor ("counselor") or shared.
    async fn answer(&mut self, partner: Actor, assignment: &str, text: &str, how: &str) {
        let (visibility, intent) = match how {
            "draft" => ("counselor", "draft"),
            "counselor" => ("counselor", "submit"),
            _ => ("shared", "submit"),
        };
        self.ok(
            partner,
            "save_homework",
            &[
                ("assignment_id", assignment),
                ("answers[response]", text),
                ("visibility", visibility),
                ("intent", intent),
            ],
        )
        .await;
    }

    /// Schedules a session tomorrow at `hhmm` and returns its id.
    async fn session(&mut self, counselor: Actor, couple: &str, hhmm: &str) -> String {
        let starts = tomorrow_at(hhmm);
        let to = self
            .form(
                counselor,
                "schedule_session",
                &[
                    ("couple_id", couple),
                    ("starts_at", &starts),
                    ("duration_minutes", "50"),
                    ("format", "video"),
                    ("attendees", "both"),
                ],
            )
            .await;
        to.trim_start_matches("/sessions/")
            .trim_end_matches("?scheduled=1")
            .to_string()
    }

    /// Writes a note on the session; signs it unless `sign` is false. Returns its id.
    async fn note(
        &mut self,
        counselor: Actor,
        session: &str,
        kind: &str,
        text: &str,
        goal: Option<&str>,
        sign: bool,
    ) -> String {
        let (template, section) = match kind {
            "progress" => ("soap", "sections[subjective]"),
            _ => ("free", "sections[note]"),
        };
        let to = self
            .form(
                counselor,
                "start_note",
                &[
                    ("session_id", session),
                    ("kind", kind),
                    ("template", template),
                ],
            )
            .await;
        let note = to.trim_start_matches("/notes/").to_string();
        let goal_key = goal.map(|g| format!("goals[{}]", app::features::notes::goal_key(g)));
        let mut form = vec![("note_id", note.as_str()), (section, text)];
        if let Some(key) = &goal_key {
            form.push((key.as_str(), "on"));
        }
        if sign {
            form.push(("intent", "sign"));
            form.push(("password", PASSWORD));
        }
        self.ok(counselor, "save_note", &form).await;
        note
    }

    async fn goal(&mut self, counselor: Actor, couple: &str, title: &str) -> String {
        self.ok(
            counselor,
            "add_goal",
            &[
                ("couple_id", couple),
                ("title", title),
                ("objective", "A weekly talk, phones away."),
            ],
        )
        .await;
        scalar(
            self.app,
            "select treatment_goal_id from treatment_goal where title = $1",
            title,
        )
        .await
    }

    async fn addendum(&mut self, counselor: Actor, note: &str, text: &str) {
        self.ok(
            counselor,
            "add_addendum",
            &[("note_id", note), ("body", text), ("password", PASSWORD)],
        )
        .await;
    }

    async fn check_in(&mut self, partner: Actor, text: &str, share: bool, safety: &str) {
        let mut form = vec![
            ("csi[1]", "3"),
            ("csi[2]", "3"),
            ("csi[3]", "3"),
            ("csi[4]", "3"),
            ("trust", "5"),
            ("hope", "6"),
            ("text[went_well]", text),
            ("safety", safety),
        ];
        if share {
            form.push(("share_text", "on"));
        }
        self.ok(partner, "submit_check_in", &form).await;
    }

    async fn propose(&mut self, text: &str) -> String {
        self.ok(PartnerA, "propose_agreement", &[("body", text)])
            .await;
        scalar(
            self.app,
            "select agreement_version_id from agreement_version where body = $1",
            text,
        )
        .await
    }

    pub(super) async fn write_everything(&mut self) {
        let couple = self.ids["couple"].clone();
        let other = self.ids["other_couple"].clone();
        let second = self.ids["second_couple"].clone();

        // While Lee has the case.
        let before = self
            .assign(FormerCounselor, &couple, "1", "Before the move")
            .await;
        self.answer(PartnerA, &before[0], "ZHWBEFORE9Q", "counselor")
            .await;
        let lee_goal = self.goal(FormerCounselor, &couple, "ZGOALLEE9Q").await;
        let lee_session = self.session(FormerCounselor, &couple, "08:00").await;
        let lee_note = self
            .note(
                FormerCounselor,
                &lee_session,
                "progress",
                "Session one. ZNOTELEE9Q",
                Some(&lee_goal),
                true,
            )
            .await;
        self.addendum(FormerCounselor, &lee_note, "Correction. ZADDLEE9Q")
            .await;
        self.note(
            FormerCounselor,
            &lee_session,
            "psychotherapy",
            "My impressions. ZPSYLEE9Q",
            None,
            true,
        )
        .await;
        self.note(
            FormerCounselor,
            &lee_session,
            "progress",
            "Unfinished. ZDRAFTLEE9Q",
            None,
            false,
        )
        .await;
        self.ids.insert("lee_note", lee_note.clone());
        self.move_case_to_robin().await;

        // Homework in every state.
        let draft = self
            .assign(Counselor, &couple, "1", "Letter, first draft")
            .await;
        self.answer(PartnerA, &draft[0], "ZHWDRAFT9Q", "draft")
            .await;
        let private = self.assign(Counselor, &couple, "1", "ZHWTITLE9Q").await;
        self.answer(PartnerA, &private[0], "ZHWPRIV9Q", "counselor")
            .await;
        let shared = self.assign(Counselor, &couple, "1", "What I noticed").await;
        self.answer(PartnerA, &shared[0], "ZHWSHARED9Q", "shared")
            .await;
        let withdrawn = self
            .assign(Counselor, &couple, "1", "Second thoughts")
            .await;
        self.answer(PartnerA, &withdrawn[0], "ZHWWITHDRAWN9Q", "shared")
            .await;
        self.answer(PartnerA, &withdrawn[0], "ZHWREPLACED9Q", "counselor")
            .await;
        let cancelled = self.assign(Counselor, &couple, "1", "Set by mistake").await;
        self.answer(PartnerA, &cancelled[0], "ZHWCANCELLED9Q", "shared")
            .await;
        self.ok(
            Counselor,
            "cancel_homework",
            &[("assignment_id", cancelled[0].as_str())],
        )
        .await;
        let for_b = self.assign(Counselor, &couple, "2", "Casey's page").await;
        self.answer(PartnerB, &for_b[0], "ZHWBPRIV9Q", "counselor")
            .await;
        for (assignment, text) in [(&private[0], "ZFEEDA9Q"), (&for_b[0], "ZFEEDB9Q")] {
            self.ok(
                Counselor,
                "review_homework",
                &[("assignment_id", assignment.as_str()), ("feedback", text)],
            )
            .await;
        }
        let riley_s = self
            .assign(Counselor, &second, "1", "Riley, with Quinn")
            .await;
        self.answer(DualPartner, &riley_s[0], "ZHWDUALS9Q", "shared")
            .await;
        let riley_o = self
            .assign(OtherCounselor, &other, "2", "Riley, with Pat")
            .await;
        self.answer(DualPartner, &riley_o[0], "ZHWDUALO9Q", "shared")
            .await;
        let pat = self.assign(OtherCounselor, &other, "1", "Pat's page").await;
        self.answer(OtherPartner, &pat[0], "ZHWPAT9Q", "counselor")
            .await;
        self.ids.insert("assignment_a", private[0].clone());
        self.ids.insert("assignment_b", for_b[0].clone());

        // Check-ins: Jordan's private words and a safety answer that raises a flag.
        self.check_in(PartnerA, "ZCIPRIV9Q", false, "unsafe").await;
        self.check_in(PartnerB, "ZCISHARED9Q", true, "safe").await;
        self.check_in(DualPartner, "ZCIDUAL9Q", true, "safe").await;
        self.check_in(OtherPartner, "ZCIPAT9Q", true, "safe").await;
        let flag = scalar(
            self.app,
            "select safety_flag_id from safety_flag where couple_id = $1",
            &couple,
        )
        .await;
        // A safety answer is a choice, not words: it shows as the flag (to the counselor)
        // and as the answer itself in exports.
        for probe in [
            flag.clone(),
            "\"safety_answer\": \"unsafe\"".to_string(),
            ",\"unsafe\"".to_string(),
        ] {
            self.probes.push(("ZSAFETY9Q", probe));
        }
        self.ok(
            Counselor,
            "acknowledge_flag",
            &[
                ("flag_id", flag.as_str()),
                ("note", "Called Jordan; safe plan agreed. ZFLAGACK9Q"),
            ],
        )
        .await;
        self.ids.insert("flag", flag);

        // Agreements.
        self.ok(
            Counselor,
            "write_agreement",
            &[("couple_id", couple.as_str()), ("body", "ZAGRCOUNSELOR9Q")],
        )
        .await;
        self.propose("ZAGRPENDING9Q").await;
        let approved = self.propose("ZAGRAPPROVED9Q").await;
        self.ok(
            Counselor,
            "decide_agreement",
            &[("version_id", approved.as_str()), ("decision", "approve")],
        )
        .await;
        let declined = self.propose("ZAGRDECLINED9Q").await;
        self.ok(
            Counselor,
            "decide_agreement",
            &[
                ("version_id", declined.as_str()),
                ("decision", "decline"),
                ("reason", "Too soon for this one. ZAGRREASON9Q"),
            ],
        )
        .await;
        self.ok(
            OtherCounselor,
            "write_agreement",
            &[("couple_id", other.as_str()), ("body", "ZAGROTHER9Q")],
        )
        .await;
        self.ok(
            Counselor,
            "write_agreement",
            &[("couple_id", couple.as_str()), ("body", "ZAGRENDED9Q")],
        )
        .await;
        let ended = scalar(
            self.app,
            "select agreement_id from agreement_version where body = $1",
            "ZAGRENDED9Q",
        )
        .await;
        self.ok(
            Counselor,
            "end_agreement",
            &[("agreement_id", ended.as_str())],
        )
        .await;
        self.ids.insert("agreement_version", approved.clone());
        let agreement = scalar(
            self.app,
            "select agreement_id from agreement_version where agreement_version_id = $1",
            &approved,
        )
        .await;
        self.ids.insert("agreement", agreement);
        for (name, body) in [
            ("agreement_counselor", "ZAGRCOUNSELOR9Q"),
            ("agreement_other", "ZAGROTHER9Q"),
        ] {
            let id = scalar(
                self.app,
                "select agreement_id from agreement_version where body = $1",
                body,
            )
            .await;
            self.ids.insert(name, id);
        }

        // Small wins: each counselor opens the wall for their couple, then partners post.
        let other = self.ids["other_couple"].clone();
        let second = self.ids["second_couple"].clone();
        for (counselor, c) in [
            (Counselor, &couple),
            (OtherCounselor, &other),
            (Counselor, &second),
        ] {
            self.ok(
                counselor,
                "set_wins_wall",
                &[("couple_id", c.as_str()), ("wall", "on")],
            )
            .await;
        }
        self.ok(PartnerA, "post_win", &[("body", "ZWIN9Q")]).await;
        self.ok(OtherPartner, "post_win", &[("body", "ZWINPAT9Q")])
            .await;
        let win = scalar(
            self.app,
            "select small_win_id from small_win where couple_id = $1",
            &couple,
        )
        .await;
        // The counselor celebrates Jordan's win: a reaction only Jordan sees (and Robin).
        self.ok(
            Counselor,
            "react_to_win",
            &[("win_id", win.as_str()), ("reaction", "celebrate")],
        )
        .await;
        self.probes
            .push(("ZWINREACT9Q", "Celebrated by your counselor".to_string()));
        self.ids.insert("win", win);

        // Robin's sessions and notes.
        let session = self.session(Counselor, &couple, "10:00").await;
        self.ok(
            Counselor,
            "add_agenda_item",
            &[("session_id", session.as_str()), ("body", "ZAGENDA9Q")],
        )
        .await;
        let noted = self.goal(Counselor, &couple, "ZGOALNOTED9Q").await;
        let plain = self.goal(Counselor, &couple, "ZGOAL9Q").await;
        let note = self
            .note(
                Counselor,
                &session,
                "progress",
                "Session notes. ZNOTESIGNED9Q",
                Some(&noted),
                true,
            )
            .await;
        self.addendum(Counselor, &note, "Also: ZADDENDUM9Q").await;
        self.note(
            Counselor,
            &session,
            "progress",
            "Half written. ZNOTEDRAFT9Q",
            None,
            false,
        )
        .await;
        self.note(
            Counselor,
            &session,
            "psychotherapy",
            "Process. ZPSY9Q",
            None,
            true,
        )
        .await;
        self.addendum(Counselor, &lee_note, "On taking over: ZADDONLEE9Q")
            .await;
        // An individual session with Jordan, at a time nothing else has.
        let day = chrono::Utc::now().date_naive() + chrono::Days::new(9);
        self.form(
            Counselor,
            "schedule_session",
            &[
                ("couple_id", couple.as_str()),
                ("starts_at", &format!("{day}T03:17")),
                ("duration_minutes", "50"),
                ("format", "in_person"),
                ("attendees", "partner_1"),
                ("place", "Room ZPLACEA9Q"),
            ],
        )
        .await;
        // A joint video session with its own joining link.
        let later = chrono::Utc::now().date_naive() + chrono::Days::new(10);
        self.form(
            Counselor,
            "schedule_session",
            &[
                ("couple_id", couple.as_str()),
                ("starts_at", &format!("{later}T04:23")),
                ("duration_minutes", "50"),
                ("format", "video"),
                ("attendees", "both"),
                ("place", "https://meet.example.org/ZPLACEJOINT9Q"),
            ],
        )
        .await;
        for probe in [
            day.format("%a %-d %b %Y, 03:17").to_string(),
            format!("{day}T03:17"),
        ] {
            self.probes.push(("ZSESSIONA9Q", probe));
        }
        let cancelled = self.session(Counselor, &couple, "12:00").await;
        self.ok(
            Counselor,
            "set_session_status",
            &[
                ("session_id", cancelled.as_str()),
                ("status", "cancelled"),
                ("reason", "Counselor unwell. ZCANCEL9Q"),
            ],
        )
        .await;
        self.ids.insert("note", note);
        self.ids.insert("session", session);
        self.ids.insert("goal", plain);
        let dana_session = self.session(OtherCounselor, &other, "11:00").await;
        // Pat & Riley's joint session in person, with its place.
        let later = chrono::Utc::now().date_naive() + chrono::Days::new(11);
        self.form(
            OtherCounselor,
            "schedule_session",
            &[
                ("couple_id", other.as_str()),
                ("starts_at", &format!("{later}T05:41")),
                ("duration_minutes", "50"),
                ("format", "in_person"),
                ("attendees", "both"),
                ("place", "Room ZPLACEOTHER9Q"),
            ],
        )
        .await;
        self.note(
            OtherCounselor,
            &dana_session,
            "progress",
            "Pat and Riley. ZNOTEDANA9Q",
            None,
            true,
        )
        .await;

        // The program: a step move with its reason, and the practice's own copy.
        let program = scalar(
            self.app,
            "select program_id from program where builtin_key = $1",
            "ten-steps",
        )
        .await;
        self.ok(
            Counselor,
            "move_couple_step",
            &[
                ("couple_id", couple.as_str()),
                ("program_id", program.as_str()),
                ("to_step", "2"),
                ("reason", "Ready for the next step. ZSTEPREASON9Q"),
            ],
        )
        .await;
        let res = self
            .ok(
                Counselor,
                "duplicate_program",
                &[("program_id", program.as_str()), ("title", "Practice copy")],
            )
            .await;
        let copy: String = serde_json::from_str(&res.body).unwrap();
        self.ok(
            Counselor,
            "save_template",
            &[
                ("program_id", copy.as_str()),
                ("step", "2"),
                ("exercise[title]", "ZTEMPLATE9Q"),
                ("exercise[instructions]", "Name the weather inside you."),
                ("exercise[audience]", "both"),
                ("exercise[cadence]", "once"),
                ("exercise[questions]", "text: Today's weather"),
            ],
        )
        .await;
        let template = scalar(
            self.app,
            "select t.exercise_template_id from exercise_template t join program_step s \
             on s.program_step_id = t.program_step_id where s.program_id = $1 \
             order by s.number, t.position limit 1",
            &copy,
        )
        .await;
        self.ids.insert("program", program);
        self.ids.insert("program_copy", copy);
        self.ids.insert("template", template);

        // Dana starts setting up two-factor sign-in (the secret is shown to her alone).
        self.ok(OtherCounselor, "start_mfa_setup", &[]).await;
        let page = self
            .browser(OtherCounselor)
            .get("/account/two-factor")
            .await;
        let secret = page
            .body
            .split("data-testid=\"mfa-secret\"")
            .nth(1)
            .and_then(|rest| rest.split_once('>'))
            .and_then(|(_, rest)| rest.split('<').next())
            .unwrap_or_else(|| panic!("the set-up page shows the secret: {}", page.body))
            .to_string();
        assert!(secret.len() >= 16, "a secret: {secret}");
        self.probes.push(("ZTOTPSECRET9Q", secret));
    }
}
