//! SQL for the couple core.

use super::CaseStatus;
use super::context::{CoupleContext, ProgramPlace, Seat};
use crate::db::Db;
use crate::error::AppError;
use crate::ids::{CoupleId, UserId};
use chrono_tz::Tz;

/// One row of `CONTEXT_SELECT`: the couple, one partner, and the couple's current step.
#[derive(sqlx::FromRow)]
struct ContextRow {
    couple_id: String,
    case_name: String,
    status: String,
    counselor_id: String,
    position: i64,
    partner_name: String,
    email: String,
    account: Option<String>,
    rupture_role: String,
    counselor_name: String,
    check_in_days: i64,
    wins_wall: Option<String>,
    current_step: Option<i64>,
    rupture_date: Option<String>,
    closed_at: Option<i64>,
    step_title: Option<String>,
    step_of: Option<i64>,
    step_for_partners: Option<String>,
}

/// A couple's row, both partners and where the couple is in their program: two rows a
/// couple, partner 1 first.
const CONTEXT_SELECT: &str = "select c.couple_id, c.case_name, c.status, c.counselor_id, \
    p.position, p.display_name as partner_name, \
    p.email, p.app_user_id as account, p.rupture_role, u.display_name as counselor_name, \
    c.check_in_days, c.wins_wall, \
    case when c.program_id is null then null else c.current_step end as current_step, \
    c.rupture_date, c.closed_at, ps.title as step_title, \
    case when ps.title is null then null \
      else (select count(*) from program_step x where x.program_id = c.program_id) end as step_of, \
    ps.for_partners as step_for_partners \
    from couple c \
    join partner p on p.couple_id = c.couple_id \
    join app_user u on u.app_user_id = c.counselor_id \
    left join program_step ps on ps.program_id = c.program_id and ps.number = c.current_step";

/// The couple's context, in one query.
pub(super) async fn context(
    db: &Db,
    couple_id: &CoupleId,
) -> Result<Option<CoupleContext>, AppError> {
    let rows: Vec<ContextRow> = sqlx::query_as(&format!(
        "{CONTEXT_SELECT} where c.couple_id = $1 order by p.position"
    ))
    .bind(couple_id.as_str())
    .fetch_all(db.pool())
    .await?;
    Ok(contexts(rows)?.into_iter().next())
}

/// The context of every couple `user_id` is a partner in, in one query, in the order their
/// home opens them: open cases before closed ones, the newest first.
pub(super) async fn partner_contexts(
    db: &Db,
    user_id: &str,
) -> Result<Vec<CoupleContext>, AppError> {
    let rows: Vec<ContextRow> = sqlx::query_as(&format!(
        "{CONTEXT_SELECT} where c.couple_id in \
           (select x.couple_id from partner x where x.app_user_id = $1) \
         order by case when c.status = 'closed' then 1 else 0 end, c.created_at desc, \
         c.couple_id, p.position"
    ))
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    contexts(rows)
}

/// Couples from their rows (each couple's two rows together, partner 1 first).
fn contexts(rows: Vec<ContextRow>) -> Result<Vec<CoupleContext>, AppError> {
    let mut out: Vec<CoupleContext> = Vec::new();
    let mut rows = rows.into_iter().peekable();
    while let Some(first) = rows.next() {
        let second = rows
            .next_if(|r| r.couple_id == first.couple_id)
            .ok_or_else(|| AppError::internal("couple", "a couple without two partners"))?;
        let partners = [seat(&first), seat(&second)];
        let step = match (first.current_step, first.step_title, first.step_of) {
            (Some(number), Some(title), Some(of)) => Some(ProgramPlace {
                number,
                title,
                of,
                for_partners: first.step_for_partners.unwrap_or_default(),
            }),
            _ => None,
        };
        out.push(CoupleContext {
            couple_id: CoupleId::from(first.couple_id),
            case_name: first.case_name,
            status: CaseStatus::parse(&first.status).unwrap_or(CaseStatus::Intake),
            counselor_id: UserId::from(first.counselor_id),
            counselor_name: first.counselor_name,
            check_in_days: first.check_in_days,
            wins_wall: first.wins_wall.map(|v| v == "on"),
            current_step: first.current_step,
            step,
            rupture_date: first.rupture_date.and_then(|d| d.parse().ok()),
            closed_at: first.closed_at,
            partners,
        });
    }
    Ok(out)
}

