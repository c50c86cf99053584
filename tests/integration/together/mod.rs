//! Work done together (issue 16): the couple write one shared answer. Either partner may
//! change it, every version is kept, each sees what the other changed; two saves that cross
//! never overwrite each other unseen and lose nothing; the counselor reads every version and
//! turns step 8's answers into draft agreements in one click.

use crate::actions::{call_together, save_together, send_together};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::practice::{as_actor, practice};

mod drafting;

both_engines!(
    two_partners_write_one_answer_and_each_sees_the_others_changes,
    crossing_saves_overwrite_nothing_and_lose_nothing,
);

async fn count(app: &TestApp, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

async fn two_partners_write_one_answer_and_each_sees_the_others_changes(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let joint = send_together(&app, &mut p.robin, &p.couple, "s2-hard-feelings-agreement").await;
    let page_url = format!("/together/{joint}");

    // On both partners' lists, as one piece of work to do together.
    for b in [&mut jordan, &mut casey] {
        let (_, home) = b.visit("/").await;
        assert!(home.body.contains(&format!(r#"href="{page_url}""#)));
        assert!(home.body.contains("To do together"));
    }
    let (_, page) = jordan.visit(&page_url).await;
    for words in [
        "How will either of you signal that you need a break?",
        "Save our answer",
        "Save and send to our counselor",
        "You and Casey Lee write one answer between you.",
    ] {
        assert!(page.body.contains(words), "{words}");
    }

    // Jordan writes first; Casey sees it, with what Jordan changed.
    let res = save_together(
        &mut jordan,
        &joint,
        0,
        &[("pause_signal", "One of us raises a hand.")],
        "save",
    )
    .await;
    assert_eq!(
        res.location.as_deref(),
        Some(&*format!("{page_url}?saved=1"))
    );
    let (_, home) = casey.visit("/").await;
    assert!(home.body.contains("Started together"));
    let (_, page) = casey.visit(&page_url).await;
    assert!(
        page.body
            .contains("What Jordan Lee changed since you last saved")
    );
    assert!(page.body.contains("One of us raises a hand."));
    assert!(page.body.contains(r#"name="base_version" value="1""#));

    // Casey changes one answer and adds another: a second version, the first kept.
    let res = save_together(
        &mut casey,
        &joint,
        1,
        &[
            ("pause_signal", "One of us says pause and raises a hand."),
            ("return_time", "Twenty minutes."),
        ],
        "save",
    )
    .await;
    assert_eq!(
        res.location.as_deref(),
        Some(&*format!("{page_url}?saved=1"))
    );
    let (_, page) = jordan.visit(&page_url).await;
    assert!(
        page.body
            .contains("What Casey Lee changed since you last saved")
    );
    assert!(page.body.contains("Before: One of us raises a hand."));
    assert!(
        page.body
            .contains("Now: One of us says pause and raises a hand.")
    );
    assert!(page.body.contains("Before: (no answer)"));
    assert!(page.body.contains("Every version (2)"));
    assert!(page.body.contains("Version 2, saved by Casey Lee"));
    assert!(page.body.contains("Version 1, saved by Jordan Lee"));
    // The author has nothing new to see.
    let (_, page) = casey.visit(&page_url).await;
    assert!(!page.body.contains("changed since you last saved"));

    // Jordan sends it; the counselor sees it sent, reads every version, and the reading is
    // audited.
    let res = save_together(
        &mut jordan,
        &joint,
        2,
        &[
            ("pause_signal", "One of us says pause and raises a hand."),
            ("return_time", "Twenty minutes."),
        ],
        "send",
    )
    .await;
    assert_eq!(
        res.location.as_deref(),
        Some(&*format!("{page_url}?sent=1"))
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from joint_version where joint_work_id = $1",
            &joint
        )
        .await,
        2,
        "sending an unchanged answer adds no version"
    );
    let (_, home) = casey.visit("/").await;
    assert!(home.body.contains("Sent to your counselor"));
    let (_, case_page) = p
        .robin
        .visit(&format!("/cases/{}/homework", p.couple))
        .await;
    assert!(case_page.body.contains("Both, together"));
    assert!(case_page.body.contains("Sent to you"));
    let (_, page) = p.robin.visit(&page_url).await;
    assert!(page.body.contains("Newest: Version 2, saved by Casey Lee"));
    assert!(page.body.contains("Version 2 was sent to you on"));
    assert!(page.body.contains("One of us raises a hand."), "version 1");
    assert_eq!(
        count(
            &app,
            "select count(*) from audit_event where action = $1",
            "joint_answer_viewed"
        )
        .await,
        1
    );

    // A version once saved can never be changed, on either engine.
    let changed = sqlx::query("update joint_version set answers = '{}' where joint_work_id = $1")
        .bind(&joint)
        .execute(app.state.db.writer())
        .await;
    assert!(changed.is_err(), "saved versions are kept as saved");

    // Nobody else reaches it: not another couple's partner, not another counselor.
    for email in ["pat@example.org", "dana@example.org", "admin@example.org"] {
        let mut other = as_actor(&app, Some(email)).await;
        let (_, page) = other.visit(&page_url).await;
        assert!(!page.body.contains("One of us"), "{email}");
        let api = other
            .call("/api/get_joint", &[("joint_id", joint.as_str())])
            .await;
        assert_eq!(api.status, 404, "{email}");
        let res = other
            .call(
                "/api/save_joint",
                &[
                    ("joint_id", joint.as_str()),
                    ("answers[pause_signal]", "Taken over"),
                    ("base_version", "2"),
                    ("intent", "save"),
                ],
            )
            .await;
        assert_eq!(res.status, 404, "{email}");
    }
    // The counselor reads it but does not write in it.
    let res = p
        .robin
        .call(
            "/api/save_joint",
            &[
                ("joint_id", joint.as_str()),
                ("answers[pause_signal]", "Counselor words"),
                ("base_version", "2"),
                ("intent", "save"),
            ],
        )
        .await;
    assert_eq!(res.status, 404);

    // Both partners' downloads hold every version.
    let (_, export) = casey.visit("/export/my-data.json").await;
    assert!(export.body.contains("One of us raises a hand."));
    assert!(export.body.contains("done_together"));
}

async fn crossing_saves_overwrite_nothing_and_lose_nothing(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let joint = send_together(&app, &mut p.robin, &p.couple, "s3-transparency-plan").await;
    let page_url = format!("/together/{joint}");

    // Both open the empty page; Jordan saves first.
    let res = save_together(
        &mut jordan,
        &joint,
        0,
        &[("what_shared", "Plans for the day, each morning.")],
        "save",
    )
    .await;
    assert!(res.location.is_some(), "{}", res.body);
    // Casey's page still showed nothing: Casey's words do not replace Jordan's.
    let res = call_together(
        &mut casey,
        &joint,
        0,
        &[("what_shared", "Where we are, when plans change.")],
        "save",
    )
    .await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert!(
        res.body
            .contains("Your partner saved a newer version while you were writing"),
        "{}",
        res.body
    );
    let current: i64 =
        sqlx::query_scalar("select current_version from joint_work where joint_work_id = $1")
            .bind(&joint)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(current, 1, "Jordan's version stands");
    // Casey's words are kept for Casey alone, and the page holds them to merge.
    let (_, page) = casey.visit(&page_url).await;
    assert!(page.body.contains("Your words that are not saved yet"));
    assert!(page.body.contains("Where we are, when plans change."));
    assert!(page.body.contains("Plans for the day, each morning."));
    assert!(page.body.contains(r#"name="base_version" value="1""#));
    let (_, page) = jordan.visit(&page_url).await;
    assert!(!page.body.contains("Where we are, when plans change."));
    let (_, page) = p.robin.visit(&page_url).await;
    assert!(!page.body.contains("Where we are, when plans change."));
    let (_, export) = casey.visit("/export/my-data.json").await;
    assert!(export.body.contains("Where we are, when plans change."));
    let (_, export) = jordan.visit("/export/my-data.json").await;
    assert!(!export.body.contains("Where we are, when plans change."));

    // Casey merges and saves on the newest version: a second version, the kept words gone.
    let merged = "Plans for the day, each morning, and where we are when plans change.";
    let res = save_together(&mut casey, &joint, 1, &[("what_shared", merged)], "save").await;
    assert!(res.location.is_some(), "{}", res.body);
    assert_eq!(
        count(
            &app,
            "select count(*) from joint_draft where joint_work_id = $1",
            &joint
        )
        .await,
        0
    );
    let (_, page) = jordan.visit(&page_url).await;
    assert!(page.body.contains(merged));

    // Too long to save: refused in words, every word kept for its writer.
    let long = "w".repeat(20_001);
    let res = call_together(&mut jordan, &joint, 2, &[("what_shared", &long)], "save").await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains("characters long"), "{}", res.body);
    let kept: String = sqlx::query_scalar(
        "select answers from joint_draft where joint_work_id = $1 and position = 1",
    )
    .bind(&joint)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert!(kept.contains(&long));
    // Letting the kept words go starts again from the newest version.
    let res = save_together(&mut jordan, &joint, 0, &[], "discard").await;
    assert_eq!(
        res.location.as_deref(),
        Some(&*format!("{page_url}?discarded=1"))
    );
    let (_, page) = jordan.visit(&page_url).await;
    assert!(!page.body.contains("Your words that are not saved yet"));

    // Cancelled: nothing changes, and what was written stays readable.
    let res = p
        .robin
        .submit(
            &format!("/cases/{}", p.couple),
            "/api/cancel_joint",
            &[("joint_id", joint.as_str())],
        )
        .await;
    assert!(res.location.is_some(), "{}", res.body);
    let res = call_together(&mut jordan, &joint, 2, &[("what_shared", "More")], "save").await;
    assert_eq!(res.status, 409, "{}", res.body);
    let (_, page) = jordan.visit(&page_url).await;
    assert!(
        page.body
            .contains("Your counselor has cancelled this exercise")
    );
    assert!(page.body.contains(merged));
    let (_, home) = jordan.visit("/").await;
    assert!(!home.body.contains(&page_url), "gone from the list");
}
