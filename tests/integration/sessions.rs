//! Sessions and clinical notes: planning in the counselor's time zone, the pre-session
//! brief, notes signed and locked (by the server and by the database), addenda,
//! psychotherapy notes, supervision, treatment goals, and who may reach any of it.

use crate::both_engines;
use crate::helpers::{Browser, Engine, PASSWORD, TestApp};
use crate::practice::{ACTORS, as_actor, practice};
use app::auth::Role;

both_engines!(
    sessions_are_planned_in_the_counselors_time_zone,
    a_signed_note_is_locked_by_the_server_and_the_database,
    the_brief_gathers_what_happened_since_the_last_session,
    sessions_and_notes_obey_the_access_table,
    supervisors_read_and_cosign_but_never_edit,
    partners_never_see_a_note_by_any_path,
);

/// Tomorrow at `hh:mm` as a `datetime-local` value.
fn tomorrow_at(hhmm: &str) -> String {
    let d = chrono::Utc::now().date_naive() + chrono::Days::new(1);
    format!("{d}T{hhmm}")
}

/// Tomorrow in India (UTC+05:30 all year), where the date turns 5½ hours before UTC's.
fn tomorrow_in_india_at(hhmm: &str) -> String {
    let today = (chrono::Utc::now() + chrono::Duration::minutes(330)).date_naive();
    format!("{}T{hhmm}", today + chrono::Days::new(1))
}

async fn set_zone(b: &mut Browser, zone: &str) {
    let res = b
        .submit("/settings", "/api/set_time_zone", &[("time_zone", zone)])
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/settings?saved=1"),
        "{}",
        res.body
    );
}

/// Schedules a session through the form; returns its id.
async fn schedule(b: &mut Browser, couple: &str, starts: &str, attendees: &str) -> String {
    let res = b
        .submit(
            &format!("/cases/{couple}"),
            "/api/schedule_session",
            &[
                ("couple_id", couple),
                ("starts_at", starts),
                ("duration_minutes", "50"),
                ("format", "video"),
                ("attendees", attendees),
            ],
        )
        .await;
    let to = res
        .location
        .unwrap_or_else(|| panic!("scheduled: {}", res.body));
    to.strip_prefix("/sessions/")
        .and_then(|r| r.strip_suffix("?scheduled=1"))
        .unwrap_or_else(|| panic!("to the session page, not {to}"))
        .to_string()
}

/// Starts a note; returns its id.
async fn start_note(b: &mut Browser, session: &str, kind: &str, template: &str) -> String {
    let res = b
        .submit(
            &format!("/sessions/{session}"),
            "/api/start_note",
            &[
                ("session_id", session),
                ("kind", kind),
                ("template", template),
            ],
        )
        .await;
    let to = res
        .location
        .unwrap_or_else(|| panic!("started: {}", res.body));
    to.strip_prefix("/notes/").unwrap().to_string()
}

async fn save_note(b: &mut Browser, note: &str, fields: &[(&str, &str)]) -> crate::helpers::Page {
    let mut form = vec![("note_id", note)];
    form.extend_from_slice(fields);
    b.submit(&format!("/notes/{note}"), "/api/save_note", &form)
        .await
}

/// Signs as the note page does: its form's "Sign the note" button (which saves first).
async fn sign(b: &mut Browser, note: &str, password: &str) -> crate::helpers::Page {
    b.submit(
        &format!("/notes/{note}"),
        "/api/save_note",
        &[
            ("note_id", note),
            ("intent", "sign"),
            ("password", password),
        ],
    )
    .await
}

/// A session with a signed SOAP note by Robin; returns (session, note).
async fn signed_note(p: &mut crate::practice::Practice) -> (String, String) {
    let couple = p.couple.clone();
    let session = schedule(&mut p.robin, &couple, &tomorrow_at("10:00"), "both").await;
    let note = start_note(&mut p.robin, &session, "progress", "soap").await;
    save_note(
        &mut p.robin,
        &note,
        &[
            ("sections[subjective]", "NOTE-SECRET subjective words"),
            ("sections[plan]", "NOTE-PLAN practise reflecting back"),
        ],
    )
    .await;
    let res = sign(&mut p.robin, &note, PASSWORD).await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/notes/{note}?signed=1").as_str()),
        "{}",
        res.body
    );
    (session, note)
}

