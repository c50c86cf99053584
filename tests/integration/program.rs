//! The program library: the built-in ten-step program loaded as data, its pages, and a
//! couple's moves through the steps, with the access table on both engines.

use crate::both_engines;
use crate::helpers::{Engine, Options, TestApp, temp_dir};
use crate::practice::{ACTORS, NEW_COUPLE, as_actor, counselor, open_case, practice};

both_engines!(
    the_built_in_program_is_loaded_once_and_readable,
    a_counselor_moves_a_couple_through_the_steps,
    the_program_obeys_the_access_table,
);

async fn builtin_id(app: &TestApp) -> String {
    sqlx::query_scalar("select program_id from program where builtin_key = 'ten-steps'")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

async fn the_built_in_program_is_loaded_once_and_readable(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let db = app.state.db.pool();
    let steps: i64 = sqlx::query_scalar("select count(*) from program_step")
        .fetch_one(db)
        .await
        .unwrap();
    assert_eq!(steps, 10);
    let templates: i64 = sqlx::query_scalar("select count(*) from template_version")
        .fetch_one(db)
        .await
        .unwrap();
    assert!(
        templates >= 30,
        "at least three exercises per step: {templates}"
    );

    // A second start on the same database loads nothing again.
    let url = app.config.database_url();
    let again = TestApp::spawn_on(engine, temp_dir(), url, Options::default()).await;
    let programs: i64 = sqlx::query_scalar("select count(*) from program")
        .fetch_one(again.state.db.pool())
        .await
        .unwrap();
    assert_eq!(programs, 1);

    let mut b = counselor(&app, "robin@example.org").await;
    let (_, list) = b.visit("/programs").await;
    assert!(list.body.contains("Rebuilding trust in ten steps"));
    let id = builtin_id(&app).await;
    let (_, page) = b.visit(&format!("/programs/{id}")).await;
    for text in [
        "Step 1: Take full responsibility",
        "Step 10:",
        "Guidance for the counselor",
        "The partner who broke trust",
        "The hurt partner",
        "Rating 0 (",
    ] {
        assert!(page.body.contains(text), "the program page shows {text:?}");
    }
}

async fn a_counselor_moves_a_couple_through_the_steps(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut b = counselor(&app, "robin@example.org").await;
    let couple = open_case(&mut b, &NEW_COUPLE).await;
    let case_page = format!("/cases/{couple}");
    let (_, page) = b.visit(&case_page).await;
    assert!(page.body.contains("Not started on a program yet"));
    let program = builtin_id(&app).await;
    let start = b
        .submit(
            &case_page,
            "/api/move_couple_step",
            &[
                ("couple_id", couple.as_str()),
                ("program_id", program.as_str()),
                ("to_step", "1"),
                ("reason", "Starting the program"),
            ],
        )
        .await;
    assert_eq!(
        start.location.as_deref(),
        Some(format!("{case_page}#program").as_str())
    );
    let (_, page) = b.visit(&case_page).await;
    assert!(page.body.contains("Step 1 of 10: Take full responsibility"));

    let moved = |to: &'static str, reason: &'static str| {
        let couple = couple.clone();
        move || {
            [
                ("couple_id", couple.clone()),
                ("to_step", to.to_string()),
                ("reason", reason.to_string()),
            ]
        }
    };
    let form = moved("2", "Full disclosure done; Sam asked for room to be angry")();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    b.submit(&case_page, "/api/move_couple_step", &form).await;
    let (_, page) = b.visit(&case_page).await;
    assert!(page.body.contains("Step 2 of 10"));
    assert!(page.body.contains("Moved to step 2"), "on the timeline");
    let at = page
        .body
        .find("Step 1 \u{2192} 2")
        .expect("the move is in the history");
    assert!(
        page.body[at..at + 200].contains("Full disclosure done"),
        "{}",
        &page.body[at..at + 200]
    );

    for (to, reason, message) in [
        ("3", "  ", "short reason"),
        ("11", "Skipping ahead", "between 1 and 10"),
        ("2", "Again", "already at step 2"),
    ] {
        let res = b
            .submit(
                &case_page,
                "/api/move_couple_step",
                &[
                    ("couple_id", couple.as_str()),
                    ("to_step", to),
                    ("reason", reason),
                ],
            )
            .await;
        let back = b.get(&res.location.unwrap()).await;
        assert!(back.body.contains(message), "expected {message:?}");
    }
    // Back a step is allowed, with a reason.
    let res = b
        .call(
            "/api/move_couple_step",
            &[
                ("couple_id", couple.as_str()),
                ("to_step", "1"),
                ("reason", "A new disclosure came out"),
            ],
        )
        .await;
    assert_eq!(res.status, 200);
    let moves: i64 = sqlx::query_scalar("select count(*) from step_move where couple_id = $1")
        .bind(&couple)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(moves, 3);
    // A closed case stays where it is.
    b.call(
        "/api/set_case_status",
        &[("couple_id", couple.as_str()), ("status", "closed")],
    )
    .await;
    let res = b
        .call(
            "/api/move_couple_step",
            &[
                ("couple_id", couple.as_str()),
                ("to_step", "2"),
                ("reason", "After closing"),
            ],
        )
        .await;
    assert_eq!(res.status, 409);
}

async fn the_program_obeys_the_access_table(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let p = practice(&app).await;
    let program = builtin_id(&app).await;
    // list_programs, get_program, move_couple_step, program page
    let expected: [(u16, u16, u16, u16); 7] = [
        (401, 401, 401, 303),
        (403, 403, 404, 404),
        (403, 403, 404, 404),
        (403, 403, 404, 404),
        (200, 200, 200, 200),
        (200, 200, 404, 200),
        (403, 403, 404, 404),
    ];
    for ((actor, email), (list_s, get_s, move_s, page_s)) in ACTORS.into_iter().zip(expected) {
        let mut b = as_actor(&app, email).await;
        assert_eq!(
            b.call("/api/list_programs", &[]).await.status,
            list_s,
            "{actor}: list_programs"
        );
        assert_eq!(
            b.call("/api/get_program", &[("program_id", program.as_str())])
                .await
                .status,
            get_s,
            "{actor}: get_program"
        );
        let res = b
            .call(
                "/api/move_couple_step",
                &[
                    ("couple_id", p.couple.as_str()),
                    ("program_id", program.as_str()),
                    ("to_step", if move_s == 200 { "1" } else { "5" }),
                    ("reason", "Access check"),
                ],
            )
            .await;
        assert_eq!(res.status, move_s, "{actor}: move_couple_step {}", res.body);
        let page = b.get(&format!("/programs/{program}")).await;
        assert_eq!(page.status, page_s, "{actor}: program page");
    }
    let step: Option<i64> =
        sqlx::query_scalar("select current_step from couple where couple_id = $1")
            .bind(&p.couple)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(
        step,
        Some(1),
        "only the assigned counselor moved the couple"
    );
}
