//! Calendars (issue 17): each person's private feed and the per-session download, read back
//! with a real iCalendar parser (Python's `icalendar`, `fixtures/calendar/parse.py`).

mod client;
mod demo;
mod download;
mod feeds;
mod links;

use crate::helpers::{Browser, Page};
use serde_json::Value;

/// The events the real parser read (the calendar's own properties are checked in `parse`).
pub struct Parsed {
    pub events: Vec<Value>,
}

impl Parsed {
    /// The event of a session (by the UID the feed gives it), if listed.
    pub fn event(&self, session: &str) -> Option<&Value> {
        let uid = format!("session-{session}@trellis");
        self.events.iter().find(|e| e["uid"] == uid.as_str())
    }

    pub fn summaries(&self) -> Vec<String> {
        let mut s: Vec<String> = self
            .events
            .iter()
            .map(|e| e["summary"].as_str().unwrap_or_default().to_string())
            .collect();
        s.sort();
        s
    }
}

/// Parses a calendar file with `icalendar` and checks what every calendar must be: no
/// framing problem the parser or the line checks found, VERSION 2.0, our PRODID, PUBLISH.
pub fn parse(ics: &str) -> Parsed {
    use std::io::Write;
    let python = std::env::var("TRELLIS_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/calendar/parse.py");
    let mut child = std::process::Command::new(&python)
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{python}: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ics.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "icalendar could not read the calendar (is it installed? scripts/lib.sh \
         ensure_smtp_server):\n{}\n{ics}",
        String::from_utf8_lossy(&out.stderr)
    );
    let whole: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(whole["problems"], serde_json::json!([]), "{ics}");
    assert_eq!(whole["version"], "2.0");
    assert_eq!(whole["method"], "PUBLISH");
    assert_eq!(whole["prodid"], "-//Trellis//Trellis calendar//EN");
    let events = whole["events"].as_array().cloned().unwrap_or_default();
    Parsed { events }
}

/// The person signed in to `b` makes (or resets) their feed in Settings, as the form does;
/// returns the address Settings then shows.
pub async fn make_feed(b: &mut Browser) -> String {
    let res = b.submit("/settings", "/api/make_calendar_link", &[]).await;
    assert_eq!(
        res.location.as_deref(),
        Some("/settings#calendar"),
        "{}",
        res.body
    );
    let page = b.get("/settings").await;
    shown_address(&page).unwrap_or_else(|| panic!("Settings shows the address: {}", page.body))
}

/// The feed address on a Settings page, when it shows one.
pub fn shown_address(page: &Page) -> Option<String> {
    let at = page.body.find("/calendar/")?;
    let start = page.body[..at].rfind('"')? + 1;
    let end = at + page.body[at..].find(".ics")? + 4;
    Some(page.body[start..end].to_string())
}

/// Reads a feed as a calendar app does (no cookies, no sign-in).
pub async fn fetch(address: &str) -> Page {
    let mut app = Browser::new("");
    app.get(address).await
}

/// Reads a feed that must answer, checks its headers, and parses it.
pub async fn read_feed(address: &str) -> (String, Parsed) {
    let page = fetch(address).await;
    assert_eq!(page.status, 200, "{address}: {}", page.body);
    let header = |name: &str| {
        page.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    assert_eq!(header("content-type"), "text/calendar; charset=utf-8");
    // No copy kept anywhere on the way (the server's headers make every answer `no-store`).
    assert_eq!(header("cache-control"), "no-store");
    assert!(header("x-robots-tag").contains("noindex"));
    let parsed = parse(&page.body);
    (page.body, parsed)
}
