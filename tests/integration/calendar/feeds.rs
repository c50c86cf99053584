//! What each feed lists and says: a partner's has only the sessions they attend, by kind and
//! never by name; a counselor's has their own caseload by initials, or names once they
//! choose; nobody's has another person's sessions; and no clinical word reaches any of them.

use super::{make_feed, read_feed};
use crate::actions::tomorrow_at;
use crate::both_engines;
use crate::helpers::{Browser, Engine, TestApp};
use crate::practice::{as_actor, practice};

both_engines!(
    each_feed_lists_only_its_readers_sessions_in_their_words,
    no_clinical_word_reaches_a_feed,
);

/// Robin plans a session from the case page; returns its id.
pub async fn plan(
    robin: &mut Browser,
    couple: &str,
    starts: &str,
    format: &str,
    attendees: &str,
    place: &str,
) -> String {
    let res = robin
        .submit(
            &format!("/cases/{couple}"),
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
        .await;
    let to = res
        .location
        .unwrap_or_else(|| panic!("scheduled: {}", res.body));
    to.strip_prefix("/sessions/")
        .and_then(|r| r.strip_suffix("?scheduled=1"))
        .unwrap_or_else(|| panic!("to the session page, not {to}"))
        .to_string()
}

async fn each_feed_lists_only_its_readers_sessions_in_their_words(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let link = "https://meet.example.org/jordan-and-casey";
    let joint = plan(
        &mut p.robin,
        &couple,
        &tomorrow_at("10:00"),
        "video",
        "both",
        link,
    )
    .await;
    let jordans = plan(
        &mut p.robin,
        &couple,
        &tomorrow_at("12:00"),
        "in_person",
        "partner_1",
        "Room 4, upstairs; ring twice",
    )
    .await;
    let caseys = plan(
        &mut p.robin,
        &couple,
        &tomorrow_at("14:00"),
        "phone",
        "partner_2",
        "",
    )
    .await;

    // Jordan (partner 1): the joint session and their own, named by kind only.
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let (text, feed) = read_feed(&make_feed(&mut jordan).await).await;
    assert_eq!(feed.events.len(), 2, "{text}");
    let e = feed.event(&joint).expect("the joint session");
    assert_eq!(e["summary"], "Counseling session (joint)");
    assert_eq!(e["url"], link);
    assert_eq!(e["location"], link);
    assert_eq!(e["status"], "CONFIRMED");
    assert!(
        e["start"].as_str().unwrap().ends_with("T10:00:00+00:00"),
        "{e}"
    );
    assert!(
        e["end"].as_str().unwrap().ends_with("T10:50:00+00:00"),
        "{e}"
    );
    let e = feed.event(&jordans).expect("Jordan's own session");
    assert_eq!(e["summary"], "Counseling session (individual)");
    // Escaped on the way out, read back whole by the parser.
    assert_eq!(e["location"], "Room 4, upstairs; ring twice");
    assert!(
        feed.event(&caseys).is_none(),
        "Casey's individual session is Casey's"
    );
    for name in ["Jordan", "Casey", "Lee", "Robin"] {
        assert!(!text.contains(name), "{name} in a partner's feed:\n{text}");
    }

    // Casey (partner 2): the joint session and theirs; never Jordan's.
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let (text, feed) = read_feed(&make_feed(&mut casey).await).await;
    assert_eq!(feed.events.len(), 2, "{text}");
    assert!(feed.event(&joint).is_some() && feed.event(&caseys).is_some());
    assert!(feed.event(&jordans).is_none());
    assert!(!text.contains("Room 4"), "the place of Jordan's session");

    // Robin: the whole caseload, couples by initials.
    let robin_feed = make_feed(&mut p.robin).await;
    let (text, feed) = read_feed(&robin_feed).await;
    assert_eq!(
        feed.summaries(),
        [
            "Session: C. (individual)",
            "Session: J. & C.",
            "Session: J. (individual)"
        ]
    );
    assert!(
        !text.contains("Jordan") && !text.contains("Casey"),
        "{text}"
    );
    // Robin chooses names: the same address now names them.
    let res = p
        .robin
        .submit(
            "/settings",
            "/api/set_calendar_names",
            &[("full_names", "on")],
        )
        .await;
    assert!(res.location.is_some(), "{}", res.body);
    let (_, feed) = read_feed(&robin_feed).await;
    assert_eq!(
        feed.event(&joint).unwrap()["summary"],
        "Session: Jordan Lee & Casey Lee"
    );
    assert_eq!(
        feed.event(&caseys).unwrap()["summary"],
        "Session: Casey Lee (individual)"
    );
    // Unticking goes back to initials.
    p.robin
        .submit("/settings", "/api/set_calendar_names", &[])
        .await;
    let (_, feed) = read_feed(&robin_feed).await;
    assert_eq!(feed.event(&joint).unwrap()["summary"], "Session: J. & C.");

    // Another couple's partner and another counselor: their own feeds list none of it.
    for email in ["pat@example.org", "dana@example.org", "admin@example.org"] {
        let mut b = as_actor(&app, Some(email)).await;
        let (text, feed) = read_feed(&make_feed(&mut b).await).await;
        assert!(feed.events.is_empty(), "{email}'s feed: {text}");
    }
    // Only keyed hashes are stored, never the tokens in the addresses.
    let stored: Vec<String> =
        sqlx::query_scalar("select token_hash from calendar_feed where token_hash is not null")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(stored.len(), 6);
    for hash in &stored {
        assert!(!robin_feed.contains(hash.as_str()));
    }
}

async fn no_clinical_word_reaches_a_feed(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let marker = "ZCLINICALCAL9Q";
    let session = plan(
        &mut p.robin,
        &couple,
        &tomorrow_at("09:00"),
        "video",
        "both",
        "",
    )
    .await;
    let res = p
        .robin
        .submit(
            &format!("/sessions/{session}"),
            "/api/add_agenda_item",
            &[
                ("session_id", &session),
                ("body", &format!("Agenda {marker}")),
            ],
        )
        .await;
    assert!(res.location.is_some(), "{}", res.body);
    let note = crate::actions::start_note(
        &mut p.robin,
        &session,
        crate::actions::NoteKind::Progress,
        crate::actions::Template::Soap,
    )
    .await;
    crate::actions::save_note(
        &mut p.robin,
        &note,
        &[("sections[subjective]", &format!("Note {marker}"))],
    )
    .await;
    let cancelled = plan(
        &mut p.robin,
        &couple,
        &tomorrow_at("11:00"),
        "video",
        "both",
        "",
    )
    .await;
    let res = p
        .robin
        .submit(
            &format!("/sessions/{cancelled}"),
            "/api/set_session_status",
            &[
                ("session_id", &cancelled),
                ("status", "cancelled"),
                ("reason", &format!("Reason {marker}")),
            ],
        )
        .await;
    assert!(res.location.is_some(), "{}", res.body);
    for email in [
        "robin@example.org",
        "jordan@example.org",
        "casey@example.org",
    ] {
        let mut b = as_actor(&app, Some(email)).await;
        let address = make_feed(&mut b).await;
        let (text, feed) = read_feed(&address).await;
        assert_eq!(feed.events.len(), 2, "{email}: {text}");
        assert!(!text.contains(marker), "{email}'s feed: {text}");
        for download in [&session, &cancelled] {
            let page = b.get(&format!("/sessions/{download}/calendar.ics")).await;
            assert_eq!(page.status, 200, "{email}: {}", page.body);
            assert!(!page.body.contains(marker), "{email}: {}", page.body);
        }
    }
}
