//! SQL for sessions and their agenda items. Here: reading sessions (a couple's, the
//! counselor's agenda, a partner's upcoming ones, the brief's and the exports'). Scheduling and
//! changing them is in `scheduling`, agenda items in `agenda_items`.

mod agenda_items;
mod notices;
mod places;
mod scheduling;

pub use agenda_items::{add_agenda_item, agenda_items};
pub use places::{places, practice_address, set_meeting_link, set_practice_address};
pub use scheduling::{SessionInput, reschedule, schedule, set_status};

use super::{Agenda, AgendaDay, PartnerSession, SessionFormat, SessionStatus, SessionSummary};
use crate::db::{Db, now_ms};
use crate::error::AppError;
use crate::time as tz;
use chrono::{Duration, TimeZone};
use chrono_tz::Tz;

#[derive(sqlx::FromRow)]
struct SessionRow {
    counseling_session_id: String,
    couple_id: String,
    case_name: String,
    starts_at: i64,
    duration_minutes: i64,
    format: String,
    attendees: String,
    status: String,
    cancel_reason: Option<String>,
    partner1: Option<String>,
    partner2: Option<String>,
    place: Option<String>,
}

const SESSION_SELECT: &str = "select s.counseling_session_id, s.couple_id, c.case_name, s.starts_at, \
    s.duration_minutes, s.format, s.attendees, s.status, s.cancel_reason, s.place, \
    (select p.display_name from partner p where p.couple_id = s.couple_id and p.position = 1) as partner1, \
    (select p.display_name from partner p where p.couple_id = s.couple_id and p.position = 2) as partner2 \
    from counseling_session s join couple c on c.couple_id = s.couple_id";

fn summary(row: SessionRow, tz: Tz, now: i64) -> SessionSummary {
    let attendees = match row.attendees.as_str() {
        "partner_1" => format!("Individual: {}", row.partner1.unwrap_or_default()),
        "partner_2" => format!("Individual: {}", row.partner2.unwrap_or_default()),
        _ => "Both partners".to_string(),
    };
    SessionSummary {
        session_id: row.counseling_session_id,
        couple_id: row.couple_id,
        case_name: row.case_name,
        when: tz::when(row.starts_at, tz),
        when_input: tz::input_value(row.starts_at, tz),
        time: tz::at(row.starts_at, tz).format("%H:%M").to_string(),
        duration_minutes: row.duration_minutes,
        format: SessionFormat::parse(&row.format).unwrap_or(SessionFormat::InPerson),
        attendees,
        attendees_key: row.attendees,
        status: SessionStatus::parse(&row.status).unwrap_or(SessionStatus::Scheduled),
        cancel_reason: row.cancel_reason,
        upcoming: row.starts_at > now,
        place: row.place,
    }
}

/// The couple a session belongs to.
pub async fn locate(db: &Db, session_id: &str) -> Result<Option<crate::ids::CoupleId>, AppError> {
    Ok(sqlx::query_scalar(
        "select couple_id from counseling_session where counseling_session_id = $1",
    )
    .bind(session_id)
    .fetch_optional(db.pool())
    .await?)
}

/// Every session of a couple, the soonest upcoming first, then the past, latest first.
pub async fn for_couple(db: &Db, couple_id: &str, tz: Tz) -> Result<Vec<SessionSummary>, AppError> {
    let rows: Vec<SessionRow> = sqlx::query_as(&format!(
        "{SESSION_SELECT} where s.couple_id = $1 order by s.starts_at desc limit 200"
    ))
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?;
    let now = now_ms();
    let mut list: Vec<SessionSummary> = rows.into_iter().map(|r| summary(r, tz, now)).collect();
    let split = list.iter().position(|s| !s.upcoming).unwrap_or(list.len());
    list[..split].reverse();
    Ok(list)
}

/// Today and the next seven days of a counselor's sessions, in their time zone.
pub async fn agenda(db: &Db, counselor_id: &str, tz: Tz) -> Result<Agenda, AppError> {
    let now = now_ms();
    let today = tz::at(now, tz).date_naive();
    let start = tz
        .from_local_datetime(&today.and_hms_opt(0, 0, 0).unwrap_or_default())
        .earliest()
        .map(|t| t.timestamp_millis())
        .unwrap_or(now);
    let end = start + 8 * 24 * 3600 * 1000;
    let rows: Vec<SessionRow> = sqlx::query_as(&format!(
        "{SESSION_SELECT} where c.counselor_id = $1 and s.starts_at >= $2 and s.starts_at < $3 \
         order by s.starts_at"
    ))
    .bind(counselor_id)
    .bind(start)
    .bind(end)
    .fetch_all(db.pool())
    .await?;
    let mut days: Vec<AgendaDay> = (0..8)
        .map(|d| {
            let day = today + Duration::days(d);
            let name = day.format("%A %-d %B").to_string();
            AgendaDay {
                label: match d {
                    0 => format!("Today, {name}"),
                    1 => format!("Tomorrow, {name}"),
                    _ => name,
                },
                sessions: Vec::new(),
            }
        })
        .collect();
    for row in rows {
        let day = (tz::at(row.starts_at, tz).date_naive() - today).num_days();
        if let Some(slot) = usize::try_from(day).ok().and_then(|d| days.get_mut(d)) {
            slot.sessions.push(summary(row, tz, now));
        }
    }
    Ok(Agenda {
        time_zone: tz.name().to_string(),
        days,
    })
}

