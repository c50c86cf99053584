//! One session as an `.ics` file: for its counselor and the partners attending it, linked
//! from the session page and the partner's home; anyone else is refused like other pages.

use super::feeds::plan;
use super::parse;
use crate::actions::tomorrow_at;
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::practice::{as_actor, counselor, practice};

both_engines!(one_session_downloads_for_its_counselor_and_attending_partners_only,);

async fn one_session_downloads_for_its_counselor_and_attending_partners_only(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let jordans = plan(
        &mut p.robin,
        &couple,
        &tomorrow_at("12:00"),
        "in_person",
        "partner_1",
        "Room 4",
    )
    .await;
    let joint = plan(
        &mut p.robin,
        &couple,
        &tomorrow_at("15:00"),
        "video",
        "both",
        "",
    )
    .await;
    let path = |id: &str| format!("/sessions/{id}/calendar.ics");

    // The links are there, labelled, where each reader looks.
    let page = p.robin.get(&format!("/sessions/{jordans}")).await;
    assert!(page.body.contains(&path(&jordans)), "{}", page.body);
    assert!(page.body.contains("Add to my calendar"));
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let home = jordan.get("/").await;
    assert!(home.body.contains(&path(&jordans)), "{}", home.body);
    assert!(home.body.contains(&path(&joint)));

    // Robin's file names the couple by initials; Jordan's names nobody.
    let file = p.robin.get(&path(&jordans)).await;
    assert_eq!(file.status, 200, "{}", file.body);
    assert!(
        file.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let parsed = parse(&file.body);
    assert_eq!(parsed.events.len(), 1);
    assert_eq!(parsed.events[0]["summary"], "Session: J. (individual)");
    let file = jordan.get(&path(&jordans)).await;
    assert_eq!(file.status, 200, "{}", file.body);
    let parsed = parse(&file.body);
    assert_eq!(
        parsed.events[0]["summary"],
        "Counseling session (individual)"
    );
    assert_eq!(parsed.events[0]["location"], "Room 4");
    assert!(!file.body.contains("Jordan") && !file.body.contains("Casey"));

    // Casey attends the joint session, not Jordan's.
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    assert_eq!(casey.get(&path(&joint)).await.status, 200);
    assert_eq!(casey.get(&path(&jordans)).await.status, 404);
    // The other couple's partner, another counselor, the administrator, and a counselor
    // who just signed up: not found. Not signed in: sent to sign in, like every page.
    for email in ["pat@example.org", "dana@example.org", "admin@example.org"] {
        let mut b = as_actor(&app, Some(email)).await;
        for id in [&jordans, &joint] {
            let res = b.get(&path(id)).await;
            assert_eq!(res.status, 404, "{email}: {}", res.body);
            assert!(!res.body.contains("BEGIN:VCALENDAR"));
        }
    }
    let mut stranger = counselor(&app, "sam@example.org").await;
    assert_eq!(stranger.get(&path(&joint)).await.status, 404);
    let res = as_actor(&app, None).await.get(&path(&joint)).await;
    assert_eq!(res.location.as_deref(), Some("/login"), "{}", res.body);
    assert_eq!(
        as_actor(&app, Some("robin@example.org"))
            .await
            .get(&path("nope"))
            .await
            .status,
        404
    );
}
