//! Passwords people can change and recover: changing one's own password ends the other
//! sessions and keeps this one; asking for a link by email answers the same for every
//! address and mails only accounts; a reset link (asked for, or made by a counselor or an
//! administrator) works exactly once, for an hour, ends every session, stores only a hash
//! and never skips two-factor sign-in; a counselor makes links only for their own partners.

use crate::both_engines;
use crate::helpers::{Browser, Engine, Options, PASSWORD, Page, TestApp};
use crate::mfa::support::{enrol, shown_error};
use crate::practice::{as_actor, practice};
use crate::smtp::SmtpServer;

both_engines!(
    changing_the_password_ends_other_sessions_and_keeps_this_one,
    a_wrong_current_password_is_refused_and_changes_nothing,
    asking_for_a_link_answers_the_same_and_mails_only_accounts,
    without_email_the_forgot_page_says_whom_to_ask,
    a_reset_link_works_once_and_ends_every_session,
    a_reset_link_expires_after_an_hour,
    a_reset_still_asks_for_the_second_step,
    a_counselor_makes_links_only_for_their_own_partners,
);

const NEW: &str = "lanterns over a quiet harbour";

async fn change(b: &mut Browser, current: &str, new: &str, confirm: &str) -> Page {
    b.submit(
        "/settings",
        "/api/change_password",
        &[
            ("current_password", current),
            ("new_password", new),
            ("new_password_confirm", confirm),
        ],
    )
    .await
}

/// Whether the browser still opens the home page (signed in) or is sent to sign in.
async fn signed_in(b: &mut Browser) -> bool {
    let res = b.get("/").await;
    res.status == 200
}

async fn can_sign_in(app: &TestApp, email: &str, password: &str) -> bool {
    let mut b = app.browser();
    b.forwarded_for = Some(format!("10.9.{}.{}", rand_byte(), rand_byte()));
    b.sign_in(email, password).await;
    b.session_cookie().is_some()
}

fn rand_byte() -> u8 {
    (uuid::Uuid::new_v4().as_u128() & 0xff) as u8
}

