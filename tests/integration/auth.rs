//! Password sign-in, sessions, throttling and sign-out, driven through the real router.

use crate::both_engines;
use crate::helpers::{Engine, PASSWORD, TestApp};
use app::auth::Role;

both_engines!(
    password_sign_in_lands_on_the_home_page,
    wrong_password_is_refused_with_a_clear_message,
    repeated_failures_for_one_account_are_throttled,
    repeated_failures_from_one_address_are_throttled,
    idle_sessions_expire,
    sessions_end_at_the_absolute_limit,
    signing_out_invalidates_the_old_cookie,
    sign_in_rotates_the_session,
    deactivated_accounts_lose_their_sessions,
    server_functions_check_the_role,
    concurrent_sign_ins_all_succeed,
);

async fn password_sign_in_lands_on_the_home_page(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Counselor, "Robin Hale", "robin@example.org")
        .await;
    let mut b = app.browser();

    let (at, _) = b.visit("/").await;
    assert_eq!(at, "/login", "signed-out visitors are sent to sign in");

    let res = b.sign_in("Robin@Example.org ", PASSWORD).await;
    assert_eq!(res.status, 302);
    assert_eq!(res.location.as_deref(), Some("/"));
    let set_cookie = res.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(set_cookie.contains("HttpOnly"));
    assert!(set_cookie.contains("SameSite=Lax"));
    assert!(!set_cookie.contains("Secure"), "plain http in tests");

    let (at, page) = b.visit("/").await;
    assert_eq!(at, "/");
    assert!(page.body.contains("Robin Hale"));
    assert!(page.body.contains("Counselor"));
    assert!(page.body.contains("Sign out"));
    assert_eq!(
        page.headers.get("cache-control").unwrap(),
        "no-store",
        "pages with private data are never cached"
    );
    assert!(app.audit_actions().await.contains(&"sign_in".to_string()));
}

async fn wrong_password_is_refused_with_a_clear_message(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Partner, "Alex", "alex@example.org")
        .await;
    let mut b = app.browser();

    // A browser with JS off is sent back to the form, which shows the error.
    let res = b
        .sign_in("alex@example.org", "not the right password")
        .await;
    assert_eq!(res.status, 302);
    let back = res.location.unwrap();
    assert!(back.contains("/login"), "{back}");
    let page = b.get(&back).await;
    assert!(page.body.contains("Email or password is incorrect."));
    assert!(b.session_cookie().is_none());

    // Unknown accounts get the same message: nothing reveals which emails exist.
    let res = b
        .sign_in("nobody@example.org", "not the right password")
        .await;
    let page = b.get(&res.location.unwrap()).await;
    assert!(page.body.contains("Email or password is incorrect."));

    // A non-browser client gets the status code.
    let res = b
        .call(
            "/api/sign_in",
            &[
                ("email", "alex@example.org"),
                ("password", "wrong password!"),
            ],
        )
        .await;
    assert_eq!(res.status, 401);
    assert!(b.session_cookie().is_none());

    let actions = app.audit_actions().await;
    assert_eq!(actions.iter().filter(|a| *a == "sign_in_failed").count(), 3);
}

