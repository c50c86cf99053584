//! Supervision: a supervisor reads and co-signs a supervisee's signed notes, never edits
//! them, never reads drafts or psychotherapy notes, and loses access when it ends.

use super::signed_note;
use crate::actions::{NoteKind, Template, save_note, set_supervision, start_note};
use crate::both_engines;
use crate::helpers::{Engine, PASSWORD, TestApp};
use crate::practice::{as_actor, practice};
use app::auth::Role;

both_engines!(supervisors_read_and_cosign_but_never_edit);

async fn supervisors_read_and_cosign_but_never_edit(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let (session, note) = signed_note(&mut p).await;
    let private = start_note(
        &mut p.robin,
        &session,
        NoteKind::Psychotherapy,
        Template::Free,
    )
    .await;
    save_note(
        &mut p.robin,
        &private,
        &[("sections[note]", "PROCESS-NOTE my own reactions")],
    )
    .await;
    let draft = start_note(&mut p.robin, &session, NoteKind::Progress, Template::Birp).await;
    let sky_id = app
        .create_user(Role::Counselor, "Sky Moreno", "sky@example.org")
        .await;
    let robin_id = app.user_id("robin@example.org").await;
    let mut sky = as_actor(&app, Some("sky@example.org")).await;
    // Before supervision: nothing.
    assert_eq!(
        sky.call("/api/get_note", &[("note_id", note.as_str())])
            .await
            .status,
        404
    );

    let mut admin = as_actor(&app, Some("admin@example.org")).await;
    set_supervision(&mut admin, &sky_id, &robin_id, true).await;
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
    set_supervision(&mut admin, &sky_id, &robin_id, false).await;
    assert_eq!(
        sky.call("/api/get_note", &[("note_id", note.as_str())])
            .await
            .status,
        404
    );
}
