//! Secure messages: each partner's private thread with their counselor and the joint thread,
//! who reads what (and who reaches nothing by any address or argument), unread counts, the
//! email notice that carries no words, retracting within five minutes, the practice's
//! setting, limits, and the record (exports, audit).

mod joint;
mod limits;
mod poll;
mod record;

use crate::both_engines;
use crate::helpers::{Browser, Engine, TestApp};
use crate::practice::{as_actor, practice};

both_engines!(
    a_private_thread_is_read_by_its_partner_and_the_counselor_only,
    unread_counts_show_on_the_caseload_and_the_partner_home_until_read,
    a_sender_retracts_within_five_minutes_and_not_after,
);

/// A partner sends a message as a browser with JavaScript off; returns where they were sent.
pub(crate) async fn write(b: &mut Browser, from: &str, fields: &[(&str, &str)]) -> String {
    let endpoint = "/api/send_message";
    let res = b.submit(from, endpoint, fields).await;
    let to = res
        .location
        .unwrap_or_else(|| panic!("{endpoint}: {} {}", res.status, res.body));
    assert!(!to.contains("error"), "{endpoint} sent to {to}");
    to
}

/// The counselor's reply in a thread ("1", "2", "joint").
pub(crate) async fn reply(b: &mut Browser, couple: &str, thread: &str, body: &str) {
    let from = format!("/cases/{couple}/messages/{thread}");
    let res = b
        .submit(
            &from,
            "/api/reply_message",
            &[("couple_id", couple), ("thread", thread), ("body", body)],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some(from.as_str()), "{}", res.body);
}

