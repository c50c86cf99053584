//! Notes signed and locked, by the server and by the database; addenda; and no partner ever
//! reading a note, by any path.

use super::signed_note;
use crate::actions::{
    NoteKind, Partners, Template, save_and_sign, save_note, schedule, start_note, tomorrow_at,
};
use crate::both_engines;
use crate::helpers::{Engine, PASSWORD, TestApp};
use crate::practice::{as_actor, practice};

both_engines!(
    a_signed_note_is_locked_by_the_server_and_the_database,
    partners_never_see_a_note_by_any_path,
);

async fn a_signed_note_is_locked_by_the_server_and_the_database(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let session = schedule(&mut p.robin, &couple, &tomorrow_at("10:00"), Partners::Both).await;
    let note = start_note(&mut p.robin, &session, NoteKind::Progress, Template::Soap).await;
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
    let empty = save_and_sign(&mut p.robin, &note, &[], PASSWORD).await;
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
    let wrong = save_and_sign(&mut p.robin, &note, &[], "not my password at all").await;
    let (_, page) = p.robin.visit(&wrong.location.unwrap()).await;
    assert!(
        page.body
            .contains("That password is not right. Nothing was signed.")
    );
    assert!(page.body.contains("Save draft"));

    let res = save_and_sign(&mut p.robin, &note, &[], PASSWORD).await;
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
            "/api/save_note",
            &[
                ("note_id", note.as_str()),
                ("intent", "sign"),
                ("password", PASSWORD),
            ],
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
