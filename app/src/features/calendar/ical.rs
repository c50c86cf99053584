//! A small iCalendar (RFC 5545) writer: just what a published calendar of sessions needs.
//! Lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character; TEXT
//! values are escaped; times are written in UTC (`…Z`), so no VTIMEZONE is needed.

use chrono::{TimeZone, Utc};

/// The product that wrote the calendar, as RFC 5545 asks (`PRODID`).
pub const PRODID: &str = "-//Trellis//Trellis calendar//EN";

/// One session as an event. Every field is already chosen for its reader: nothing here is
/// filtered again.
pub struct Event {
    /// Stable across every read of every feed, so calendar apps update rather than duplicate.
    pub uid: String,
    /// Grows whenever the session moves or changes (see migration 0028).
    pub sequence: i64,
    /// When the session starts and ends, in ms since the epoch.
    pub starts_at: i64,
    pub ends_at: i64,
    pub summary: String,
    pub description: String,
    pub location: Option<String>,
    /// A joining link (`https://…`, already checked).
    pub url: Option<String>,
    pub cancelled: bool,
}

/// A calendar being written.
pub struct Calendar {
    out: String,
    stamp: String,
}

impl Calendar {
    /// Starts a calendar named `name`, stamped `now` (ms since the epoch).
    pub fn new(name: &str, now: i64) -> Self {
        let mut cal = Calendar {
            out: String::new(),
            stamp: utc(now),
        };
        cal.line("BEGIN", "VCALENDAR");
        cal.line("VERSION", "2.0");
        cal.line("PRODID", PRODID);
        cal.line("CALSCALE", "GREGORIAN");
        cal.line("METHOD", "PUBLISH");
        cal.line("X-WR-CALNAME", &escape_text(name));
        // Asks calendar apps to look again within the hour (apps may choose otherwise).
        cal.line("REFRESH-INTERVAL;VALUE=DURATION", "PT1H");
        cal.line("X-PUBLISHED-TTL", "PT1H");
        cal
    }

    pub fn event(&mut self, e: &Event) {
        self.line("BEGIN", "VEVENT");
        self.line("UID", &escape_text(&e.uid));
        let stamp = self.stamp.clone();
        self.line("DTSTAMP", &stamp);
        self.line("DTSTART", &utc(e.starts_at));
        self.line("DTEND", &utc(e.ends_at));
        self.line("SEQUENCE", &e.sequence.max(0).to_string());
        self.line(
            "STATUS",
            if e.cancelled {
                "CANCELLED"
            } else {
                "CONFIRMED"
            },
        );
        self.line("SUMMARY", &escape_text(&e.summary));
        self.line("DESCRIPTION", &escape_text(&e.description));
        if let Some(location) = &e.location {
            self.line("LOCATION", &escape_text(location));
        }
        if let Some(url) = &e.url {
            self.line("URL", &without_controls(url));
        }
        // Shared calendars show only "busy" for a private event.
        self.line("CLASS", "PRIVATE");
        self.line("TRANSP", "OPAQUE");
        self.line("END", "VEVENT");
    }

    pub fn finish(mut self) -> String {
        self.line("END", "VCALENDAR");
        self.out
    }

    fn line(&mut self, name: &str, value: &str) {
        self.out.push_str(&fold(&format!("{name}:{value}")));
    }
}

/// A time in UTC as iCalendar writes it, e.g. `20261211T031700Z`.
pub fn utc(ms: i64) -> String {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or_default()
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// Drops control characters (a TEXT or URI value may not hold them; a newline is escaped
/// by `escape_text` before this runs).
fn without_controls(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// Escapes a TEXT value: backslash, semicolon and comma get a backslash; a newline (CRLF,
/// LF or CR) becomes `\n`; other control characters are dropped.
pub fn escape_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded: no physical line longer than 75 octets (CRLF aside), each
/// continuation starting with a space, never inside a UTF-8 character; ends in CRLF.
pub fn fold(line: &str) -> String {
    const LIMIT: usize = 75;
    let mut out = String::with_capacity(line.len() + line.len() / 60 * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > LIMIT {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "")
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape_text("a,b;c\\d\ne\r\nf\rg\u{7}h"),
            "a\\,b\\;c\\\\d\\ne\\nf\\ngh"
        );
        assert_eq!(
            escape_text("Room 2: 14 Harbour St"),
            "Room 2: 14 Harbour St"
        );
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        for text in [
            "x".repeat(200),
            "é".repeat(100),
            "😀".repeat(50),
            format!("a{}", "日本語".repeat(40)),
        ] {
            let line = format!("SUMMARY:{text}");
            let folded = fold(&line);
            assert!(folded.ends_with("\r\n"));
            let physical: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
            assert!(physical.len() > 1, "{text} folds");
            for (i, p) in physical.iter().enumerate() {
                assert!(p.len() <= 75, "line {i} has {} octets", p.len());
                assert_eq!(i > 0, p.starts_with(' '));
            }
            // Each physical line is whole UTF-8 (a `&str` split proves it) and the
            // unfolded text is the original.
            assert_eq!(unfold(&folded), format!("{line}\r\n"));
        }
        assert_eq!(fold("VERSION:2.0"), "VERSION:2.0\r\n");
        assert_eq!(fold(&"y".repeat(75)), format!("{}\r\n", "y".repeat(75)));
        assert_eq!(
            fold(&"y".repeat(76)),
            format!("{}\r\n y\r\n", "y".repeat(75))
        );
    }

    #[test]
    fn a_calendar_has_the_required_lines_and_only_crlf() {
        let mut cal = Calendar::new("Trellis, sessions", 1_800_000_000_000);
        cal.event(&Event {
            uid: "s1@trellis".into(),
            sequence: 2,
            starts_at: 1_800_003_600_000,
            ends_at: 1_800_006_600_000,
            summary: "Counseling session (joint)".into(),
            description: "Joint session; by video".into(),
            location: Some("https://meet.example.org/abc".into()),
            url: Some("https://meet.example.org/abc".into()),
            cancelled: true,
        });
        let text = cal.finish();
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains(['\r', '\n']));
        for expected in [
            "METHOD:PUBLISH",
            "X-WR-CALNAME:Trellis\\, sessions",
            "DTSTAMP:20270115T080000Z",
            "DTSTART:20270115T090000Z",
            "DTEND:20270115T095000Z",
            "SEQUENCE:2",
            "STATUS:CANCELLED",
            "DESCRIPTION:Joint session\\; by video",
            "URL:https://meet.example.org/abc",
        ] {
            assert!(text.contains(&format!("\r\n{expected}\r\n")), "{expected}");
        }
    }
}