async fn repeated_failures_for_one_account_are_throttled(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Partner, "Sam", "sam@example.org")
        .await;
    let mut b = app.browser();
    for _ in 0..app::auth::throttle::ACCOUNT_LIMIT {
        let res = b
            .call(
                "/api/sign_in",
                &[
                    ("email", "sam@example.org"),
                    ("password", "guess guess guess"),
                ],
            )
            .await;
        assert_eq!(res.status, 401);
    }
    // Now even the right password waits: the guesser cannot tell a hit from a miss.
    let res = b
        .call(
            "/api/sign_in",
            &[("email", "sam@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status, 429);
    let retry: i64 = res.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    assert!(b.session_cookie().is_none());

    // A person in a browser sees a clear message instead.
    let res = b.sign_in("sam@example.org", PASSWORD).await;
    let page = b.get(&res.location.unwrap()).await;
    assert!(
        page.body
            .contains("Too many failed sign-in attempts. Please wait"),
        "{}",
        page.body
    );
    assert!(
        app.audit_actions()
            .await
            .contains(&"sign_in_throttled".to_string())
    );

    // Other accounts are unaffected.
    app.create_user(Role::Partner, "Alex", "alex@example.org")
        .await;
    let res = b.sign_in("alex@example.org", PASSWORD).await;
    assert_eq!(res.location.as_deref(), Some("/"));
}

async fn repeated_failures_from_one_address_are_throttled(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Partner, "Alex", "alex@example.org")
        .await;
    let mut b = app.browser();
    for i in 0..app::auth::throttle::ADDRESS_LIMIT {
        let email = format!("spray{i}@example.org");
        let res = b
            .call(
                "/api/sign_in",
                &[("email", &email), ("password", "Summer2026!!")],
            )
            .await;
        assert_eq!(res.status, 401);
    }
    let res = b
        .call(
            "/api/sign_in",
            &[("email", "alex@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        res.status, 429,
        "password spraying from one address is paused"
    );
}

async fn backdate_session(app: &TestApp, column: &str, minutes: i64) {
    let at = app::db::now_ms() - minutes * 60_000;
    sqlx::query(&format!("update user_session set {column} = $1"))
        .bind(at)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    // As if that time had passed: the server's copy of the session is long gone.
    app::db::people_changed();
}

async fn session_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from user_session")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

async fn idle_sessions_expire(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Counselor, "Robin", "robin@example.org")
        .await;
    let mut b = app.browser();
    b.sign_in("robin@example.org", PASSWORD).await;
    assert_eq!(b.visit("/").await.0, "/");

    // 29 minutes idle: still signed in.
    backdate_session(&app, "last_seen_at", 29).await;
    assert_eq!(b.visit("/").await.0, "/");

    // 31 minutes idle: the session is over. Its row stays a day, lapsed, only to name
    // whose a late form is (`held_words.rs`); it never signs anyone in again.
    backdate_session(&app, "last_seen_at", 31).await;
    assert_eq!(b.visit("/").await.0, "/login");
    backdate_session(&app, "last_seen_at", -60).await;
    assert_eq!(
        b.visit("/").await.0,
        "/login",
        "a lapsed session stays lapsed"
    );
    let lapsed: i64 =
        sqlx::query_scalar("select count(*) from user_session where lapsed_at is not null")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!((session_count(&app).await, lapsed), (1, 1));
    let expired = app
        .audit_actions()
        .await
        .iter()
        .filter(|a| *a == "session_expired")
        .count();
    assert_eq!(expired, 1, "recorded once");
    // Signing in again ends it for good.
    b.sign_in("robin@example.org", PASSWORD).await;
    assert_eq!(b.visit("/").await.0, "/");
    let lapsed: i64 =
        sqlx::query_scalar("select count(*) from user_session where lapsed_at is not null")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!((session_count(&app).await, lapsed), (1, 0));
}

async fn sessions_end_at_the_absolute_limit(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Counselor, "Robin", "robin@example.org")
        .await;
    let mut b = app.browser();
    b.sign_in("robin@example.org", PASSWORD).await;
    // Active a moment ago, but signed in more than 12 hours ago.
    backdate_session(&app, "expires_at", 1).await;
    assert_eq!(b.visit("/").await.0, "/login");
}

async fn signing_out_invalidates_the_old_cookie(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Partner, "Alex", "alex@example.org")
        .await;
    let mut b = app.browser();
    b.sign_in("alex@example.org", PASSWORD).await;
    let old_cookie = b.session_cookie().unwrap();

    let res = b.submit("/", "/api/sign_out", &[]).await;
    assert_eq!(res.status, 302);
    assert_eq!(res.location.as_deref(), Some("/login?signed_out=1"));
    assert!(
        b.session_cookie().is_none(),
        "the browser's cookie is cleared"
    );
    let page = b.get("/login?signed_out=1").await;
    assert!(page.body.contains("You have signed out."));

    // Someone who kept a copy of the old cookie gets nothing.
    let mut thief = app.browser();
    thief
        .cookies
        .insert(app::auth::session::SESSION_COOKIE.into(), old_cookie);
    assert_eq!(thief.visit("/").await.0, "/login");
    let res = thief.call("/api/current_user", &[]).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.body, "null");
    assert_eq!(session_count(&app).await, 0);
    assert!(app.audit_actions().await.contains(&"sign_out".to_string()));
}

