//! The joint thread: closed until the counselor opens it, then read and written by both
//! partners and the counselor.

use super::write;
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::practice::{as_actor, practice};

both_engines!(the_joint_thread_is_opened_by_the_counselor_and_read_by_all_three,);

async fn the_joint_thread_is_opened_by_the_counselor_and_read_by_all_three(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let p = practice(&app).await;
    let couple = p.couple.as_str();
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let (_, page) = jordan.visit("/messages/joint").await;
    assert!(page.body.contains("has not opened a joint thread"));
    let res = jordan
        .call(
            "/api/send_message",
            &[("thread", "joint"), ("body", "Too early")],
        )
        .await;
    assert_eq!(res.status, 409);
    // Only the couple's counselor opens it.
    let mut dana = as_actor(&app, Some("dana@example.org")).await;
    let res = dana
        .call("/api/open_joint_thread", &[("couple_id", couple)])
        .await;
    assert_eq!(res.status, 404);
    let res = jordan
        .call("/api/open_joint_thread", &[("couple_id", couple)])
        .await;
    assert_eq!(res.status, 404);
    let mut robin = p.robin;
    let res = robin
        .submit(
            &format!("/cases/{couple}"),
            "/api/open_joint_thread",
            &[("couple_id", couple)],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/cases/{couple}/messages/joint").as_str())
    );
    let (_, page) = robin
        .visit(&format!("/cases/{couple}/messages/joint"))
        .await;
    assert!(
        page.body
            .contains("Everything written here is read by you, Jordan Lee and Casey Lee.")
    );
    let to = write(
        &mut jordan,
        "/messages/joint",
        &[
            ("thread", "joint"),
            ("body", "We had a good walk on Sunday."),
        ],
    )
    .await;
    assert_eq!(to, "/messages/joint");
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let (_, page) = casey.visit("/messages/joint").await;
    assert!(page.body.contains("We had a good walk on Sunday."));
    assert!(page.body.contains(
        "Everything written here is read by you, Jordan Lee and Robin Hale (your counselor)."
    ));
    // Joint words never appear in a private thread.
    let (_, page) = casey.visit("/messages").await;
    assert!(!page.body.contains("good walk"));
    let (_, page) = robin
        .visit(&format!("/cases/{couple}/messages/joint"))
        .await;
    assert!(page.body.contains("We had a good walk on Sunday."));
    let mut pat = as_actor(&app, Some("pat@example.org")).await;
    let (_, page) = pat.visit("/messages/joint").await;
    assert!(!page.body.contains("good walk"));
}