async fn a_private_thread_is_read_by_its_partner_and_the_counselor_only(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let p = practice(&app).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let to = write(
        &mut jordan,
        "/messages",
        &[("body", "Only for Robin: I slipped this week.")],
    )
    .await;
    assert_eq!(to, "/messages");
    let (_, page) = jordan.visit("/messages").await;
    assert!(page.body.contains("Only for Robin: I slipped this week."));
    assert!(page.body.contains(
        "Only you and Robin Hale (your counselor) can read this conversation. Casey Lee cannot see it."
    ));
    assert!(page.body.contains("Messages are not for emergencies"));
    assert!(page.body.contains(r#"href="/help""#));
    // The readers' statement sits above the box, which is labelled.
    let statement = page.body.find("Who reads this").unwrap();
    let label = page.body.find(r#"<label for="message-body">"#).unwrap();
    assert!(statement < label);

    // Casey, Pat, Dana and the administrator reach it nowhere.
    let couple = p.couple.as_str();
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    for path in [
        "/messages".to_string(),
        "/messages/joint".to_string(),
        format!("/messages?couple={couple}"),
        format!("/cases/{couple}/messages/1"),
        format!("/cases/{couple}/messages/2"),
        "/".to_string(),
        "/export/my-data.json".to_string(),
    ] {
        let (_, page) = casey.visit(&path).await;
        assert!(!page.body.contains("I slipped"), "Casey reads it at {path}");
    }
    for email in [
        "casey@example.org",
        "pat@example.org",
        "dana@example.org",
        "admin@example.org",
    ] {
        let mut b = as_actor(&app, Some(email)).await;
        for (endpoint, args) in [
            (
                "/api/my_thread",
                vec![("couple_id", couple), ("thread", "private")],
            ),
            (
                "/api/case_thread",
                vec![("couple_id", couple), ("thread", "1")],
            ),
        ] {
            let res = b.call(endpoint, &args).await;
            assert!(!res.body.contains("I slipped"), "{email} {endpoint}");
            if endpoint.ends_with("case_thread") {
                assert_eq!(res.status, 404, "{email} {endpoint}");
            } else if email != "casey@example.org" {
                assert!([403, 404].contains(&res.status), "{email}: {}", res.status);
            }
        }
        let (_, page) = b.visit(&format!("/cases/{couple}/messages/1")).await;
        assert!(!page.body.contains("I slipped"), "{email}");
    }
    // Pat names Jordan's couple: not theirs, nothing shown.
    let mut pat = as_actor(&app, Some("pat@example.org")).await;
    let res = pat
        .call(
            "/api/my_thread",
            &[("couple_id", couple), ("thread", "private")],
        )
        .await;
    assert_eq!(res.status, 404);
    // Nor can anyone post into it who is not its partner or counselor.
    let res = pat
        .call(
            "/api/send_message",
            &[("couple_id", couple), ("body", "Hi")],
        )
        .await;
    assert_eq!(res.status, 404);
    let mut dana = as_actor(&app, Some("dana@example.org")).await;
    let res = dana
        .call(
            "/api/reply_message",
            &[("couple_id", couple), ("thread", "1"), ("body", "Hi")],
        )
        .await;
    assert_eq!(res.status, 404);

    // Robin reads it, with the partner named, and replies; Jordan reads the reply.
    let mut robin = p.robin;
    let (_, page) = robin.visit(&format!("/cases/{couple}/messages/1")).await;
    assert!(page.body.contains("Only for Robin: I slipped this week."));
    assert!(
        page.body.contains(
            "Only you and Jordan Lee can read this conversation. Casey Lee cannot see it."
        )
    );
    reply(
        &mut robin,
        couple,
        "1",
        "Thank you for telling me. Let us talk Thursday.",
    )
    .await;
    let (_, page) = jordan.visit("/messages").await;
    assert!(page.body.contains("Thank you for telling me."));
    let (_, page) = casey.visit("/messages").await;
    assert!(!page.body.contains("Thank you for telling me."));
    // Reads are in the audit trail; what was written is not.
    let actions = app.audit_actions().await;
    assert!(actions.iter().any(|a| a == "message_thread_read"));
    assert!(actions.iter().any(|a| a == "message_sent"));
    let details: Vec<(Option<String>,)> = sqlx::query_as("select detail from audit_event")
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
    assert!(
        !details
            .iter()
            .any(|(d,)| d.as_deref().is_some_and(|d| d.contains("slipped")))
    );
}

async fn unread_counts_show_on_the_caseload_and_the_partner_home_until_read(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let p = practice(&app).await;
    let couple = p.couple.as_str();
    let mut robin = p.robin;
    let (_, home) = robin.visit("/").await;
    assert!(!home.body.contains("unread message"));
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    write(&mut jordan, "/messages", &[("body", "One")]).await;
    write(&mut jordan, "/messages", &[("body", "Two")]).await;
    let (_, home) = robin.visit("/").await;
    assert!(home.body.contains("2 unread messages"), "{}", home.body);
    // The case page says which thread.
    let (_, case) = robin.visit(&format!("/cases/{couple}")).await;
    assert!(case.body.contains("Private messages with Jordan Lee"));
    assert!(case.body.contains("2 unread"));
    // A message the counselor writes is not unread to them.
    reply(&mut robin, couple, "2", "Hello Casey").await;
    let (_, home) = robin.visit("/").await;
    assert!(home.body.contains("2 unread messages"));
    robin.visit(&format!("/cases/{couple}/messages/1")).await;
    let (_, home) = robin.visit("/").await;
    assert!(!home.body.contains("unread message"), "read now");
    // The case's timeline lists the messages sent, not every read of a thread.
    let (_, case) = robin.visit(&format!("/cases/{couple}/timeline")).await;
    assert!(
        case.body
            .contains("Message sent in the private thread of Jordan Lee")
    );
    assert!(!case.body.contains("Messages read in"));
    // Casey's home counts Robin's message; Jordan's does not.
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let (_, home) = casey.visit("/").await;
    assert!(home.body.contains("1 unread message"));
    assert!(home.body.contains(r#"href="/messages""#));
    let (_, home) = jordan.visit("/").await;
    assert!(!home.body.contains("unread message"));
    // A poll with nothing new records no read in the audit trail.
    casey.visit("/messages").await;
    let before = app.audit_actions().await.len();
    let res = casey.call("/api/my_thread", &[("poll", "1")]).await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("Hello Casey"));
    assert_eq!(app.audit_actions().await.len(), before);
    let (_, home) = casey.visit("/").await;
    assert!(!home.body.contains("unread message"));
    app.assert_caseload_counts_current().await;
}

async fn a_sender_retracts_within_five_minutes_and_not_after(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let p = practice(&app).await;
    let couple = p.couple.as_str();
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    write(
        &mut jordan,
        "/messages",
        &[("body", "Sent in anger, sorry")],
    )
    .await;
    let id: String = sqlx::query_scalar("select message_id from message where body = $1")
        .bind("Sent in anger, sorry")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let (_, page) = jordan.visit("/messages").await;
    assert!(page.body.contains("Retract this message"));
    // Robin cannot retract Jordan's message; it looks like nothing at all.
    let mut robin = p.robin;
    let (_, home) = robin.visit("/").await;
    assert!(home.body.contains("1 unread message"), "{}", home.body);
    let res = robin
        .call("/api/retract_message", &[("message_id", id.as_str())])
        .await;
    assert_eq!(res.status, 404);
    let res = jordan
        .submit(
            "/messages",
            "/api/retract_message",
            &[("message_id", id.as_str())],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/messages"));
    // The words are gone from the database; the trace stays, for the counselor too.
    let body: Option<String> = sqlx::query_scalar("select body from message where message_id = $1")
        .bind(&id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(body, None);
    // A retracted message is no longer waiting for Robin.
    let (_, home) = robin.visit("/").await;
    assert!(!home.body.contains("unread message"), "{}", home.body);
    let (_, page) = jordan.visit("/messages").await;
    assert!(!page.body.contains("Sent in anger"));
    assert!(page.body.contains("Message retracted by you"));
    let (_, page) = robin.visit(&format!("/cases/{couple}/messages/1")).await;
    assert!(!page.body.contains("Sent in anger"));
    assert!(page.body.contains("Message retracted by Jordan Lee"));
    assert!(
        app.audit_actions()
            .await
            .iter()
            .any(|a| a == "message_retracted")
    );

    // Six minutes after sending it is too late: the message stays, and the sender is told.
    write(&mut jordan, "/messages", &[("body", "This one stays")]).await;
    sqlx::query("update message set sent_at = sent_at - 6 * 60 * 1000 where body = $1")
        .bind("This one stays")
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let late: String = sqlx::query_scalar("select message_id from message where body = $1")
        .bind("This one stays")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let (_, page) = jordan.visit("/messages").await;
    assert!(!page.body.contains("Retract this message"));
    let res = jordan
        .call("/api/retract_message", &[("message_id", late.as_str())])
        .await;
    assert_eq!(res.status, 409);
    assert!(res.body.contains("first five minutes"), "{}", res.body);
    let (_, page) = robin.visit(&format!("/cases/{couple}/messages/1")).await;
    assert!(page.body.contains("This one stays"));
}
