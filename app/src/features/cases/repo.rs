//! SQL for couples and partners: the only place these tables are touched.

use super::{
    AdminCouple, CaseOverview, CaseStatus, CaseSummary, Caseload, PER_PAGE, PartnerCouple,
    PartnerView, RuptureRole, TIMELINE_LENGTH, TimelineEntry,
};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;
use crate::features::invitations::repo::latest_for_couple;
use crate::features::invitations::{InvitationState, InvitationStatus};
use crate::state::AppState;

/// A new couple's details, already checked (see `api::NewCouple::check`).
pub struct ValidCouple {
    pub case_name: String,
    pub partners: [ValidPartner; 2],
    pub rupture_date: Option<chrono::NaiveDate>,
    pub presenting_concerns: Option<String>,
    pub intake_notes: Option<String>,
}

pub struct ValidPartner {
    pub display_name: String,
    pub email: String,
    pub pronouns: Option<String>,
    pub rupture_role: RuptureRole,
}

/// Creates the couple, its two partners and the first timeline entry, all or nothing.
pub async fn create(
    db: &Db,
    counselor_id: &str,
    couple: &ValidCouple,
    ip: Option<&str>,
) -> Result<String, AppError> {
    let couple_id = new_id();
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "insert into couple (couple_id, case_name, counselor_id, status, rupture_date, \
         presenting_concerns, intake_notes, created_at, updated_at) \
         values ($1, $2, $3, 'intake', $4, $5, $6, $7, $7)",
    )
    .bind(&couple_id)
    .bind(&couple.case_name)
    .bind(counselor_id)
    .bind(couple.rupture_date.map(|d| d.to_string()))
    .bind(couple.presenting_concerns.as_deref())
    .bind(couple.intake_notes.as_deref())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    for (i, p) in couple.partners.iter().enumerate() {
        sqlx::query(
            "insert into partner (partner_id, couple_id, position, display_name, email, \
             pronouns, rupture_role, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new_id())
        .bind(&couple_id)
        .bind(i as i64 + 1)
        .bind(&p.display_name)
        .bind(&p.email)
        .bind(p.pronouns.as_deref())
        .bind(p.rupture_role.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    record(
        &mut *tx,
        AuditAction::CaseCreated,
        AuditEntry {
            actor_user_id: Some(counselor_id),
            couple_id: Some(&couple_id),
            ip,
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(couple_id)
}

/// Saves corrected details of an open case, all or nothing.
pub async fn update(
    db: &Db,
    couple_id: &str,
    couple: &ValidCouple,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    crate::couple::forget(couple_id);
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let status: Option<String> =
        sqlx::query_scalar("select status from couple where couple_id = $1")
            .bind(couple_id)
            .fetch_optional(&mut *tx)
            .await?;
    match status.as_deref() {
        None => return Err(AppError::NotFound),
        Some("closed") => {
            return Err(AppError::Conflict(
                "This case is closed and read-only. Reopen it to change its details.".into(),
            ));
        }
        Some(_) => {}
    }
    for (i, p) in couple.partners.iter().enumerate() {
        let position = i as i64 + 1;
        let (email, account): (String, Option<String>) = sqlx::query_as(
            "select email, app_user_id from partner where couple_id = $1 and position = $2",
        )
        .bind(couple_id)
        .bind(position)
        .fetch_one(&mut *tx)
        .await?;
        if email != p.email {
            if account.is_some() {
                return Err(AppError::validation(
                    "partner_email",
                    format!(
                        "{} has joined: their email is how they sign in, so it cannot be changed here.",
                        p.display_name
                    ),
                ));
            }
            sqlx::query(
                "update invitation set revoked_at = $1 where couple_id = $2 and position = $3 \
                 and accepted_at is null and revoked_at is null",
            )
            .bind(now)
            .bind(couple_id)
            .bind(position)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "update partner set display_name = $1, email = $2, pronouns = $3, rupture_role = $4 \
             where couple_id = $5 and position = $6",
        )
        .bind(&p.display_name)
        .bind(&p.email)
        .bind(p.pronouns.as_deref())
        .bind(p.rupture_role.as_str())
        .bind(couple_id)
        .bind(position)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "update couple set case_name = $1, rupture_date = $2, presenting_concerns = $3, \
         intake_notes = $4, updated_at = $5 where couple_id = $6",
    )
    .bind(&couple.case_name)
    .bind(couple.rupture_date.map(|d| d.to_string()))
    .bind(couple.presenting_concerns.as_deref())
    .bind(couple.intake_notes.as_deref())
    .bind(now)
    .bind(couple_id)
    .execute(&mut *tx)
    .await?;
    record(
        &mut *tx,
        AuditAction::CaseUpdated,
        AuditEntry {
            actor_user_id: Some(actor),
            couple_id: Some(couple_id),
            ip,
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// `%text%` for LIKE, with the user's own wildcards taken literally.
fn like_pattern(q: &str) -> String {
    let escaped = q
        .trim()
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The counselor's couples matching `q` (case or partner name) and `status`, most urgent
/// first. Urgency today: open cases before closed ones, then the most recently changed.
/// Later issues put new submissions, overdue homework and safety flags ahead of that.
pub async fn caseload(
    db: &Db,
    counselor_id: &str,
    q: &str,
    status: Option<CaseStatus>,
    page: i64,
) -> Result<Caseload, AppError> {
    let page = page.max(1);
    let pattern = like_pattern(q);
    let status = status.map(|s| s.as_str()).unwrap_or("");
    const FILTER: &str = "from couple c where c.counselor_id = $1 \
        and ($2 = '' or c.status = $2) \
        and ($3 = '%%' or lower(c.case_name) like $3 escape '\\' or exists (select 1 from partner p \
             where p.couple_id = c.couple_id and lower(p.display_name) like $3 escape '\\'))";
    let total: i64 = sqlx::query_scalar(&format!("select count(*) {FILTER}"))
        .bind(counselor_id)
        .bind(status)
        .bind(&pattern)
        .fetch_one(db.pool())
        .await?;
    // Most urgent first: open before closed; then submissions awaiting review, overdue
    // homework (safety flags join this order with the progress issue), the soonest next
    // session; then the most recently changed.
    const NEXT_SESSION: &str = "(select min(x.starts_at) from counseling_session x \
        where x.couple_id = c.couple_id and x.status = 'scheduled' and x.starts_at > $7)";
    let today = chrono::DateTime::from_timestamp_millis(now_ms())
        .unwrap_or_default()
        .date_naive()
        .to_string();
    let rows: Vec<CaseloadRow> = sqlx::query_as(&format!(
        "select c.couple_id, c.case_name, c.status, c.rupture_date, c.updated_at, \
           (select count(*) from assignment a where a.couple_id = c.couple_id \
              and a.cancelled_at is null \
              and a.submitted_version > a.reviewed_version) as awaiting, \
           (select count(*) from assignment a where a.couple_id = c.couple_id \
              and a.cancelled_at is null and a.submitted_version = 0 \
              and a.due_on < $6) as overdue, \
           {NEXT_SESSION} as next_session, \
           (select count(*) from safety_flag f where f.couple_id = c.couple_id \
              and f.acknowledged_at is null) as flags \
         {FILTER} \
         order by case when c.status = 'closed' then 1 else 0 end, flags desc, awaiting desc, overdue desc, \
           coalesce({NEXT_SESSION}, 9223372036854775807), c.updated_at desc, c.couple_id \
         limit $4 offset $5"
    ))
    .bind(counselor_id)
    .bind(status)
    .bind(&pattern)
    .bind(PER_PAGE)
    .bind((page - 1) * PER_PAGE)
    .bind(&today)
    .bind(now_ms())
    .fetch_all(db.pool())
    .await?;
    let zone = crate::couple::time_zone(db, counselor_id).await?;
    let ids: Vec<&str> = rows.iter().map(|r| r.couple_id.as_str()).collect();
    let mut partners = partners_of(db, &ids).await?;
    let plural = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let cases = rows
        .into_iter()
        .map(|row| {
            let CaseloadRow {
                couple_id,
                case_name,
                status,
                rupture_date: rupture,
                updated_at: updated,
                awaiting,
                overdue,
                next_session,
                flags,
            } = row;
            let status = CaseStatus::parse(&status).unwrap_or(CaseStatus::Intake);
            let mine = partners.remove(&couple_id).unwrap_or_default();
            let mut attention = Vec::new();
            if flags > 0 {
                attention.push(plural(
                    flags,
                    "safety flag to look at",
                    "safety flags to look at",
                ));
            }
            if status != CaseStatus::Closed {
                if awaiting > 0 {
                    attention.push(format!(
                        "{} awaiting review",
                        plural(awaiting, "submission", "submissions")
                    ));
                }
                if overdue > 0 {
                    attention.push(plural(overdue, "assignment overdue", "assignments overdue"));
                }
                attention.extend(
                    mine.iter()
                        .filter(|(_, joined)| !joined)
                        .map(|(name, _)| format!("{name} has not joined yet")),
                );
            }
            CaseSummary {
                partner_names: mine.into_iter().map(|(name, _)| name).collect(),
                attention,
                couple_id,
                case_name,
                status,
                rupture_date: rupture.and_then(|d| d.parse().ok()),
                updated_at: chrono::DateTime::from_timestamp_millis(updated).unwrap_or_default(),
                next_session: next_session.map(|at| crate::time::when(at, zone)),
            }
        })
        .collect();
    Ok(Caseload {
        cases,
        total,
        page,
        per_page: PER_PAGE,
    })
}

#[derive(sqlx::FromRow)]
struct CaseloadRow {
    couple_id: String,
    case_name: String,
    status: String,
    rupture_date: Option<String>,
    updated_at: i64,
    awaiting: i64,
    overdue: i64,
    next_session: Option<i64>,
    flags: i64,
}

/// The partners (name, joined) of several couples in one query, by couple, in order.
async fn partners_of(
    db: &Db,
    couple_ids: &[&str],
) -> Result<std::collections::HashMap<String, Vec<(String, bool)>>, AppError> {
    let mut by_couple: std::collections::HashMap<String, Vec<(String, bool)>> =
        std::collections::HashMap::new();
    if couple_ids.is_empty() {
        return Ok(by_couple);
    }
    let placeholders = (1..=couple_ids.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "select couple_id, display_name, app_user_id \
         from partner where couple_id in ({placeholders}) order by couple_id, position"
    );
    let mut query = sqlx::query_as::<_, (String, String, Option<String>)>(&sql);
    for id in couple_ids {
        query = query.bind(*id);
    }
    for (couple_id, name, joined) in query.fetch_all(db.pool()).await? {
        by_couple
            .entry(couple_id)
            .or_default()
            .push((name, joined.is_some()));
    }
    Ok(by_couple)
}

/// The partners' names, by position.
pub async fn partner_names(db: &Db, couple_id: &str) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar(
        "select display_name from partner where couple_id = $1 order by position",
    )
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?)
}

#[derive(sqlx::FromRow)]
struct CoupleRow {
    case_name: String,
    status: String,
    counselor_name: String,
    rupture_date: Option<String>,
    presenting_concerns: Option<String>,
    intake_notes: Option<String>,
    closed_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct PartnerRow {
    position: i64,
    display_name: String,
    email: String,
    pronouns: Option<String>,
    rupture_role: String,
    app_user_id: Option<String>,
}

/// The case itself: its details, both partners with their invitations, and the timeline.
/// The caller has checked access.
pub async fn overview(app: &AppState, couple_id: &str) -> Result<CaseOverview, AppError> {
    let db = &app.db;
    let row: Option<CoupleRow> = sqlx::query_as(
        "select c.case_name, c.status, u.display_name as counselor_name, c.rupture_date, \
                    c.presenting_concerns, c.intake_notes, c.closed_at \
             from couple c join app_user u on u.app_user_id = c.counselor_id \
             where c.couple_id = $1",
    )
    .bind(couple_id)
    .fetch_optional(db.pool())
    .await?;
    let CoupleRow {
        case_name,
        status,
        counselor_name,
        rupture_date: rupture,
        presenting_concerns: concerns,
        intake_notes: intake,
        closed_at,
    } = row.ok_or(AppError::NotFound)?;
    let partners: Vec<PartnerRow> = sqlx::query_as(
        "select position, display_name, email, pronouns, rupture_role, app_user_id \
         from partner where couple_id = $1 order by position",
    )
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?;
    // The newest changes (reads are audited too, but are not the case's history), oldest
    // first; one more than shown tells whether earlier ones were left out.
    let mut events: Vec<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        "select a.at, a.action, a.detail, u.display_name from audit_event a \
         left join app_user u on u.app_user_id = a.actor_user_id \
         where a.couple_id = $1 and a.action not in ('case_viewed', 'submission_viewed', 'note_viewed', \
           'note_change_refused') \
         order by a.at desc, a.audit_event_id desc limit $2",
    )
    .bind(couple_id)
    .bind(TIMELINE_LENGTH + 1)
    .fetch_all(db.pool())
    .await?;
    let timeline_truncated = events.len() as i64 > TIMELINE_LENGTH;
    events.truncate(TIMELINE_LENGTH as usize);
    events.reverse();
    let invitations = latest_for_couple(db, couple_id).await?;
    let names: Vec<String> = partners.iter().map(|p| p.display_name.clone()).collect();
    let kept_until = match closed_at {
        Some(at) => {
            let years = crate::couple::retention_years(db).await?;
            chrono::DateTime::from_timestamp_millis(at).and_then(|d| {
                d.date_naive()
                    .checked_add_months(chrono::Months::new(12 * years))
            })
        }
        None => None,
    };
    let progress = crate::features::program::repo::progress(db, couple_id).await?;
    let steps = progress.steps.clone();
    let step_title = move |detail: Option<&str>| {
        let n: i64 = detail?.parse().ok()?;
        steps
            .iter()
            .find(|s| s.number == n)
            .map(|s| s.title.clone())
    };
    Ok(CaseOverview {
        kept_until,
        couple_id: couple_id.to_string(),
        case_name,
        status: CaseStatus::parse(&status).unwrap_or(CaseStatus::Intake),
        counselor_name,
        rupture_date: rupture.and_then(|d| d.parse().ok()),
        presenting_concerns: concerns,
        intake_notes: intake,
        partners: partners
            .into_iter()
            .map(|p| PartnerView {
                position: p.position,
                display_name: p.display_name,
                email: p.email,
                pronouns: p.pronouns,
                rupture_role: RuptureRole::parse(&p.rupture_role)
                    .unwrap_or(RuptureRole::Unspecified),
                joined: p.app_user_id.is_some(),
                invitation: match invitations.iter().find(|i| i.position == Some(p.position)) {
                    Some(i) => i.state(app),
                    None if p.app_user_id.is_some() => InvitationState {
                        status: InvitationStatus::Accepted,
                        ..InvitationState::none()
                    },
                    None => InvitationState::none(),
                },
            })
            .collect(),
        timeline_truncated,
        timeline: events
            .into_iter()
            .map(|(at, action, detail, who)| TimelineEntry {
                at: chrono::DateTime::from_timestamp_millis(at).unwrap_or_default(),
                what: match step_title(detail.as_deref()).filter(|_| action == "step_moved") {
                    Some(title) => format!(
                        "{}: {title}",
                        AuditAction::describe(&action, detail.as_deref(), &names)
                    ),
                    None => AuditAction::describe(&action, detail.as_deref(), &names),
                },
                who,
            })
            .collect(),
    })
}

/// The accounts of both partners of a couple (both must have joined).
pub async fn partner_accounts(db: &Db, couple_id: &str) -> Result<[String; 2], AppError> {
    let ids: Vec<Option<String>> = sqlx::query_scalar(
        "select app_user_id from partner where couple_id = $1 order by position",
    )
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?;
    match ids.as_slice() {
        [Some(a), Some(b)] => Ok([a.clone(), b.clone()]),
        _ => Err(AppError::NotFound),
    }
}

/// Moves a case to another status (closing stamps `closed_at`), if that move is allowed
/// from where the case stands now. Recorded in the audit trail.
pub async fn change_status(
    db: &Db,
    couple_id: &str,
    to: CaseStatus,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    crate::couple::forget(couple_id);
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let current: Option<String> =
        sqlx::query_scalar("select status from couple where couple_id = $1")
            .bind(couple_id)
            .fetch_optional(&mut *tx)
            .await?;
    let current = current
        .and_then(|s| CaseStatus::parse(&s))
        .ok_or(AppError::NotFound)?;
    if !current.next().contains(&to) {
        return Err(AppError::Conflict(format!(
            "A case that is {} cannot be moved to {}.",
            current.label().to_lowercase(),
            to.label().to_lowercase()
        )));
    }
    sqlx::query(
        "update couple set status = $1, updated_at = $2, \
         closed_at = case when $1 = 'closed' then $2 else null end where couple_id = $3",
    )
    .bind(to.as_str())
    .bind(now)
    .bind(couple_id)
    .execute(&mut *tx)
    .await?;
    if to == CaseStatus::Closed {
        // A closed case takes no new members: open invitation links stop working.
        sqlx::query(
            "update invitation set revoked_at = $1 where couple_id = $2 \
             and accepted_at is null and revoked_at is null",
        )
        .bind(now)
        .bind(couple_id)
        .execute(&mut *tx)
        .await?;
    }
    record(
        &mut *tx,
        AuditAction::CaseStatusChanged,
        AuditEntry {
            actor_user_id: Some(actor),
            couple_id: Some(couple_id),
            ip,
            detail: Some(to.as_str()),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether a case is closed (and so read-only). `None` if there is no such case.
pub async fn is_closed(db: &Db, couple_id: &str) -> Result<Option<bool>, AppError> {
    let status: Option<String> =
        sqlx::query_scalar("select status from couple where couple_id = $1")
            .bind(couple_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(status.map(|s| s == "closed"))
}

/// The couples a partner belongs to, for their home page.
pub async fn partner_couples(db: &Db, user_id: &str) -> Result<Vec<PartnerCouple>, AppError> {
    let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "select c.couple_id, c.case_name, c.status, u.display_name, p.position from partner p \
         join couple c on c.couple_id = p.couple_id \
         join app_user u on u.app_user_id = c.counselor_id \
         where p.app_user_id = $1 \
         order by case when c.status = 'closed' then 1 else 0 end, c.created_at desc",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    let mut couples = Vec::with_capacity(rows.len());
    for (couple_id, case_name, status, counselor_name, position) in rows {
        let names = partner_names(db, &couple_id).await?;
        let partner_name = names
            .get(if position == 1 { 1 } else { 0 })
            .cloned()
            .unwrap_or_default();
        couples.push(PartnerCouple {
            couple_id,
            case_name,
            status: CaseStatus::parse(&status).unwrap_or(CaseStatus::Intake),
            counselor_name,
            partner_name,
        });
    }
    Ok(couples)
}

/// Every couple of the practice with its counselor, for administrators. Names and status
/// only: no clinical content.
pub async fn all_couples(db: &Db, page: i64) -> Result<(Vec<AdminCouple>, i64), AppError> {
    let page = page.max(1);
    let total: i64 = sqlx::query_scalar("select count(*) from couple")
        .fetch_one(db.pool())
        .await?;
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "select c.couple_id, c.case_name, c.status, c.counselor_id, u.display_name \
         from couple c join app_user u on u.app_user_id = c.counselor_id \
         order by c.case_name, c.couple_id limit $1 offset $2",
    )
    .bind(PER_PAGE * 2)
    .bind((page - 1) * PER_PAGE * 2)
    .fetch_all(db.pool())
    .await?;
    Ok((
        rows.into_iter()
            .map(
                |(couple_id, case_name, status, counselor_id, counselor_name)| AdminCouple {
                    couple_id,
                    case_name,
                    status: CaseStatus::parse(&status).unwrap_or(CaseStatus::Intake),
                    counselor_id,
                    counselor_name,
                },
            )
            .collect(),
        total,
    ))
}

/// Hands a couple to another active counselor.
pub async fn reassign(
    db: &Db,
    couple_id: &str,
    counselor_id: &str,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    crate::couple::forget(couple_id);
    let mut tx = db.begin_write().await?;
    let counselor: Option<(String, String)> =
        sqlx::query_as("select role, status from app_user where app_user_id = $1")
            .bind(counselor_id)
            .fetch_optional(&mut *tx)
            .await?;
    if !matches!(&counselor, Some((role, status)) if role == "counselor" && status == "active") {
        return Err(AppError::validation(
            "counselor_id",
            "Choose an active counselor from the list.",
        ));
    }
    let previous: Option<String> =
        sqlx::query_scalar("select counselor_id from couple where couple_id = $1")
            .bind(couple_id)
            .fetch_optional(&mut *tx)
            .await?;
    let previous = previous.ok_or(AppError::NotFound)?;
    if previous == counselor_id {
        return Err(AppError::validation(
            "counselor_id",
            "This couple is already with that counselor.",
        ));
    }
    sqlx::query("update couple set counselor_id = $1, updated_at = $2 where couple_id = $3")
        .bind(counselor_id)
        .bind(now_ms())
        .bind(couple_id)
        .execute(&mut *tx)
        .await?;
    record(
        &mut *tx,
        AuditAction::CaseReassigned,
        AuditEntry {
            actor_user_id: Some(actor),
            subject_user_id: Some(counselor_id),
            couple_id: Some(couple_id),
            ip,
            detail: Some(&previous),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The case's own record for its export: (name, status, rupture date, presenting concerns,
/// intake notes).
pub async fn export_record(
    db: &Db,
    couple_id: &str,
) -> Result<
    (
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    ),
    AppError,
> {
    sqlx::query_as(
        "select case_name, status, rupture_date, presenting_concerns, intake_notes from couple \
         where couple_id = $1",
    )
    .bind(couple_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(AppError::NotFound)
}
