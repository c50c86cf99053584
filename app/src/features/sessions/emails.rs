//! The words of the emails a partner gets about their sessions: the reminder before one, and
//! the notice when the counselor moves, changes or cancels it. They say when (in the reader's
//! time zone, named), how long, joint or individual, and where; never a case name, a
//! reason for a change, or anything anyone wrote.

use super::SessionFormat;
use crate::outbox::reminder_footer;
use crate::time as tz;
use chrono_tz::Tz;

/// A session as a partner's emails describe it.
pub struct SessionFacts {
    pub starts_at: i64,
    pub duration_minutes: i64,
    pub format: SessionFormat,
    /// Both partners come (rather than the reader alone).
    pub joint: bool,
    /// The joining link (online) or where to come (in person), as partners see it.
    pub link: Option<String>,
    pub address: Option<String>,
}

/// Whom an email goes to.
pub struct Reader<'a> {
    pub name: &'a str,
    pub zone: Tz,
    /// Where people reach Trellis, without a trailing slash.
    pub public_url: &'a str,
}

/// An email's subject and body.
pub struct Words {
    pub subject: String,
    pub body: String,
}

/// "Thursday 26 November 2026 at 14:00 (Europe/London time)".
pub fn long_when(ms: i64, zone: Tz) -> String {
    let at = tz::at(ms, zone);
    let zone_name = if zone == Tz::UTC {
        "UTC".to_string()
    } else {
        format!("{} time", zone.name())
    };
    format!(
        "{} at {} ({zone_name})",
        at.format("%A %-d %B %Y"),
        at.format("%H:%M")
    )
}

/// "Thu 26 Nov, 14:00", for a subject line.
fn short_when(ms: i64, zone: Tz) -> String {
    tz::at(ms, zone).format("%a %-d %b, %H:%M").to_string()
}

fn details(s: &SessionFacts, zone: Tz) -> String {
    let mut lines = vec![
        format!("When: {}", long_when(s.starts_at, zone)),
        format!("How long: {} minutes", s.duration_minutes),
        if s.joint {
            "Who: a joint session, for both of you".to_string()
        } else {
            "Who: an individual session, for you on your own".to_string()
        },
    ];
    match s.format {
        SessionFormat::Video => {
            lines.push("How: online, by video".into());
            lines.push(match &s.link {
                Some(link) => format!("Joining link: {link}"),
                None => "Joining link: not set yet; your Trellis home page shows it once it is. \
                         If it is not there when you need it, ask your counselor."
                    .into(),
            });
        }
        SessionFormat::InPerson => {
            lines.push("How: in person".into());
            if let Some(address) = &s.address {
                lines.push(format!("Where: {address}"));
            }
        }
        SessionFormat::Phone => {
            lines.push("How: by phone".into());
            if let Some(details) = &s.address {
                lines.push(format!("Details: {details}"));
            }
        }
    }
    lines.join("\n")
}

fn closing(url: &str) -> String {
    format!(
        "You can see your upcoming sessions in Trellis (you will be asked to sign in):\n{url}/{}",
        reminder_footer(url)
    )
}

/// The reminder a while before a session.
pub fn reminder(to: &Reader<'_>, s: &SessionFacts) -> Words {
    Words {
        subject: format!(
            "Reminder: your session on {}",
            short_when(s.starts_at, to.zone)
        ),
        body: format!(
            "Hello {},\n\nA reminder of your upcoming session:\n\n{}\n\n\
             If you can no longer make it, please let your counselor know as soon as you can.\n\n{}",
            to.name,
            details(s, to.zone),
            closing(to.public_url)
        ),
    }
}

/// The notice that a session the reader comes to was moved or changed. `was` is when it
/// began before, when the reader came to it then too (a session they are newly asked to is
/// told as planned, without what it was before).
pub fn changed(to: &Reader<'_>, s: &SessionFacts, was: Option<i64>) -> Words {
    let (subject, opening) = match was {
        Some(was) if was != s.starts_at => (
            format!(
                "Your session has moved to {}",
                short_when(s.starts_at, to.zone)
            ),
            format!(
                "Your counselor has moved your session that was on {}. Here are the new details:",
                long_when(was, to.zone)
            ),
        ),
        Some(_) => (
            format!(
                "Your session on {} has changed",
                short_when(s.starts_at, to.zone)
            ),
            "Your counselor has changed the details of your session. Here they are now:".into(),
        ),
        None => (
            format!("A session for you on {}", short_when(s.starts_at, to.zone)),
            "Your counselor has planned a session with you:".into(),
        ),
    };
    Words {
        subject,
        body: format!(
            "Hello {},\n\n{opening}\n\n{}\n\n{}",
            to.name,
            details(s, to.zone),
            closing(to.public_url)
        ),
    }
}

/// The notice that a session the reader was to come to is cancelled (`cancelled`), or that
/// it no longer includes them (it goes ahead without them).
pub fn called_off(to: &Reader<'_>, starts_at: i64, cancelled: bool) -> Words {
    let when = long_when(starts_at, to.zone);
    let (subject, what) = if cancelled {
        (
            format!(
                "Your session on {} is cancelled",
                short_when(starts_at, to.zone)
            ),
            format!("Your session on {when} has been cancelled, so there is no need to come."),
        )
    } else {
        (
            format!(
                "A change to your session on {}",
                short_when(starts_at, to.zone)
            ),
            format!(
                "Your counselor has changed the session on {when}: it is no longer on your \
                 schedule, so there is no need for you to come."
            ),
        )
    };
    Words {
        subject,
        body: format!(
            "Hello {},\n\n{what}\n\nIf you would like to talk about when you next meet, you \
             can ask your counselor.\n\n{}",
            to.name,
            closing(to.public_url)
        ),
    }
}
