//! Who reads a clinical note after its couple moves to another counselor, and what a
//! supervisor receives. The rule (README "Clinical notes"): the former counselor keeps
//! read-only access to the notes they wrote, as they wrote them (the goals those notes
//! address, their own addenda), and nothing of the couple's current data; the new counselor
//! reads the signed notes, never another author's draft; a supervisor receives what the
//! signed note holds, not every goal of the couple. Also: ticking a goal in a note works (a
//! goal id that starts with digits once made the form decoder refuse the whole note).

use crate::actions::{
    self, NoteKind, Partners, Template, add_goal, save_and_sign, save_note, set_supervision,
    start_note, tomorrow_at,
};
use crate::both_engines;
use crate::helpers::{Browser, Engine, PASSWORD, TestApp};
use crate::practice::{as_actor, counselor, practice};

both_engines!(
    a_former_counselor_reads_their_own_notes_as_written_and_nothing_newer,
    a_supervisor_receives_only_what_the_signed_note_holds,
    signing_with_a_password_cannot_be_used_to_guess_it,
);

/// Robin's session tomorrow morning, with both partners.
async fn schedule(b: &mut Browser, couple: &str) -> String {
    actions::schedule(b, couple, &tomorrow_at("09:30"), Partners::Both).await
}

/// A treatment goal for the couple, added on the case page; returns its id.
async fn goal(app: &TestApp, b: &mut Browser, couple: &str, title: &str) -> String {
    add_goal(app, b, couple, title, "Weekly talk").await
}

/// Starts a SOAP progress note on the session from its page; returns the note's id.
async fn start(b: &mut Browser, session: &str) -> String {
    start_note(b, session, NoteKind::Progress, Template::Soap).await
}

/// Writes a progress note through the page's form (JavaScript off), ticking `goal`, and
/// signs it unless `sign` is false. Returns the note's id.
async fn note(b: &mut Browser, session: &str, text: &str, goal: &str, sign: bool) -> String {
    let note = start(b, session).await;
    let tick = format!("goals[{}]", app::features::notes::goal_key(goal));
    let fields = [("sections[subjective]", text), (tick.as_str(), "on")];
    let res = if sign {
        save_and_sign(b, &note, &fields, PASSWORD).await
    } else {
        let mut fields = fields.to_vec();
        fields.push(("intent", "draft"));
        save_note(b, &note, &fields).await
    };
    let to = res.location.unwrap_or_default();
    assert!(
        to.starts_with(&format!("/notes/{note}?")) && !to.contains("error"),
        "the note is saved with its goal ticked: {} {to} {}",
        res.status,
        res.body
    );
    note
}

async fn addendum(b: &mut Browser, note: &str, text: &str) -> u16 {
    b.call(
        "/api/add_addendum",
        &[("note_id", note), ("body", text), ("password", PASSWORD)],
    )
    .await
    .status
}

