//! The feed address as a key: a reset stops the old one at once, stopping it stops it, an
//! unknown or malformed one and a deactivated account's are "not found" with no detail; a
//! moved session's SEQUENCE grows; a cancelled one says CANCELLED (and not why).

use super::feeds::plan;
use super::{fetch, make_feed, read_feed};
use crate::actions::tomorrow_at;
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::practice::{as_actor, practice};

both_engines!(
    a_reset_or_stopped_address_stops_at_once,
    moved_sessions_grow_their_sequence_and_cancelled_ones_say_so,
);

async fn a_reset_or_stopped_address_stops_at_once(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    plan(
        &mut p.robin,
        &couple,
        &tomorrow_at("10:00"),
        "video",
        "both",
        "",
    )
    .await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let first = make_feed(&mut jordan).await;
    let (_, feed) = read_feed(&first).await;
    assert_eq!(feed.events.len(), 1);
    // Settings tells when a calendar app last read it.
    let settings = jordan.get("/settings").await;
    assert!(
        settings.body.contains("A calendar app last read it on"),
        "{}",
        settings.body
    );

    // Resetting makes a new address; the old one is gone at that moment.
    let second = make_feed(&mut jordan).await;
    assert_ne!(first, second);
    let old = fetch(&first).await;
    assert_eq!(old.status, 404);
    assert_eq!(old.body, "Not found");
    assert_eq!(read_feed(&second).await.1.events.len(), 1);

    // Unknown, malformed and truncated addresses: the same bare "not found".
    let base = second.rsplit_once("/calendar/").unwrap().0.to_string();
    for wrong in [
        format!("{base}/calendar/{}.ics", "A".repeat(43)),
        format!("{base}/calendar/nothing.ics"),
        second.trim_end_matches(".ics").to_string(),
        format!("{}.ics", &second[..second.len() - 5]),
    ] {
        let page = fetch(&wrong).await;
        assert_eq!(page.status, 404, "{wrong}");
        assert_eq!(page.body, "Not found", "{wrong}");
    }

    // Making and resetting were audited (as changes to the person's own settings).
    let details: Vec<String> = sqlx::query_scalar(
        "select detail from audit_event where detail like 'calendar_link%' order by audit_event_id",
    )
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(details, ["calendar_link_made", "calendar_link_reset"]);

    // Stopping it: Settings no longer shows an address and the feed is gone.
    let res = jordan
        .submit("/settings", "/api/stop_calendar_link", &[])
        .await;
    assert!(res.location.is_some(), "{}", res.body);
    assert_eq!(fetch(&second).await.status, 404);
    let settings = jordan.get("/settings").await;
    assert!(super::shown_address(&settings).is_none());
    assert!(settings.body.contains("Create my calendar address"));

    // A deactivated account's feed stops too.
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let caseys = make_feed(&mut casey).await;
    assert_eq!(fetch(&caseys).await.status, 200);
    // Signing out forgets the fresh address this browser kept to show it (the feed goes on).
    let kept = app::features::calendar::link::COOKIE;
    assert!(casey.cookies.contains_key(kept));
    casey.submit("/", "/api/sign_out", &[]).await;
    assert!(!casey.cookies.contains_key(kept));
    assert_eq!(fetch(&caseys).await.status, 200);
    let casey_id = app.user_id("casey@example.org").await;
    app::auth::repo::set_status(app.state.db.writer(), &casey_id, "deactivated")
        .await
        .unwrap();
    assert_eq!(fetch(&caseys).await.status, 404);
}

async fn moved_sessions_grow_their_sequence_and_cancelled_ones_say_so(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let session = plan(
        &mut p.robin,
        &couple,
        &tomorrow_at("10:00"),
        "video",
        "both",
        "",
    )
    .await;
    let other = plan(
        &mut p.robin,
        &couple,
        &tomorrow_at("16:00"),
        "video",
        "both",
        "",
    )
    .await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let address = make_feed(&mut jordan).await;
    let (_, before) = read_feed(&address).await;
    let seq =
        |feed: &super::Parsed, id: &str| feed.event(id).unwrap()["sequence"].as_i64().unwrap();
    let first = seq(&before, &session);

    let move_to = |at: &str| {
        [
            ("session_id", session.clone()),
            ("starts_at", tomorrow_at(at)),
            ("duration_minutes", "60".to_string()),
            ("format", "video".to_string()),
            ("attendees", "both".to_string()),
            ("place", String::new()),
        ]
    };
    let form = move_to("11:30");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = p
        .robin
        .submit(
            &format!("/sessions/{session}"),
            "/api/reschedule_session",
            &form,
        )
        .await;
    assert!(res.location.is_some(), "{}", res.body);
    let (_, moved) = read_feed(&address).await;
    let e = moved.event(&session).unwrap();
    assert!(seq(&moved, &session) > first, "{e}");
    assert!(
        e["start"].as_str().unwrap().ends_with("T11:30:00+00:00"),
        "{e}"
    );
    assert!(
        e["end"].as_str().unwrap().ends_with("T12:30:00+00:00"),
        "{e}"
    );
    assert_eq!(
        e["uid"],
        format!("session-{session}@trellis"),
        "the same event"
    );
    // The session left alone keeps its number.
    assert_eq!(seq(&moved, &other), seq(&before, &other));

    let res = p
        .robin
        .submit(
            &format!("/sessions/{session}"),
            "/api/set_session_status",
            &[
                ("session_id", &session),
                ("status", "cancelled"),
                ("reason", "Illness in the family"),
            ],
        )
        .await;
    assert!(res.location.is_some(), "{}", res.body);
    let (text, cancelled) = read_feed(&address).await;
    let e = cancelled.event(&session).unwrap();
    assert_eq!(e["status"], "CANCELLED");
    assert!(seq(&cancelled, &session) > seq(&moved, &session));
    assert!(!text.contains("Illness"), "no reason in the feed: {text}");
    assert_eq!(cancelled.event(&other).unwrap()["status"], "CONFIRMED");
}
