//! The practice's two-factor policy, the administrator's reset, and who may call what.

use super::support::*;
use crate::both_engines;
use crate::helpers::{Browser, Engine, PASSWORD, TestApp};
use crate::practice::{ACTORS, as_actor, practice};
use app::auth::Role;

both_engines!(
    the_policy_sends_people_to_set_up_and_blocks_everything_else,
    administrators_reset_a_locked_out_person,
    a_reset_ends_every_session_of_that_person,
    two_factor_functions_obey_the_access_table,
);

/// The arguments of the counselor's caseload function.
const CASELOAD: [(&str, &str); 3] = [("q", ""), ("status", ""), ("page", "1")];

async fn set_policy(admin: &mut Browser, on: &str) {
    let res = admin
        .submit("/", "/api/set_two_factor_required", &[("required", on)])
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/?saved=settings#settings"),
        "{}",
        res.body
    );
}

async fn the_policy_sends_people_to_set_up_and_blocks_everything_else(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let p = practice(&app).await;
    let mut admin = as_actor(&app, Some("admin@example.org")).await;
    let (_, home) = admin.visit("/").await;
    assert!(
        home.body
            .contains("Require two-factor for counselors and admins")
    );
    set_policy(&mut admin, "on").await;
    let events = audit(&app).await;
    assert_eq!(events[0].0, "mfa_policy_changed");
    assert_eq!(events[0].3.as_deref(), Some("on"));

    // The administrator who switched it on is held to it as well.
    let (at, page) = admin.visit("/").await;
    assert_eq!(at, "/account/two-factor");
    assert!(
        page.body
            .contains("Your practice requires two-factor sign-in")
    );

    // A counselor without two-factor signs in and lands on the set-up page; nothing else opens.
    let mut robin = app.browser();
    let res = robin.sign_in("robin@example.org", PASSWORD).await;
    assert!(robin.session_cookie().is_some());
    let (at, _) = robin.visit(res.location.as_deref().unwrap()).await;
    assert_eq!(at, "/account/two-factor");
    for page in ["/", "/agenda", "/settings", &format!("/cases/{}", p.couple)] {
        let (at, _) = robin.visit(page).await;
        assert_eq!(at, "/account/two-factor", "{page}");
    }
    let res = robin.call("/api/list_caseload", &CASELOAD).await;
    assert_eq!(res.status, 403, "{}", res.body);
    assert!(res.body.contains("TwoFactorRequired"));
    let res = robin
        .submit(
            "/cases/new",
            "/api/create_couple",
            &crate::practice::NEW_COUPLE,
        )
        .await;
    assert_eq!(res.status, 403);
    let res = robin
        .get(&format!("/cases/{}/export/check-ins.csv", p.couple))
        .await;
    assert_eq!(res.status, 303, "downloads too");
    assert_eq!(res.location.as_deref(), Some("/account/two-factor"));
    // The same session worked before the policy: the guard, not just the pages, refuses it.
    let res = p_robin_call(&app, &p.robin).await;
    assert_eq!(res, 403);

    // Partners are not asked.
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let (at, _) = jordan.visit("/").await;
    assert_eq!(at, "/");

    // Once set up, everything opens again, and it cannot be turned off while required.
    let enrolled = enrol(&mut robin).await;
    let (at, _) = robin.visit("/agenda").await;
    assert_eq!(at, "/agenda");
    assert_eq!(
        robin.call("/api/list_caseload", &CASELOAD).await.status,
        200
    );
    let page = robin.get("/account/two-factor").await;
    assert!(
        page.body
            .contains("Your practice requires two-factor sign-in, so it stays on.")
    );
    let res = robin
        .call("/api/turn_off_mfa", &[("proof", PASSWORD)])
        .await;
    assert_eq!(res.status, 409);
    assert!(
        res.body.contains("so it cannot be turned off"),
        "{}",
        res.body
    );
    let (mut again, res) = password_step(&app, "robin@example.org").await;
    assert_eq!(res.location.as_deref(), Some("/login/two-factor"));
    let res = send_code(&mut again, &code(&enrolled.secret, enrolled.step + 1)).await;
    assert_eq!(res.location.as_deref(), Some("/"));
    assert_eq!(again.visit("/agenda").await.0, "/agenda");

    // Switched off, the administrator is free again.
    let mut other_admin = app.browser();
    app.create_user(Role::Admin, "Ari", "ari@example.org").await;
    other_admin.sign_in("ari@example.org", PASSWORD).await;
    assert_eq!(
        other_admin.call("/api/list_accounts", &[]).await.status,
        403
    );
    let res = other_admin
        .submit("/", "/api/set_two_factor_required", &[("required", "off")])
        .await;
    assert_eq!(res.status, 403, "changing the policy needs two-factor too");
    let (at, _) = admin.visit("/").await;
    assert_eq!(at, "/account/two-factor");
}

