//! Planning sessions: in the counselor's time zone, shown to each partner in theirs, moved,
//! cancelled with a reason.

use crate::actions::{Partner, Partners, schedule, tomorrow_at};
use crate::both_engines;
use crate::helpers::{Browser, Engine, TestApp};
use crate::practice::{as_actor, practice};

both_engines!(sessions_are_planned_in_the_counselors_time_zone);

/// Tomorrow in India (UTC+05:30 all year), where the date turns 5½ hours before UTC's.
fn tomorrow_in_india_at(hhmm: &str) -> String {
    let today = (chrono::Utc::now() + chrono::Duration::minutes(330)).date_naive();
    format!("{}T{hhmm}", today + chrono::Days::new(1))
}

async fn set_zone(b: &mut Browser, zone: &str) {
    let res = b
        .submit("/settings", "/api/set_time_zone", &[("time_zone", zone)])
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/settings?saved=1"),
        "{}",
        res.body
    );
}

async fn sessions_are_planned_in_the_counselors_time_zone(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    // India has no daylight saving: 14:00 there is 08:30 UTC all year.
    set_zone(&mut p.robin, "Asia/Kolkata").await;
    let session = schedule(
        &mut p.robin,
        &couple,
        &tomorrow_in_india_at("14:00"),
        Partners::Both,
    )
    .await;
    let starts: i64 = sqlx::query_scalar(
        "select starts_at from counseling_session where counseling_session_id = $1",
    )
    .bind(&session)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    let utc = chrono::DateTime::from_timestamp_millis(starts).unwrap();
    assert_eq!(utc.format("%H:%M").to_string(), "08:30");

    let (_, agenda) = p.robin.visit("/agenda").await;
    assert!(agenda.body.contains("Tomorrow"), "{}", agenda.body);
    assert!(agenda.body.contains("14:00"));
    assert!(agenda.body.contains("Jordan &amp; Casey"));
    let (_, caseload) = p.robin.visit("/").await;
    assert!(caseload.body.contains("Next session"));
    assert!(caseload.body.contains(", 14:00"));

    // Partners see date, time (in their own zone, UTC here) and format; nothing else.
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let (_, home) = jordan.visit("/").await;
    assert!(home.body.contains("Your next sessions"));
    assert!(home.body.contains(", 08:30"));
    assert!(home.body.contains("Video"));
    // No link to the (counselor's) session page; the only link naming the session is its
    // calendar file, which is the partner's to download.
    assert!(
        !home.body.contains(&format!("\"/sessions/{session}\"")),
        "no link to the session page"
    );
    assert_eq!(
        home.body.matches(&session).count(),
        home.body
            .matches(&format!("/sessions/{session}/calendar.ics"))
            .count()
    );

    // An individual session with Jordan is not on Casey's home.
    let solo = schedule(
        &mut p.robin,
        &couple,
        &tomorrow_in_india_at("16:00"),
        Partners::Only(Partner::First),
    )
    .await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let (_, casey_home) = casey.visit("/").await;
    assert!(casey_home.body.contains(", 08:30"));
    assert!(
        !casey_home.body.contains(", 10:30"),
        "Jordan's individual session"
    );
    let (_, jordan_home) = jordan.visit("/").await;
    assert!(jordan_home.body.contains(", 10:30"));

    // Bad input is explained.
    for (starts, minutes, message) in [
        (
            "not a time",
            "50",
            "Enter the date and time of the session.",
        ),
        ("2020-01-01T10:00", "50", "That time has passed."),
        (
            &tomorrow_at("09:00") as &str,
            "0",
            "between 5 and 480 minutes",
        ),
    ] {
        let res = p
            .robin
            .submit(
                &format!("/cases/{couple}/sessions"),
                "/api/schedule_session",
                &[
                    ("couple_id", couple.as_str()),
                    ("starts_at", starts),
                    ("duration_minutes", minutes),
                    ("format", "video"),
                    ("attendees", "both"),
                ],
            )
            .await;
        let (_, page) = p.robin.visit(&res.location.unwrap()).await;
        assert!(page.body.contains(message), "{message}");
    }

    // Reschedule, refuse attendance before it starts, cancel only with a reason.
    let session_page = format!("/sessions/{session}");
    let res = p
        .robin
        .submit(
            &session_page,
            "/api/reschedule_session",
            &[
                ("session_id", session.as_str()),
                ("starts_at", &tomorrow_at("15:30")),
                ("duration_minutes", "80"),
                ("format", "in_person"),
                ("attendees", "both"),
            ],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("{session_page}?saved=1").as_str())
    );
    let (_, page) = p.robin.visit(&session_page).await;
    assert!(page.body.contains("15:30"));
    assert!(page.body.contains("80 minutes"));
    assert!(page.body.contains("In person"));
    let early = p
        .robin
        .call(
            "/api/set_session_status",
            &[("session_id", session.as_str()), ("status", "attended")],
        )
        .await;
    assert_eq!(early.status, 409);
    let no_reason = p
        .robin
        .call(
            "/api/set_session_status",
            &[("session_id", solo.as_str()), ("status", "cancelled")],
        )
        .await;
    assert_eq!(no_reason.status, 422);
    let cancelled = p
        .robin
        .call(
            "/api/set_session_status",
            &[
                ("session_id", solo.as_str()),
                ("status", "cancelled"),
                ("reason", "Jordan is ill"),
            ],
        )
        .await;
    assert_eq!(cancelled.status, 200);
    let (_, page) = p.robin.visit(&format!("/sessions/{solo}")).await;
    assert!(page.body.contains("Cancelled"));
    assert!(page.body.contains("Jordan is ill"));
    let (_, jordan_home) = jordan.visit("/").await;
    assert!(
        !jordan_home.body.contains(", 10:30"),
        "a cancelled session is gone"
    );
    let (_, case_page) = p.robin.visit(&format!("/cases/{couple}/timeline")).await;
    assert!(case_page.body.contains("Session scheduled"));
    assert!(case_page.body.contains("Session cancelled"));
}
