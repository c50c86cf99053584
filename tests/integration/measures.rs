//! Standard measures: the counselor chooses per partner which questionnaires (PHQ-9, GAD-7,
//! PCL-5) and how often; a partner answers each on a page of its own when it is due; scores
//! show on the case page (chart and table), in the brief, the report and the CSV; PHQ-9 item 9
//! above "not at all" raises a flag first and shows help at once; the other partner sees none
//! of it.

use crate::actions::{Partners, schedule, tomorrow_at};
use crate::both_engines;
use crate::helpers::{Browser, Engine, Page, TestApp};
use crate::practice::{as_actor, practice};

both_engines!(
    the_counselor_chooses_questionnaires_and_a_partner_answers_them_when_due,
    phq9_item_9_raises_a_flag_first_and_shows_help_at_once,
    bad_questionnaire_input_is_refused_in_words,
);

async fn choose(robin: &mut Browser, couple: &str, position: &str, every: &[(&str, &str)]) -> Page {
    let mut form = vec![("couple_id", couple), ("position", position)];
    let keys: Vec<String> = every.iter().map(|(k, _)| format!("every[{k}]")).collect();
    for (key, (_, days)) in keys.iter().zip(every) {
        form.push((key.as_str(), days));
    }
    robin
        .submit(
            &format!("/cases/{couple}/progress"),
            "/api/set_measures",
            &form,
        )
        .await
}

