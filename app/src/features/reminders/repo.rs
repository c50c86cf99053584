//! SQL for each person's reminder choice (the email outbox itself is `crate::outbox`).

use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::Db;
use crate::error::AppError;

/// The person's email address, reminder choice and session reminder lead time (hours).
pub async fn settings_of(db: &Db, user_id: &str) -> Result<(String, bool, i64), AppError> {
    let (email, on, hours): (String, i64, i64) = sqlx::query_as(
        "select email, email_reminders, session_reminder_hours from app_user \
         where app_user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((email, on == 1, hours))
}

/// Turns the person's reminder emails on or off and, when given, sets how many hours before
/// a session its reminder comes (audited). Emails already queued for them are dropped when
/// turned off.
pub async fn set_reminders(
    db: &Db,
    user_id: &str,
    on: bool,
    lead_hours: Option<i64>,
    now: i64,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "update app_user set email_reminders = $1, updated_at = $2, \
         session_reminder_hours = coalesce($4, session_reminder_hours) where app_user_id = $3",
    )
    .bind(if on { 1_i64 } else { 0 })
    .bind(now)
    .bind(user_id)
    .bind(lead_hours)
    .execute(&mut *tx)
    .await?;
    if !on {
        sqlx::query(
            "update email_outbox set dropped_at = $1, body = '', last_error = 'reminders turned off' \
             where app_user_id = $2 and sent_at is null and dropped_at is null",
        )
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    }
    record(
        &mut *tx,
        if on {
            AuditAction::RemindersOn
        } else {
            AuditAction::RemindersOff
        },
        AuditEntry {
            actor_user_id: Some(user_id),
            subject_user_id: Some(user_id),
            ip,
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the person's time zone (audited as a change to their profile).
pub async fn set_time_zone(
    db: &Db,
    user_id: &str,
    zone: chrono_tz::Tz,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    crate::db::changing_people(
        sqlx::query("update app_user set time_zone = $1 where app_user_id = $2")
            .bind(zone.name())
            .bind(user_id)
            .execute(&mut *tx),
    )
    .await?;
    record(
        &mut *tx,
        AuditAction::ProfileChanged,
        AuditEntry {
            actor_user_id: Some(user_id),
            subject_user_id: Some(user_id),
            ip,
            detail: Some("time_zone"),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    crate::couple::forget_time_zone(user_id);
    Ok(())
}

/// Partners with an unanswered copy of homework; the query's `where` picks which. Of
/// repeating homework only the newest copy of a series counts (a missed copy is never
/// reminded of), so a series brings at most one reminder a day.
const PARTNER_HOMEWORK: &str = "select a.assignment_id, a.due_on, u.app_user_id, u.email, u.display_name \
    from assignment a \
    join couple c on c.couple_id = a.couple_id \
    join partner p on p.couple_id = a.couple_id and p.position = a.position \
    join app_user u on u.app_user_id = p.app_user_id \
    where a.cancelled_at is null and a.missed_at is null and c.status in ('intake', 'active') \
    and (a.series_id is null or not exists (select 1 from assignment n \
      where n.series_id = a.series_id and n.due_on > a.due_on)) \
    and u.status = 'active' and u.email_reminders = 1 \
    and not exists (select 1 from submission s where s.assignment_id = a.assignment_id)";

/// (assignment, due on, person, their email, their name).
pub type HomeworkRow = (String, String, String, String, String);

/// Unanswered homework due on `day`, not reminded of yet.
pub async fn due_on(db: &Db, day: chrono::NaiveDate) -> Result<Vec<HomeworkRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "{PARTNER_HOMEWORK} and a.due_on = $1 \
         and not exists (select 1 from email_outbox o where o.dedupe_key = 'due:' || a.assignment_id)"
    ))
    .bind(day.to_string())
    .fetch_all(db.pool())
    .await?)
}

/// Unanswered homework due before `today` and on or after `oldest`, not reminded of yet.
pub async fn past_due(
    db: &Db,
    today: chrono::NaiveDate,
    oldest: chrono::NaiveDate,
) -> Result<Vec<HomeworkRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "{PARTNER_HOMEWORK} and a.due_on < $1 and a.due_on >= $2 \
         and not exists (select 1 from email_outbox o where o.dedupe_key = 'overdue:' || a.assignment_id)"
    ))
    .bind(today.to_string())
    .bind(oldest.to_string())
    .fetch_all(db.pool())
    .await?)
}

/// Feedback left since `since` that its partner has not been told of: (review, assignment,
/// person, their email, their name).
pub async fn new_feedback(
    db: &Db,
    since: i64,
) -> Result<Vec<(String, String, String, String, String)>, AppError> {
    Ok(sqlx::query_as(
        "select r.review_id, a.assignment_id, u.app_user_id, u.email, u.display_name \
         from review r \
         join assignment a on a.assignment_id = r.assignment_id \
         join partner p on p.couple_id = a.couple_id and p.position = a.position \
         join app_user u on u.app_user_id = p.app_user_id \
         where r.reviewed_at >= $1 and r.feedback <> '' \
         and u.status = 'active' and u.email_reminders = 1 \
         and not exists (select 1 from email_outbox o where o.dedupe_key = 'feedback:' || r.review_id)",
    )
    .bind(since)
    .fetch_all(db.pool())
    .await?)
}

