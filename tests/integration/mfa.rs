//! Two-factor sign-in (TOTP): setting it up and the second sign-in step; recovery codes,
//! throttling and turning it off (mfa/codes.rs); the practice policy and the administrator's
//! reset (mfa/policy.rs); secrets sealed at rest (mfa/at_rest.rs); codes computed by the
//! test's own authenticator (mfa/support.rs).

mod at_rest;
mod codes;
mod policy;
pub mod support;

use crate::both_engines;
use crate::helpers::{Engine, PASSWORD, TestApp};
use app::auth::Role;
use support::*;

both_engines!(
    setting_up_shows_a_qr_code_and_needs_a_right_code,
    signing_in_needs_the_second_step,
    codes_work_once_and_pending_sign_ins_expire,
);

async fn setting_up_shows_a_qr_code_and_needs_a_right_code(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let id = app
        .create_user(Role::Counselor, "Robin Hale", "robin@example.org")
        .await;
    let mut b = app.browser();
    b.sign_in("robin@example.org", PASSWORD).await;

    let (_, settings) = b.visit("/settings").await;
    assert!(settings.body.contains("href=\"/account/two-factor\""));
    let (_, page) = b.visit("/account/two-factor").await;
    assert!(page.body.contains("Set up two-factor sign-in"));
    assert!(!page.body.contains("<svg"));

    let (secret, page) = start_setup(&mut b).await;
    let qr = between(&page.body, "class=\"qr\">", "</div>").expect("a QR code");
    assert!(qr.contains("<svg") && qr.contains("</svg>"), "{qr}");
    assert!(page.body.contains("Code from your app"));
    assert!(page.body.contains("Turn on two-factor sign-in"));
    let stored: String = sqlx::query_scalar("select secret from user_mfa where app_user_id = $1")
        .bind(&id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_ne!(stored, secret, "kept sealed, not as shown");
    let kept = app.state.auth.mfa_keys.open(&id, &stored).unwrap().secret;
    assert_eq!(
        kept,
        decode_base32(&secret),
        "the key shown is the one kept"
    );

    // A wrong code does not switch it on.
    let step = steady_step().await;
    let res = b
        .submit(
            "/account/two-factor",
            "/api/confirm_mfa_setup",
            &[("code", &wrong_code(&secret, step))],
        )
        .await;
    let body = shown_error(&mut b, &res).await;
    assert!(body.contains("That code is not right."), "{body}");
    let on: Option<i64> =
        sqlx::query_scalar("select enabled_at from user_mfa where app_user_id = $1")
            .bind(&id)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert!(on.is_none());

    // The right one does, and the recovery codes are shown exactly once.
    let res = b
        .submit(
            "/account/two-factor",
            "/api/confirm_mfa_setup",
            &[("code", &code(&secret, step))],
        )
        .await;
    let to = res.location.unwrap();
    let page = b.get(&to).await;
    assert!(page.body.contains("Two-factor sign-in is on"));
    let codes = recovery_codes(&page.body);
    assert_eq!(codes.len(), 10);
    let page = b.get("/account/two-factor").await;
    assert!(recovery_codes(&page.body).is_empty(), "shown only once");
    assert!(page.body.contains("10 of 10 recovery codes left"));
    assert!(!page.body.contains(&secret), "the key is not shown again");
    assert!(!page.body.contains("<svg"));
    let hashes: Vec<String> =
        sqlx::query_scalar("select code_hash from mfa_recovery_code where app_user_id = $1")
            .bind(&id)
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(hashes.len(), 10);
    for c in &codes {
        assert!(!hashes.iter().any(|h| h.contains(&c.replace('-', ""))));
    }

    let actions: Vec<String> = audit(&app).await.into_iter().map(|a| a.0).collect();
    assert_eq!(
        actions[..3],
        ["mfa_enabled", "mfa_code_refused", "mfa_setup_started"]
    );
    let (_, log) = admin_browser(&app).await.visit("/admin/audit").await;
    assert!(log.body.contains("Two-factor sign-in turned on"));
    assert!(log.body.contains("Two-factor code refused (setup)"));
}

async fn admin_browser(app: &TestApp) -> crate::helpers::Browser {
    app.create_user(Role::Admin, "Morgan", "admin@example.org")
        .await;
    let mut a = app.browser();
    a.sign_in("admin@example.org", PASSWORD).await;
    a
}

async fn signing_in_needs_the_second_step(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Counselor, "Robin Hale", "robin@example.org")
        .await;
    let mut setup = app.browser();
    setup.sign_in("robin@example.org", PASSWORD).await;
    let enrolled = enrol(&mut setup).await;

    let (mut b, res) = password_step(&app, "robin@example.org").await;
    assert_eq!(res.status, 302);
    assert_eq!(res.location.as_deref(), Some("/login/two-factor"));
    assert!(
        b.session_cookie().is_none(),
        "no session after the password alone"
    );
    let pending = res
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("trellis_mfa_pending="))
        .expect("a pending sign-in cookie");
    assert!(pending.contains("HttpOnly") && pending.contains("Max-Age=300"));

    // The pending sign-in opens nothing.
    let (at, _) = b.visit("/").await;
    assert_eq!(at, "/login");
    let res = b
        .call(
            "/api/list_caseload",
            &[("q", ""), ("status", ""), ("page", "1")],
        )
        .await;
    assert_eq!(res.status, 401);
    let res = b.call("/api/mfa_status", &[]).await;
    assert_eq!(res.status, 401);

    let (at, page) = b.visit("/login/two-factor").await;
    assert_eq!(at, "/login/two-factor");
    assert!(page.body.contains("Code from your app, or a recovery code"));
    assert!(page.body.contains("Verify and sign in"));

    let now = enrolled.step + 1;
    let res = send_code(&mut b, &wrong_code(&enrolled.secret, now)).await;
    let body = shown_error(&mut b, &res).await;
    assert!(body.contains("That code is not right."), "{body}");
    assert!(b.session_cookie().is_none());

    let res = send_code(&mut b, &code(&enrolled.secret, now)).await;
    assert_eq!(res.location.as_deref(), Some("/"), "{}", res.body);
    assert!(b.session_cookie().is_some());
    assert!(!b.cookies.contains_key("trellis_mfa_pending"));
    let (at, home) = b.visit("/").await;
    assert_eq!(at, "/");
    assert!(home.body.contains("Robin Hale"));

    let events = audit(&app).await;
    let actions: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(
        actions[..3],
        ["sign_in", "mfa_code_refused", "mfa_code_asked"]
    );
    assert_eq!(events[1].3.as_deref(), Some("wrong_code"));
    assert_eq!(events[2].3.as_deref(), Some("password"));
}

