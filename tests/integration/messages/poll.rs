//! An open thread page with JavaScript on asks for new messages every few seconds
//! (`my_thread_messages`, `case_thread_messages`) and puts the server's HTML of the list in
//! place. That HTML is the page's own list: the same words to the same readers, escaped,
//! with each retract form leading back to the thread's page, and reading it marks it read.

use super::{reply, write};
use crate::both_engines;
use crate::helpers::{Browser, Engine, Page, TestApp};
use crate::practice::{as_actor, practice};

both_engines!(an_open_thread_gets_new_messages_as_its_page_shows_them,);

fn assert_plain_text(res: &Page) {
    assert_eq!(res.status, 200, "{}", res.body);
    let kind = res.headers.get("content-type").unwrap().to_str().unwrap();
    assert!(kind.starts_with("text/plain"), "{kind}");
}

async fn an_open_thread_gets_new_messages_as_its_page_shows_them(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let p = practice(&app).await;
    let couple = p.couple.as_str();
    let mut robin = p.robin;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let (_, page) = robin.visit(&format!("/cases/{couple}/messages/1")).await;
    assert!(page.body.contains("No messages yet."));
    let poll_robin = [("couple_id", couple), ("thread", "1")];

    // Robin's page is open; Jordan writes twice, once with markup in it.
    write(&mut jordan, "/messages", &[("body", "POLL-ONE")]).await;
    write(
        &mut jordan,
        "/messages",
        &[("body", "POLL-TWO <script>alert(1)</script>")],
    )
    .await;
    let (_, home) = robin.visit("/").await;
    assert!(home.body.contains("2 unread messages"), "{}", home.body);
    let res = robin.call("/api/case_thread_messages", &poll_robin).await;
    assert_plain_text(&res);
    assert!(
        res.body.starts_with(r#"<ol class="messages">"#),
        "{}",
        res.body
    );
    assert!(res.body.contains("POLL-ONE"));
    assert!(res.body.contains("POLL-TWO &lt;script&gt;"), "{}", res.body);
    assert!(!res.body.contains("<script>"));
    assert!(
        res.body.contains(r#"<span class="badge">New</span>"#),
        "new to Robin when the poll found them"
    );
    // Asking for them read them.
    let (_, home) = robin.visit("/").await;
    assert!(!home.body.contains("unread message"), "{}", home.body);

    // Robin answers; his poll shows his own message with its retract form, which leads
    // back to the thread's page (not to the address the poll was sent to).
    reply(&mut robin, couple, "1", "POLL-REPLY").await;
    let res = robin.call("/api/case_thread_messages", &poll_robin).await;
    assert_plain_text(&res);
    assert!(res.body.contains("POLL-REPLY"));
    assert!(res.body.contains("Retract this message"));
    let back = format!(r#"name="return_to" value="/cases/{couple}/messages/1""#);
    assert!(res.body.contains(&back), "{}", res.body);

    // Jordan's page gets the same thread as Jordan reads it.
    let res = jordan
        .call("/api/my_thread_messages", &[("thread", "private")])
        .await;
    assert_plain_text(&res);
    assert!(res.body.contains("POLL-ONE") && res.body.contains("POLL-REPLY"));
    assert!(res.body.contains(r#"name="return_to" value="/messages""#));

    // Casey's own thread holds none of it, and Jordan's is not Casey's to ask for.
    let res = casey
        .call("/api/my_thread_messages", &[("thread", "private")])
        .await;
    assert_plain_text(&res);
    assert!(res.body.contains("No messages yet."), "{}", res.body);
    assert!(!res.body.contains("POLL-"));
    let res = casey.call("/api/case_thread_messages", &poll_robin).await;
    assert_eq!(res.status, 404, "{}", res.body);
    assert!(!res.body.contains("POLL-"));
    // Nor is it a stranger's.
    let mut stranger = Browser::new(&app.base);
    let res = stranger
        .call("/api/case_thread_messages", &poll_robin)
        .await;
    assert_eq!(res.status, 401, "{}", res.body);
    assert!(!res.body.contains("POLL-"));
}
