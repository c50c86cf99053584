//! A real calendar app takes the feed: calcurse (a calendar program with its own iCalendar
//! importer, installed by `scripts/test.sh`) imports a partner's feed and lists each session
//! at its time, with its joining link or place, and skips nothing.

use super::feeds::plan;
use super::{fetch, make_feed};
use crate::actions::tomorrow_at;
use crate::both_engines;
use crate::helpers::{Engine, TestApp, temp_dir};
use crate::practice::{as_actor, practice};
use std::process::Command;

both_engines!(a_calendar_app_imports_a_feed_and_lists_each_session_at_its_time);

/// Runs calcurse on its own data folder, in UTC (the times the tests plan in).
fn calcurse(dir: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new("calcurse")
        .arg("-D")
        .arg(dir)
        .args(args)
        .env("TZ", "UTC")
        .output()
        .unwrap_or_else(|e| panic!("calcurse (scripts/test.sh installs it): {e}"));
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "calcurse {args:?}: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

async fn a_calendar_app_imports_a_feed_and_lists_each_session_at_its_time(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    plan(
        &mut p.robin,
        &couple,
        &tomorrow_at("09:30"),
        "video",
        "both",
        "https://meet.example.org/rivera-joint",
    )
    .await;
    plan(
        &mut p.robin,
        &couple,
        &tomorrow_at("15:00"),
        "in_person",
        "partner_1",
        "Room 4, 12 Garden Lane",
    )
    .await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let address = make_feed(&mut jordan).await;
    let feed = fetch(&address).await;
    assert_eq!(feed.status, 200, "{}", feed.body);

    let dir = temp_dir();
    let file = dir.0.join("trellis.ics");
    std::fs::write(&file, &feed.body).unwrap();
    let data = dir.0.join("calcurse");
    std::fs::create_dir_all(&data).unwrap();
    let report = calcurse(&data, &["-i", file.to_str().unwrap()]);
    assert!(
        report.contains("2 apps / 0 events / 0 todos / 0 skipped"),
        "{report}\n{}",
        feed.body
    );

    let day = (chrono::Utc::now().date_naive() + chrono::Days::new(1)).to_string();
    let listed = calcurse(
        &data,
        &[
            "--input-datefmt",
            "4",
            "-Q",
            "--from",
            &day,
            "--days",
            "1",
            "--format-apt",
            "%(start:%Y-%m-%dT%H:%M)|%(end:%H:%M)|%m|%N\n",
        ],
    );
    let joint = format!("{day}T09:30|10:20|Counseling session (joint)|");
    let individual = format!("{day}T15:00|15:50|Counseling session (individual)|");
    assert!(listed.contains(&joint), "{listed}");
    assert!(listed.contains(&individual), "{listed}");
    // The notes calcurse keeps with each: how and where, nothing else.
    assert!(
        listed.contains("https://meet.example.org/rivera-joint"),
        "{listed}"
    );
    assert!(listed.contains("Room 4, 12 Garden Lane"), "{listed}");
    assert!(
        !listed.contains("Jordan") && !listed.contains("Casey"),
        "{listed}"
    );
}