async fn password_hash(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("select password_hash from app_user where email = $1")
        .bind(email)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

async fn count(app: &TestApp, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

async fn resets(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from password_reset")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

/// The reset link shown in a page's field `field` (its `value`).
fn link_in(body: &str, field: &str) -> Option<String> {
    let at = body.find(&format!("id=\"{field}\""))?;
    let rest = &body[at..];
    let start = rest.find("value=\"")? + 7;
    let end = rest[start..].find('"')?;
    Some(rest[start..start + end].to_string())
}

fn path_of(link: &str) -> String {
    format!("/reset/{}", link.rsplit('/').next().unwrap())
}

/// The counselor presses "Make a link … to set a new password" on the case page (JS off)
/// and copies the link it then shows.
async fn counselor_makes_link(b: &mut Browser, couple: &str, position: i64) -> String {
    let case_page = format!("/cases/{couple}");
    let res = b
        .submit(
            &case_page,
            "/api/make_partner_reset_link",
            &[("couple_id", couple), ("position", &position.to_string())],
        )
        .await;
    assert_eq!(res.status, 302, "back to the case page: {}", res.body);
    let page = b.get(&case_page).await;
    assert!(page.body.contains("to set a new password"), "{}", page.body);
    link_in(&page.body, &format!("reset-link-{position}")).expect("the new link is shown")
}

/// Sets a new password with a link, as a browser with JS off; returns the answer.
async fn use_link(b: &mut Browser, link: &str, password: &str) -> Page {
    let page = path_of(link);
    let token = link.rsplit('/').next().unwrap();
    b.submit(
        &page,
        "/api/reset_password",
        &[
            ("token", token),
            ("password", password),
            ("password_confirm", password),
        ],
    )
    .await
}

async fn changing_the_password_ends_other_sessions_and_keeps_this_one(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let _p = practice(&app).await;
    let mut here = as_actor(&app, Some("jordan@example.org")).await;
    let mut phone = as_actor(&app, Some("jordan@example.org")).await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let settings = here.get("/settings").await;
    assert!(
        settings.body.contains("Current password"),
        "{}",
        settings.body
    );

    let res = change(&mut here, PASSWORD, NEW, NEW).await;
    assert_eq!(
        res.location.as_deref(),
        Some("/settings?saved=password#password"),
        "{}",
        res.body
    );
    assert!(signed_in(&mut here).await, "this session stays");
    assert!(!signed_in(&mut phone).await, "the other session ended");
    assert!(
        signed_in(&mut casey).await,
        "someone else's session is untouched"
    );
    let page = here.get("/settings?saved=password").await;
    assert!(page.body.contains("Your password has been changed"));
    assert!(!can_sign_in(&app, "jordan@example.org", PASSWORD).await);
    assert!(can_sign_in(&app, "jordan@example.org", NEW).await);
    assert!(
        app.audit_actions()
            .await
            .contains(&"password_changed".to_string())
    );
}

async fn a_wrong_current_password_is_refused_and_changes_nothing(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let _p = practice(&app).await;
    let mut here = as_actor(&app, Some("jordan@example.org")).await;
    let mut phone = as_actor(&app, Some("jordan@example.org")).await;
    let before = password_hash(&app, "jordan@example.org").await;

    let res = change(&mut here, "not my password at all", NEW, NEW).await;
    let shown = shown_error(&mut here, &res).await;
    assert!(
        shown.contains("That is not your current password"),
        "{shown}"
    );
    assert_eq!(password_hash(&app, "jordan@example.org").await, before);
    assert!(signed_in(&mut phone).await, "no session ended");

    // Right current password, new ones that differ: refused, nothing changed either.
    let res = here
        .call(
            "/api/change_password",
            &[
                ("current_password", PASSWORD),
                ("new_password", NEW),
                ("new_password_confirm", "lanterns over a loud harbour"),
            ],
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert_eq!(password_hash(&app, "jordan@example.org").await, before);

    // Guessing from an open session is paused like guessing at the sign-in page.
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let res = here
            .call(
                "/api/change_password",
                &[
                    ("current_password", "another wrong guess"),
                    ("new_password", NEW),
                    ("new_password_confirm", NEW),
                ],
            )
            .await;
        statuses.push(res.status);
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    assert_eq!(password_hash(&app, "jordan@example.org").await, before);
    assert!(signed_in(&mut phone).await);
}

async fn app_with_mail(engine: Engine, smtp: &SmtpServer) -> TestApp {
    TestApp::spawn_with(
        engine,
        Options {
            smtp: Some(smtp.port),
            trust_proxy: true,
            ..Default::default()
        },
    )
    .await
}

async fn send_mail(app: &TestApp) {
    let scheduler = server::mail::Scheduler::new(&app.config).unwrap();
    scheduler
        .round(&app.state.db, chrono::Utc::now())
        .await
        .unwrap();
}

async fn ask(b: &mut Browser, email: &str) -> Page {
    b.submit("/forgot", "/api/forgot_password", &[("email", email)])
        .await
}

async fn asking_for_a_link_answers_the_same_and_mails_only_accounts(engine: Engine) {
    let smtp = SmtpServer::start().await;
    let app = app_with_mail(engine, &smtp).await;
    let _p = practice(&app).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let mut anon = app.browser();
    anon.forwarded_for = Some("10.1.1.1".into());
    let login = anon.get("/login").await;
    assert!(
        login.body.contains("href=\"/forgot\""),
        "the sign-in page links to it"
    );

    let known = ask(&mut anon, "Jordan@Example.org").await;
    let unknown = ask(&mut anon, "nobody@example.org").await;
    assert_eq!(known.status, unknown.status);
    assert_eq!(known.location, unknown.location);
    assert_eq!(known.location.as_deref(), Some("/forgot?sent=1"));
    let page_known = anon.get(known.location.as_deref().unwrap()).await;
    assert!(page_known.body.contains("If an account uses that address"));
    // The same answer to a script as to a browser.
    let a = anon
        .call("/api/forgot_password", &[("email", "casey@example.org")])
        .await;
    let b = anon
        .call("/api/forgot_password", &[("email", "nobody2@example.org")])
        .await;
    assert_eq!((a.status, &a.body), (b.status, &b.body));

    send_mail(&app).await;
    let mails = smtp.messages();
    assert_eq!(
        mails.len(),
        2,
        "one to Jordan, one to Casey, none to unknown addresses"
    );
    assert_eq!(smtp.to("nobody@example.org").len(), 0);
    let mail = smtp.to("jordan@example.org").pop().expect("Jordan's link");
    assert_eq!(mail.subject, "Reset your Trellis password");
    for clinical in ["Affair", "Jordan & Casey", "homework", "counsel", "Robin"] {
        assert!(
            !mail.body.contains(clinical),
            "no {clinical} in {}",
            mail.body
        );
    }
    let link = mail
        .body
        .split_whitespace()
        .find(|w| w.contains("/reset/"))
        .expect("the link")
        .to_string();
    let token = link.rsplit('/').next().unwrap().to_string();

    // Only the hash is stored; the email's text is erased once sent.
    let hash = app::crypto::token::keyed_hash(&app.state.auth.session_key, &token);
    assert_eq!(
        count(
            &app,
            "select count(*) from password_reset where token_hash = $1",
            &hash
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from password_reset where token_hash = $1 or password_reset_id = $1",
            &token
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from email_outbox where body like '%' || $1 || '%'",
            &token
        )
        .await,
        0
    );

    // The link from the email works, and ends Jordan's session elsewhere.
    let mut anon2 = app.browser();
    let res = use_link(&mut anon2, &link, NEW).await;
    assert_eq!(
        res.location.as_deref(),
        Some("/login?reset=1"),
        "{}",
        res.body
    );
    assert!(!signed_in(&mut jordan).await);
    assert!(can_sign_in(&app, "jordan@example.org", NEW).await);

    // Asking again and again for one address is paused, known or not.
    let mut last = 0;
    for _ in 0..4 {
        last = anon
            .call("/api/forgot_password", &[("email", "nobody@example.org")])
            .await
            .status;
    }
    assert_eq!(last, 429);
    let actions = app.audit_actions().await;
    assert!(
        actions
            .iter()
            .filter(|a| *a == "password_reset_asked")
            .count()
            >= 4
    );
    assert!(actions.contains(&"password_reset_used".to_string()));
}

async fn without_email_the_forgot_page_says_whom_to_ask(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let _p = practice(&app).await;
    let mut anon = app.browser();
    let page = anon.get("/forgot").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Ask your counselor"), "{}", page.body);
    assert!(!page.body.contains("Send me a link"));
    let res = anon
        .call("/api/forgot_password", &[("email", "jordan@example.org")])
        .await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert_eq!(resets(&app).await, 0);
}

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
