//! Where a session happens (issue 17): a video session's joining link (its own, or the
//! counselor's default) and a session in person's place (its own, or the practice's address)
//! reach the partners attending, with whether it is joint or individual; nobody else.

use crate::actions::tomorrow_at;
use crate::both_engines;
use crate::helpers::{Browser, Engine, Page, TestApp};
use crate::practice::{as_actor, practice};

both_engines!(
    partners_attending_see_the_joining_link_or_the_address_and_nobody_else,
    a_bad_joining_link_is_refused_in_words,
);

async fn plan(
    b: &mut Browser,
    couple: &str,
    starts: &str,
    format: &str,
    attendees: &str,
    place: &str,
) -> Page {
    b.submit(
        &format!("/cases/{couple}/sessions"),
        "/api/schedule_session",
        &[
            ("couple_id", couple),
            ("starts_at", starts),
            ("duration_minutes", "50"),
            ("format", format),
            ("attendees", attendees),
            ("place", place),
        ],
    )
    .await
}

async fn partners_attending_see_the_joining_link_or_the_address_and_nobody_else(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let own_link = "https://meet.example.org/jordan-and-casey";
    let res = plan(
        &mut p.robin,
        &couple,
        &tomorrow_at("10:00"),
        "video",
        "both",
        own_link,
    )
    .await;
    assert!(res.location.is_some(), "{}", res.body);
    let res = plan(
        &mut p.robin,
        &couple,
        &tomorrow_at("12:00"),
        "in_person",
        "partner_1",
        "Room 4, upstairs",
    )
    .await;
    assert!(res.location.is_some(), "{}", res.body);
    // A video session without a link of its own: Robin's joining link from Settings.
    let res = plan(
        &mut p.robin,
        &couple,
        &tomorrow_at("15:00"),
        "video",
        "both",
        "",
    )
    .await;
    assert!(res.location.is_some(), "{}", res.body);
    // In person without a place: the practice's address, set by the administrator.
    let res = plan(
        &mut p.robin,
        &couple,
        &tomorrow_at("17:00"),
        "in_person",
        "both",
        "",
    )
    .await;
    assert!(res.location.is_some(), "{}", res.body);
    let robin_link = "https://video.example.org/robin-room";
    let res = p
        .robin
        .submit(
            "/settings",
            "/api/set_meeting_link",
            &[("meeting_link", robin_link)],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/settings?saved=link#meeting-link")
    );
    let mut admin = as_actor(&app, Some("admin@example.org")).await;
    let res = admin
        .submit(
            "/",
            "/api/set_practice_address",
            &[("practice_address", "Harbour Counselling, 14 Harbour Street")],
        )
        .await;
    assert!(res.location.is_some(), "{}", res.body);

    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let (_, home) = jordan.visit("/").await;
    assert!(home.body.contains(&format!(r#"href="{own_link}""#)));
    assert!(home.body.contains(&format!(r#"href="{robin_link}""#)));
    assert!(home.body.contains("Join the video session"));
    assert!(home.body.contains("At Room 4, upstairs"));
    assert!(home.body.contains("Individual session"));
    assert!(home.body.contains("Joint session"));
    assert!(
        home.body
            .contains("At Harbour Counselling, 14 Harbour Street")
    );
    // Casey attends the joint sessions, not Jordan's individual one.
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let (_, home) = casey.visit("/").await;
    assert!(home.body.contains(own_link));
    assert!(home.body.contains("At Harbour Counselling"));
    assert!(!home.body.contains("Room 4, upstairs"));
    assert!(!home.body.contains("Individual session"));
    // Another couple's partner sees none of it.
    let mut pat = as_actor(&app, Some("pat@example.org")).await;
    let (_, home) = pat.visit("/").await;
    assert!(!home.body.contains(own_link));
    assert!(!home.body.contains(robin_link));
    let api = pat.call("/api/my_sessions", &[]).await;
    assert!(!api.body.contains(own_link));
    // The counselor sees the session's own place on the case page.
    let (_, case) = p.robin.visit(&format!("/cases/{couple}/sessions")).await;
    assert!(case.body.contains(own_link));
    assert!(case.body.contains("Room 4, upstairs"));
    // Only counselors set a joining link; only administrators the address.
    let res = jordan
        .call(
            "/api/set_meeting_link",
            &[("meeting_link", "https://evil.example.org")],
        )
        .await;
    assert!([401, 403, 404].contains(&res.status), "{}", res.status);
    let mut dana = as_actor(&app, Some("dana@example.org")).await;
    let res = dana
        .call(
            "/api/set_practice_address",
            &[("practice_address", "Elsewhere")],
        )
        .await;
    assert!([401, 403, 404].contains(&res.status), "{}", res.status);
}

async fn a_bad_joining_link_is_refused_in_words(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    for bad in [
        "meet.example.org/x",
        "http://meet.example.org/x",
        "javascript:alert(1)",
    ] {
        let res = p
            .robin
            .call(
                "/api/schedule_session",
                &[
                    ("couple_id", couple.as_str()),
                    ("starts_at", tomorrow_at("10:00").as_str()),
                    ("duration_minutes", "50"),
                    ("format", "video"),
                    ("attendees", "both"),
                    ("place", bad),
                ],
            )
            .await;
        assert_eq!(res.status, 422, "{bad}: {}", res.body);
        assert!(res.body.contains("https://"), "{}", res.body);
    }
    let sessions: i64 =
        sqlx::query_scalar("select count(*) from counseling_session where couple_id = $1")
            .bind(&couple)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(sessions, 0, "nothing scheduled");
    let res = p
        .robin
        .call("/api/set_meeting_link", &[("meeting_link", "not a link")])
        .await;
    assert_eq!(res.status, 422);
}
