//! Flags from homework: a checklist item marked as a safety item ("Feeling unsafe" in step 7)
//! raises the same flag as the check-in's safety question, first on the case page, with help
//! first on the partner's page; and a practice that installed an earlier release gets the
//! mark on the built-in exercise without losing a word it wrote.

use crate::actions::{Homework, Partner, Partners, assign};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::practice::{as_actor, practice};

both_engines!(
    ticking_a_safety_item_raises_a_flag_first_on_the_case_page,
    an_earlier_install_gets_the_safety_mark_on_unchanged_exercises_only,
);

/// The built-in "Support for me" exercise (step 7, for the hurt partner).
async fn support_for_me(app: &TestApp) -> String {
    sqlx::query_scalar(
        "select exercise_template_id from exercise_template where builtin_key = 's7-support-for-me'",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap()
}

async fn open_flags(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from safety_flag where acknowledged_at is null")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

async fn ticking_a_safety_item_raises_a_flag_first_on_the_case_page(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let template = support_for_me(&app).await;
    let homework = Homework {
        template: Some(&template),
        ..Homework::titled("Support for me")
    };
    let copies = assign(
        &app,
        &mut p.robin,
        &p.couple,
        Partners::Only(Partner::Second),
        &homework,
    )
    .await;
    let copy = &copies[0];
    let page_path = format!("/homework/{copy}");
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    // Said before anything is ticked.
    let (_, page) = casey.visit(&page_path).await;
    assert!(
        page.body.contains(
            "If you tick \u{201c}Feeling unsafe\u{201d} and submit, it is marked for your counselor"
        ),
        "{}",
        page.body
    );

    let form = |ticked: &str| -> Vec<(String, String)> {
        [
            ("assignment_id", copy.as_str()),
            ("answers[support_needed]", "Time with my sister."),
            (ticked, "on"),
            ("visibility", "counselor"),
            ("intent", "submit"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    };
    // "Sleep" is not a safety item: no flag, no crisis panel.
    let sleep = form("answers[struggling-0]");
    let res = casey
        .submit(&page_path, "/api/save_homework", &pairs(&sleep))
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("{page_path}?submitted=1").as_str())
    );
    assert_eq!(open_flags(&app).await, 0);
    let (_, page) = casey.visit(&format!("{page_path}?submitted=1")).await;
    assert!(!page.body.contains("Help is here if you need it"));

    // "Feeling unsafe" is: a flag, and help first on the page.
    let unsafe_ticked = form("answers[struggling-5]");
    casey
        .submit(&page_path, "/api/save_homework", &pairs(&unsafe_ticked))
        .await;
    assert_eq!(open_flags(&app).await, 1);
    let (_, page) = casey.visit(&format!("{page_path}?submitted=1")).await;
    assert!(page.body.contains("Help is here if you need it"));
    assert!(page.body.contains("Emergency services"));
    assert!(
        page.body
            .contains("first on their list. Your partner is not told.")
    );

    // The counselor sees it above everything else, saying where it came from.
    let (_, case_page) = p.robin.visit(&format!("/cases/{}", p.couple)).await;
    let said = "Casey Lee ticked \u{201c}Feeling unsafe\u{201d} in the homework \u{201c}Support for me\u{201d}";
    let flag_at = case_page
        .body
        .find(said)
        .expect("the flag on the case page");
    let facts_at = case_page.body.find("Since the rupture").unwrap();
    assert!(flag_at < facts_at, "the flag comes first");
    let (_, caseload) = p.robin.visit("/").await;
    assert!(caseload.body.contains("1 safety flag to look at"));

    // Sent again with the same tick while the flag is open: still one flag.
    casey
        .submit(&page_path, "/api/save_homework", &pairs(&unsafe_ticked))
        .await;
    assert_eq!(open_flags(&app).await, 1);

    // The other partner learns nothing of it, anywhere they can look.
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    for path in ["/", "/check-in", "/agreements", &page_path] {
        let (_, page) = jordan.visit(path).await;
        assert!(!page.body.contains("Feeling unsafe"), "{path}");
        assert!(!page.body.contains("Help is here if you need it"), "{path}");
    }

    // Audited once, as coming from Casey's homework.
    let details: Vec<Option<String>> =
        sqlx::query_scalar("select detail from audit_event where action = 'safety_flag_raised'")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(details, vec![Some("partner_2:homework".to_string())]);
}

async fn fields(app: &TestApp, template: &str) -> String {
    sqlx::query_scalar("select fields from template_version where exercise_template_id = $1")
        .bind(template)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

async fn an_earlier_install_gets_the_safety_mark_on_unchanged_exercises_only(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let db = &app.state.db;
    let template = support_for_me(&app).await;
    let marked = fields(&app, &template).await;
    assert!(
        marked.contains(r#""safety":["Feeling unsafe"]"#),
        "{marked}"
    );
    // As an install of the first release had it: no marks, content version 1; and one
    // built-in exercise with a safety item whose words the practice changed.
    let unmarked = marked.replace(r#","safety":["Feeling unsafe"]"#, "");
    sqlx::query("update template_version set fields = $1 where exercise_template_id = $2")
        .bind(&unmarked)
        .bind(&template)
        .execute(db.writer())
        .await
        .unwrap();
    sqlx::query("update program set content_version = 1 where builtin_key is not null")
        .execute(db.writer())
        .await
        .unwrap();
    app::features::program::seed::ensure_builtin(db)
        .await
        .unwrap();
    assert_eq!(fields(&app, &template).await, marked, "marked on upgrade");
    let version: i64 =
        sqlx::query_scalar("select content_version from program where builtin_key is not null")
            .fetch_one(db.pool())
            .await
            .unwrap();
    let shipped = app::features::program::seed::ten_steps()
        .unwrap()
        .content_version;
    assert_eq!(version, shipped, "brought up to this release's content");

    // A practice that reworded the checklist keeps its words, unmarked.
    let reworded = unmarked.replace("Feeling unsafe", "Feeling frightened at home");
    sqlx::query("update template_version set fields = $1 where exercise_template_id = $2")
        .bind(&reworded)
        .bind(&template)
        .execute(db.writer())
        .await
        .unwrap();
    sqlx::query("update program set content_version = 1 where builtin_key is not null")
        .execute(db.writer())
        .await
        .unwrap();
    app::features::program::seed::ensure_builtin(db)
        .await
        .unwrap();
    assert_eq!(
        fields(&app, &template).await,
        reworded,
        "the practice's words kept"
    );
}
