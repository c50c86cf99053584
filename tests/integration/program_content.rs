//! The built-in program's content (issue 16): partners read what their step is for on their
//! home and on homework of that step, never another couple's; the new exercises are there
//! for the right partners; and an install of the previous content version gets all of it on
//! upgrade without losing a word the practice changed.

use crate::actions::{Homework, Partner, Partners, assign, move_to_step, send_together};
use crate::both_engines;
use crate::helpers::{Browser, Engine, Options, TestApp};
use crate::practice::{as_actor, practice};
use app::features::program::seed::{before_4, ten_steps};

both_engines!(
    a_partner_reads_what_their_step_is_for_on_home_and_homework,
    the_new_exercises_are_built_in_for_the_right_partners,
    an_earlier_install_gets_the_new_content_and_keeps_what_the_practice_changed,
    the_demo_couple_reads_what_step_3_is_for,
);

/// What the built-in program says to partners at `step` (its first sentence: words with no
/// character the page escapes).
fn first_sentence(step: usize) -> String {
    let text = ten_steps().unwrap().steps[step - 1].for_partners.clone();
    let end = text.find(". ").unwrap();
    let sentence = text[..end].to_string();
    assert!(!sentence.contains(['\'', '"', '&']), "{sentence}");
    sentence
}

async fn builtin_program(app: &TestApp) -> String {
    sqlx::query_scalar("select program_id from program where builtin_key = 'ten-steps'")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

async fn builtin_template(app: &TestApp, key: &str) -> String {
    sqlx::query_scalar(
        "select e.exercise_template_id from exercise_template e \
         join program_step s on s.program_step_id = e.program_step_id \
         join program p on p.program_id = s.program_id \
         where p.builtin_key is not null and e.builtin_key = $1",
    )
    .bind(key)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap()
}

/// The counselor sends one partner homework from the built-in exercise `key` (or written
/// from scratch, `None`); returns that partner's copy.
async fn send(
    app: &TestApp,
    robin: &mut Browser,
    couple: &str,
    to: Partner,
    key: Option<&str>,
    title: &str,
) -> String {
    let template = match key {
        Some(key) => Some(builtin_template(app, key).await),
        None => None,
    };
    let homework = Homework {
        template: template.as_deref(),
        ..Homework::titled(title)
    };
    assign(app, robin, couple, Partners::Only(to), &homework)
        .await
        .remove(0)
}

async fn a_partner_reads_what_their_step_is_for_on_home_and_homework(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let program = builtin_program(&app).await;
    let (step1, step3, step5) = (first_sentence(1), first_sentence(3), first_sentence(5));
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let (_, home) = jordan.visit("/").await;
    assert!(!home.body.contains("step-card"), "no step before a program");

    move_to_step(
        &mut p.robin,
        &p.couple,
        Some(&program),
        3,
        "Ready for openness",
    )
    .await;
    let mut dana = as_actor(&app, Some("dana@example.org")).await;
    move_to_step(
        &mut dana,
        &p.other_couple,
        Some(&program),
        5,
        "Talking more",
    )
    .await;

    let (_, home) = jordan.visit("/").await;
    assert!(
        home.body
            .contains("Step 3 of 10: Be consistently transparent"),
        "{}",
        home.body
    );
    assert!(home.body.contains(&step3));
    assert!(!home.body.contains(&step5), "not the other couple's step");
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let (_, home) = casey.visit("/").await;
    assert!(home.body.contains(&step3), "both partners read it");
    let mut pat = as_actor(&app, Some("pat@example.org")).await;
    let (_, home) = pat.visit("/").await;
    assert!(
        home.body
            .contains("Step 5 of 10: Communicate openly and often")
    );
    assert!(home.body.contains(&step5));
    assert!(!home.body.contains(&step3), "not the other couple's step");
    // Nor by naming the other couple.
    let api = pat
        .call("/api/my_step", &[("couple_id", p.couple.as_str())])
        .await;
    assert_eq!(api.status, 404);
    assert!(!api.body.contains(&step3));

    // Homework sent for a step says what that step is for, whichever step the couple is at,
    // and so does work done together.
    let joint = send_together(&app, &mut p.robin, &p.couple, "s3-transparency-plan").await;
    let (_, page) = jordan.visit(&format!("/together/{joint}")).await;
    assert!(
        page.body
            .contains("Part of step 3: Be consistently transparent")
    );
    assert!(page.body.contains(&step3));
    let copy = send(
        &app,
        &mut p.robin,
        &p.couple,
        Partner::First,
        Some("s1-after-the-account"),
        "After the account is shared",
    )
    .await;
    let (_, page) = jordan.visit(&format!("/homework/{copy}")).await;
    assert!(
        page.body
            .contains("Part of step 1: Take full responsibility")
    );
    assert!(page.body.contains(&step1));
    assert!(!page.body.contains(&step3));
    // Homework written from scratch belongs to no step.
    let copy = send(
        &app,
        &mut p.robin,
        &p.couple,
        Partner::First,
        None,
        "A walk together",
    )
    .await;
    let (_, page) = jordan.visit(&format!("/homework/{copy}")).await;
    assert!(!page.body.contains("step-card"));
    // The counselor reads the same words in the program.
    let (_, page) = p.robin.visit(&format!("/programs/{program}")).await;
    assert!(page.body.contains("What partners read about this step"));
    assert!(page.body.contains(&step3));
}

async fn the_new_exercises_are_built_in_for_the_right_partners(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    for (key, step, audience, counselor_only) in [
        ("s5-something-new-together", 5, "both", 0),
        ("s7-deciding-whether-to-stay", 7, "both", 1),
        ("s8-closeness-at-our-own-pace", 8, "both", 1),
        ("s10-looking-ahead-together", 10, "both", 0),
    ] {
        let row: (i64, String, i64) = sqlx::query_as(
            "select s.number, v.audience, v.counselor_only from exercise_template e \
             join program_step s on s.program_step_id = e.program_step_id \
             join template_version v on v.exercise_template_id = e.exercise_template_id \
               and v.version = e.current_version \
             where e.builtin_key = $1",
        )
        .bind(key)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!(row, (step, audience.to_string(), counselor_only), "{key}");
    }
    let letter: String = sqlx::query_scalar(
        "select v.fields from template_version v join exercise_template e \
         on e.exercise_template_id = v.exercise_template_id \
         where e.builtin_key = 's1-accountability-letter'",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert!(letter.contains("What I am sorry for, in my own words"));
    assert!(letter.contains("graphic sexual detail"));
    let guidance: String = sqlx::query_scalar("select guidance from program_step where number = 1")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert!(guidance.contains("Secrets between sessions"));
    assert!(guidance.contains("third party"));

    // "Deciding whether to stay" is between a partner and the counselor.
    let copy = send(
        &app,
        &mut p.robin,
        &p.couple,
        Partner::Second,
        Some("s7-deciding-whether-to-stay"),
        "Deciding whether to stay",
    )
    .await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let (_, page) = casey.visit(&format!("/homework/{copy}")).await;
    assert!(
        page.body
            .contains("Only your counselor reads what you write here.")
    );
    assert!(!page.body.contains(r#"value="shared""#));
    assert!(page.body.contains("Feeling unsafe"));

    // A copy made from now on carries the words for partners with its steps.
    let program = builtin_program(&app).await;
    let res = p
        .robin
        .submit(
            &format!("/programs/{program}"),
            "/api/duplicate_program",
            &[("program_id", program.as_str()), ("title", "Our way")],
        )
        .await;
    let copy = res.location.unwrap().replace("/programs/", "");
    let words: Vec<String> = sqlx::query_scalar(
        "select for_partners from program_step where program_id = $1 order by number",
    )
    .bind(&copy)
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    let shipped: Vec<String> = ten_steps()
        .unwrap()
        .steps
        .into_iter()
        .map(|s| s.for_partners)
        .collect();
    assert_eq!(words, shipped);
}

/// (current version, fields) of a template.
async fn current(app: &TestApp, template: &str) -> (i64, String) {
    sqlx::query_as(
        "select e.current_version, v.fields from exercise_template e \
         join template_version v on v.exercise_template_id = e.exercise_template_id \
           and v.version = e.current_version where e.exercise_template_id = $1",
    )
    .bind(template)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap()
}

async fn an_earlier_install_gets_the_new_content_and_keeps_what_the_practice_changed(
    engine: Engine,
) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let db = app.state.db.writer();
    let program = builtin_program(&app).await;
    let shipped = ten_steps().unwrap();
    let before = before_4().unwrap();

    // A copy the practice made under the earlier release.
    let res = p
        .robin
        .submit(
            &format!("/programs/{program}"),
            "/api/duplicate_program",
            &[("program_id", program.as_str()), ("title", "Our way")],
        )
        .await;
    let copy = res.location.unwrap().replace("/programs/", "");

    // As content version 3 had it: no new exercises, the earlier words, no words for
    // partners (the column came with this release).
    for key in [
        "s5-something-new-together",
        "s7-deciding-whether-to-stay",
        "s8-closeness-at-our-own-pace",
        "s10-looking-ahead-together",
    ] {
        sqlx::query(
            "delete from template_version where exercise_template_id in \
             (select exercise_template_id from exercise_template where builtin_key = $1)",
        )
        .bind(key)
        .execute(db)
        .await
        .unwrap();
        sqlx::query("delete from exercise_template where builtin_key = $1")
            .bind(key)
            .execute(db)
            .await
            .unwrap();
    }
    let letter = builtin_template(&app, "s1-accountability-letter").await;
    let unsaid = builtin_template(&app, "s3-anything-unsaid").await;
    for t in &before.templates {
        let id = builtin_template(&app, &t.key).await;
        let mut fields = serde_json::to_string(&t.fields).unwrap();
        if t.key == "s3-anything-unsaid" {
            // The practice reworded this one.
            fields = fields.replace("haven't yet told", "are still keeping from");
        }
        sqlx::query("update template_version set fields = $1 where exercise_template_id = $2")
            .bind(&fields)
            .bind(&id)
            .execute(db)
            .await
            .unwrap();
    }
    for s in &before.steps {
        let guidance = if s.number == 5 {
            "Our own guidance for check-ins."
        } else {
            s.guidance.as_str()
        };
        sqlx::query("update program_step set guidance = $1 where program_id = $2 and number = $3")
            .bind(guidance)
            .bind(&program)
            .bind(s.number)
            .execute(db)
            .await
            .unwrap();
    }
    sqlx::query("update program_step set for_partners = ''")
        .execute(db)
        .await
        .unwrap();
    // In the copy: the practice's own words for step 2, and a step 4 of its own.
    sqlx::query(
        "update program_step set for_partners = 'Our words for step 2.' \
         where program_id = $1 and number = 2",
    )
    .bind(&copy)
    .execute(db)
    .await
    .unwrap();
    sqlx::query(
        "update program_step set title = 'Keeping our word' where program_id = $1 and number = 4",
    )
    .bind(&copy)
    .execute(db)
    .await
    .unwrap();
    sqlx::query("update program set content_version = 3 where builtin_key is not null")
        .execute(db)
        .await
        .unwrap();
    let (_, letter_before) = current(&app, &letter).await;
    let (_, unsaid_before) = current(&app, &unsaid).await;
    assert!(!letter_before.contains("sorry"));
    // A letter already sent keeps the words it was sent with.
    let sent = assign(
        &app,
        &mut p.robin,
        &p.couple,
        Partners::Only(Partner::First),
        &Homework {
            template: Some(&letter),
            ..Homework::titled("An account in your own words")
        },
    )
    .await
    .remove(0);

    app::features::program::seed::ensure_builtin(&app.state.db)
        .await
        .unwrap();
    let version: i64 =
        sqlx::query_scalar("select content_version from program where program_id = $1")
            .bind(&program)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(version, shipped.content_version);

    // The letter, still ours, gets the apology as a new version; the reworded exercise
    // keeps the practice's words.
    let (v, fields) = current(&app, &letter).await;
    assert_eq!(v, 2);
    assert!(fields.contains("What I am sorry for, in my own words"));
    assert!(fields.contains("graphic sexual detail"));
    let only: i64 = sqlx::query_scalar(
        "select counselor_only from template_version where exercise_template_id = $1 and version = 2",
    )
    .bind(&letter)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(only, 1, "still counselor only");
    assert_eq!(current(&app, &unsaid).await, (1, unsaid_before));
    let sent_fields: String =
        sqlx::query_scalar("select fields from assignment where assignment_id = $1")
            .bind(&sent)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert!(
        !sent_fields.contains("sorry"),
        "sent homework is not rewritten"
    );

    // The new exercises, in the built-in program only (the copy is the practice's own).
    for key in [
        "s5-something-new-together",
        "s7-deciding-whether-to-stay",
        "s8-closeness-at-our-own-pace",
        "s10-looking-ahead-together",
    ] {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "select e.position, (select max(x.position) from exercise_template x \
               where x.program_step_id = e.program_step_id) \
             from exercise_template e where e.builtin_key = $1",
        )
        .bind(key)
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!(rows.len(), 1, "{key} added once");
        assert_eq!(rows[0].0, rows[0].1, "{key} at the end of its step");
    }

    // The counselor's guidance: ours updated, the practice's kept.
    let guidance: Vec<(i64, String)> = sqlx::query_as(
        "select number, guidance from program_step where program_id = $1 order by number",
    )
    .bind(&program)
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(guidance[0].1, shipped.steps[0].guidance);
    assert_eq!(guidance[4].1, "Our own guidance for check-ins.");
    assert_eq!(guidance[6].1, shipped.steps[6].guidance);

    // Words for partners: every built-in step; the copy's same steps, never over its own.
    let words = |id: String| {
        let pool = app.state.db.pool().clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "select for_partners from program_step where program_id = $1 order by number",
            )
            .bind(id)
            .fetch_all(&pool)
            .await
            .unwrap()
        }
    };
    let ours: Vec<String> = shipped
        .steps
        .iter()
        .map(|s| s.for_partners.clone())
        .collect();
    assert_eq!(words(program.clone()).await, ours);
    let theirs = words(copy.clone()).await;
    assert_eq!(theirs[0], ours[0]);
    assert_eq!(theirs[1], "Our words for step 2.");
    assert_eq!(theirs[2], ours[2]);
    assert_eq!(
        theirs[3], "",
        "a step of the practice's own gets nothing of ours"
    );

    // Starting again changes nothing.
    let versions = |pool: app::db::Readers| async move {
        sqlx::query_scalar::<_, i64>("select count(*) from template_version")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let count = versions(app.state.db.pool().clone()).await;
    app::features::program::seed::ensure_builtin(&app.state.db)
        .await
        .unwrap();
    assert_eq!(versions(app.state.db.pool().clone()).await, count);
}

async fn the_demo_couple_reads_what_step_3_is_for(engine: Engine) {
    let app = TestApp::spawn_with(
        engine,
        Options {
            demo: true,
            ..Default::default()
        },
    )
    .await;
    for email in ["alex@demo.trellis.test", "sam@demo.trellis.test"] {
        let mut b = app.browser();
        b.sign_in(email, "trellis-demo").await;
        let (_, home) = b.visit("/").await;
        assert!(
            home.body
                .contains("Step 3 of 10: Be consistently transparent"),
            "{email}"
        );
        assert!(home.body.contains(&first_sentence(3)), "{email}");
    }
}