async fn sessions_are_planned_in_the_counselors_time_zone(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    // India has no daylight saving: 14:00 there is 08:30 UTC all year.
    set_zone(&mut p.robin, "Asia/Kolkata").await;
    let session = schedule(
        &mut p.robin,
        &couple,
        &tomorrow_in_india_at("14:00"),
        "both",
    )
    .await;
    let starts: i64 = sqlx::query_scalar(
        "select starts_at from counseling_session where counseling_session_id = $1",
    )
    .bind(&session)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    let utc = chrono::DateTime::from_timestamp_millis(starts).unwrap();
    assert_eq!(utc.format("%H:%M").to_string(), "08:30");

    let (_, agenda) = p.robin.visit("/agenda").await;
    assert!(agenda.body.contains("Tomorrow"), "{}", agenda.body);
    assert!(agenda.body.contains("14:00"));
    assert!(agenda.body.contains("Jordan &amp; Casey"));
    let (_, caseload) = p.robin.visit("/").await;
    assert!(caseload.body.contains("Next session"));
    assert!(caseload.body.contains(", 14:00"));

    // Partners see date, time (in their own zone, UTC here) and format; nothing else.
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let (_, home) = jordan.visit("/").await;
    assert!(home.body.contains("Your next sessions"));
    assert!(home.body.contains(", 08:30"));
    assert!(home.body.contains("Video"));
    assert!(!home.body.contains(&session), "no link to the session page");

    // An individual session with Jordan is not on Casey's home.
    let solo = schedule(
        &mut p.robin,
        &couple,
        &tomorrow_in_india_at("16:00"),
        "partner_1",
    )
    .await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let (_, casey_home) = casey.visit("/").await;
    assert!(casey_home.body.contains(", 08:30"));
    assert!(
        !casey_home.body.contains(", 10:30"),
        "Jordan's individual session"
    );
    let (_, jordan_home) = jordan.visit("/").await;
    assert!(jordan_home.body.contains(", 10:30"));

    // Bad input is explained.
    for (starts, minutes, message) in [
        (
            "not a time",
            "50",
            "Enter the date and time of the session.",
        ),
        ("2020-01-01T10:00", "50", "That time has passed."),
        (
            &tomorrow_at("09:00") as &str,
            "0",
            "between 5 and 480 minutes",
        ),
    ] {
        let res = p
            .robin
            .submit(
                &format!("/cases/{couple}"),
                "/api/schedule_session",
                &[
                    ("couple_id", couple.as_str()),
                    ("starts_at", starts),
                    ("duration_minutes", minutes),
                    ("format", "video"),
                    ("attendees", "both"),
                ],
            )
            .await;
        let (_, page) = p.robin.visit(&res.location.unwrap()).await;
        assert!(page.body.contains(message), "{message}");
    }

    // Reschedule, refuse attendance before it starts, cancel only with a reason.
    let session_page = format!("/sessions/{session}");
    let res = p
        .robin
        .submit(
            &session_page,
            "/api/reschedule_session",
            &[
                ("session_id", session.as_str()),
                ("starts_at", &tomorrow_at("15:30")),
                ("duration_minutes", "80"),
                ("format", "in_person"),
                ("attendees", "both"),
            ],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("{session_page}?saved=1").as_str())
    );
    let (_, page) = p.robin.visit(&session_page).await;
    assert!(page.body.contains("15:30"));
    assert!(page.body.contains("80 minutes"));
    assert!(page.body.contains("In person"));
    let early = p
        .robin
        .call(
            "/api/set_session_status",
            &[("session_id", session.as_str()), ("status", "attended")],
        )
        .await;
    assert_eq!(early.status, 409);
    let no_reason = p
        .robin
        .call(
            "/api/set_session_status",
            &[("session_id", solo.as_str()), ("status", "cancelled")],
        )
        .await;
    assert_eq!(no_reason.status, 422);
    let cancelled = p
        .robin
        .call(
            "/api/set_session_status",
            &[
                ("session_id", solo.as_str()),
                ("status", "cancelled"),
                ("reason", "Jordan is ill"),
            ],
        )
        .await;
    assert_eq!(cancelled.status, 200);
    let (_, page) = p.robin.visit(&format!("/sessions/{solo}")).await;
    assert!(page.body.contains("Cancelled"));
    assert!(page.body.contains("Jordan is ill"));
    let (_, jordan_home) = jordan.visit("/").await;
    assert!(
        !jordan_home.body.contains(", 10:30"),
        "a cancelled session is gone"
    );
    let (_, case_page) = p.robin.visit(&format!("/cases/{couple}")).await;
    assert!(case_page.body.contains("Session scheduled"));
    assert!(case_page.body.contains("Session cancelled"));
}

