//! Each server's short-lived copy of the sessions it reads (`SESSION_FRESH_FOR`). A change
//! made through a server is seen by its very next request (the tests of signing out,
//! deactivation, two-factor and consent show that, each right after a page was served); a
//! change made behind its back, by another server sharing the database, within the copy's
//! lifetime and never later, as the README says.

use crate::both_engines;
use crate::helpers::{Engine, PASSWORD, TestApp};
use app::auth::Role;
use app::auth::session::SESSION_FRESH_FOR;
use std::time::{Duration, Instant};

both_engines!(an_account_deactivated_by_another_server_is_refused_within_seconds);

async fn an_account_deactivated_by_another_server_is_refused_within_seconds(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let id = app
        .create_user(Role::Counselor, "Robin", "robin@example.org")
        .await;
    let mut robin = app.browser();
    robin.sign_in("robin@example.org", PASSWORD).await;
    assert_eq!(
        robin.visit("/").await.0,
        "/",
        "this server now holds a copy"
    );

    // Another server deactivates Robin: the database changes and this server is not told.
    sqlx::query("update app_user set status = 'deactivated' where app_user_id = $1")
        .bind(&id)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let changed = Instant::now();

    let refused_after = loop {
        let (at, _) = robin.visit("/").await;
        if at == "/login" {
            break changed.elapsed();
        }
        assert!(
            changed.elapsed() < SESSION_FRESH_FOR + Duration::from_secs(2),
            "a deactivated account is still signed in after {:?}",
            changed.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(refused_after <= SESSION_FRESH_FOR + Duration::from_secs(1));
    // Once refused, the session is gone for good.
    let sessions: i64 =
        sqlx::query_scalar("select count(*) from user_session where app_user_id = $1")
            .bind(&id)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(sessions, 0);
    assert_eq!(robin.visit("/").await.0, "/login");
}
