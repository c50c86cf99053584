//! Who may reach sessions and notes: every server function and page, for every actor.

use super::signed_note;
use crate::actions::{add_goal, tomorrow_at};
use crate::both_engines;
use crate::helpers::{Engine, PASSWORD, TestApp};
use crate::practice::{ACTORS, as_actor, practice};

both_engines!(sessions_and_notes_obey_the_access_table);

async fn sessions_and_notes_obey_the_access_table(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let (session, note) = signed_note(&mut p).await;
    let couple = p.couple.clone();
    let goal = add_goal(&app, &mut p.robin, &couple, "G", "O").await;
    let starts = tomorrow_at("12:00");
    // schedule, get_session, reschedule, agenda_item, start_note, get_note, save_note,
    // save_note to sign, add_addendum, cosign, add_goal, set_goal_status, my_agenda, my_sessions
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
                "/api/save_note",
                &[
                    ("note_id", note.as_str()),
                    ("intent", "sign"),
                    ("password", PASSWORD),
                ],
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
