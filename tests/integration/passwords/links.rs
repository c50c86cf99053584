//! Reset links made by people: once, for an hour, their own account only, two-factor kept.

use super::*;
use crate::both_engines;
use crate::helpers::PASSWORD;
use crate::mfa::support::{enrol, shown_error};
use crate::practice::{as_actor, practice};

both_engines!(
    a_reset_link_works_once_and_ends_every_session,
    a_reset_link_expires_after_an_hour,
    a_reset_still_asks_for_the_second_step,
    a_counselor_makes_links_only_for_their_own_partners,
);

async fn a_reset_link_works_once_and_ends_every_session(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let link = counselor_makes_link(&mut p.robin, &p.couple, 1).await;
    let token = link.rsplit('/').next().unwrap().to_string();
    assert_eq!(
        count(
            &app,
            "select count(*) from password_reset where token_hash = $1",
            &token
        )
        .await,
        0,
        "the raw token is not stored"
    );

    // Casey, signed in, opens Jordan's link: it sets Jordan's password and nobody's else,
    // and signs Casey's browser out rather than into Jordan's account.
    let casey_before = password_hash(&app, "casey@example.org").await;
    let page = casey.get(&path_of(&link)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Choose a new password"));
    assert!(page.body.contains("jordan@example.org"));
    let res = use_link(&mut casey, &link, NEW).await;
    assert_eq!(
        res.location.as_deref(),
        Some("/login?reset=1"),
        "{}",
        res.body
    );
    assert!(casey.session_cookie().is_none(), "not signed in as Jordan");
    assert_eq!(password_hash(&app, "casey@example.org").await, casey_before);
    assert!(!signed_in(&mut jordan).await, "Jordan's session ended");
    assert!(can_sign_in(&app, "jordan@example.org", NEW).await);
    assert!(can_sign_in(&app, "casey@example.org", PASSWORD).await);

    // Once only.
    let again = "an entirely different phrase";
    let mut anon = app.browser();
    let page = anon.get(&path_of(&link)).await;
    assert!(
        page.body.contains("This link no longer works"),
        "{}",
        page.body
    );
    assert!(page.body.contains("href=\"/forgot\""));
    let res = use_link(&mut anon, &link, again).await;
    let shown = shown_error(&mut anon, &res).await;
    assert!(shown.contains("no longer works"), "{shown}");
    assert!(!can_sign_in(&app, "jordan@example.org", again).await);
    assert!(can_sign_in(&app, "jordan@example.org", NEW).await);

    // An unknown token reads the same as a used one.
    let page = anon.get("/reset/not-a-real-token").await;
    assert!(page.body.contains("This link no longer works"));
    // The new password still follows the policy.
    let link2 = counselor_makes_link(&mut p.robin, &p.couple, 1).await;
    let res = use_link(&mut anon, &link2, "short").await;
    let shown = shown_error(&mut anon, &res).await;
    assert!(shown.contains("Use at least 12 characters"), "{shown}");
    assert!(
        shown.contains("Choose a new password"),
        "the link still works: {shown}"
    );
    assert!(can_sign_in(&app, "jordan@example.org", NEW).await);
}

async fn a_reset_link_expires_after_an_hour(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let link = counselor_makes_link(&mut p.robin, &p.couple, 2).await;
    let token = link.rsplit('/').next().unwrap();
    let hash = app::crypto::token::keyed_hash(&app.state.auth.session_key, token);
    let expires: i64 = sqlx::query_scalar(
        "select expires_at - created_at from password_reset where token_hash = $1",
    )
    .bind(&hash)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(expires, 60 * 60 * 1000, "one hour");
    // An hour passes.
    sqlx::query("update password_reset set created_at = created_at - 3600001, expires_at = expires_at - 3600001 where token_hash = $1")
        .bind(&hash)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let mut anon = app.browser();
    let page = anon.get(&path_of(&link)).await;
    assert!(page.body.contains("This link no longer works"));
    let res = anon
        .call(
            "/api/reset_password",
            &[
                ("token", token),
                ("password", NEW),
                ("password_confirm", NEW),
            ],
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert!(can_sign_in(&app, "casey@example.org", PASSWORD).await);
    assert!(!can_sign_in(&app, "casey@example.org", NEW).await);
    assert!(
        app.audit_actions()
            .await
            .contains(&"password_reset_refused".to_string())
    );
}

async fn a_reset_still_asks_for_the_second_step(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    enrol(&mut p.robin).await;
    let robin = app.user_id("robin@example.org").await;
    let mut admin = as_actor(&app, Some("admin@example.org")).await;
    let res = admin
        .submit("/", "/api/make_reset_link", &[("user_id", &robin)])
        .await;
    assert_eq!(res.status, 302, "{}", res.body);
    let home = admin.get("/").await;
    let link =
        link_in(&home.body, &format!("reset-link-{robin}")).expect("the admin sees the link");

    let mut anon = app.browser();
    let res = use_link(&mut anon, &link, NEW).await;
    assert_eq!(
        res.location.as_deref(),
        Some("/login?reset=1"),
        "{}",
        res.body
    );
    assert!(anon.session_cookie().is_none(), "a reset signs nobody in");
    assert!(!signed_in(&mut p.robin).await);
    let res = anon.sign_in("robin@example.org", NEW).await;
    assert_eq!(
        res.location.as_deref(),
        Some(app::auth::mfa::SECOND_STEP_PAGE),
        "the code is still asked for"
    );
    let home = anon.get("/").await;
    assert_ne!(home.status, 200, "not signed in before the code");
}

async fn a_counselor_makes_links_only_for_their_own_partners(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let mut dana = as_actor(&app, Some("dana@example.org")).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let mut admin = as_actor(&app, Some("admin@example.org")).await;
    let dana_id = app.user_id("dana@example.org").await;
    let jordan_id = app.user_id("jordan@example.org").await;
    // Robin for a partner of Dana's couple; Dana and the admin for Robin's couple (the
    // administrator makes links from the accounts page instead); Jordan for themselves.
    for (b, couple) in [
        (&mut p.robin, &p.other_couple),
        (&mut dana, &p.couple),
        (&mut jordan, &p.couple),
        (&mut admin, &p.couple),
    ] {
        let res = b
            .call(
                "/api/make_partner_reset_link",
                &[("couple_id", couple), ("position", "1")],
            )
            .await;
        assert_eq!(res.status, 404, "{}", res.body);
    }
    // A counselor cannot name an account: not another counselor, not a partner.
    for user in [&dana_id, &jordan_id] {
        let res = p
            .robin
            .call("/api/make_reset_link", &[("user_id", user)])
            .await;
        assert_eq!(res.status, 404, "{}", res.body);
    }
    let res = jordan
        .call("/api/make_reset_link", &[("user_id", &dana_id)])
        .await;
    assert_eq!(res.status, 404);
    assert_eq!(resets(&app).await, 0);
    // The administrator can, for anyone.
    let res = admin
        .call("/api/make_reset_link", &[("user_id", &dana_id)])
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains("/reset/"));
}
