//! SQL for calendars: the only place the `calendar_feed` table is touched, and the sessions a
//! feed or a download lists (their times, kind and place; never agenda items, notes or the
//! reason a session was cancelled).

use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::crypto::token::{keyed_hash, new_token};
use crate::db::{Db, now_ms};
use crate::error::AppError;
use crate::state::AppState;

/// How long a feed's "last read" stays as it is before another read writes it again: calendar
/// apps poll often, and one write per poll would be waste.
const READ_MARK_MS: i64 = 10 * 60 * 1000;
/// The sessions a feed lists: from a few weeks back to a year ahead.
const PAST_MS: i64 = 60 * 24 * 3600 * 1000;
const AHEAD_MS: i64 = 400 * 24 * 3600 * 1000;
const MAX_EVENTS: i64 = 1000;

/// A person's feed as Settings shows it (the token itself is never stored).
#[derive(sqlx::FromRow)]
pub struct FeedRow {
    pub token_hash: Option<String>,
    pub full_names: i64,
    pub last_read_at: Option<i64>,
}

pub async fn feed_of(db: &Db, user_id: &str) -> Result<Option<FeedRow>, AppError> {
    Ok(sqlx::query_as(
        "select token_hash, full_names, last_read_at from calendar_feed where app_user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?)
}

fn audit<'a>(user_id: &'a str, ip: Option<&'a str>, detail: &'a str) -> AuditEntry<'a> {
    AuditEntry {
        actor_user_id: Some(user_id),
        subject_user_id: Some(user_id),
        ip,
        detail: Some(detail),
        ..Default::default()
    }
}

