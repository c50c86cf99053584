//! Lists of couples: the counselor's caseload (searchable, most urgent first), a partner's
//! couples, and every couple of the practice for administrators.

use crate::couple::CaseStatus;
use crate::db::{Db, now_ms};
use crate::error::AppError;
use crate::features::cases::{AdminCouple, CaseSummary, Caseload, PER_PAGE, PartnerCouple};

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
    // Most urgent first: open before closed; then safety flags, unread messages,
    // submissions awaiting review, overdue homework, the soonest next session; then the most
    // recently changed. Flags, unread messages and submissions awaiting review are kept on
    // the couple's row (migration 0030's triggers recount them on every change), so the page
    // reads one row per couple however many assignments, flags and messages the practice
    // holds; only what depends on today is counted here. The page is cut from the sorted
    // list (in `y`, which also counts the whole list), and only the page's couples are joined
    // to their two partners (then put back in order: a join may reorder them; numbering them
    // with `row_number()` instead doubled the statement's cost): one statement for the
    // whole dashboard.
    const NEXT_SESSION: &str = "(select min(x.starts_at) from counseling_session x \
        where x.couple_id = c.couple_id and x.status = 'scheduled' and x.starts_at > $7)";
    const ORDER: &str = "case when s.status = 'closed' then 1 else 0 end, s.flags desc, \
        s.unread desc, s.awaiting desc, s.overdue desc, \
        coalesce(s.next_session, 9223372036854775807), s.updated_at desc, s.couple_id";
    let today = chrono::DateTime::from_timestamp_millis(now_ms())
        .unwrap_or_default()
        .date_naive()
        .to_string();
    let rows: Vec<CaseloadRow> = sqlx::query_as(&format!(
        "select y.*, p1.display_name as first_name, p1.app_user_id as first_account, \
           p2.display_name as second_name, p2.app_user_id as second_account \
         from (select s.*, count(*) over () as total \
           from (select c.couple_id, c.case_name, c.status, c.rupture_date, c.updated_at, \
             c.awaiting_review as awaiting, \
             (select count(*) from assignment a where a.couple_id = c.couple_id \
                and a.cancelled_at is null and a.submitted_version = 0 \
                and a.due_on < $6) as overdue, \
             {NEXT_SESSION} as next_session, \
             c.open_flags as flags, c.counselor_unread as unread \
             {FILTER}) s \
           order by {ORDER} limit $4 offset $5) y \
         left join partner p1 on p1.couple_id = y.couple_id and p1.position = 1 \
         left join partner p2 on p2.couple_id = y.couple_id and p2.position = 2 \
         order by {}",
        ORDER.replace("s.", "y.")
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
    let total = match rows.first() {
        Some(row) => row.total,
        // A page past the end: the count still says how many there are.
        None if page > 1 => {
            sqlx::query_scalar(&format!("select count(*) {FILTER}"))
                .bind(counselor_id)
                .bind(status)
                .bind(&pattern)
                .fetch_one(db.pool())
                .await?
        }
        None => 0,
    };
    let zone = crate::couple::time_zone(db, counselor_id).await?;
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
                unread,
                first_name,
                first_account,
                second_name,
                second_account,
                ..
            } = row;
            let status = CaseStatus::parse(&status).unwrap_or(CaseStatus::Intake);
            let mine: Vec<(String, bool)> = [
                (first_name, first_account.is_some()),
                (second_name, second_account.is_some()),
            ]
            .into_iter()
            .filter_map(|(name, joined)| Some((name?, joined)))
            .collect();
            let mut attention = Vec::new();
            if flags > 0 {
                attention.push(plural(
                    flags,
                    "safety flag to look at",
                    "safety flags to look at",
                ));
            }
            if unread > 0 {
                attention.push(plural(unread, "unread message", "unread messages"));
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
    unread: i64,
    /// How many couples the whole list holds (the same on every row).
    total: i64,
    first_name: Option<String>,
    first_account: Option<String>,
    second_name: Option<String>,
    second_account: Option<String>,
}

/// The couples a partner belongs to, for their home page.
pub async fn partner_couples(db: &Db, user_id: &str) -> Result<Vec<PartnerCouple>, AppError> {
    let user = crate::ids::UserId::from(user_id);
    let couples = crate::couple::partner_contexts(db, user_id).await?;
    Ok(couples
        .iter()
        .map(|c| {
            let other = c
                .partners
                .iter()
                .find(|seat| seat.account.as_ref() != Some(&user))
                .map(|seat| seat.display_name.clone())
                .unwrap_or_default();
            PartnerCouple {
                couple_id: c.couple_id.to_string(),
                case_name: c.case_name.clone(),
                status: c.status,
                counselor_name: c.counselor_name.clone(),
                partner_name: other,
            }
        })
        .collect())
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
