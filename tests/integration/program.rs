//! The program library: the built-in ten-step program loaded as data, its pages, and a
//! couple's moves through the steps, with the access table on both engines.

use crate::actions::{Homework, Partner, Partners, assign, move_to_step, open_case};
use crate::both_engines;
use crate::helpers::{Engine, Options, TestApp, temp_dir};
use crate::practice::{ACTORS, NEW_COUPLE, as_actor, counselor, practice};

both_engines!(
    the_built_in_program_is_loaded_once_and_readable,
    a_counselor_moves_a_couple_through_the_steps,
    the_program_obeys_the_access_table,
    a_practice_adapts_the_program_and_edits_never_rewrite_sent_homework,
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
    let case_page = format!("/cases/{couple}/homework");
    let (_, page) = b.visit(&case_page).await;
    assert!(page.body.contains("Not started on a program yet"));
    let program = builtin_id(&app).await;
    move_to_step(&mut b, &couple, Some(&program), 1, "Starting the program").await;
    let (_, page) = b.visit(&case_page).await;
    assert!(page.body.contains("Step 1 of 10: Take full responsibility"));

    let reason = "Full disclosure done; Sam asked for room to be angry";
    move_to_step(&mut b, &couple, None, 2, reason).await;
    let (_, page) = b.visit(&case_page).await;
    assert!(page.body.contains("Step 2 of 10"));
    let (_, timeline) = b.visit(&format!("/cases/{couple}/timeline")).await;
    assert!(timeline.body.contains("Moved to step 2"), "on the timeline");
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

async fn a_practice_adapts_the_program_and_edits_never_rewrite_sent_homework(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let builtin = builtin_id(&app).await;
    let res = p
        .robin
        .submit(
            &format!("/programs/{builtin}"),
            "/api/duplicate_program",
            &[
                ("program_id", builtin.as_str()),
                ("title", "Ten steps, our way"),
            ],
        )
        .await;
    let copy = res
        .location
        .expect("to the copy")
        .strip_prefix("/programs/")
        .unwrap()
        .to_string();
    let db = app.state.db.pool();
    let templates = |program: String| async move {
        let n: i64 = sqlx::query_scalar(
            "select count(*) from exercise_template t join program_step s \
             on s.program_step_id = t.program_step_id where s.program_id = $1",
        )
        .bind(program)
        .fetch_one(db)
        .await
        .unwrap();
        n
    };
    assert_eq!(
        templates(copy.clone()).await,
        templates(builtin.clone()).await
    );

    // Start the couple on the copy and send its first step-1 exercise to Jordan.
    move_to_step(&mut p.robin, &p.couple, Some(&copy), 1, "Starting").await;
    let (template, title): (String, String) = sqlx::query_as(
        "select t.exercise_template_id, v.title from exercise_template t \
         join program_step s on s.program_step_id = t.program_step_id \
         join template_version v on v.exercise_template_id = t.exercise_template_id \
         where s.program_id = $1 and s.number = 1 order by t.position limit 1",
    )
    .bind(&copy)
    .fetch_one(db)
    .await
    .unwrap();
    let exercise = Homework {
        instructions: "As written.",
        template: Some(&template),
        ..Homework::titled(&title)
    };
    let to = Partners::Only(Partner::First);
    assign(&app, &mut p.robin, &p.couple, to, &exercise).await;

    // Edit the exercise: bad question lines are explained, good ones make version 2.
    let edit_page = format!("/templates/{template}/edit");
    let (_, form) = p.robin.visit(&edit_page).await;
    assert!(form.body.contains("Saving makes version 2"));
    let save = |questions: &'static str| {
        vec![
            ("template_id", template.clone()),
            ("program_id", copy.clone()),
            ("step", "1".to_string()),
            ("exercise[title]", "Our own account exercise".to_string()),
            (
                "exercise[instructions]",
                "Write it in your words.".to_string(),
            ),
            ("exercise[audience]", "broke_trust".to_string()),
            ("exercise[cadence]", "once".to_string()),
            ("exercise[questions]", questions.to_string()),
        ]
    };
    let bad = save("rating: How hard was this? | easy");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = p.robin.submit(&edit_page, "/api/save_template", &bad).await;
    let back = p.robin.get(&res.location.unwrap()).await;
    assert!(back.body.contains("a rating needs its two ends"));
    let good =
        save("text: What did you do?\nrating: How hard was writing this? | Easy | Very hard");
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = p
        .robin
        .submit(&edit_page, "/api/save_template", &good)
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/programs/{copy}?saved=1#step-1").as_str())
    );
    let (_, program_page) = p.robin.visit(&format!("/programs/{copy}")).await;
    assert!(program_page.body.contains("Our own account exercise"));
    assert!(program_page.body.contains("v2"));
    // The homework already sent keeps its wording.
    let sent: (String, String) =
        sqlx::query_as("select title, fields from assignment where couple_id = $1")
            .bind(&p.couple)
            .fetch_one(db)
            .await
            .unwrap();
    assert_eq!(sent.0, title);
    assert!(!sent.1.contains("How hard was writing this"));

    // A new exercise for a step.
    let new_page = format!("/programs/{copy}/steps/2/new");
    let (_, form) = p.robin.visit(&new_page).await;
    assert!(form.body.contains("New exercise for step 2"));
    let res = p
        .robin
        .submit(
            &new_page,
            "/api/save_template",
            &[
                ("program_id", copy.as_str()),
                ("step", "2"),
                ("exercise[title]", "Weather report"),
                (
                    "exercise[instructions]",
                    "Each evening, name the weather inside you.",
                ),
                ("exercise[audience]", "both"),
                ("exercise[cadence]", "daily"),
                (
                    "exercise[questions]",
                    "text: Today's weather\nchecklist: I also | slept | ate | walked",
                ),
            ],
        )
        .await;
    assert!(res.location.unwrap().contains("saved=1"));
    let (_, program_page) = p.robin.visit(&format!("/programs/{copy}")).await;
    assert!(program_page.body.contains("Weather report"));

    // The built-in program stays as shipped.
    let builtin_template: String = sqlx::query_scalar(
        "select t.exercise_template_id from exercise_template t join program_step s \
         on s.program_step_id = t.program_step_id where s.program_id = $1 limit 1",
    )
    .bind(&builtin)
    .fetch_one(db)
    .await
    .unwrap();
    let mut shipped = save("text: Changed?");
    shipped[0].1 = builtin_template;
    let shipped: Vec<(&str, &str)> = shipped.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = p.robin.call("/api/save_template", &shipped).await;
    assert_eq!(res.status, 409);

    // Only counselors adapt programs.
    for (actor, email) in ACTORS {
        let mut b = as_actor(&app, email).await;
        let res = b
            .call(
                "/api/duplicate_program",
                &[("program_id", builtin.as_str()), ("title", "Copy")],
            )
            .await;
        let expected = match actor {
            "anonymous" => 401,
            a if a.contains("counselor") => 200,
            _ => 403,
        };
        assert_eq!(res.status, expected, "{actor}: duplicate_program");
        let res = b
            .call(
                "/api/get_template_edit",
                &[("template_id", template.as_str())],
            )
            .await;
        assert_eq!(res.status, expected, "{actor}: get_template_edit");
        let res = b.call("/api/save_template", &good).await;
        assert_eq!(res.status, expected, "{actor}: save_template");
    }
}