/// Makes the person's feed address, or a new one in place of the old (which stops working
/// in the same statement). Returns the token, for the address shown once.
pub async fn make_link(
    app: &AppState,
    user_id: &str,
    ip: Option<&str>,
) -> Result<String, AppError> {
    let token = new_token();
    let now = now_ms();
    let mut tx = app.db.begin_write().await?;
    let had: Option<Option<String>> =
        sqlx::query_scalar("select token_hash from calendar_feed where app_user_id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    sqlx::query(
        "insert into calendar_feed (app_user_id, token_hash, created_at, updated_at) \
         values ($1, $2, $3, $3) on conflict (app_user_id) do update \
         set token_hash = excluded.token_hash, updated_at = excluded.updated_at, \
         last_read_at = null",
    )
    .bind(user_id)
    .bind(keyed_hash(&app.auth.session_key, &token))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let detail = if had.flatten().is_some() {
        "calendar_link_reset"
    } else {
        "calendar_link_made"
    };
    record(
        &mut *tx,
        AuditAction::ProfileChanged,
        audit(user_id, ip, detail),
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// Stops the person's feed address; the choice of names is kept.
pub async fn turn_off(db: &Db, user_id: &str, ip: Option<&str>) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "update calendar_feed set token_hash = null, updated_at = $1, last_read_at = null \
         where app_user_id = $2",
    )
    .bind(now_ms())
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    record(
        &mut *tx,
        AuditAction::ProfileChanged,
        audit(user_id, ip, "calendar_link_stopped"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A counselor's choice: couples named in full (`true`) or by initials in their feed.
pub async fn set_full_names(
    db: &Db,
    user_id: &str,
    full: bool,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "insert into calendar_feed (app_user_id, full_names, created_at, updated_at) \
         values ($1, $2, $3, $3) on conflict (app_user_id) do update \
         set full_names = excluded.full_names, updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(i64::from(full))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    record(
        &mut *tx,
        AuditAction::ProfileChanged,
        audit(user_id, ip, "calendar_names"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whose feed a token opens: (account, role, full names), for an active account only. The
/// lookup is by the keyed hash, which a guesser cannot steer, so how long the index takes
/// to answer tells them nothing about stored tokens.
pub async fn owner_of(
    app: &AppState,
    token: &str,
) -> Result<Option<(String, String, bool)>, AppError> {
    let row: Option<(String, String, i64)> = sqlx::query_as(
        "select u.app_user_id, u.role, f.full_names from calendar_feed f \
         join app_user u on u.app_user_id = f.app_user_id \
         where f.token_hash = $1 and u.status = 'active'",
    )
    .bind(keyed_hash(&app.auth.session_key, token))
    .fetch_optional(app.db.pool())
    .await?;
    Ok(row.map(|(id, role, full)| (id, role, full == 1)))
}

/// Notes that a calendar app read the feed, at most once every few minutes.
pub async fn mark_read(db: &Db, user_id: &str) -> Result<(), AppError> {
    let now = now_ms();
    sqlx::query(
        "update calendar_feed set last_read_at = $1 where app_user_id = $2 \
         and (last_read_at is null or last_read_at < $3)",
    )
    .bind(now)
    .bind(user_id)
    .bind(now - READ_MARK_MS)
    .execute(db.writer())
    .await?;
    Ok(())
}

/// A session as calendars show it. Partners' rows carry no names.
#[derive(sqlx::FromRow)]
pub struct SessionRow {
    pub counseling_session_id: String,
    pub couple_id: String,
    pub starts_at: i64,
    pub duration_minutes: i64,
    pub format: String,
    pub attendees: String,
    pub status: String,
    pub place: Option<String>,
    pub calendar_sequence: i64,
    /// The counselor's own joining link (for an online session without one).
    pub meeting_link: Option<String>,
    pub partner1: Option<String>,
    pub partner2: Option<String>,
}

const COLUMNS: &str = "s.counseling_session_id, s.couple_id, s.starts_at, s.duration_minutes, \
    s.format, s.attendees, s.status, s.place, s.calendar_sequence, u.meeting_link";
const NAMES: &str = "(select p1.display_name from partner p1 where p1.couple_id = s.couple_id \
    and p1.position = 1) as partner1, \
    (select p2.display_name from partner p2 where p2.couple_id = s.couple_id \
    and p2.position = 2) as partner2";
const NO_NAMES: &str = "cast(null as text) as partner1, cast(null as text) as partner2";

/// The sessions of the counselor's own caseload (the couple's counselor now), recent and
/// upcoming.
pub async fn counselor_sessions(db: &Db, user_id: &str) -> Result<Vec<SessionRow>, AppError> {
    let now = now_ms();
    Ok(sqlx::query_as(&format!(
        "select {COLUMNS}, {NAMES} from counseling_session s \
         join couple c on c.couple_id = s.couple_id \
         join app_user u on u.app_user_id = s.counselor_id \
         where c.counselor_id = $1 and s.starts_at >= $2 and s.starts_at < $3 \
         order by s.starts_at limit {MAX_EVENTS}"
    ))
    .bind(user_id)
    .bind(now - PAST_MS)
    .bind(now + AHEAD_MS)
    .fetch_all(db.pool())
    .await?)
}

/// The sessions a partner attends (joint ones and their own individual ones), in every
/// couple they are a partner in, recent and upcoming.
pub async fn partner_sessions(db: &Db, user_id: &str) -> Result<Vec<SessionRow>, AppError> {
    let now = now_ms();
    Ok(sqlx::query_as(&format!(
        "select {COLUMNS}, {NO_NAMES} from counseling_session s \
         join partner p on p.couple_id = s.couple_id and p.app_user_id = $1 \
         join app_user u on u.app_user_id = s.counselor_id \
         where (s.attendees = 'both' or s.attendees = 'partner_' || p.position) \
         and s.starts_at >= $2 and s.starts_at < $3 \
         order by s.starts_at limit {MAX_EVENTS}"
    ))
    .bind(user_id)
    .bind(now - PAST_MS)
    .bind(now + AHEAD_MS)
    .fetch_all(db.pool())
    .await?)
}

/// One session, with names (the caller has checked who may see it and drops them for a
/// partner).
pub async fn session(db: &Db, session_id: &str) -> Result<Option<SessionRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "select {COLUMNS}, {NAMES} from counseling_session s \
         join app_user u on u.app_user_id = s.counselor_id \
         where s.counseling_session_id = $1"
    ))
    .bind(session_id)
    .fetch_optional(db.pool())
    .await?)
}

/// The practice's address for sessions in person, when one is set.
pub async fn practice_address(db: &Db) -> Result<Option<String>, AppError> {
    Ok(Some(
        crate::features::sessions::repo::places(db, "")
            .await?
            .practice_address,
    )
    .filter(|a| !a.trim().is_empty()))
}
