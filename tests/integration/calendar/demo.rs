//! The demo practice in calendars: no feed is made for anyone (an address is shown once),
//! but any feed a demo person makes lists the demo's sessions rightly.

use super::{make_feed, read_feed};
use crate::both_engines;
use crate::helpers::{Engine, Options, TestApp};

both_engines!(the_demo_sessions_read_rightly_in_a_new_feed);

async fn the_demo_sessions_read_rightly_in_a_new_feed(engine: Engine) {
    let options = Options {
        demo: true,
        ..Default::default()
    };
    let app = TestApp::spawn_with(engine, options).await;
    let mut alex = app.browser();
    alex.sign_in("alex@demo.trellis.test", "trellis-demo").await;
    let (text, feed) = read_feed(&make_feed(&mut alex).await).await;
    // Last week's (attended), the next one online and the one in person after it.
    assert_eq!(feed.events.len(), 3, "{text}");
    assert!(
        feed.summaries()
            .iter()
            .all(|s| s == "Counseling session (joint)")
    );
    assert!(
        feed.events
            .iter()
            .any(|e| e["url"] == "https://video.example.org/hale/alex-and-sam")
    );
    assert!(
        feed.events
            .iter()
            .any(|e| e["location"] == "Harbour Counselling, 2nd floor, 14 Harbour Street")
    );
    // The next session's agenda item and the signed note's words stay out.
    for words in [
        "Alex",
        "Sam",
        "draft for this week",
        "Transparency",
        "steadier",
    ] {
        assert!(!text.contains(words), "{words}: {text}");
    }

    let mut robin = app.browser();
    robin
        .sign_in("counselor@demo.trellis.test", "trellis-demo")
        .await;
    let (text, feed) = read_feed(&make_feed(&mut robin).await).await;
    assert!(feed.events.len() >= 3, "{text}");
    assert!(
        feed.summaries()
            .iter()
            .filter(|s| *s == "Session: A. & S.")
            .count()
            >= 3,
        "{:?}",
        feed.summaries()
    );
    assert!(!text.contains("Rivera"));
    // No demo person has a feed until they make one.
    let made: i64 = sqlx::query_scalar("select count(*) from calendar_feed")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(made, 2);
}