/// Robin's session from before the policy calls a counselor function: the status.
async fn p_robin_call(_app: &TestApp, robin: &Browser) -> u16 {
    let mut b = Browser::new(&robin.base);
    b.cookies = robin.cookies.clone();
    b.call("/api/list_caseload", &CASELOAD).await.status
}

async fn administrators_reset_a_locked_out_person(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let robin_id = app
        .create_user(Role::Counselor, "Robin Hale", "robin@example.org")
        .await;
    let admin_id = app
        .create_user(Role::Admin, "Morgan", "admin@example.org")
        .await;
    let mut robin = app.browser();
    robin.sign_in("robin@example.org", PASSWORD).await;
    enrol(&mut robin).await;
    let mut admin = app.browser();
    admin.sign_in("admin@example.org", PASSWORD).await;

    let (_, home) = admin.visit("/").await;
    assert!(home.body.contains("Reset two-factor sign-in of Robin Hale"));

    // Counselors cannot reset anyone's, administrators not their own.
    let res = robin
        .call("/api/reset_mfa", &[("user_id", &robin_id)])
        .await;
    assert_eq!(res.status, 403);
    let res = admin
        .call("/api/reset_mfa", &[("user_id", &admin_id)])
        .await;
    assert_eq!(res.status, 409);

    let res = admin
        .submit("/", "/api/reset_mfa", &[("user_id", &robin_id)])
        .await;
    assert_eq!(res.location.as_deref(), Some("/?saved=two-factor#accounts"));
    let page = admin.get("/?saved=two-factor").await;
    assert!(page.body.contains("Two-factor sign-in has been reset."));
    let events = audit(&app).await;
    assert_eq!(events[0].0, "mfa_reset");
    assert_eq!(events[0].1.as_deref(), Some(admin_id.as_str()));
    assert_eq!(events[0].2.as_deref(), Some(robin_id.as_str()));
    let (_, log) = admin.visit("/admin/audit").await;
    assert!(
        log.body
            .contains("Two-factor sign-in reset by an administrator")
    );

    // Robin signs in with the password alone, and can set it up again.
    let (mut b, res) = password_step(&app, "robin@example.org").await;
    assert_eq!(res.location.as_deref(), Some("/"));
    let (_, page) = b.visit("/account/two-factor").await;
    assert!(page.body.contains("Set up two-factor sign-in"));
    let left: i64 = sqlx::query_scalar("select count(*) from mfa_recovery_code")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(left, 0, "the old recovery codes are gone");
    let res = admin
        .call("/api/reset_mfa", &[("user_id", &robin_id)])
        .await;
    assert_eq!(res.status, 409, "nothing left to reset");
}