async fn a_former_counselor_reads_their_own_notes_as_written_and_nothing_newer(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let addressed = goal(&app, &mut p.robin, &couple, "GOAL-IN-THE-NOTE").await;
    goal(&app, &mut p.robin, &couple, "GOAL-NOT-IN-THE-NOTE").await;
    let session = schedule(&mut p.robin, &couple).await;
    let signed = note(&mut p.robin, &session, "ROBIN-SIGNED", &addressed, true).await;
    let draft = note(&mut p.robin, &session, "ROBIN-DRAFT", &addressed, false).await;
    assert_eq!(addendum(&mut p.robin, &signed, "ROBIN-ADDENDUM").await, 200);

    // The administrator moves the couple to Dana, who carries on.
    let dana_id = app.user_id("dana@example.org").await;
    let mut admin = as_actor(&app, Some("admin@example.org")).await;
    let res = admin
        .call(
            "/api/reassign_couple",
            &[("couple_id", couple.as_str()), ("counselor_id", &dana_id)],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let mut dana = as_actor(&app, Some("dana@example.org")).await;
    goal(&app, &mut dana, &couple, "GOAL-SET-LATER").await;
    assert_eq!(
        addendum(&mut dana, &signed, "DANA-LATER-ADDENDUM").await,
        200
    );

    // Robin reads the signed note as written, and nothing the couple has since.
    for page in [
        p.robin.get(&format!("/notes/{signed}")).await,
        p.robin
            .call("/api/get_note", &[("note_id", signed.as_str())])
            .await,
    ] {
        assert_eq!(page.status, 200);
        for held in ["ROBIN-SIGNED", "GOAL-IN-THE-NOTE", "ROBIN-ADDENDUM"] {
            assert!(page.body.contains(held), "Robin's note lacks {held}");
        }
        for newer in [
            "GOAL-NOT-IN-THE-NOTE",
            "GOAL-SET-LATER",
            "DANA-LATER-ADDENDUM",
        ] {
            assert!(!page.body.contains(newer), "Robin's note shows {newer}");
        }
    }
    // Read-only: no editing, signing or addenda, and the case itself is gone.
    let res = p
        .robin
        .call(
            "/api/save_note",
            &[("note_id", draft.as_str()), ("sections[subjective]", "x")],
        )
        .await;
    assert_eq!(res.status, 403, "{}", res.body);
    assert_eq!(addendum(&mut p.robin, &signed, "MORE").await, 403);
    assert_eq!(p.robin.get(&format!("/cases/{couple}")).await.status, 404);
    let own_draft = p.robin.get(&format!("/notes/{draft}")).await;
    assert!(own_draft.body.contains("ROBIN-DRAFT"));
    assert!(!own_draft.body.contains("GOAL-NOT-IN-THE-NOTE"));
    assert!(
        !own_draft.body.contains("Save draft"),
        "a draft the former counselor cannot edit shows no form"
    );

    // Dana reads the signed note with every addendum, and not Robin's unsigned draft.
    let now = dana.get(&format!("/notes/{signed}")).await;
    assert_eq!(now.status, 200);
    assert!(now.body.contains("ROBIN-SIGNED") && now.body.contains("DANA-LATER-ADDENDUM"));
    let other_draft = dana.get(&format!("/notes/{draft}")).await;
    assert_eq!(other_draft.status, 404);
    assert!(!other_draft.body.contains("ROBIN-DRAFT"));
}

async fn a_supervisor_receives_only_what_the_signed_note_holds(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let mut sky = counselor(&app, "sky@example.org").await;
    let sky_id = app.user_id("sky@example.org").await;
    let robin_id = app.user_id("robin@example.org").await;
    let mut admin = as_actor(&app, Some("admin@example.org")).await;
    set_supervision(&mut admin, &sky_id, &robin_id, true).await;
    let addressed = goal(&app, &mut p.robin, &couple, "GOAL-IN-THE-NOTE").await;
    goal(&app, &mut p.robin, &couple, "GOAL-NOT-IN-THE-NOTE").await;
    let session = schedule(&mut p.robin, &couple).await;
    let signed = note(&mut p.robin, &session, "SIGNED-WORDS", &addressed, true).await;
    for page in [
        sky.get(&format!("/notes/{signed}")).await,
        sky.call("/api/get_note", &[("note_id", signed.as_str())])
            .await,
    ] {
        assert_eq!(page.status, 200);
        assert!(page.body.contains("SIGNED-WORDS") && page.body.contains("GOAL-IN-THE-NOTE"));
        assert!(
            !page.body.contains("GOAL-NOT-IN-THE-NOTE"),
            "the supervisor receives a goal the note does not address"
        );
    }
    // The note's counselor still sees every goal to tick while writing.
    let own = p
        .robin
        .call("/api/get_note", &[("note_id", signed.as_str())])
        .await;
    assert!(own.body.contains("GOAL-NOT-IN-THE-NOTE"));
}

/// A session left open is not a way to guess its owner's password: wrong passwords given to
/// sign a note count like failed sign-ins, and after the limit even the right one waits.
async fn signing_with_a_password_cannot_be_used_to_guess_it(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let session = schedule(&mut p.robin, &couple).await;
    let note = start(&mut p.robin, &session).await;
    let mut answers = Vec::new();
    for _ in 0..app::auth::throttle::ACCOUNT_LIMIT {
        let res = p
            .robin
            .call(
                "/api/save_note",
                &[
                    ("note_id", note.as_str()),
                    ("intent", "sign"),
                    ("password", "not my password at all"),
                ],
            )
            .await;
        answers.push(res.status);
    }
    assert!(
        answers.iter().all(|s| *s == 422),
        "wrong passwords: {answers:?}"
    );
    let res = p
        .robin
        .call(
            "/api/save_note",
            &[
                ("note_id", note.as_str()),
                ("intent", "sign"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, 429, "paused after the limit: {}", res.body);
    let signed: Option<i64> =
        sqlx::query_scalar("select signed_at from clinical_note where clinical_note_id = $1")
            .bind(&note)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert!(signed.is_none(), "nothing was signed while paused");
}
