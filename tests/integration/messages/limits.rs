//! The practice's setting (partners may read but not write) and the limits of a message,
//! each refused with a clear message.

use super::{reply, write};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::practice::{as_actor, practice};

both_engines!(
    with_messaging_off_partners_read_but_cannot_write,
    empty_and_over_long_messages_get_clear_messages,
);

async fn with_messaging_off_partners_read_but_cannot_write(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let p = practice(&app).await;
    let couple = p.couple.as_str();
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    write(&mut jordan, "/messages", &[("body", "Before the change")]).await;
    let mut admin = as_actor(&app, Some("admin@example.org")).await;
    let res = admin
        .submit(
            "/admin/messages",
            "/api/set_messaging",
            &[("response", "Robin replies within one working day.")],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/admin/messages?saved=1"));
    assert!(
        app.audit_actions()
            .await
            .iter()
            .any(|a| a == "setting_changed")
    );
    let (_, page) = jordan.visit("/messages").await;
    assert!(page.body.contains("Before the change"));
    assert!(
        page.body
            .contains("does not take messages between sessions")
    );
    assert!(page.body.contains("Robin replies within one working day."));
    assert!(!page.body.contains(r#"<label for="message-body">"#));
    let res = jordan
        .call("/api/send_message", &[("body", "After the change")])
        .await;
    assert_eq!(res.status, 409);
    assert!(res.body.contains("does not take messages between sessions"));
    // The counselor can still write.
    let mut robin = p.robin;
    reply(&mut robin, couple, "1", "See you Thursday").await;
    // Only an administrator changes it.
    let res = robin
        .call("/api/set_messaging", &[("partners_may_write", "on")])
        .await;
    assert_eq!(res.status, 403);
    admin
        .submit(
            "/admin/messages",
            "/api/set_messaging",
            &[("partners_may_write", "on")],
        )
        .await;
    write(
        &mut jordan,
        "/messages",
        &[("body", "After it was back on")],
    )
    .await;
    let too_long = "x".repeat(401);
    let res = admin
        .call("/api/set_messaging", &[("response", too_long.as_str())])
        .await;
    assert_eq!(res.status, 422);
}

async fn empty_and_over_long_messages_get_clear_messages(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let _p = practice(&app).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let res = jordan.call("/api/send_message", &[("body", "   ")]).await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("Write a message before sending it."));
    let long = "a".repeat(4_001);
    let res = jordan
        .call("/api/send_message", &[("body", long.as_str())])
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("up to 4000 characters"), "{}", res.body);
    // With JavaScript off, the form's page shows the message.
    let res = jordan
        .submit("/messages", "/api/send_message", &[("body", long.as_str())])
        .await;
    let back = res.location.expect("sent back");
    assert!(back.starts_with("/messages"), "{back}");
    let (_, page) = jordan.visit(&back).await;
    assert!(page.body.contains("up to 4000 characters"), "{}", page.body);
    // Exactly the limit is fine.
    let max = "b".repeat(4_000);
    let res = jordan
        .call("/api/send_message", &[("body", max.as_str())])
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let stored: i64 = sqlx::query_scalar("select count(*) from message")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(stored, 1);
}
