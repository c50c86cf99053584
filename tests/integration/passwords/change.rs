//! Changing one's own password in Settings, and an account with none to change.

use super::*;
use crate::both_engines;
use crate::helpers::PASSWORD;
use crate::mfa::support::shown_error;
use crate::practice::{as_actor, practice};

both_engines!(
    changing_the_password_ends_other_sessions_and_keeps_this_one,
    a_wrong_current_password_is_refused_and_changes_nothing,
    an_account_without_a_password_is_told_why,
);

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

async fn an_account_without_a_password_is_told_why(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let _p = practice(&app).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    // As if Jordan signed in only through single sign-on.
    sqlx::query("update app_user set password_hash = null where email = $1")
        .bind("jordan@example.org")
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let page = jordan.get("/settings").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("no Trellis password to change"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Current password"));
    let res = change(&mut jordan, PASSWORD, NEW, NEW).await;
    let shown = shown_error(&mut jordan, &res).await;
    assert!(shown.contains("single sign-on"), "{shown}");
    let hash: Option<String> =
        sqlx::query_scalar("select password_hash from app_user where email = $1")
            .bind("jordan@example.org")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert!(hash.is_none(), "no password was set");
}
