//! What a counselor makes of work done together: step 8's answers turned into draft
//! agreements in one click, and joint work sent only to both partners, together, once.

use super::count;
use crate::actions::{save_together, send_together};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::practice::{as_actor, practice};

both_engines!(
    step_8_answers_become_draft_agreements_in_one_click,
    joint_work_goes_to_both_together_or_not_at_all,
);

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
    let (_, case_page) = p
        .robin
        .visit(&format!("/cases/{}/agreements", p.couple))
        .await;
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