fn seat(row: &ContextRow) -> Seat {
    Seat {
        position: row.position,
        display_name: row.partner_name.clone(),
        email: row.email.clone(),
        account: row.account.clone().map(UserId::from),
        rupture_role: super::RuptureRole::parse(&row.rupture_role)
            .unwrap_or(super::RuptureRole::Unspecified),
    }
}

/// The person's time zone (UTC when unset or unknown).
pub async fn time_zone(db: &Db, user_id: &str) -> Result<Tz, AppError> {
    super::context::remembered(
        |m| &mut m.zones,
        user_id.to_string(),
        stored_time_zone(db, user_id),
    )
    .await
}

async fn stored_time_zone(db: &Db, user_id: &str) -> Result<Tz, AppError> {
    let name: Option<String> =
        sqlx::query_scalar("select time_zone from app_user where app_user_id = $1")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(name.and_then(|n| n.parse().ok()).unwrap_or(Tz::UTC))
}

/// The partner's place in one of their couples: (couple, position, status). `requested` names
/// the couple (it must be one of theirs); empty means the one their home opens with, the
/// newest open case. `None` when they are in no such couple.
pub async fn partner_couple(
    db: &Db,
    user_id: &str,
    requested: &str,
) -> Result<Option<super::context::PartnerSeat>, AppError> {
    super::context::remembered(
        |m| &mut m.seats,
        (user_id.to_string(), requested.trim().to_string()),
        stored_partner_couple(db, user_id, requested),
    )
    .await
}

async fn stored_partner_couple(
    db: &Db,
    user_id: &str,
    requested: &str,
) -> Result<Option<super::context::PartnerSeat>, AppError> {
    let requested = requested.trim();
    let couples = super::context::partner_contexts(db, user_id).await?;
    Ok(couples
        .iter()
        .find(|c| requested.is_empty() || c.couple_id.as_str() == requested)
        .and_then(|c| seat_of(c, user_id)))
}

/// The partner's seat in `couple`: (couple, position, case status).
pub(super) fn seat_of(
    couple: &CoupleContext,
    user_id: &str,
) -> Option<super::context::PartnerSeat> {
    match couple.relation(&UserId::from(user_id))? {
        super::context::CaseRelation::Partner { position } => Some((
            couple.couple_id.to_string(),
            position,
            couple.status.as_str().to_string(),
        )),
        super::context::CaseRelation::Counselor => None,
    }
}

/// Keeps the seats of all a partner's couples, read elsewhere in the order their home opens
/// with (newest open case first), so this request's `partner_couple` and `couple_param`
/// read nothing more.
pub fn remember_seats(user_id: &str, seats: &[super::context::PartnerSeat]) {
    use super::context::remember;
    remember(
        |m| &mut m.seats,
        (user_id.to_string(), String::new()),
        seats.first().cloned(),
    );
    for seat in seats {
        remember(
            |m| &mut m.seats,
            (user_id.to_string(), seat.0.clone()),
            Some(seat.clone()),
        );
    }
    remember(
        |m| &mut m.couple_counts,
        user_id.to_string(),
        seats.len() as i64,
    );
}

/// What a partner page puts in its links and forms to name `couple_id`: the id when the
/// person is a partner in more than one couple, nothing when there is only the one (so
/// their addresses stay plain).
pub async fn couple_param(db: &Db, user_id: &str, couple_id: &str) -> Result<String, AppError> {
    let couples = super::context::remembered(
        |m| &mut m.couple_counts,
        user_id.to_string(),
        couple_count(db, user_id),
    )
    .await?;
    Ok(if couples > 1 {
        couple_id.to_string()
    } else {
        String::new()
    })
}

async fn couple_count(db: &Db, user_id: &str) -> Result<i64, AppError> {
    Ok(super::context::partner_contexts(db, user_id).await?.len() as i64)
}

/// The practice setting that holds `retention_years`.
pub const RETENTION_KEY: &str = "retention_years";

/// How many years the practice keeps a closed case's records (a practice setting; 7 unless
/// an administrator changed it).
pub async fn retention_years(db: &Db) -> Result<u32, AppError> {
    let value = crate::db::setting(db, RETENTION_KEY).await?;
    Ok(value
        .and_then(|v| v.parse().ok())
        .unwrap_or(super::DEFAULT_RETENTION_YEARS))
}