/// Counselors with no digest for `today` yet: (person, email, name, submissions since
/// `since`, homework waiting for their review).
pub async fn digest_counts(
    db: &Db,
    since: i64,
    today: chrono::NaiveDate,
) -> Result<Vec<(String, String, String, i64, i64)>, AppError> {
    Ok(sqlx::query_as(
        "select u.app_user_id, u.email, u.display_name, \
         (select count(*) from submission s join assignment a on a.assignment_id = s.assignment_id \
            join couple c on c.couple_id = a.couple_id \
            where c.counselor_id = u.app_user_id and s.submitted_at > $1) as new_count, \
         (select count(*) from assignment a join couple c on c.couple_id = a.couple_id \
            where c.counselor_id = u.app_user_id and a.cancelled_at is null \
            and exists (select 1 from submission s where s.assignment_id = a.assignment_id) \
            and coalesce((select max(r.submission_version) from review r where r.assignment_id = a.assignment_id), 0) \
              < (select max(s.version) from submission s where s.assignment_id = a.assignment_id)) as waiting \
         from app_user u where u.role = 'counselor' and u.status = 'active' and u.email_reminders = 1 \
         and not exists (select 1 from email_outbox o where o.dedupe_key = 'digest:' || u.app_user_id || ':' || $2)",
    )
    .bind(since)
    .bind(today.to_string())
    .fetch_all(db.pool())
    .await?)
}

/// A partner's upcoming session within their chosen lead time, not reminded of at this start.
#[derive(sqlx::FromRow)]
pub struct SessionToRemind {
    pub counseling_session_id: String,
    pub starts_at: i64,
    pub duration_minutes: i64,
    pub format: String,
    pub attendees: String,
    pub place: Option<String>,
    /// The counselor's own joining link.
    pub meeting_link: Option<String>,
    pub app_user_id: String,
    pub email: String,
    pub display_name: String,
    pub time_zone: Option<String>,
}

/// Scheduled sessions starting after `now` and within each attending partner's lead time,
/// whose reminder for this start was not queued yet (a moved session is reminded again).
pub async fn sessions_to_remind(db: &Db, now: i64) -> Result<Vec<SessionToRemind>, AppError> {
    Ok(sqlx::query_as(
        "select s.counseling_session_id, s.starts_at, s.duration_minutes, s.format, s.attendees, \
         s.place, c.meeting_link, u.app_user_id, u.email, u.display_name, u.time_zone \
         from counseling_session s \
         join couple k on k.couple_id = s.couple_id \
         join partner p on p.couple_id = s.couple_id \
         join app_user u on u.app_user_id = p.app_user_id \
         join app_user c on c.app_user_id = s.counselor_id \
         where s.status = 'scheduled' and s.starts_at > $1 \
         and s.starts_at <= $1 + u.session_reminder_hours * 3600000 \
         and (s.attendees = 'both' or s.attendees = 'partner_' || p.position) \
         and k.status in ('intake', 'active') and u.status = 'active' and u.email_reminders = 1 \
         and not exists (select 1 from email_outbox o where o.dedupe_key = \
           'session_reminder:' || s.counseling_session_id || ':' || u.app_user_id || ':' || s.starts_at)",
    )
    .bind(now)
    .fetch_all(db.pool())
    .await?)
}

/// A partner who may owe a check-in.
#[derive(sqlx::FromRow)]
pub struct CheckInDue {
    pub couple_id: String,
    pub position: i64,
    pub app_user_id: String,
    pub email: String,
    pub display_name: String,
    pub check_in_days: i64,
    /// Their latest check-in in this couple, if any.
    pub last_at: Option<i64>,
    /// When they joined the couple (the later of the case opening and their account).
    pub partner_since: i64,
    pub account_since: i64,
}

/// Every partner of an open case with reminders on, with their check-in cadence and latest
/// check-in (the check-in page works out "due" from the same two).
pub async fn check_ins_due(db: &Db) -> Result<Vec<CheckInDue>, AppError> {
    Ok(sqlx::query_as(
        "select p.couple_id, p.position, u.app_user_id, u.email, u.display_name, c.check_in_days, \
         (select max(k.submitted_at) from check_in k where k.couple_id = p.couple_id \
            and k.position = p.position and k.app_user_id = u.app_user_id) as last_at, \
         p.created_at as partner_since, u.created_at as account_since \
         from partner p join couple c on c.couple_id = p.couple_id \
         join app_user u on u.app_user_id = p.app_user_id \
         where c.status in ('intake', 'active') and u.status = 'active' and u.email_reminders = 1",
    )
    .fetch_all(db.pool())
    .await?)
}
