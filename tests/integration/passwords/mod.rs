//! Passwords people can change and recover: changing one's own password ends the other
//! sessions and keeps this one; asking for a link by email answers the same for every
//! address and mails only accounts; a reset link (asked for, or made by a counselor or an
//! administrator) works exactly once, for an hour, ends every session, stores only a hash
//! and never skips two-factor sign-in; a counselor makes links only for their own partners.

mod change;
mod forgot;
mod links;

use crate::helpers::{Browser, Engine, Options, Page, TestApp};
use crate::smtp::SmtpServer;

pub const NEW: &str = "lanterns over a quiet harbour";

pub async fn change(b: &mut Browser, current: &str, new: &str, confirm: &str) -> Page {
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
pub async fn signed_in(b: &mut Browser) -> bool {
    let res = b.get("/").await;
    res.status == 200
}

pub async fn can_sign_in(app: &TestApp, email: &str, password: &str) -> bool {
    let mut b = app.browser();
    b.forwarded_for = Some(format!("10.9.{}.{}", rand_byte(), rand_byte()));
    b.sign_in(email, password).await;
    b.session_cookie().is_some()
}

pub fn rand_byte() -> u8 {
    (uuid::Uuid::new_v4().as_u128() & 0xff) as u8
}

pub async fn password_hash(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("select password_hash from app_user where email = $1")
        .bind(email)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

pub async fn count(app: &TestApp, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

pub async fn resets(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from password_reset")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

/// The reset link shown in a page's field `field` (its `value`).
pub fn link_in(body: &str, field: &str) -> Option<String> {
    let at = body.find(&format!("id=\"{field}\""))?;
    let rest = &body[at..];
    let start = rest.find("value=\"")? + 7;
    let end = rest[start..].find('"')?;
    Some(rest[start..start + end].to_string())
}

pub fn path_of(link: &str) -> String {
    format!("/reset/{}", link.rsplit('/').next().unwrap())
}

/// The counselor presses "Make a link … to set a new password" on the case page (JS off)
/// and copies the link it then shows.
pub async fn counselor_makes_link(b: &mut Browser, couple: &str, position: i64) -> String {
    let case_page = format!("/cases/{couple}/partners");
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
pub async fn use_link(b: &mut Browser, link: &str, password: &str) -> Page {
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

pub async fn app_with_mail(engine: Engine, smtp: &SmtpServer) -> TestApp {
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

pub async fn send_mail(app: &TestApp) {
    let scheduler = server::mail::Scheduler::new(&app.config).unwrap();
    scheduler
        .round(&app.state.db, chrono::Utc::now())
        .await
        .unwrap();
}

pub async fn ask(b: &mut Browser, email: &str) -> Page {
    b.submit("/forgot", "/api/forgot_password", &[("email", email)])
        .await
}
