//! The practice's settings as each server keeps them: a change shows at once on the server
//! that made it, and on another server sharing the database within `SETTINGS_FRESH_FOR`
//! (the README says so), never later.

use crate::both_engines;
use crate::helpers::{Engine, Options, TestApp, temp_dir};
use crate::practice::{as_actor, practice};
use app::db::SETTINGS_FRESH_FOR;
use std::time::{Duration, Instant};

both_engines!(a_changed_setting_reaches_every_server_within_seconds);

const CLOSED: &str = "does not take messages between sessions";

async fn a_changed_setting_reaches_every_server_within_seconds(engine: Engine) {
    let first = TestApp::spawn(engine).await;
    let _p = practice(&first).await;
    let url = first.config.database_url.as_ref().unwrap().expose();
    let second = TestApp::spawn_on(engine, temp_dir(), url.to_string(), Options::default()).await;

    // Jordan reads messages through both servers: each now holds the settings.
    let mut jordan = as_actor(&first, Some("jordan@example.org")).await;
    let mut jordan_there = as_actor(&second, Some("jordan@example.org")).await;
    for b in [&mut jordan, &mut jordan_there] {
        let (_, page) = b.visit("/messages").await;
        assert!(!page.body.contains(CLOSED), "messaging starts open");
    }

    // The administrator closes messaging on the first server.
    let mut admin = as_actor(&first, Some("admin@example.org")).await;
    let res = admin
        .submit(
            "/admin/messages",
            "/api/set_messaging",
            &[("response", "Robin replies within one working day.")],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/admin/messages?saved=1"));
    let changed = Instant::now();

    // That server shows it at once.
    let (_, page) = jordan.visit("/messages").await;
    assert!(page.body.contains(CLOSED));

    // The other server shows it within its copy's lifetime.
    let seen_after = loop {
        let (_, page) = jordan_there.visit("/messages").await;
        if page.body.contains(CLOSED) {
            break changed.elapsed();
        }
        assert!(
            changed.elapsed() < SETTINGS_FRESH_FOR + Duration::from_secs(2),
            "the other server still shows messaging open after {:?}",
            changed.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(seen_after <= SETTINGS_FRESH_FOR + Duration::from_secs(1));
}