async fn a_signed_note_is_locked_by_the_server_and_the_database(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let session = schedule(&mut p.robin, &couple, &tomorrow_at("10:00"), "both").await;
    let note = start_note(&mut p.robin, &session, "progress", "soap").await;
    let note_page = format!("/notes/{note}");
    let (_, page) = p.robin.visit(&note_page).await;
    for label in [
        "Subjective",
        "Objective",
        "Assessment",
        "Plan",
        "Save draft",
        "Sign the note",
    ] {
        assert!(page.body.contains(label), "{label}");
    }
    // Drafts save (and survive), and signing an empty note is refused.
    let empty = sign(&mut p.robin, &note, PASSWORD).await;
    let (_, page) = p.robin.visit(&empty.location.unwrap()).await;
    assert!(page.body.contains("Write the note before signing it."));
    let res = save_note(
        &mut p.robin,
        &note,
        &[
            ("sections[subjective]", "ORIGINAL words"),
            ("sections[plan]", "ORIGINAL plan"),
        ],
    )
    .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("{note_page}?saved=1").as_str())
    );
    let (_, page) = p.robin.visit(&note_page).await;
    assert!(page.body.contains("ORIGINAL words"));

    // A wrong password signs nothing.
    let wrong = sign(&mut p.robin, &note, "not my password at all").await;
    let (_, page) = p.robin.visit(&wrong.location.unwrap()).await;
    assert!(
        page.body
            .contains("That password is not right. Nothing was signed.")
    );
    assert!(page.body.contains("Save draft"));

    let res = sign(&mut p.robin, &note, PASSWORD).await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("{note_page}?signed=1").as_str())
    );
    let (_, page) = p.robin.visit(&note_page).await;
    assert!(page.body.contains("Signed by Robin Hale"));
    assert!(page.body.contains("Content fingerprint (SHA-256)"));
    assert!(
        !page.body.contains("Save draft"),
        "the edit control is gone"
    );
    assert!(!page.body.contains("name=\"sections[subjective]\""));

    // The server refuses a change, and says so in the audit log.
    let edit = p
        .robin
        .call(
            "/api/save_note",
            &[
                ("note_id", note.as_str()),
                ("sections[subjective]", "CHANGED"),
            ],
        )
        .await;
    assert_eq!(edit.status, 409);
    assert!(
        app.audit_actions()
            .await
            .contains(&"note_change_refused".to_string())
    );
    let again = p
        .robin
        .call(
            "/api/sign_note",
            &[("note_id", note.as_str()), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(again.status, 409);

    // So does the database, whoever asks.
    let update =
        sqlx::query("update clinical_note set sections = '{}' where clinical_note_id = $1")
            .bind(&note)
            .execute(app.state.db.writer())
            .await;
    assert!(update.is_err(), "UPDATE of a signed note");
    let unsign =
        sqlx::query("update clinical_note set signed_at = null where clinical_note_id = $1")
            .bind(&note)
            .execute(app.state.db.writer())
            .await;
    assert!(unsign.is_err(), "un-signing");
    let delete = sqlx::query("delete from clinical_note where clinical_note_id = $1")
        .bind(&note)
        .execute(app.state.db.writer())
        .await;
    assert!(delete.is_err(), "DELETE of a signed note");

    // An addendum is signed in turn; the original stays as it was.
    let res = p
        .robin
        .submit(
            &note_page,
            "/api/add_addendum",
            &[
                ("note_id", note.as_str()),
                ("body", "ADDENDUM: Casey called to add context."),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("{note_page}?addendum=1#addenda").as_str()),
        "{}",
        res.body
    );
    let (_, page) = p.robin.visit(&note_page).await;
    assert!(page.body.contains("ADDENDUM: Casey called to add context."));
    assert!(page.body.contains("ORIGINAL words"));
    assert!(!page.body.contains("CHANGED"));
    let addendum_update = sqlx::query("update note_addendum set body = 'x'")
        .execute(app.state.db.writer())
        .await;
    assert!(addendum_update.is_err(), "addenda are locked too");
    let actions = app.audit_actions().await;
    for action in [
        "note_created",
        "note_signed",
        "addendum_signed",
        "note_viewed",
    ] {
        assert!(actions.contains(&action.to_string()), "{action} audited");
    }
}

async fn the_brief_gathers_what_happened_since_the_last_session(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let (_, note) = signed_note(&mut p).await;
    // That session took place (moved into the past), and homework arrived since.
    sqlx::query("update counseling_session set starts_at = $1, status = 'attended' where counseling_session_id = (select counseling_session_id from clinical_note where clinical_note_id = $2)")
        .bind(app::db::now_ms() - 7 * 24 * 3600 * 1000)
        .bind(&note)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let res = p
        .robin
        .submit(
            &format!("/cases/{couple}"),
            "/api/add_goal",
            &[
                ("couple_id", couple.as_str()),
                ("title", "GOAL-Weekly check-in"),
                ("objective", "Done four weeks running"),
            ],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/cases/{couple}?goal=1#goals").as_str())
    );
    p.robin
        .submit(
            &format!("/cases/{couple}/assign"),
            "/api/assign_homework",
            &[
                ("couple_id", couple.as_str()),
                ("recipients", "1"),
                ("title", "BRIEF-Letter"),
                ("instructions", "Write."),
            ],
        )
        .await;
    let copy: String =
        sqlx::query_scalar("select assignment_id from assignment where title = 'BRIEF-Letter'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    jordan
        .submit(
            &format!("/homework/{copy}"),
            "/api/save_homework",
            &[
                ("assignment_id", copy.as_str()),
                ("answers[response]", "words"),
                ("visibility", "shared"),
                ("intent", "submit"),
            ],
        )
        .await;
    let next = schedule(&mut p.robin, &couple, &tomorrow_at("11:00"), "both").await;
    p.robin
        .submit(
            &format!("/sessions/{next}"),
            "/api/add_agenda_item",
            &[
                ("session_id", next.as_str()),
                ("body", "AGENDA-Talk about the weekend"),
            ],
        )
        .await;
    let (_, page) = p.robin.visit(&format!("/sessions/{next}")).await;
    assert!(page.body.contains("Pre-session brief"));
    assert!(page.body.contains("Everything since the session of"));
    assert!(page.body.contains("BRIEF-Letter"));
    assert!(page.body.contains("Shared with their partner"));
    assert!(page.body.contains("awaiting review"));
    assert!(
        page.body.contains("NOTE-PLAN practise reflecting back"),
        "the last note's plan"
    );
    assert!(page.body.contains("GOAL-Weekly check-in"));
    assert!(page.body.contains("AGENDA-Talk about the weekend"));
    assert!(
        !page.body.contains("NOTE-SECRET"),
        "only the plan, not the whole note"
    );
}

async fn sessions_and_notes_obey_the_access_table(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let (session, note) = signed_note(&mut p).await;
    let couple = p.couple.clone();
    let goal_res = p
        .robin
        .call(
            "/api/add_goal",
            &[
                ("couple_id", couple.as_str()),
                ("title", "G"),
                ("objective", "O"),
            ],
        )
        .await;
    assert_eq!(goal_res.status, 200);
    let goal: String = sqlx::query_scalar("select treatment_goal_id from treatment_goal")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let starts = tomorrow_at("12:00");
    // schedule, get_session, reschedule, agenda_item, start_note, get_note, save_note,
    // sign_note, add_addendum, cosign, add_goal, set_goal_status, my_agenda, my_sessions
    let expected: [[u16; 14]; 7] = [
        [
            401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401,
        ],
        [
            404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403, 200,
        ],
        [
            404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403, 200,
        ],
        [
            404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403, 200,
        ],
        [
            200, 200, 200, 200, 200, 200, 409, 409, 200, 403, 200, 200, 200, 403,
        ],
        [
            404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 403,
        ],
        [
            404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403, 403,
        ],
    ];
    for ((actor, email), want) in ACTORS.into_iter().zip(expected) {
        let mut b = as_actor(&app, email).await;
        let session_form = [
            ("session_id", session.as_str()),
            ("starts_at", starts.as_str()),
            ("duration_minutes", "50"),
            ("format", "phone"),
            ("attendees", "both"),
        ];
        let got = [
            b.call(
                "/api/schedule_session",
                &[
                    ("couple_id", couple.as_str()),
                    ("starts_at", &starts),
                    ("duration_minutes", "50"),
                    ("format", "phone"),
                    ("attendees", "both"),
                ],
            )
            .await
            .status,
            b.call("/api/get_session", &[("session_id", session.as_str())])
                .await
                .status,
            b.call("/api/reschedule_session", &session_form)
                .await
                .status,
            b.call(
                "/api/add_agenda_item",
                &[("session_id", session.as_str()), ("body", "x")],
            )
            .await
            .status,
            b.call(
                "/api/start_note",
                &[
                    ("session_id", session.as_str()),
                    ("kind", "progress"),
                    ("template", "dap"),
                ],
            )
            .await
            .status,
            b.call("/api/get_note", &[("note_id", note.as_str())])
                .await
                .status,
            b.call(
                "/api/save_note",
                &[("note_id", note.as_str()), ("sections[plan]", "x")],
            )
            .await
            .status,
            b.call(
                "/api/sign_note",
                &[("note_id", note.as_str()), ("password", PASSWORD)],
            )
            .await
            .status,
            b.call(
                "/api/add_addendum",
                &[
                    ("note_id", note.as_str()),
                    ("body", "x"),
                    ("password", PASSWORD),
                ],
            )
            .await
            .status,
            b.call(
                "/api/cosign_note",
                &[("note_id", note.as_str()), ("password", PASSWORD)],
            )
            .await
            .status,
            b.call(
                "/api/add_goal",
                &[
                    ("couple_id", couple.as_str()),
                    ("title", "x"),
                    ("objective", "y"),
                ],
            )
            .await
            .status,
            b.call(
                "/api/set_goal_status",
                &[("goal_id", goal.as_str()), ("status", "met")],
            )
            .await
            .status,
            b.call("/api/my_agenda", &[]).await.status,
            b.call("/api/my_sessions", &[]).await.status,
        ];
        assert_eq!(
            got, want,
            "{actor}: schedule, session, reschedule, agenda item, start note, note, save, sign, \
             addendum, cosign, add goal, goal status, agenda, my sessions"
        );
        // Pages agree with the functions.
        for path in [format!("/sessions/{session}"), format!("/notes/{note}")] {
            let page = b.get(&path).await;
            let may = actor == "assigned counselor";
            match email {
                None => assert_eq!(page.status, 303, "{actor} {path}"),
                Some(_) => assert_eq!(page.status == 200, may, "{actor} {path}: {}", page.status),
            }
            assert_eq!(
                page.body.contains("NOTE-SECRET"),
                may && path.contains("notes"),
                "{actor} {path}"
            );
        }
        let supervision = b.call("/api/list_supervision", &[]).await.status;
        assert_eq!(
            supervision,
            match actor {
                "anonymous" => 401,
                "admin" => 200,
                _ => 403,
            },
            "{actor}"
        );
        let supervised = b.call("/api/my_supervised_notes", &[]).await.status;
        let counselor = actor.contains("counselor");
        assert_eq!(
            supervised,
            match actor {
                "anonymous" => 401,
                _ if counselor => 200,
                _ => 403,
            },
            "{actor}"
        );
    }
}

async fn supervisors_read_and_cosign_but_never_edit(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let (session, note) = signed_note(&mut p).await;
    let private = start_note(&mut p.robin, &session, "psychotherapy", "free").await;
    save_note(
        &mut p.robin,
        &private,
        &[("sections[note]", "PROCESS-NOTE my own reactions")],
    )
    .await;
    let draft = start_note(&mut p.robin, &session, "progress", "birp").await;
    let sky_id = app
        .create_user(Role::Counselor, "Sky Moreno", "sky@example.org")
        .await;
    let robin_id: String =
        sqlx::query_scalar("select app_user_id from app_user where email = 'robin@example.org'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    let mut sky = as_actor(&app, Some("sky@example.org")).await;
    // Before supervision: nothing.
    assert_eq!(
        sky.call("/api/get_note", &[("note_id", note.as_str())])
            .await
            .status,
        404
    );

    let mut admin = as_actor(&app, Some("admin@example.org")).await;
    let res = admin
        .submit(
            "/admin/supervision",
            "/api/set_supervision",
            &[
                ("supervisor_id", sky_id.as_str()),
                ("supervisee_id", robin_id.as_str()),
                ("on", "on"),
            ],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/admin/supervision?saved=1"));
    let (_, page) = admin.visit("/admin/supervision").await;
    assert!(page.body.contains("Sky Moreno supervises Robin Hale"));
    assert!(
        !page.body.contains("NOTE-SECRET"),
        "the admin reads no clinical content"
    );
    assert_eq!(
        admin
            .call("/api/get_note", &[("note_id", note.as_str())])
            .await
            .status,
        404
    );
    // A counselor cannot supervise themselves.
    let me = admin
        .call(
            "/api/set_supervision",
            &[
                ("supervisor_id", sky_id.as_str()),
                ("supervisee_id", sky_id.as_str()),
                ("on", "on"),
            ],
        )
        .await;
    assert_eq!(me.status, 422);

    let (_, list) = sky.visit("/supervision").await;
    assert!(list.body.contains("Jordan &amp; Casey"));
    assert!(list.body.contains("not co-signed yet"));
    let (_, page) = sky.visit(&format!("/notes/{note}")).await;
    assert!(page.body.contains("NOTE-SECRET subjective words"));
    assert!(page.body.contains("Co-sign the note"));
    assert!(!page.body.contains("Add an addendum"));
    // Read and co-sign only.
    assert_eq!(
        sky.call(
            "/api/save_note",
            &[("note_id", note.as_str()), ("sections[plan]", "x")]
        )
        .await
        .status,
        403
    );
    assert_eq!(
        sky.call(
            "/api/add_addendum",
            &[
                ("note_id", note.as_str()),
                ("body", "x"),
                ("password", PASSWORD)
            ]
        )
        .await
        .status,
        403
    );
    assert_eq!(
        sky.call("/api/get_session", &[("session_id", session.as_str())])
            .await
            .status,
        404
    );
    assert_eq!(
        sky.call("/api/get_note", &[("note_id", private.as_str())])
            .await
            .status,
        404,
        "psychotherapy notes are the author's alone"
    );
    assert_eq!(
        sky.call("/api/get_note", &[("note_id", draft.as_str())])
            .await
            .status,
        404,
        "drafts are not for supervisors"
    );
    let res = sky
        .submit(
            &format!("/notes/{note}"),
            "/api/cosign_note",
            &[("note_id", note.as_str()), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/notes/{note}?cosigned=1").as_str()),
        "{}",
        res.body
    );
    let (_, page) = p.robin.visit(&format!("/notes/{note}")).await;
    assert!(page.body.contains("Co-signed by Sky Moreno"));
    assert!(
        page.body.contains("Signed by Robin Hale"),
        "still locked and signed by its author"
    );
    assert_eq!(
        sky.call(
            "/api/cosign_note",
            &[("note_id", note.as_str()), ("password", PASSWORD)]
        )
        .await
        .status,
        409
    );
    assert!(
        app.audit_actions()
            .await
            .contains(&"note_cosigned".to_string())
    );

    // The session page lists the psychotherapy note to its author only.
    let (_, session_page) = p.robin.visit(&format!("/sessions/{session}")).await;
    assert!(session_page.body.contains("Psychotherapy note"));
    // Ending supervision ends access.
    admin
        .submit(
            "/admin/supervision",
            "/api/set_supervision",
            &[
                ("supervisor_id", sky_id.as_str()),
                ("supervisee_id", robin_id.as_str()),
                ("on", "off"),
            ],
        )
        .await;
    assert_eq!(
        sky.call("/api/get_note", &[("note_id", note.as_str())])
            .await
            .status,
        404
    );
}

async fn partners_never_see_a_note_by_any_path(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let (session, note) = signed_note(&mut p).await;
    for email in ["jordan@example.org", "casey@example.org", "pat@example.org"] {
        let mut b = as_actor(&app, Some(email)).await;
        for path in [
            "/".to_string(),
            format!("/sessions/{session}"),
            format!("/notes/{note}"),
            format!("/cases/{}", p.couple),
            "/agenda".to_string(),
            "/supervision".to_string(),
        ] {
            let (_, page) = b.visit(&path).await;
            assert!(!page.body.contains("NOTE-SECRET"), "{email} {path}");
            assert!(!page.body.contains("NOTE-PLAN"), "{email} {path}");
        }
        for (f, args) in [
            ("/api/get_note", vec![("note_id", note.as_str())]),
            ("/api/get_session", vec![("session_id", session.as_str())]),
            ("/api/my_sessions", vec![]),
            ("/api/my_homework", vec![]),
        ] {
            let res = b.call(f, &args).await;
            assert!(!res.body.contains("NOTE-SECRET"), "{email} {f}");
            assert!(!res.body.contains("NOTE-PLAN"), "{email} {f}");
        }
    }
}