async fn codes_work_once_and_pending_sign_ins_expire(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Admin, "Morgan", "morgan@example.org")
        .await;
    let mut setup = app.browser();
    setup.sign_in("morgan@example.org", PASSWORD).await;
    let enrolled = enrol(&mut setup).await;
    let (secret, now) = (&enrolled.secret, enrolled.step + 1);

    // The code that switched two-factor on cannot sign in.
    let (mut b, _) = password_step(&app, "morgan@example.org").await;
    let res = send_code(&mut b, &code(secret, enrolled.step)).await;
    let body = shown_error(&mut b, &res).await;
    assert!(body.contains("That code has already been used."), "{body}");

    let res = send_code(&mut b, &code(secret, now)).await;
    assert_eq!(res.location.as_deref(), Some("/"));

    // Another browser: the same code again is refused.
    let (mut other, _) = password_step(&app, "morgan@example.org").await;
    let res = send_code(&mut other, &code(secret, now)).await;
    let body = shown_error(&mut other, &res).await;
    assert!(body.contains("That code has already been used."), "{body}");

    // A third completes with the next code; its pending sign-in works once: replaying its
    // cookie afterwards finds nothing.
    let (mut third, _) = password_step(&app, "morgan@example.org").await;
    let pending = third.cookies["trellis_mfa_pending"].clone();
    let res = send_code(&mut third, &code(secret, now + 1)).await;
    assert_eq!(res.location.as_deref(), Some("/"));
    let mut replay = app.browser();
    replay.cookies.insert("trellis_mfa_pending".into(), pending);
    let res = replay
        .call(
            "/api/verify_sign_in_code",
            &[("code", &code(secret, now + 1))],
        )
        .await;
    assert_eq!(res.status, 401);
    assert!(res.body.contains("SignInExpired"), "{}", res.body);
    assert!(replay.session_cookie().is_none());
    let res = send_code(&mut other, &code(secret, now + 1)).await;
    let body = shown_error(&mut other, &res).await;
    assert!(body.contains("That code has already been used."), "{body}");
    assert!(other.session_cookie().is_none());

    // After five minutes the pending sign-in is gone, and the page says so.
    let (mut late, _) = password_step(&app, "morgan@example.org").await;
    sqlx::query("update mfa_pending_login set expires_at = $1")
        .bind(app::db::now_ms() - 1)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let res = send_code(&mut late, &code(secret, now + 1)).await;
    let body = shown_error(&mut late, &res).await;
    assert!(body.contains("Your sign-in has expired"), "{body}");
    assert!(!late.cookies.contains_key("trellis_mfa_pending"));
    assert!(late.session_cookie().is_none());
    let (_, page) = late.visit("/login/two-factor").await;
    assert!(page.body.contains("No sign-in is waiting for a code"));
    assert!(!page.body.contains("Verify and sign in"));
    let refused = audit(&app)
        .await
        .into_iter()
        .filter(|e| e.0 == "mfa_code_refused" && e.3.as_deref() == Some("reused_code"))
        .count();
    assert_eq!(refused, 3);
}
