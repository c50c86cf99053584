//! Recovery codes, wrong codes throttled like wrong passwords, and turning two-factor off.

use super::support::*;
use crate::both_engines;
use crate::helpers::{Engine, PASSWORD, TestApp};
use app::auth::Role;

both_engines!(
    recovery_codes_work_once_and_can_be_renewed,
    wrong_codes_are_throttled_like_wrong_passwords,
    turning_off_needs_a_code_or_the_password,
);

async fn recovery_codes_work_once_and_can_be_renewed(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let id = app
        .create_user(Role::Counselor, "Robin Hale", "robin@example.org")
        .await;
    let mut me = app.browser();
    me.sign_in("robin@example.org", PASSWORD).await;
    let enrolled = enrol(&mut me).await;
    let first = &enrolled.recovery_codes[0];

    // Typed in capitals with spaces: still the code.
    let (mut b, _) = password_step(&app, "robin@example.org").await;
    let typed = first.to_uppercase().replace('-', " ");
    let res = send_code(&mut b, &typed).await;
    assert_eq!(res.location.as_deref(), Some("/"), "{}", res.body);
    let events = audit(&app).await;
    assert_eq!(events[0].0, "sign_in");
    assert_eq!(events[1].0, "mfa_recovery_code_used");
    assert_eq!(events[1].1.as_deref(), Some(id.as_str()));
    assert_eq!(events[1].3.as_deref(), Some("9"));

    let (mut b, _) = password_step(&app, "robin@example.org").await;
    let res = send_code(&mut b, first).await;
    let body = shown_error(&mut b, &res).await;
    assert!(body.contains("That recovery code is not right, or it has been used already."));
    let page = me.get("/account/two-factor").await;
    assert!(page.body.contains("9 of 10 recovery codes left"));

    // New codes need a current code; the old ones stop working.
    let now = enrolled.step + 1;
    let res = me
        .submit(
            "/account/two-factor",
            "/api/renew_recovery_codes",
            &[("code", &wrong_code(&enrolled.secret, now))],
        )
        .await;
    assert!(
        shown_error(&mut me, &res)
            .await
            .contains("That code is not right.")
    );
    let res = me
        .submit(
            "/account/two-factor",
            "/api/renew_recovery_codes",
            &[("code", &code(&enrolled.secret, now))],
        )
        .await;
    let page = me.get(&res.location.unwrap()).await;
    let renewed = recovery_codes(&page.body);
    assert_eq!(renewed.len(), 10);
    assert!(renewed.iter().all(|c| !enrolled.recovery_codes.contains(c)));
    let (mut b, _) = password_step(&app, "robin@example.org").await;
    let res = send_code(&mut b, &enrolled.recovery_codes[1]).await;
    assert!(b.session_cookie().is_none());
    drop(res);
    let res = send_code(&mut b, &renewed[0]).await;
    assert_eq!(res.location.as_deref(), Some("/"));
    assert!(
        audit(&app)
            .await
            .iter()
            .any(|e| e.0 == "mfa_recovery_codes_renewed")
    );
}

async fn wrong_codes_are_throttled_like_wrong_passwords(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Counselor, "Robin Hale", "robin@example.org")
        .await;
    let mut me = app.browser();
    me.sign_in("robin@example.org", PASSWORD).await;
    let enrolled = enrol(&mut me).await;
    let now = enrolled.step + 1;

    let (mut b, _) = password_step(&app, "robin@example.org").await;
    for _ in 0..app::auth::throttle::ACCOUNT_LIMIT {
        let res = b
            .call(
                "/api/verify_sign_in_code",
                &[("code", &wrong_code(&enrolled.secret, now))],
            )
            .await;
        assert_eq!(res.status, 422, "{}", res.body);
    }
    let res = b
        .call(
            "/api/verify_sign_in_code",
            &[("code", &code(&enrolled.secret, now))],
        )
        .await;
    assert_eq!(res.status, 429, "even the right code waits now");
    assert!(b.session_cookie().is_none());
    // The password step is paused for the account too.
    let res = app
        .browser()
        .call(
            "/api/sign_in",
            &[("email", "robin@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status, 429);
    assert!(
        audit(&app)
            .await
            .iter()
            .any(|e| e.0 == "sign_in_throttled" && e.3.as_deref() == Some("two_factor"))
    );
}

async fn turning_off_needs_a_code_or_the_password(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Counselor, "Robin Hale", "robin@example.org")
        .await;
    let mut me = app.browser();
    me.sign_in("robin@example.org", PASSWORD).await;
    enrol(&mut me).await;

    let res = me
        .submit(
            "/account/two-factor",
            "/api/turn_off_mfa",
            &[("proof", "not my password at all")],
        )
        .await;
    let body = shown_error(&mut me, &res).await;
    assert!(body.contains("That is neither a current code from your app nor your password."));
    let res = me
        .submit(
            "/account/two-factor",
            "/api/turn_off_mfa",
            &[("proof", PASSWORD)],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/account/two-factor?off=1"));
    let page = me.get("/account/two-factor?off=1").await;
    assert!(page.body.contains("Two-factor sign-in is off."));
    assert!(page.body.contains("Set up two-factor sign-in"));

    let (_, res) = password_step(&app, "robin@example.org").await;
    assert_eq!(
        res.location.as_deref(),
        Some("/"),
        "no second step any more"
    );
    let events = audit(&app).await;
    assert!(
        events
            .iter()
            .any(|e| e.0 == "mfa_disabled" && e.3.as_deref() == Some("password"))
    );
}
