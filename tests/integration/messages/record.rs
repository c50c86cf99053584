//! Messages as part of the record and of the safety layer: the email notice (no words, one
//! per unread run), the exports (the counselor's holds every thread; a partner's holds their
//! own private thread and the joint one), and "I'd rather talk privately".

use super::{reply, write};
use crate::actions::{CheckIn, check_in};
use crate::both_engines;
use crate::helpers::{Engine, Options, TestApp};
use crate::practice::{as_actor, practice};
use crate::smtp::SmtpServer;

both_engines!(
    the_email_notice_carries_no_words,
    exports_hold_exactly_the_threads_each_may_read,
    asking_to_talk_privately_leads_to_the_private_thread,
);

async fn the_email_notice_carries_no_words(engine: Engine) {
    let smtp = SmtpServer::start().await;
    let options = Options {
        smtp: Some(smtp.port),
        ..Default::default()
    };
    let app = TestApp::spawn_with(engine, options).await;
    let p = practice(&app).await;
    let couple = p.couple.as_str();
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    write(
        &mut jordan,
        "/messages",
        &[("body", "The words SECRETWORDS stay in Trellis")],
    )
    .await;
    write(
        &mut jordan,
        "/messages",
        &[("body", "And SECRETWORDS again")],
    )
    .await;
    let outbox = || async {
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "select to_address, kind, subject, body from email_outbox where kind = 'message' \
             order by created_at",
        )
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
        rows
    };
    // One notice to Robin for both messages (until Robin reads the thread), none to Casey.
    let mails = outbox().await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    let (to, _, subject, body) = &mails[0];
    assert_eq!(to, "robin@example.org");
    assert!(!subject.contains("SECRETWORDS") && !body.contains("SECRETWORDS"));
    assert!(!body.contains("Jordan"), "the notice names no one: {body}");
    assert!(
        body.contains(&format!("/cases/{couple}/messages/1")),
        "{body}"
    );
    // Robin reads, then Jordan writes again: a new notice.
    let mut robin = p.robin;
    robin.visit(&format!("/cases/{couple}/messages/1")).await;
    write(&mut jordan, "/messages", &[("body", "Third SECRETWORDS")]).await;
    assert_eq!(outbox().await.len(), 2);
    // Robin's reply notifies Jordan, with a link to Jordan's own thread; never Casey.
    reply(&mut robin, couple, "1", "Reply SECRETWORDS").await;
    let mails = outbox().await;
    assert_eq!(mails.len(), 3);
    let (to, _, _, body) = &mails[2];
    assert_eq!(to, "jordan@example.org");
    assert!(!body.contains("SECRETWORDS"));
    assert!(body.contains("/messages?couple="), "{body}");
    assert!(!mails.iter().any(|m| m.0 == "casey@example.org"));
}

async fn exports_hold_exactly_the_threads_each_may_read(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let p = practice(&app).await;
    let couple = p.couple.as_str();
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let mut robin = p.robin;
    write(&mut jordan, "/messages", &[("body", "JORDANPRIVATE")]).await;
    write(&mut casey, "/messages", &[("body", "CASEYPRIVATE")]).await;
    robin
        .call("/api/open_joint_thread", &[("couple_id", couple)])
        .await;
    reply(&mut robin, couple, "joint", "JOINTWORDS").await;
    write(&mut jordan, "/messages", &[("body", "RETRACTEDWORDS")]).await;
    let id: String = sqlx::query_scalar("select message_id from message where body = $1")
        .bind("RETRACTEDWORDS")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let res = jordan
        .call("/api/retract_message", &[("message_id", id.as_str())])
        .await;
    assert_eq!(res.status, 200, "{}", res.body);

    let export = robin.get(&format!("/cases/{couple}/export.json")).await;
    assert_eq!(export.status, 200);
    for words in ["JORDANPRIVATE", "CASEYPRIVATE", "JOINTWORDS"] {
        assert!(export.body.contains(words), "the case export holds {words}");
    }
    assert!(!export.body.contains("RETRACTEDWORDS"));
    assert!(
        export.body.contains("\"retracted_at\": \"20"),
        "the trace stays"
    );

    let mine = jordan.get("/export/my-data.json").await;
    assert_eq!(mine.status, 200);
    assert!(mine.body.contains("JORDANPRIVATE"));
    assert!(mine.body.contains("JOINTWORDS"));
    assert!(!mine.body.contains("CASEYPRIVATE"));
    assert!(!mine.body.contains("RETRACTEDWORDS"));
    let hers = casey.get("/export/my-data.json").await;
    assert!(hers.body.contains("CASEYPRIVATE"));
    assert!(hers.body.contains("JOINTWORDS"));
    assert!(!hers.body.contains("JORDANPRIVATE"));
}

async fn asking_to_talk_privately_leads_to_the_private_thread(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let p = practice(&app).await;
    let couple = p.couple.as_str();
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let asked = CheckIn {
        safety: "private_talk",
        ..CheckIn::PLAIN
    };
    check_in(&mut jordan, &asked).await;
    let (_, page) = jordan.visit("/check-in?done=1").await;
    assert!(
        page.body
            .contains("Write to your counselor in your private messages")
    );
    assert!(page.body.contains(r#"href="/messages""#));
    // The other partner's pages say nothing of it.
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    check_in(&mut casey, &CheckIn::PLAIN).await;
    let (_, page) = casey.visit("/check-in?done=1").await;
    assert!(!page.body.contains("private messages"));
    // The counselor sees the cue on the case page and on that partner's thread only.
    let mut robin = p.robin;
    let (_, case) = robin.visit(&format!("/cases/{couple}")).await;
    let cue = |body: &str, position: u8| -> bool {
        let link = format!(r#"href="/cases/{couple}/messages/{position}""#);
        let at = body
            .find(&link)
            .unwrap_or_else(|| panic!("{link} in {body}"));
        let end = body[at..].find("</li>").unwrap() + at;
        body[at..end].contains("Asked to talk privately")
    };
    assert!(cue(&case.body, 1), "beside Jordan's thread: {}", case.body);
    assert!(!cue(&case.body, 2), "not beside Casey's");
    let (_, thread) = robin.visit(&format!("/cases/{couple}/messages/1")).await;
    assert!(thread.body.contains("Asked to talk privately"));
    let (_, other) = robin.visit(&format!("/cases/{couple}/messages/2")).await;
    assert!(!other.body.contains("Asked to talk privately"));
    // Once the counselor has acknowledged the flag, the cue is gone.
    let flag: String = sqlx::query_scalar("select safety_flag_id from safety_flag")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let res = robin
        .submit(
            &format!("/cases/{couple}"),
            "/api/acknowledge_flag",
            &[("flag_id", flag.as_str()), ("note", "Called Jordan")],
        )
        .await;
    assert_eq!(res.status, 302);
    let (_, case) = robin.visit(&format!("/cases/{couple}")).await;
    assert!(!cue(&case.body, 1), "gone once acknowledged");
    // A safe answer offers nothing of the kind.
    let mut pat = as_actor(&app, Some("pat@example.org")).await;
    check_in(&mut pat, &CheckIn::PLAIN).await;
    let (_, page) = pat.visit("/check-in?done=1").await;
    assert!(
        !page
            .body
            .contains("Write to your counselor in your private messages")
    );
}