/// Answers `key` with these item answers (and no follow-up).
async fn answer(b: &mut Browser, key: &str, items: &[i64]) -> Page {
    let names: Vec<String> = (1..=items.len()).map(|n| format!("item[{n}]")).collect();
    let values: Vec<String> = items.iter().map(|v| v.to_string()).collect();
    let mut form = vec![("key", key)];
    for (n, v) in names.iter().zip(&values) {
        form.push((n.as_str(), v.as_str()));
    }
    b.submit(&format!("/measures/{key}"), "/api/answer_measure", &form)
        .await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

async fn the_counselor_chooses_questionnaires_and_a_partner_answers_them_when_due(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let res = choose(&mut p.robin, &couple, "1", &[("phq9", "7"), ("gad7", "0")]).await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/cases/{couple}/progress?measures=saved#measures").as_str())
    );
    let (_, case_page) = p.robin.visit(&format!("/cases/{couple}/progress")).await;
    assert!(
        case_page
            .body
            .contains("PHQ-9 every week; GAD-7 before each session"),
        "{}",
        case_page.body
    );

    // Jordan: the weekly PHQ-9 is due now; the GAD-7 waits for a session.
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    for path in ["/", "/check-in"] {
        let (_, page) = jordan.visit(path).await;
        assert!(
            page.body.contains("Questionnaires from your counselor"),
            "{path}"
        );
        assert!(page.body.contains(r#"href="/measures/phq9""#), "{path}");
        assert!(!page.body.contains(r#"href="/measures/gad7""#), "{path}");
    }
    let (_, page) = jordan.visit("/measures/phq9").await;
    assert_eq!(page.status, 200);
    for exact in [
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
        "Little interest or pleasure in doing things",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
        "More than half the days",
        "Kroenke K, Spitzer RL, Williams JB.",
    ] {
        assert!(page.body.contains(exact), "{exact}");
    }
    let (_, page) = jordan.visit("/measures/gad7").await;
    assert!(page.body.contains("It is not due yet"));
    let (_, page) = jordan.visit("/measures/pcl5").await;
    assert_eq!(page.status, 404, "not chosen for Jordan");

    let res = answer(&mut jordan, "phq9", &[1, 1, 2, 1, 0, 1, 0, 0, 0]).await;
    assert_eq!(res.location.as_deref(), Some("/measures/phq9?sent=1"));
    assert_eq!(count(&app, "select count(*) from safety_flag").await, 0);
    let (_, home) = jordan.visit("/").await;
    assert!(
        !home.body.contains(r#"href="/measures/phq9""#),
        "answered for this week"
    );

    // A session tomorrow: the GAD-7 is due before it, once.
    schedule(&mut p.robin, &couple, &tomorrow_at("10:00"), Partners::Both).await;
    let (_, home) = jordan.visit("/").await;
    assert!(home.body.contains(r#"href="/measures/gad7""#));
    answer(&mut jordan, "gad7", &[0, 1, 1, 0, 0, 1, 0]).await;
    let (_, home) = jordan.visit("/").await;
    assert!(!home.body.contains(r#"href="/measures/gad7""#));

    // The counselor: latest totals with their bands, a chart and table, the CSV.
    let (_, case_page) = p.robin.visit(&format!("/cases/{couple}/progress")).await;
    assert!(case_page.body.contains("GAD-7 3 (Minimal)"));
    assert!(case_page.body.contains("PHQ-9 6 (Mild)"));
    assert!(
        case_page
            .body
            .contains("Patient Health Questionnaire (PHQ-9, 0\u{2013}27)")
    );
    let (_, csv) = p
        .robin
        .visit(&format!("/cases/{couple}/export/measures.csv"))
        .await;
    assert!(
        csv.body
            .contains("\"PHQ-9\",\"6\",\"Mild\",\"1 1 2 1 0 1 0 0 0\""),
        "{}",
        csv.body
    );
    let (_, report) = p
        .robin
        .visit(&format!("/cases/{couple}/report?from=2020-01-01"))
        .await;
    assert!(
        report
            .body
            .contains("Generalized Anxiety Disorder 7-item scale (GAD-7, 0\u{2013}21)")
    );

    // Casey is asked nothing, and finds none of it.
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let (_, home) = casey.visit("/").await;
    assert!(!home.body.contains("Questionnaires from your counselor"));
    let (_, page) = casey.visit("/measures/phq9").await;
    assert_eq!(page.status, 404);
    let res = casey.call("/api/my_measure", &[("key", "phq9")]).await;
    assert_eq!(res.status, 404);
    let (_, csv) = casey
        .visit(&format!("/cases/{couple}/export/measures.csv"))
        .await;
    assert!(!csv.body.contains("PHQ-9"));
}

async fn phq9_item_9_raises_a_flag_first_and_shows_help_at_once(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    choose(&mut p.robin, &couple, "2", &[("phq9", "14")]).await;
    let session = schedule(&mut p.robin, &couple, &tomorrow_at("09:00"), Partners::Both).await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let res = answer(&mut casey, "phq9", &[2, 2, 1, 2, 1, 2, 1, 0, 1]).await;
    assert_eq!(res.location.as_deref(), Some("/measures/phq9?sent=1"));
    assert_eq!(
        count(
            &app,
            "select count(*) from safety_flag where source = 'measure' and acknowledged_at is null"
        )
        .await,
        1
    );
    let (_, page) = casey.visit("/measures/phq9?sent=1").await;
    assert!(page.body.contains("Help is here if you need it"));
    assert!(page.body.contains("Your partner is not told."));

    let (_, case_page) = p.robin.visit(&format!("/cases/{couple}/progress")).await;
    let said = "PHQ-9: \u{201c}Several days\u{201d} to item 9";
    let flag_at = case_page
        .body
        .find(said)
        .expect("the flag on the case page");
    assert!(flag_at < case_page.body.find(r#"id="measures""#).unwrap());
    assert!(case_page.body.contains("PHQ-9 12 (Moderate)"));
    let (_, brief) = p.robin.visit(&format!("/sessions/{session}")).await;
    assert!(brief.body.contains(said));
    assert!(brief.body.contains(": 12 (Moderate)"), "{}", brief.body);

    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    for path in ["/", "/check-in", "/measures/phq9"] {
        let (_, page) = jordan.visit(path).await;
        assert!(
            !page.body.contains("Several days\u{201d} to item 9"),
            "{path}"
        );
        assert!(!page.body.contains("Help is here if you need it"), "{path}");
    }
    let details: Vec<Option<String>> =
        sqlx::query_scalar("select detail from audit_event where action = 'safety_flag_raised'")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(details, vec![Some("partner_2:measure".to_string())]);
}

async fn bad_questionnaire_input_is_refused_in_words(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    // Only the listed frequencies, only partner 1 or 2.
    let res = p
        .robin
        .call(
            "/api/set_measures",
            &[
                ("couple_id", &couple),
                ("position", "1"),
                ("every[phq9]", "3"),
            ],
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains("Choose how often"));
    let res = p
        .robin
        .call(
            "/api/set_measures",
            &[
                ("couple_id", &couple),
                ("position", "3"),
                ("every[phq9]", "7"),
            ],
        )
        .await;
    assert_eq!(res.status, 400);
    assert_eq!(count(&app, "select count(*) from measure_plan").await, 0);
    // Nobody but the couple's counselor chooses.
    for who in ["jordan@example.org", "dana@example.org"] {
        let mut b = as_actor(&app, Some(who)).await;
        let res = b
            .call(
                "/api/set_measures",
                &[
                    ("couple_id", &couple),
                    ("position", "1"),
                    ("every[phq9]", "7"),
                ],
            )
            .await;
        assert!(matches!(res.status, 403 | 404), "{who}: {}", res.status);
    }
    assert_eq!(count(&app, "select count(*) from measure_plan").await, 0);

    // A questionnaire with a question left out, or an answer not offered: a clear message.
    choose(&mut p.robin, &couple, "1", &[("gad7", "7")]).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let res = jordan
        .call(
            "/api/answer_measure",
            &[("key", "gad7"), ("item[1]", "1"), ("item[2]", "1")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(
        res.body.contains("question 3 has no answer yet"),
        "{}",
        res.body
    );
    let mut form: Vec<(String, String)> = (1..=7)
        .map(|n| (format!("item[{n}]"), "1".to_string()))
        .collect();
    form[6].1 = "4".into();
    form.push(("key".into(), "gad7".into()));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = jordan.call("/api/answer_measure", &form).await;
    assert_eq!(res.status, 422);
    assert_eq!(count(&app, "select count(*) from measure_answer").await, 0);

    // A closed case takes no more answers and no new choices.
    p.robin
        .submit(
            &format!("/cases/{couple}/progress"),
            "/api/set_case_status",
            &[("couple_id", couple.as_str()), ("status", "closed")],
        )
        .await;
    let mut form = form.clone();
    form[6] = ("item[7]", "0");
    let res = jordan.call("/api/answer_measure", &form).await;
    assert_eq!(res.status, 409, "{}", res.body);
    let res = p
        .robin
        .call(
            "/api/set_measures",
            &[
                ("couple_id", &couple),
                ("position", "1"),
                ("every[phq9]", "7"),
            ],
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.body);
}
