//! The other way in on a new installation: the demo practice (`TRELLIS_DEMO=1`), seeded
//! into an empty database only.

use crate::both_engines;
use crate::helpers::{Engine, Options, TestApp, temp_dir};
use app::auth::Role;

both_engines!(
    demo_mode_seeds_an_empty_database_and_lists_the_accounts,
    demo_data_never_mixes_into_a_database_with_accounts,
);

async fn demo_mode_seeds_an_empty_database_and_lists_the_accounts(engine: Engine) {
    let app = TestApp::spawn_with(
        engine,
        Options {
            demo: true,
            ..Default::default()
        },
    )
    .await;
    let mut b = app.browser();
    let (at, page) = b.visit("/").await;
    assert_eq!(at, "/login");
    for email in [
        "admin@demo.trellis.test",
        "counselor@demo.trellis.test",
        "alex@demo.trellis.test",
        "sam@demo.trellis.test",
    ] {
        assert!(page.body.contains(email), "{email} listed");
    }
    assert!(page.body.contains("trellis-demo"));
    let res = b
        .sign_in("counselor@demo.trellis.test", "trellis-demo")
        .await;
    assert_eq!(res.location.as_deref(), Some("/"));
    let (_, caseload) = b.visit("/").await;
    assert!(caseload.body.contains("Dr. Robin Hale"));
    // A lived-in practice: Alex & Sam active for months, Jordan & Casey new at intake.
    assert!(caseload.body.contains("2 couples"));
    assert!(caseload.body.contains("Casey Okafor has not joined yet"));
    assert!(caseload.body.contains("1 submission awaiting review"));
    assert!(caseload.body.contains("1 assignment overdue"));
    let alex_first = caseload.body.find("Alex &amp; Sam").unwrap();
    assert!(
        alex_first < caseload.body.find("Jordan &amp; Casey").unwrap(),
        "most urgent first"
    );
    let alex_and_sam: String =
        sqlx::query_scalar("select couple_id from couple where case_name = 'Alex & Sam'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    // The case, every section of it.
    let mut case = b.visit(&format!("/cases/{alex_and_sam}")).await.1;
    assert!(case.body.contains("Before they walk in"));
    for section in &crate::helpers::CASE_SECTIONS[1..] {
        let (_, page) = b.visit(&format!("/cases/{alex_and_sam}/{section}")).await;
        case.body.push_str(&page.body);
    }
    assert_eq!(case.body.matches("Joined on").count(), 2);
    assert!(case.body.contains("Status changed to Active"));
    assert!(
        case.body
            .contains("Step 3 of 10: Be consistently transparent")
    );
    let opened = chrono::Utc::now() - chrono::Duration::days(107);
    assert!(
        case.body.contains(&opened.format("%Y-%m-%d").to_string()),
        "the case has a history"
    );
    // Agreements with weeks of follow-through, a reworded one and a proposal waiting.
    assert!(case.body.contains("Follow-through by week"));
    assert!(
        case.body
            .contains("Sam Rivera has not acknowledged this wording yet.")
    );
    assert!(case.body.contains("Alex Rivera proposes a new agreement"));
    assert!(case.body.contains("Steps over time"));
    assert!(
        case.body.contains("then step 3 for") && case.body.contains("so far."),
        "the steps timeline's summary"
    );
    assert!(
        case.body
            .contains("Homework completed of what came due, by week")
    );
    // Both intakes sent before the first session, neither raising a flag.
    assert!(case.body.contains("Alex Rivera sent their intake on"));
    assert!(case.body.contains("Sam Rivera sent their intake on"));
    let (_, intake) = b.visit(&format!("/cases/{alex_and_sam}/intake")).await;
    assert!(intake.body.contains("and I hate who that makes me."));
    let intake_flags: i64 =
        sqlx::query_scalar("select count(*) from safety_flag where source = 'intake'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(intake_flags, 0);
    // Months of questionnaires that tell a story: Sam's depression easing, the PCL-5 due.
    assert!(
        case.body.contains("PHQ-9 8 (Mild, was 9)"),
        "Sam's latest PHQ-9"
    );
    assert!(
        case.body.contains("PHQ-9 6 (Mild, was 7)"),
        "Alex's latest PHQ-9"
    );
    assert!(
        case.body
            .contains("PTSD Checklist for DSM-5 (PCL-5, 0\u{2013}80)")
    );
    let mut sam = app.browser();
    sam.sign_in("sam@demo.trellis.test", "trellis-demo").await;
    let (_, home) = sam.visit("/").await;
    assert!(
        home.body.contains(r#"href="/measures/pcl5""#),
        "Sam's monthly PCL-5 is due"
    );
    assert!(!home.body.contains(r#"href="/measures/phq9""#));
    // The next session online with its joining link, the one after at the practice.
    assert!(
        home.body
            .contains(r#"href="https://video.example.org/hale/alex-and-sam""#)
    );
    assert!(
        home.body
            .contains("At Harbour Counselling, 2nd floor, 14 Harbour Street")
    );
    // Work done together: the hard-feelings agreement sent to Dr. Hale weeks ago, and the
    // transparency plan Alex changed yesterday, which Sam sees first.
    assert!(home.body.contains("Our transparency plan"));
    assert!(home.body.contains("Started together"));
    let plan: String = sqlx::query_scalar(
        "select joint_work_id from joint_work where title = 'Our transparency plan'",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    let (_, page) = sam.visit(&format!("/together/{plan}")).await;
    assert!(
        page.body
            .contains("What Alex Rivera changed since you last saved")
    );
    assert!(page.body.contains("Location sharing on both our phones"));
    assert!(
        page.body
            .contains("Part of step 3: Be consistently transparent")
    );
    assert!(case.body.contains("Both, together"));
    assert!(case.body.contains("Sent to you"));
}

async fn demo_data_never_mixes_into_a_database_with_accounts(engine: Engine) {
    // A practice already in use...
    let dir = temp_dir();
    let url = crate::helpers::fresh_database(engine, &dir.0).await;
    let first = TestApp::spawn_on(engine, temp_dir(), url.clone(), Options::default()).await;
    first
        .create_user(Role::Admin, "Morgan", "morgan@example.org")
        .await;
    // ...restarted with TRELLIS_DEMO=1 gets no demo accounts and lists none.
    let app = TestApp::spawn_on(
        engine,
        dir,
        url,
        Options {
            demo: true,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        app::auth::repo::count_users(app.state.db.pool())
            .await
            .unwrap(),
        1
    );
    let page = app.browser().get("/login").await;
    assert!(!page.body.contains("demo.trellis.test"));
}
