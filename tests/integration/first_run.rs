//! The way in on a new installation: the first-run administrator, and the demo practice.

use crate::both_engines;
use crate::helpers::{Engine, Options, PASSWORD, TestApp, temp_dir};
use app::auth::Role;

both_engines!(
    an_empty_database_leads_to_the_first_run_page,
    first_run_checks_what_is_entered,
    first_run_is_closed_once_an_account_exists,
    once_set_up_the_first_run_form_refuses_before_anything_costly_and_is_throttled,
    demo_mode_seeds_an_empty_database_and_lists_the_accounts,
    demo_data_never_mixes_into_a_database_with_accounts,
);

async fn an_empty_database_leads_to_the_first_run_page(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut b = app.browser();
    let (at, page) = b.visit("/").await;
    assert_eq!(at, "/setup");
    assert!(page.body.contains("Set up Trellis"));
    assert!(page.body.contains("Create administrator account"));

    let res = b
        .submit(
            "/setup",
            "/api/create_first_admin",
            &[
                ("display_name", "Morgan Ellis"),
                ("email", "morgan@example.org"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/"));
    let (at, page) = b.visit("/").await;
    assert_eq!(at, "/");
    assert!(page.body.contains("Morgan Ellis"));
    assert!(page.body.contains("Administrator"));
    assert!(
        page.body.contains("morgan@example.org"),
        "the accounts list"
    );
}

async fn first_run_checks_what_is_entered(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut b = app.browser();
    let cases: [(&str, &str, &str, &str, &str); 5] = [
        ("", "m@example.org", PASSWORD, PASSWORD, "Enter a name."),
        (
            "Morgan",
            "not-an-email",
            PASSWORD,
            PASSWORD,
            "Enter an email address",
        ),
        (
            "Morgan",
            "m@example.org",
            "short",
            "short",
            "Use at least 12 characters",
        ),
        (
            "Morgan",
            "m@example.org",
            "Password1234",
            "Password1234",
            "too easy to guess",
        ),
        (
            "Morgan",
            "m@example.org",
            PASSWORD,
            "something else entirely",
            "do not match",
        ),
    ];
    for (name, email, pw, confirm, message) in cases {
        let res = b
            .submit(
                "/setup",
                "/api/create_first_admin",
                &[
                    ("display_name", name),
                    ("email", email),
                    ("password", pw),
                    ("password_confirm", confirm),
                ],
            )
            .await;
        let back = res.location.expect("sent back to the form");
        let page = b.get(&back).await;
        assert!(page.body.contains(message), "expected {message:?}");
    }
    let count = app::auth::repo::count_users(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing half-created");
}

async fn first_run_is_closed_once_an_account_exists(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Admin, "Morgan", "morgan@example.org")
        .await;
    let mut b = app.browser();
    let (at, page) = b.visit("/setup").await;
    assert_eq!(at, "/setup");
    assert!(page.body.contains("already set up"));
    let res = b
        .call(
            "/api/create_first_admin",
            &[
                ("display_name", "Mallory"),
                ("email", "mallory@example.org"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, 409);
    assert!(
        app::auth::repo::find_by_email(app.state.db.pool(), "mallory@example.org")
            .await
            .unwrap()
            .is_none()
    );
}

/// Once any account exists the form answers "already set up" before it looks at what it
/// was sent, so it never hashes a password (argon2, expensive on purpose) for anyone; and
/// it is counted by address like sign-in, so it cannot be called without end.
async fn once_set_up_the_first_run_form_refuses_before_anything_costly_and_is_throttled(
    engine: Engine,
) {
    use app::auth::throttle::ADDRESS_LIMIT;
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Admin, "Morgan", "morgan@example.org")
        .await;
    let mut b = app.browser();
    let form = |password: &'static str, confirm: &'static str| {
        [
            ("display_name", "Mallory"),
            ("email", "mallory@example.org"),
            ("password", password),
            ("password_confirm", confirm),
        ]
    };
    // What is entered is never checked (that comes before hashing): a mismatch, a weak
    // password and a good one all get the same answer, straight away.
    for (password, confirm) in [
        (PASSWORD, "something else entirely"),
        ("Password1234", "Password1234"),
        ("short", "short"),
        (PASSWORD, PASSWORD),
    ] {
        let res = b
            .call("/api/create_first_admin", &form(password, confirm))
            .await;
        assert_eq!(res.status, 409, "{password:?}: {}", res.body);
        assert!(
            res.body.contains("Trellis already has an administrator"),
            "{}",
            res.body
        );
    }
    for _ in 4..ADDRESS_LIMIT {
        let res = b
            .call("/api/create_first_admin", &form(PASSWORD, PASSWORD))
            .await;
        assert_eq!(res.status, 409, "{}", res.body);
    }
    let res = b
        .call("/api/create_first_admin", &form(PASSWORD, PASSWORD))
        .await;
    assert_eq!(res.status, 429, "{}", res.body);
    assert!(res.headers.contains_key("retry-after"));
    // In a browser, the page says it is set up, and where to sign in.
    let res = b
        .submit(
            "/setup",
            "/api/create_first_admin",
            &form(PASSWORD, PASSWORD),
        )
        .await;
    let back = res.location.expect("back to the form");
    assert!(back.starts_with("/setup?"), "{back}");
    assert!(b.get(&back).await.body.contains("already set up"));
    // Signing in from the same address is not paused by it.
    let res = b.sign_in("morgan@example.org", PASSWORD).await;
    assert_eq!(res.location.as_deref(), Some("/"));

    // Before anyone is set up, the form (which hashes what it is sent) pauses the same way.
    let empty = TestApp::spawn(engine).await;
    let mut b = empty.browser();
    for _ in 0..ADDRESS_LIMIT {
        let res = b
            .call(
                "/api/create_first_admin",
                &form(PASSWORD, "something else entirely"),
            )
            .await;
        assert_eq!(res.status, 422, "{}", res.body);
    }
    let res = b
        .submit(
            "/setup",
            "/api/create_first_admin",
            &form(PASSWORD, PASSWORD),
        )
        .await;
    let page = b.get(&res.location.expect("back to the form")).await;
    assert!(
        page.body
            .contains("Too many failed sign-in attempts. Please wait"),
        "{}",
        page.body
    );
    let count = app::auth::repo::count_users(empty.state.db.pool())
        .await
        .unwrap();
    assert_eq!(count, 0);
}

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

both_engines!(create_admin_from_the_command_line);

async fn create_admin_from_the_command_line(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let config = &app.config;
    // A weak password is refused and nothing is created.
    let weak =
        server::cli::create_admin(config, "ops@example.org", "Ops", "password1234".into()).await;
    assert!(weak.unwrap_err().to_string().contains("too easy to guess"));
    assert_eq!(
        app::auth::repo::count_users(app.state.db.pool())
            .await
            .unwrap(),
        0
    );
    server::cli::create_admin(config, "Ops@Example.org", "Ops Person", PASSWORD.into())
        .await
        .unwrap();
    // The new administrator signs in on the web.
    let mut b = app.browser();
    let res = b.sign_in("ops@example.org", PASSWORD).await;
    assert_eq!(res.location.as_deref(), Some("/"));
    assert!(b.visit("/").await.1.body.contains("Ops Person"));
}
