//! The notices partners get when a counselor moves, changes or cancels a session they come
//! to. They are queued in the outbox inside the change's own transaction, so a change that
//! does not commit never sends one, and each change sends at most one per person (its dedupe
//! key carries an id made for the change). Only partners with an account, active, with
//! reminders on; only for sessions still ahead.

use super::places::ADDRESS_KEY;
use crate::db::{Tx, get_setting, new_id};
use crate::error::AppError;
use crate::features::sessions::emails::{self, Reader, SessionFacts, Words};
use crate::features::sessions::{SessionFormat, where_of};
use crate::outbox::{NewEmail, SESSION_CANCELLED, SESSION_CHANGED, enqueue};

/// A session as it stands, read inside the changing transaction.
#[derive(sqlx::FromRow, Clone)]
pub struct SessionState {
    pub couple_id: String,
    pub status: String,
    pub starts_at: i64,
    pub duration_minutes: i64,
    pub format: String,
    pub attendees: String,
    pub place: Option<String>,
    /// The counselor's own joining link.
    pub meeting_link: Option<String>,
}

pub async fn state(tx: &mut Tx, session_id: &str) -> Result<SessionState, AppError> {
    let row: Option<SessionState> = sqlx::query_as(
        "select s.couple_id, s.status, s.starts_at, s.duration_minutes, s.format, s.attendees, \
         s.place, u.meeting_link from counseling_session s \
         join app_user u on u.app_user_id = s.counselor_id where s.counseling_session_id = $1",
    )
    .bind(session_id)
    .fetch_optional(&mut **tx)
    .await?;
    row.ok_or(AppError::NotFound)
}

fn attends(attendees: &str, position: i64) -> bool {
    attendees == "both" || attendees == format!("partner_{position}")
}

fn facts(s: &SessionState, address: Option<String>) -> SessionFacts {
    let format = SessionFormat::parse(&s.format).unwrap_or(SessionFormat::InPerson);
    let (link, address) = where_of(format, s.place.clone(), s.meeting_link.clone(), address);
    SessionFacts {
        starts_at: s.starts_at,
        duration_minutes: s.duration_minutes,
        format,
        joint: s.attendees == "both",
        link,
        address,
    }
}

/// What a partner sees of a session differs between the two.
fn differs(a: &SessionFacts, b: &SessionFacts) -> bool {
    (
        a.starts_at,
        a.duration_minutes,
        a.format,
        a.joint,
        &a.link,
        &a.address,
    ) != (
        b.starts_at,
        b.duration_minutes,
        b.format,
        b.joint,
        &b.link,
        &b.address,
    )
}

/// The couple's partners who would get a notice: (position, person, email, name, zone).
async fn recipients(
    tx: &mut Tx,
    couple_id: &str,
) -> Result<Vec<(i64, String, String, String, Option<String>)>, AppError> {
    Ok(sqlx::query_as(
        "select p.position, u.app_user_id, u.email, u.display_name, u.time_zone from partner p \
         join app_user u on u.app_user_id = p.app_user_id \
         where p.couple_id = $1 and u.status = 'active' and u.email_reminders = 1",
    )
    .bind(couple_id)
    .fetch_all(&mut **tx)
    .await?)
}

/// Queues one notice; the key names the session, the person, the start it speaks of and
/// the change.
#[allow(clippy::too_many_arguments)]
async fn queue(
    tx: &mut Tx,
    kind: &str,
    session_id: &str,
    change: &str,
    person: (&str, &str),
    start: i64,
    words: Words,
    now: i64,
) -> Result<(), AppError> {
    let key = format!("{kind}:{session_id}:{}:{start}:{change}", person.0);
    let email = NewEmail {
        dedupe_key: &key,
        kind,
        app_user_id: Some(person.0),
        to_address: person.1,
        subject: &words.subject,
        body: &words.body,
    };
    enqueue(&mut **tx, email, now).await?;
    Ok(())
}

/// Queues the notices for a change from `old` to `new` (a cancellation when `new` is
/// cancelled), each in its reader's time zone, to the partners it concerns.
pub async fn queue_notices(
    tx: &mut Tx,
    session_id: &str,
    old: &SessionState,
    new: &SessionState,
    public_url: &str,
    now: i64,
) -> Result<(), AppError> {
    let address = get_setting(&mut **tx, ADDRESS_KEY)
        .await?
        .filter(|a| !a.trim().is_empty());
    let (before, after) = (facts(old, address.clone()), facts(new, address));
    let cancelled = new.status == "cancelled";
    let change = new_id();
    for (position, user_id, email, name, zone) in recipients(tx, &new.couple_id).await? {
        let reader = Reader {
            name: &name,
            zone: zone
                .and_then(|z| z.parse().ok())
                .unwrap_or(chrono_tz::Tz::UTC),
            public_url,
        };
        let (came, comes) = (
            attends(&old.attendees, position) && old.status == "scheduled",
            attends(&new.attendees, position) && !cancelled,
        );
        let person = (user_id.as_str(), email.as_str());
        let notice = if comes && new.starts_at > now && (!came || differs(&before, &after)) {
            let words = emails::changed(&reader, &after, came.then_some(old.starts_at));
            Some((SESSION_CHANGED, new.starts_at, words))
        } else if came && !comes && old.starts_at > now {
            let words = emails::called_off(&reader, old.starts_at, cancelled);
            Some((SESSION_CANCELLED, old.starts_at, words))
        } else {
            None
        };
        if let Some((kind, start, words)) = notice {
            queue(tx, kind, session_id, &change, person, start, words, now).await?;
        }
    }
    Ok(())
}
