//! Private by design: an exercise marked "counselor only" (step 1's account letter, step 3's
//! "anything still unsaid", or a counselor's own) gives the partner no "share with my partner"
//! choice, says why, and the server refuses a forged one; the setting travels with the
//! exercise into the library, its edits and the homework sent from it.

use crate::actions::{Homework, Partner, Partners, assign};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::practice::{as_actor, practice};

both_engines!(
    a_counselor_only_exercise_offers_no_share_choice_and_refuses_a_forged_one,
    a_counselor_marks_their_own_exercise_counselor_only,
    an_earlier_install_gets_counselor_only_on_the_built_in_exercises,
);

const WHY: &str = "Only your counselor reads what you write here.";

async fn builtin(app: &TestApp, key: &str) -> String {
    sqlx::query_scalar("select exercise_template_id from exercise_template where builtin_key = $1")
        .bind(key)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

async fn a_counselor_only_exercise_offers_no_share_choice_and_refuses_a_forged_one(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let template = builtin(&app, "s1-accountability-letter").await;
    let letter = Homework {
        template: Some(&template),
        ..Homework::titled("An account in your own words")
    };
    let copy = assign(
        &app,
        &mut p.robin,
        &p.couple,
        Partners::Only(Partner::First),
        &letter,
    )
    .await
    .remove(0);
    let page_path = format!("/homework/{copy}");
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let (_, page) = jordan.visit(&page_path).await;
    assert!(page.body.contains(WHY), "{}", page.body);
    assert!(!page.body.contains("Who can read this answer?"));
    assert!(!page.body.contains(r#"value="shared""#));

    let key: String = sqlx::query_scalar("select fields from assignment where assignment_id = $1")
        .bind(&copy)
        .fetch_one(app.state.db.pool())
        .await
        .map(|f: String| {
            let v: serde_json::Value = serde_json::from_str(&f).unwrap();
            v[0]["key"].as_str().unwrap().to_string()
        })
        .unwrap();
    let field = format!("answers[{key}]");
    let send = |visibility: &'static str| {
        [
            ("assignment_id", copy.clone()),
            (field.as_str(), "JORDAN-LETTER words for Casey.".to_string()),
            ("visibility", visibility.to_string()),
            ("intent", "submit".to_string()),
        ]
    };
    let forged = send("shared");
    let forged: Vec<(&str, &str)> = forged.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = jordan.call("/api/save_homework", &forged).await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains(WHY));
    let sent: i64 = sqlx::query_scalar("select count(*) from submission where assignment_id = $1")
        .bind(&copy)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(sent, 0, "nothing shared by a forged form");

    let honest = send("counselor");
    let honest: Vec<(&str, &str)> = honest.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = jordan
        .submit(&page_path, "/api/save_homework", &honest)
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("{page_path}?submitted=1").as_str())
    );
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let (_, home) = casey.visit("/").await;
    assert!(!home.body.contains("JORDAN-LETTER"));
    let (_, review) = p.robin.visit(&format!("/assignments/{copy}")).await;
    assert!(review.body.contains("JORDAN-LETTER"));
}

async fn a_counselor_marks_their_own_exercise_counselor_only(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let builtin: String =
        sqlx::query_scalar("select program_id from program where builtin_key is not null")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    let res = p
        .robin
        .submit(
            &format!("/programs/{builtin}"),
            "/api/duplicate_program",
            &[("program_id", builtin.as_str()), ("title", "Our way")],
        )
        .await;
    let copy = res
        .location
        .unwrap()
        .strip_prefix("/programs/")
        .unwrap()
        .to_string();
    let new_page = format!("/programs/{copy}/steps/2/new");
    let (_, form) = p.robin.visit(&new_page).await;
    assert!(form.body.contains(r#"name="exercise[counselor_only]""#));
    let res = p
        .robin
        .submit(
            &new_page,
            "/api/save_template",
            &[
                ("program_id", copy.as_str()),
                ("step", "2"),
                ("exercise[title]", "What I have not said aloud"),
                ("exercise[instructions]", "Write it for me first."),
                ("exercise[audience]", "both"),
                ("exercise[cadence]", "once"),
                ("exercise[questions]", "text: What is it?"),
                ("exercise[counselor_only]", "on"),
            ],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/programs/{copy}?saved=1#step-2").as_str())
    );
    let (_, library) = p.robin.visit(&format!("/programs/{copy}")).await;
    assert!(
        library
            .body
            .contains("Counselor only: partners cannot share their answer")
    );
    let template: String = sqlx::query_scalar(
        "select t.exercise_template_id from exercise_template t \
         join template_version v on v.exercise_template_id = t.exercise_template_id \
         where v.title = 'What I have not said aloud'",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    let (_, edit) = p.robin.visit(&format!("/templates/{template}/edit")).await;
    assert!(
        edit.body
            .contains(r#"name="exercise[counselor_only]" value="on" checked"#),
        "the edit page keeps it ticked"
    );
}

async fn an_earlier_install_gets_counselor_only_on_the_built_in_exercises(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let db = &app.state.db;
    let flags = || async {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "select t.builtin_key, v.counselor_only from exercise_template t \
             join template_version v on v.exercise_template_id = t.exercise_template_id \
             where v.counselor_only = 1 order by t.builtin_key",
        )
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
        rows
    };
    let shipped = vec![
        ("s1-accountability-letter".to_string(), 1),
        ("s3-anything-unsaid".to_string(), 1),
        ("s7-deciding-whether-to-stay".to_string(), 1),
        ("s8-closeness-at-our-own-pace".to_string(), 1),
    ];
    assert_eq!(flags().await, shipped);
    sqlx::query("update template_version set counselor_only = 0")
        .execute(db.writer())
        .await
        .unwrap();
    sqlx::query("update program set content_version = 2 where builtin_key is not null")
        .execute(db.writer())
        .await
        .unwrap();
    app::features::program::seed::ensure_builtin(db)
        .await
        .unwrap();
    assert_eq!(flags().await, shipped);
}
