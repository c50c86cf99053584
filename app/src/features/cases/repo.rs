//! SQL for couples and partners: the only place these tables are touched.

use super::{
    CaseDetail, CaseStatus, CaseSummary, Caseload, PER_PAGE, PartnerView, RuptureRole,
    TimelineEntry,
};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;

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

/// Who a person is to a case: its counselor, one of its partners, or nobody.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseRelation {
    Counselor,
    Partner { position: i64 },
}

/// How `user_id` relates to the couple; `None` if the couple does not exist or is not theirs.
pub async fn relation(
    db: &Db,
    couple_id: &str,
    user_id: &str,
) -> Result<Option<CaseRelation>, AppError> {
    let counselor: Option<String> =
        sqlx::query_scalar("select counselor_id from couple where couple_id = $1")
            .bind(couple_id)
            .fetch_optional(db.pool())
            .await?;
    let Some(counselor) = counselor else {
        return Ok(None);
    };
    if counselor == user_id {
        return Ok(Some(CaseRelation::Counselor));
    }
    let position: Option<i64> = sqlx::query_scalar(
        "select position from partner where couple_id = $1 and app_user_id = $2",
    )
    .bind(couple_id)
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(position.map(|position| CaseRelation::Partner { position }))
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
        and (lower(c.case_name) like $3 escape '\\' or exists (select 1 from partner p \
             where p.couple_id = c.couple_id and lower(p.display_name) like $3 escape '\\'))";
    let total: i64 = sqlx::query_scalar(&format!("select count(*) {FILTER}"))
        .bind(counselor_id)
        .bind(status)
        .bind(&pattern)
        .fetch_one(db.pool())
        .await?;
    let rows: Vec<(String, String, String, Option<String>, i64)> = sqlx::query_as(&format!(
        "select c.couple_id, c.case_name, c.status, c.rupture_date, c.updated_at {FILTER} \
         order by case when c.status = 'closed' then 1 else 0 end, c.updated_at desc, c.couple_id \
         limit $4 offset $5"
    ))
    .bind(counselor_id)
    .bind(status)
    .bind(&pattern)
    .bind(PER_PAGE)
    .bind((page - 1) * PER_PAGE)
    .fetch_all(db.pool())
    .await?;
    let mut cases = Vec::with_capacity(rows.len());
    for (couple_id, case_name, status, rupture, updated) in rows {
        cases.push(CaseSummary {
            partner_names: partner_names(db, &couple_id).await?,
            couple_id,
            case_name,
            status: CaseStatus::parse(&status).unwrap_or(CaseStatus::Intake),
            rupture_date: rupture.and_then(|d| d.parse().ok()),
            updated_at: chrono::DateTime::from_timestamp_millis(updated).unwrap_or_default(),
        });
    }
    Ok(Caseload {
        cases,
        total,
        page,
        per_page: PER_PAGE,
    })
}

async fn partner_names(db: &Db, couple_id: &str) -> Result<Vec<String>, AppError> {
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

/// Everything the case page shows. The caller has checked access.
pub async fn detail(db: &Db, couple_id: &str) -> Result<CaseDetail, AppError> {
    let row: Option<CoupleRow> = sqlx::query_as(
        "select c.case_name, c.status, u.display_name as counselor_name, c.rupture_date, \
                    c.presenting_concerns, c.intake_notes \
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
    } = row.ok_or(AppError::NotFound)?;
    let partners: Vec<PartnerRow> = sqlx::query_as(
        "select position, display_name, email, pronouns, rupture_role, app_user_id \
         from partner where couple_id = $1 order by position",
    )
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?;
    let events: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "select a.at, a.action, u.display_name from audit_event a \
         left join app_user u on u.app_user_id = a.actor_user_id \
         where a.couple_id = $1 and a.action <> 'case_viewed' order by a.audit_event_id",
    )
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?;
    Ok(CaseDetail {
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
            })
            .collect(),
        timeline: events
            .into_iter()
            .map(|(at, action, who)| TimelineEntry {
                at: chrono::DateTime::from_timestamp_millis(at).unwrap_or_default(),
                what: AuditAction::describe(&action).to_string(),
                who,
            })
            .collect(),
    })
}

/// Binds a partner's account to their place in the couple (an accepted invitation).
pub async fn bind_partner_account(
    db: &Db,
    couple_id: &str,
    position: i64,
    user_id: &str,
) -> Result<(), AppError> {
    sqlx::query("update partner set app_user_id = $1 where couple_id = $2 and position = $3")
        .bind(user_id)
        .bind(couple_id)
        .bind(position)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Moves a case to another status (closing stamps `closed_at`).
pub async fn set_status(db: &Db, couple_id: &str, status: CaseStatus) -> Result<(), AppError> {
    let now = now_ms();
    sqlx::query(
        "update couple set status = $1, updated_at = $2, \
         closed_at = case when $1 = 'closed' then $2 else null end where couple_id = $3",
    )
    .bind(status.as_str())
    .bind(now)
    .bind(couple_id)
    .execute(db.pool())
    .await?;
    Ok(())
}
