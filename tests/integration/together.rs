//! Work done together (issue 16): the couple write one shared answer. Either partner may
//! change it, every version is kept, each sees what the other changed; two saves that cross
//! never overwrite each other unseen and lose nothing; the counselor reads every version and
//! turns step 8's answers into draft agreements in one click.

use crate::actions::{call_together, save_together, send_together};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::practice::{as_actor, practice};

both_engines!(
    two_partners_write_one_answer_and_each_sees_the_others_changes,
    crossing_saves_overwrite_nothing_and_lose_nothing,
    step_8_answers_become_draft_agreements_in_one_click,
    joint_work_goes_to_both_together_or_not_at_all,
);

async fn count(app: &TestApp, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

async fn two_partners_write_one_answer_and_each_sees_the_others_changes(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let joint = send_together(&app, &mut p.robin, &p.couple, "s2-hard-feelings-agreement").await;
    let page_url = format!("/together/{joint}");

    // On both partners' lists, as one piece of work to do together.
    for b in [&mut jordan, &mut casey] {
        let (_, home) = b.visit("/").await;
        assert!(home.body.contains(&format!(r#"href="{page_url}""#)));
        assert!(home.body.contains("To do together"));
    }
    let (_, page) = jordan.visit(&page_url).await;
    for words in [
        "How will either of you signal that you need a break?",
        "Save our answer",
        "Save and send to our counselor",
        "You and Casey Lee write one answer between you.",
    ] {
        assert!(page.body.contains(words), "{words}");
    }

    // Jordan writes first; Casey sees it, with what Jordan changed.
    let res = save_together(
        &mut jordan,
        &joint,
        0,
        &[("pause_signal", "One of us raises a hand.")],
        "save",
    )
    .await;
    assert_eq!(
        res.location.as_deref(),
        Some(&*format!("{page_url}?saved=1"))
    );
    let (_, home) = casey.visit("/").await;
    assert!(home.body.contains("Started together"));
    let (_, page) = casey.visit(&page_url).await;
    assert!(
        page.body
            .contains("What Jordan Lee changed since you last saved")
    );
    assert!(page.body.contains("One of us raises a hand."));
    assert!(page.body.contains(r#"name="base_version" value="1""#));

    // Casey changes one answer and adds another: a second version, the first kept.
    let res = save_together(
        &mut casey,
        &joint,
        1,
        &[
            ("pause_signal", "One of us says pause and raises a hand."),
            ("return_time", "Twenty minutes."),
        ],
        "save",
    )
    .await;
    assert_eq!(
        res.location.as_deref(),
        Some(&*format!("{page_url}?saved=1"))
    );
    let (_, page) = jordan.visit(&page_url).await;
    assert!(
        page.body
            .contains("What Casey Lee changed since you last saved")
    );
    assert!(page.body.contains("Before: One of us raises a hand."));
    assert!(
        page.body
            .contains("Now: One of us says pause and raises a hand.")
    );
    assert!(page.body.contains("Before: (no answer)"));
    assert!(page.body.contains("Every version (2)"));
    assert!(page.body.contains("Version 2, saved by Casey Lee"));
    assert!(page.body.contains("Version 1, saved by Jordan Lee"));
    // The author has nothing new to see.
    let (_, page) = casey.visit(&page_url).await;
    assert!(!page.body.contains("changed since you last saved"));

    // Jordan sends it; the counselor sees it sent, reads every version, and the reading is
    // audited.
    let res = save_together(
        &mut jordan,
        &joint,
        2,
        &[
            ("pause_signal", "One of us says pause and raises a hand."),
            ("return_time", "Twenty minutes."),
        ],
        "send",
    )
    .await;
    assert_eq!(
        res.location.as_deref(),
        Some(&*format!("{page_url}?sent=1"))
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from joint_version where joint_work_id = $1",
            &joint
        )
        .await,
        2,
        "sending an unchanged answer adds no version"
    );
    let (_, home) = casey.visit("/").await;
    assert!(home.body.contains("Sent to your counselor"));
    let (_, case_page) = p.robin.visit(&format!("/cases/{}", p.couple)).await;
    assert!(case_page.body.contains("Both, together"));
    assert!(case_page.body.contains("Sent to you"));
    let (_, page) = p.robin.visit(&page_url).await;
    assert!(page.body.contains("Newest: Version 2, saved by Casey Lee"));
    assert!(page.body.contains("Version 2 was sent to you on"));
    assert!(page.body.contains("One of us raises a hand."), "version 1");
    assert_eq!(
        count(
            &app,
            "select count(*) from audit_event where action = $1",
            "joint_answer_viewed"
        )
        .await,
        1
    );

    // A version once saved can never be changed, on either engine.
    let changed = sqlx::query("update joint_version set answers = '{}' where joint_work_id = $1")
        .bind(&joint)
        .execute(app.state.db.pool())
        .await;
    assert!(changed.is_err(), "saved versions are kept as saved");

    // Nobody else reaches it: not another couple's partner, not another counselor.
    for email in ["pat@example.org", "dana@example.org", "admin@example.org"] {
        let mut other = as_actor(&app, Some(email)).await;
        let (_, page) = other.visit(&page_url).await;
        assert!(!page.body.contains("One of us"), "{email}");
        let api = other
            .call("/api/get_joint", &[("joint_id", joint.as_str())])
            .await;
        assert_eq!(api.status, 404, "{email}");
        let res = other
            .call(
                "/api/save_joint",
                &[
                    ("joint_id", joint.as_str()),
                    ("answers[pause_signal]", "Taken over"),
                    ("base_version", "2"),
                    ("intent", "save"),
                ],
            )
            .await;
        assert_eq!(res.status, 404, "{email}");
    }
    // The counselor reads it but does not write in it.
    let res = p
        .robin
        .call(
            "/api/save_joint",
            &[
                ("joint_id", joint.as_str()),
                ("answers[pause_signal]", "Counselor words"),
                ("base_version", "2"),
                ("intent", "save"),
            ],
        )
        .await;
    assert_eq!(res.status, 404);

    // Both partners' downloads hold every version.
    let (_, export) = casey.visit("/export/my-data.json").await;
    assert!(export.body.contains("One of us raises a hand."));
    assert!(export.body.contains("done_together"));
}

async fn crossing_saves_overwrite_nothing_and_lose_nothing(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let joint = send_together(&app, &mut p.robin, &p.couple, "s3-transparency-plan").await;
    let page_url = format!("/together/{joint}");

    // Both open the empty page; Jordan saves first.
    let res = save_together(
        &mut jordan,
        &joint,
        0,
        &[("what_shared", "Plans for the day, each morning.")],
        "save",
    )
    .await;
    assert!(res.location.is_some(), "{}", res.body);
    // Casey's page still showed nothing: Casey's words do not replace Jordan's.
    let res = call_together(
        &mut casey,
        &joint,
        0,
        &[("what_shared", "Where we are, when plans change.")],
        "save",
    )
    .await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert!(
        res.body
            .contains("Your partner saved a newer version while you were writing"),
        "{}",
        res.body
    );
    let current: i64 =
        sqlx::query_scalar("select current_version from joint_work where joint_work_id = $1")
            .bind(&joint)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(current, 1, "Jordan's version stands");
    // Casey's words are kept for Casey alone, and the page holds them to merge.
    let (_, page) = casey.visit(&page_url).await;
    assert!(page.body.contains("Your words that are not saved yet"));
    assert!(page.body.contains("Where we are, when plans change."));
    assert!(page.body.contains("Plans for the day, each morning."));
    assert!(page.body.contains(r#"name="base_version" value="1""#));
    let (_, page) = jordan.visit(&page_url).await;
    assert!(!page.body.contains("Where we are, when plans change."));
    let (_, page) = p.robin.visit(&page_url).await;
    assert!(!page.body.contains("Where we are, when plans change."));
    let (_, export) = casey.visit("/export/my-data.json").await;
    assert!(export.body.contains("Where we are, when plans change."));
    let (_, export) = jordan.visit("/export/my-data.json").await;
    assert!(!export.body.contains("Where we are, when plans change."));

    // Casey merges and saves on the newest version: a second version, the kept words gone.
    let merged = "Plans for the day, each morning, and where we are when plans change.";
    let res = save_together(&mut casey, &joint, 1, &[("what_shared", merged)], "save").await;
    assert!(res.location.is_some(), "{}", res.body);
    assert_eq!(
        count(
            &app,
            "select count(*) from joint_draft where joint_work_id = $1",
            &joint
        )
        .await,
        0
    );
    let (_, page) = jordan.visit(&page_url).await;
    assert!(page.body.contains(merged));

    // Too long to save: refused in words, every word kept for its writer.
    let long = "w".repeat(20_001);
    let res = call_together(&mut jordan, &joint, 2, &[("what_shared", &long)], "save").await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains("characters long"), "{}", res.body);
    let kept: String = sqlx::query_scalar(
        "select answers from joint_draft where joint_work_id = $1 and position = 1",
    )
    .bind(&joint)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert!(kept.contains(&long));
    // Letting the kept words go starts again from the newest version.
    let res = save_together(&mut jordan, &joint, 0, &[], "discard").await;
    assert_eq!(
        res.location.as_deref(),
        Some(&*format!("{page_url}?discarded=1"))
    );
    let (_, page) = jordan.visit(&page_url).await;
    assert!(!page.body.contains("Your words that are not saved yet"));

    // Cancelled: nothing changes, and what was written stays readable.
    let res = p
        .robin
        .submit(
            &format!("/cases/{}", p.couple),
            "/api/cancel_joint",
            &[("joint_id", joint.as_str())],
        )
        .await;
    assert!(res.location.is_some(), "{}", res.body);
    let res = call_together(&mut jordan, &joint, 2, &[("what_shared", "More")], "save").await;
    assert_eq!(res.status, 409, "{}", res.body);
    let (_, page) = jordan.visit(&page_url).await;
    assert!(
        page.body
            .contains("Your counselor has cancelled this exercise")
    );
    assert!(page.body.contains(merged));
    let (_, home) = jordan.visit("/").await;
    assert!(!home.body.contains(&page_url), "gone from the list");
}

async fn step_8_answers_become_draft_agreements_in_one_click(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let joint = send_together(&app, &mut p.robin, &p.couple, "s8-draft-agreements").await;
    let page_url = format!("/together/{joint}");
    let honesty = "We tell each other about any change of plan the same day.";
    let connection = "Ten minutes together every evening, phones away.";
    save_together(
        &mut jordan,
        &joint,
        0,
        &[("honesty", honesty), ("connection", connection)],
        "send",
    )
    .await;

    let (_, page) = p.robin.visit(&page_url).await;
    assert!(page.body.contains("Draft agreements from these answers"));
    assert!(page.body.contains(r#"name="chosen[honesty]""#));
    assert!(page.body.contains(r#"name="chosen[connection]""#));
    let make = |version: &'static str| {
        [
            ("joint_id", joint.clone()),
            ("version", version.to_string()),
            ("chosen[honesty]", "on".to_string()),
            ("chosen[connection]", "on".to_string()),
        ]
    };
    let form = make("1");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = p
        .robin
        .submit(&page_url, "/api/joint_agreements", &form)
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(&*format!("{page_url}?agreements=1#agreements"))
    );
    // Two proposals wait for the counselor; a second click makes no more.
    let waiting = "select count(*) from agreement_version v join agreement a \
                   on a.agreement_id = v.agreement_id where a.couple_id = $1 \
                   and v.approved_at is null and v.declined_at is null";
    assert_eq!(count(&app, waiting, &p.couple).await, 2);
    let res = p.robin.call("/api/joint_agreements", &form).await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert_eq!(count(&app, waiting, &p.couple).await, 2);
    let (_, case_page) = p.robin.visit(&format!("/cases/{}", p.couple)).await;
    assert!(case_page.body.contains(honesty));
    assert!(case_page.body.contains(connection));
    // Partners see an agreement once the counselor approves it, not before.
    let (_, agreements) = casey.visit("/agreements").await;
    assert!(!agreements.body.contains(honesty));
    let version: String =
        sqlx::query_scalar("select agreement_version_id from agreement_version where body = $1")
            .bind(honesty)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    let res = p
        .robin
        .submit(
            &format!("/cases/{}", p.couple),
            "/api/decide_agreement",
            &[
                ("version_id", version.as_str()),
                ("decision", "approve"),
                ("reason", ""),
            ],
        )
        .await;
    assert!(res.location.is_some(), "{}", res.body);
    let (_, agreements) = casey.visit("/agreements").await;
    assert!(agreements.body.contains(honesty));
    assert!(!agreements.body.contains(connection));

    // Nothing ticked: refused in words. A stale version: refused.
    let res = p
        .robin
        .call(
            "/api/joint_agreements",
            &[("joint_id", joint.as_str()), ("version", "1")],
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    // The partners change it: the newest version can be drafted from again.
    save_together(
        &mut casey,
        &joint,
        1,
        &[
            ("honesty", honesty),
            ("connection", "Twenty minutes on Sundays."),
        ],
        "save",
    )
    .await;
    let stale = p.robin.call("/api/joint_agreements", &form).await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    let form = make("2");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = p
        .robin
        .submit(&page_url, "/api/joint_agreements", &form)
        .await;
    assert!(res.location.is_some(), "{}", res.body);
    // Partners cannot draft agreements from it.
    let res = jordan
        .call(
            "/api/joint_agreements",
            &[
                ("joint_id", joint.as_str()),
                ("version", "2"),
                ("chosen[honesty]", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 404);
}

async fn joint_work_goes_to_both_together_or_not_at_all(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let template: String = sqlx::query_scalar(
        "select exercise_template_id from exercise_template where builtin_key = $1",
    )
    .bind("s3-transparency-plan")
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    for (recipients, repeat) in [("1", "once"), ("both", "weekly")] {
        let due = (chrono::Utc::now().date_naive() + chrono::Days::new(3)).to_string();
        let res = p
            .robin
            .call(
                "/api/assign_homework",
                &[
                    ("couple_id", p.couple.as_str()),
                    ("template_id", template.as_str()),
                    ("recipients", recipients),
                    ("title", "Our transparency plan"),
                    ("instructions", "Together."),
                    ("due_on", due.as_str()),
                    ("repeat", repeat),
                ],
            )
            .await;
        assert_eq!(res.status, 422, "{recipients} {repeat}: {}", res.body);
        assert!(res.body.contains("This exercise is done together"));
    }
    let made = count(
        &app,
        "select count(*) from joint_work where couple_id = $1",
        &p.couple,
    )
    .await
        + count(
            &app,
            "select count(*) from assignment where couple_id = $1",
            &p.couple,
        )
        .await;
    assert_eq!(made, 0, "nothing half-sent");
    // The program says which exercises are done together.
    let program: String =
        sqlx::query_scalar("select program_id from program where builtin_key = 'ten-steps'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    let (_, page) = p.robin.visit(&format!("/programs/{program}")).await;
    assert_eq!(page.body.matches("Together: one shared answer").count(), 3);

    // An install of the previous content version gets the same three on upgrade.
    let db = app.state.db.writer();
    sqlx::query("update template_version set joint = 0")
        .execute(db)
        .await
        .unwrap();
    sqlx::query("update program set content_version = 4 where builtin_key is not null")
        .execute(db)
        .await
        .unwrap();
    app::features::program::seed::ensure_builtin(&app.state.db)
        .await
        .unwrap();
    let mut joint: Vec<String> = sqlx::query_scalar(
        "select e.builtin_key from exercise_template e join template_version v \
         on v.exercise_template_id = e.exercise_template_id and v.version = e.current_version \
         where v.joint = 1",
    )
    .fetch_all(db)
    .await
    .unwrap();
    joint.sort();
    assert_eq!(
        joint,
        [
            "s2-hard-feelings-agreement",
            "s3-transparency-plan",
            "s8-draft-agreements"
        ]
    );
}
