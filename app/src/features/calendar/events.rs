//! What each reader's calendar says about a session. A counselor reads their caseload by case
//! initials (or names, if they chose so); a partner reads only "Counseling session" and
//! whether it is joint or individual. Both read when, how long, how, and where: never agenda
//! items, notes, or the reason a session was cancelled.

use super::ical::Event;
use super::repo::SessionRow;
use crate::features::sessions::{SessionFormat, where_of};

/// Who the calendar is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Counselor { full_names: bool },
    Partner,
}

/// What events link back to and where in-person sessions happen, for every event.
pub struct Context<'a> {
    pub public_url: &'a str,
    pub practice_address: Option<&'a str>,
}

/// "J." for "Jordan Ellis": the first letter of the first name, as a case initial.
pub fn initial(name: &str) -> String {
    name.trim()
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| format!("{}.", c.to_uppercase()))
        .unwrap_or_else(|| "?".into())
}

fn summary(row: &SessionRow, audience: Audience) -> String {
    let joint = row.attendees == "both";
    match audience {
        Audience::Partner => if joint {
            "Counseling session (joint)"
        } else {
            "Counseling session (individual)"
        }
        .into(),
        Audience::Counselor { full_names } => {
            let name = |n: &Option<String>| {
                let n = n.as_deref().unwrap_or_default();
                if full_names {
                    n.trim().to_string()
                } else {
                    initial(n)
                }
            };
            match row.attendees.as_str() {
                "partner_1" => format!("Session: {} (individual)", name(&row.partner1)),
                "partner_2" => format!("Session: {} (individual)", name(&row.partner2)),
                _ => format!("Session: {} & {}", name(&row.partner1), name(&row.partner2)),
            }
        }
    }
}

/// The event for `row`, as `audience` may read it.
pub fn event(row: &SessionRow, audience: Audience, cx: &Context<'_>) -> Event {
    let format = SessionFormat::parse(&row.format).unwrap_or(SessionFormat::InPerson);
    let (link, address) = where_of(
        format,
        row.place.clone(),
        row.meeting_link.clone(),
        cx.practice_address.map(str::to_string),
    );
    let location = link.clone().or(address);
    let cancelled = row.status == "cancelled";
    let kind = if row.attendees == "both" {
        "Joint session"
    } else {
        "Individual session"
    };
    let how = match format {
        SessionFormat::InPerson => "in person",
        SessionFormat::Video => "by video",
        SessionFormat::Phone => "by phone",
    };
    let mut description = String::new();
    if cancelled {
        description.push_str("This session was cancelled.\n");
    }
    description.push_str(&format!("{kind}, {how}, {} minutes.", row.duration_minutes));
    if let Some(link) = &link {
        description.push_str(&format!("\nJoining link: {link}"));
    } else if let Some(place) = &location {
        description.push_str(&format!("\nWhere: {place}"));
    }
    let base = cx.public_url.trim_end_matches('/');
    let back = match audience {
        Audience::Counselor { .. } => format!("{base}/sessions/{}", row.counseling_session_id),
        Audience::Partner => format!("{base}/"),
    };
    description.push_str(&format!("\nIn Trellis: {back}"));
    Event {
        uid: format!("session-{}@trellis", row.counseling_session_id),
        sequence: row.calendar_sequence,
        starts_at: row.starts_at,
        ends_at: row.starts_at + row.duration_minutes * 60 * 1000,
        summary: summary(row, audience),
        description,
        location,
        url: link,
        cancelled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(attendees: &str, format: &str, place: Option<&str>) -> SessionRow {
        SessionRow {
            counseling_session_id: "abc".into(),
            couple_id: "c".into(),
            starts_at: 0,
            duration_minutes: 50,
            format: format.into(),
            attendees: attendees.into(),
            status: "cancelled".into(),
            place: place.map(str::to_string),
            calendar_sequence: 3,
            meeting_link: Some("https://meet.example.org/default".into()),
            partner1: Some("Jordan Ellis".into()),
            partner2: Some("  casey".into()),
        }
    }

    const CX: Context<'static> = Context {
        public_url: "https://trellis.example.org/",
        practice_address: Some("14 Harbour Street"),
    };

    #[test]
    fn counselors_read_initials_unless_they_chose_names() {
        let initials = Audience::Counselor { full_names: false };
        let names = Audience::Counselor { full_names: true };
        let joint = row("both", "in_person", None);
        assert_eq!(event(&joint, initials, &CX).summary, "Session: J. & C.");
        assert_eq!(
            event(&joint, names, &CX).summary,
            "Session: Jordan Ellis & casey"
        );
        let one = row("partner_2", "video", None);
        assert_eq!(
            event(&one, initials, &CX).summary,
            "Session: C. (individual)"
        );
    }

    #[test]
    fn partners_read_the_kind_time_and_place_only() {
        let e = event(&row("partner_1", "video", None), Audience::Partner, &CX);
        assert_eq!(e.summary, "Counseling session (individual)");
        assert_eq!(e.url.as_deref(), Some("https://meet.example.org/default"));
        assert!(e.cancelled);
        assert_eq!(e.sequence, 3);
        assert_eq!(e.ends_at, 50 * 60 * 1000);
        assert!(!e.description.contains("Jordan"));
        let e = event(&row("both", "in_person", None), Audience::Partner, &CX);
        assert_eq!(e.summary, "Counseling session (joint)");
        assert_eq!(e.location.as_deref(), Some("14 Harbour Street"));
        assert!(
            e.description
                .ends_with("In Trellis: https://trellis.example.org/")
        );
    }
}