/// A partner's upcoming sessions (joint ones and their own individual ones): date, time,
/// format, joint or individual, and where (the session's own link or address, else the
/// counselor's joining link or the practice's address).
pub async fn for_partner(db: &Db, user_id: &str, tz: Tz) -> Result<Vec<PartnerSession>, AppError> {
    type Row = (
        String,
        i64,
        i64,
        String,
        String,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "select s.counseling_session_id, s.starts_at, s.duration_minutes, s.format, s.attendees, s.place, u.meeting_link \
         from counseling_session s \
         join partner p on p.couple_id = s.couple_id and p.app_user_id = $1 \
         join app_user u on u.app_user_id = s.counselor_id \
         where s.status = 'scheduled' and s.starts_at > $2 \
         and (s.attendees = 'both' or s.attendees = 'partner_' || p.position) \
         order by s.starts_at limit 10",
    )
    .bind(user_id)
    .bind(now_ms())
    .fetch_all(db.pool())
    .await?;
    let address = places::practice_address(db).await?;
    Ok(rows
        .into_iter()
        .map(
            |(session_id, at, minutes, format, attendees, place, default_link)| {
                let format = SessionFormat::parse(&format).unwrap_or(SessionFormat::InPerson);
                let (link, address) = super::where_of(format, place, default_link, address.clone());
                PartnerSession {
                    session_id,
                    when: tz::when(at, tz),
                    duration_minutes: minutes,
                    format,
                    time_zone: tz.name().to_string(),
                    kind: if attendees == "both" {
                        "Joint session".into()
                    } else {
                        "Individual session".into()
                    },
                    link,
                    address,
                }
            },
        )
        .collect())
}

/// The next scheduled session of each couple (for the caseload).
pub async fn next_sessions(
    db: &Db,
    couple_ids: &[&str],
) -> Result<std::collections::HashMap<String, i64>, AppError> {
    if couple_ids.is_empty() {
        return Ok(Default::default());
    }
    let placeholders: Vec<String> = (2..couple_ids.len() + 2).map(|i| format!("${i}")).collect();
    let sql = format!(
        "select couple_id, min(starts_at) from counseling_session \
         where status = 'scheduled' and starts_at > $1 and couple_id in ({}) group by couple_id",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as::<_, (String, i64)>(&sql).bind(now_ms());
    for id in couple_ids {
        query = query.bind(*id);
    }
    Ok(query.fetch_all(db.pool()).await?.into_iter().collect())
}

pub async fn summary_of(db: &Db, session_id: &str, tz: Tz) -> Result<SessionSummary, AppError> {
    let row: SessionRow = sqlx::query_as(&format!(
        "{SESSION_SELECT} where s.counseling_session_id = $1"
    ))
    .bind(session_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(summary(row, tz, now_ms()))
}

/// The couple a session belongs to, when it starts, and when the case was opened.
pub async fn place(db: &Db, session_id: &str) -> Result<(String, i64, i64), AppError> {
    sqlx::query_as(
        "select s.couple_id, s.starts_at, c.created_at from counseling_session s \
         join couple c on c.couple_id = s.couple_id where s.counseling_session_id = $1",
    )
    .bind(session_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(AppError::NotFound)
}

/// When the couple's last attended session before `before` started, if there was one.
pub async fn previous_attended(
    db: &Db,
    couple_id: &str,
    before: i64,
) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "select max(starts_at) from counseling_session where couple_id = $1 \
         and starts_at < $2 and status = 'attended'",
    )
    .bind(couple_id)
    .bind(before)
    .fetch_one(db.pool())
    .await?)
}

/// Every session of the couple for an export: (starts at, minutes, format, attendees, status).
pub async fn records(
    db: &Db,
    couple_id: &str,
) -> Result<Vec<(i64, i64, String, String, String)>, AppError> {
    Ok(sqlx::query_as(
        "select starts_at, duration_minutes, format, attendees, status from counseling_session \
         where couple_id = $1 order by starts_at",
    )
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?)
}

/// For a partner's questionnaires "before each session": when the latest session they
/// attend began (before `now`, not cancelled), and when the next scheduled one begins.
pub async fn around_for_partner(
    db: &Db,
    couple_id: &str,
    position: i64,
    now: i64,
) -> Result<(Option<i64>, Option<i64>), AppError> {
    Ok(sqlx::query_as(
        "select \
         (select max(starts_at) from counseling_session where couple_id = $1 \
          and attendees in ('both', $2) and status <> 'cancelled' and starts_at <= $3), \
         (select min(starts_at) from counseling_session where couple_id = $1 \
          and attendees in ('both', $2) and status = 'scheduled' and starts_at > $3)",
    )
    .bind(couple_id)
    .bind(format!("partner_{position}"))
    .bind(now)
    .fetch_one(db.pool())
    .await?)
}