async fn sign_in_rotates_the_session(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Partner, "Alex", "alex@example.org")
        .await;
    let mut b = app.browser();
    b.sign_in("alex@example.org", PASSWORD).await;
    let first = b.session_cookie().unwrap();
    b.sign_in("alex@example.org", PASSWORD).await;
    let second = b.session_cookie().unwrap();
    assert_ne!(first, second, "a new session id at every sign-in");
    assert_eq!(
        session_count(&app).await,
        1,
        "the earlier session was ended"
    );

    // The token in the cookie is not what the database stores.
    let stored: String = sqlx::query_scalar("select user_session_id from user_session")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_ne!(stored, second);
}

async fn deactivated_accounts_lose_their_sessions(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let id = app
        .create_user(Role::Counselor, "Robin", "robin@example.org")
        .await;
    let mut b = app.browser();
    b.sign_in("robin@example.org", PASSWORD).await;
    assert_eq!(b.visit("/").await.0, "/");

    app::auth::repo::set_status(app.state.db.writer(), &id, "deactivated")
        .await
        .unwrap();
    assert_eq!(b.visit("/").await.0, "/login");

    // Nor can they sign in again.
    let res = b
        .call(
            "/api/sign_in",
            &[("email", "robin@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status, 403);
    assert!(res.body.contains("AccountDeactivated"));
}

async fn server_functions_check_the_role(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Admin, "Morgan", "admin@example.org")
        .await;
    app.create_user(Role::Counselor, "Robin", "robin@example.org")
        .await;
    app.create_user(Role::Partner, "Alex", "alex@example.org")
        .await;

    let mut anon = app.browser();
    assert_eq!(anon.call("/api/list_accounts", &[]).await.status, 401);
    assert_eq!(anon.call("/api/sign_out", &[]).await.status, 401);

    for (email, expected) in [
        ("robin@example.org", 403),
        ("alex@example.org", 403),
        ("admin@example.org", 200),
    ] {
        let mut b = app.browser();
        b.sign_in(email, PASSWORD).await;
        let res = b.call("/api/list_accounts", &[]).await;
        assert_eq!(res.status, expected, "{email}");
        if expected == 200 {
            assert!(res.body.contains("alex@example.org"));
            assert!(
                !res.body.contains("argon2"),
                "hashes never leave the server"
            );
        }
    }
}

async fn concurrent_sign_ins_all_succeed(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    for i in 0..8 {
        app.create_user(
            Role::Partner,
            &format!("Person {i}"),
            &format!("p{i}@example.org"),
        )
        .await;
    }
    // Each sign-in writes a session and an audit entry; none may fail with a lock error.
    let mut tasks = Vec::new();
    for round in 0..4 {
        for i in 0..8 {
            let base = app.base.clone();
            tasks.push(tokio::spawn(async move {
                let mut b = crate::helpers::Browser::new(&base);
                let res = b.sign_in(&format!("p{i}@example.org"), PASSWORD).await;
                (round, i, res.status, res.location)
            }));
        }
    }
    for t in tasks {
        let (round, i, status, location) = t.await.unwrap();
        assert_eq!(
            (status, location.as_deref()),
            (302, Some("/")),
            "round {round} person {i}"
        );
    }
    assert_eq!(session_count(&app).await, 32);
}