async fn a_reset_ends_every_session_of_that_person(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let robin_id = app
        .create_user(Role::Counselor, "Robin Hale", "robin@example.org")
        .await;
    let admin_id = app
        .create_user(Role::Admin, "Morgan", "admin@example.org")
        .await;
    let mut desk = app.browser();
    desk.sign_in("robin@example.org", PASSWORD).await;
    let enrolled = enrol(&mut desk).await;
    // Robin is signed in on two more devices, each with a code.
    let mut used = enrolled.step;
    let mut devices = vec![desk];
    for _ in 0..2 {
        let (mut b, _) = password_step(&app, "robin@example.org").await;
        let res = send_code(&mut b, &next_code(&enrolled.secret, &mut used).await).await;
        assert_eq!(res.location.as_deref(), Some("/"), "{}", res.body);
        devices.push(b);
    }
    for b in &mut devices {
        assert_eq!(b.visit("/agenda").await.0, "/agenda");
    }
    let mut admin = app.browser();
    admin.sign_in("admin@example.org", PASSWORD).await;

    let res = admin
        .submit("/", "/api/reset_mfa", &[("user_id", &robin_id)])
        .await;
    assert_eq!(res.location.as_deref(), Some("/?saved=two-factor#accounts"));
    let reset = audit(&app)
        .await
        .into_iter()
        .find(|e| e.0 == "mfa_reset")
        .expect("the reset is in the audit log");
    assert_eq!(reset.1.as_deref(), Some(admin_id.as_str()));
    assert_eq!(reset.2.as_deref(), Some(robin_id.as_str()));
    assert_eq!(reset.3.as_deref(), Some("sessions_ended_3"));

    // Every one of Robin's sessions has ended; the administrator's has not.
    for b in &mut devices {
        assert_eq!(b.visit("/agenda").await.0, "/login");
        assert_eq!(b.call("/api/list_caseload", &CASELOAD).await.status, 401);
    }
    let left: i64 = sqlx::query_scalar("select count(*) from user_session where app_user_id = $1")
        .bind(&robin_id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(left, 0);
    let (at, log) = admin.visit("/admin/audit").await;
    assert_eq!(at, "/admin/audit");
    assert!(
        log.body
            .contains("Two-factor sign-in reset by an administrator (3 sessions ended)"),
        "{}",
        log.body
    );
    // Robin signs in again with the password alone.
    let (_, res) = password_step(&app, "robin@example.org").await;
    assert_eq!(res.location.as_deref(), Some("/"));
}

async fn two_factor_functions_obey_the_access_table(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let _p = practice(&app).await;
    let robin_id = app.user_id("robin@example.org").await;
    for (actor, email) in ACTORS {
        let mut b = as_actor(&app, email).await;
        let is_staff = actor.contains("counselor") || actor == "admin";
        let expect = match email {
            None => 401,
            Some(_) if is_staff => 200,
            Some(_) => 403,
        };
        for function in ["/api/mfa_status", "/api/start_mfa_setup"] {
            let res = b.call(function, &[]).await;
            assert_eq!(res.status, expect, "{actor} {function}: {}", res.body);
        }
        let res = b
            .call("/api/confirm_mfa_setup", &[("code", "123456")])
            .await;
        let expect_confirm = if is_staff { 422 } else { expect };
        assert_eq!(res.status, expect_confirm, "{actor} confirm: {}", res.body);
        for (function, field, value) in [
            ("/api/renew_recovery_codes", "code", "123456"),
            ("/api/turn_off_mfa", "proof", "123456"),
        ] {
            let res = b.call(function, &[(field, value)]).await;
            let want = if is_staff { 409 } else { expect };
            assert_eq!(res.status, want, "{actor} {function}: {}", res.body);
        }
        let want_admin = match email {
            None => 401,
            Some(_) if actor == "admin" => 200,
            Some(_) => 403,
        };
        let res = b.call("/api/reset_mfa", &[("user_id", &robin_id)]).await;
        // (Robin, called before the administrator, has a set-up waiting: it is removed.)
        assert_eq!(res.status, want_admin, "{actor} reset: {}", res.body);
        let res = b
            .call("/api/set_two_factor_required", &[("required", "off")])
            .await;
        let want_policy = want_admin;
        assert_eq!(res.status, want_policy, "{actor} policy: {}", res.body);
    }
    // Nobody's set-up went further than a key waiting for its code.
    let on: i64 = sqlx::query_scalar("select count(*) from user_mfa where enabled_at is not null")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(on, 0);
}
