//! The way in on a new installation: the first-run administrator (the demo practice is in
//! demo_practice.rs).

use crate::both_engines;
use crate::helpers::{Engine, PASSWORD, TestApp};
use app::auth::Role;

both_engines!(
    an_empty_database_leads_to_the_first_run_page,
    first_run_checks_what_is_entered,
    first_run_is_closed_once_an_account_exists,
    once_set_up_the_first_run_form_refuses_before_anything_costly_and_is_throttled,
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
