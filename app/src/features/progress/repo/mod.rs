//! SQL for check-ins and safety flags (small wins and the trend charts in the submodules).

pub mod trends;
pub mod wins;

use super::{
    CheckInPage, CheckInText, CouplePanel, FlagView, OwnCheckIn, Point, SafetyAnswer, Scores,
    SharedText, diverging,
};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, new_id, now_ms};
use crate::db::{get_setting, put_setting};
use crate::error::AppError;
use crate::time as tz;
use chrono_tz::Tz;

const CSI_SETTING: &str = "csi4_enabled";
const DAY_MS: i64 = 24 * 3600 * 1000;
/// How far back the counselor's charts look.
const CHART_WEEKS: i64 = 26;

/// Whether the practice asks the CSI-4 in check-ins (on unless an administrator turned it off).
pub async fn csi_enabled(db: &Db) -> Result<bool, AppError> {
    Ok(get_setting(db.pool(), CSI_SETTING).await?.as_deref() != Some("off"))
}

pub async fn set_csi_enabled(
    db: &Db,
    on: bool,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    put_setting(&mut *tx, CSI_SETTING, if on { "on" } else { "off" }).await?;
    record(
        &mut *tx,
        AuditAction::SettingChanged,
        AuditEntry {
            actor_user_id: Some(actor),
            ip,
            detail: Some(CSI_SETTING),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A check-in, already checked.
pub struct NewCheckIn {
    pub csi: Option<[i64; 4]>,
    pub trust: i64,
    pub hope: i64,
    pub went_well: String,
    pub was_hard: String,
    pub share_text: bool,
    pub safety: SafetyAnswer,
    /// How each active agreement was kept: (agreement, its current version, answer).
    pub kept: Vec<(String, String, crate::features::agreements::Kept)>,
}

/// Records a check-in (and the flag a concerning safety answer raises) in one transaction.
/// Returns the flag's id when one was raised.
pub async fn submit(
    db: &Db,
    couple_id: &str,
    position: i64,
    user_id: &str,
    input: &NewCheckIn,
    ip: Option<&str>,
) -> Result<Option<String>, AppError> {
    let now = now_ms();
    let id = new_id();
    let mut tx = db.begin_write().await?;
    let csi = input.csi;
    sqlx::query(
        "insert into check_in (check_in_id, couple_id, position, app_user_id, submitted_at, \
         csi1, csi2, csi3, csi4, csi_total, trust, hope, went_well, was_hard, share_text, safety) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(&id)
    .bind(couple_id)
    .bind(position)
    .bind(user_id)
    .bind(now)
    .bind(csi.map(|c| c[0]))
    .bind(csi.map(|c| c[1]))
    .bind(csi.map(|c| c[2]))
    .bind(csi.map(|c| c[3]))
    .bind(csi.map(|c| c.iter().sum::<i64>()))
    .bind(input.trust)
    .bind(input.hope)
    .bind(&input.went_well)
    .bind(&input.was_hard)
    .bind(if input.share_text { 1_i64 } else { 0 })
    .bind(input.safety.as_str())
    .execute(&mut *tx)
    .await?;
    crate::features::agreements::repo::record_keeping(&mut tx, &id, &input.kept).await?;
    let detail = format!("partner_{position}");
    let entry = || AuditEntry {
        actor_user_id: Some(user_id),
        couple_id: Some(couple_id),
        ip,
        detail: Some(&detail),
        ..Default::default()
    };
    record(&mut *tx, AuditAction::CheckInSubmitted, entry()).await?;
    let flag = if input.safety.concerning() {
        let flag_id = new_id();
        sqlx::query(
            "insert into safety_flag (safety_flag_id, check_in_id, couple_id, position, answer, raised_at) \
             values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&flag_id)
        .bind(&id)
        .bind(couple_id)
        .bind(position)
        .bind(input.safety.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        record(&mut *tx, AuditAction::SafetyFlagRaised, entry()).await?;
        Some(flag_id)
    } else {
        None
    };
    sqlx::query("update couple set updated_at = $1 where couple_id = $2")
        .bind(now)
        .bind(couple_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(flag)
}

#[derive(sqlx::FromRow)]
struct CheckInRow {
    position: i64,
    submitted_at: i64,
    csi_total: Option<i64>,
    trust: i64,
    hope: i64,
    went_well: String,
    was_hard: String,
    share_text: i64,
}

const CHECK_IN_SELECT: &str = "select position, submitted_at, csi_total, trust, hope, went_well, \
    was_hard, share_text from check_in";

fn scores(r: &CheckInRow) -> Scores {
    Scores {
        csi: r.csi_total,
        trust: r.trust,
        hope: r.hope,
    }
}

/// What the other partner of `couple_id` shared with the partner at `position` from their
/// check-ins (name, time, the two texts), newest first, at most `limit`. The check-in page and
/// the partner's data export both read it here.
pub async fn shared_texts(
    db: &Db,
    couple_id: &str,
    position: i64,
    limit: i64,
) -> Result<Vec<(String, i64, String, String)>, AppError> {
    Ok(sqlx::query_as(
        "select p.display_name, k.submitted_at, k.went_well, k.was_hard from check_in k \
         join partner p on p.couple_id = k.couple_id and p.position = k.position \
         where k.couple_id = $1 and k.position <> $2 and k.share_text = 1 \
         and (k.went_well <> '' or k.was_hard <> '') order by k.submitted_at desc limit $3",
    )
    .bind(couple_id)
    .bind(position)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}

/// The partner's check-in page: whether one is due, their own history, and what the other
/// partner shared.
pub async fn page_for_partner(
    db: &Db,
    user_id: &str,
    couple_id: &str,
    position: i64,
    zone: Tz,
) -> Result<CheckInPage, AppError> {
    let days: i64 = sqlx::query_scalar("select check_in_days from couple where couple_id = $1")
        .bind(couple_id)
        .fetch_one(db.pool())
        .await?;
    let mine: Vec<CheckInRow> = sqlx::query_as(&format!(
        "{CHECK_IN_SELECT} where couple_id = $1 and position = $2 and app_user_id = $3 \
         order by submitted_at desc limit 20"
    ))
    .bind(couple_id)
    .bind(position)
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    let other = shared_texts(db, couple_id, position, 10).await?;
    let now = now_ms();
    let next = mine.first().map(|r| r.submitted_at + days * DAY_MS);
    let is_due = next.is_none_or(|n| n <= now);
    let due = match next {
        None => "Your first check-in is waiting for you.".to_string(),
        Some(_) if is_due => "Your check-in is due.".to_string(),
        Some(n) => format!(
            "Next check-in due {}. You can also check in any time.",
            tz::at(n, zone).format("%A %-d %B")
        ),
    };
    let agreements = crate::features::agreements::repo::questions(db, couple_id)
        .await?
        .into_iter()
        .map(
            |(agreement_id, _, body)| crate::features::agreements::AgreementQuestion {
                agreement_id,
                body,
            },
        )
        .collect();
    Ok(CheckInPage {
        couple_id: crate::couple::couple_param(db, user_id, couple_id).await?,
        agreements,
        csi_enabled: csi_enabled(db).await?,
        due,
        is_due,
        history: mine
            .iter()
            .map(|r| OwnCheckIn {
                when: tz::when(r.submitted_at, zone),
                scores: scores(r),
                went_well: r.went_well.clone(),
                was_hard: r.was_hard.clone(),
                shared: r.share_text == 1,
            })
            .collect(),
        shared: other
            .into_iter()
            .map(|(partner_name, at, went_well, was_hard)| SharedText {
                partner_name,
                when: tz::when(at, zone),
                went_well,
                was_hard,
            })
            .collect(),
    })
}

/// Groups check-ins (oldest first) into weeks starting on Monday in the zone; each partner's
/// latest check-in of the week stands for it.
fn weekly(rows: &[CheckInRow], zone: Tz) -> Vec<Point> {
    let mut points: Vec<(chrono::NaiveDate, Point)> = Vec::new();
    for r in rows {
        let day = tz::at(r.submitted_at, zone).date_naive();
        let monday = tz::week_start(day);
        if points.last().is_none_or(|(m, _)| *m != monday) {
            points.push((
                monday,
                Point {
                    label: monday.format("%-d %b").to_string(),
                    partners: [None, None],
                },
            ));
        }
        if let Some((_, p)) = points.last_mut()
            && let Some(slot) = p.partners.get_mut((r.position - 1) as usize)
        {
            *slot = Some(scores(r));
        }
    }
    points.into_iter().map(|(_, p)| p).collect()
}

/// The counselor's view: both partners week by week, flags, divergence and texts.
pub async fn panel(db: &Db, couple_id: &str, zone: Tz) -> Result<CouplePanel, AppError> {
    let names = crate::features::cases::repo::partner_names(db, couple_id).await?;
    let days: i64 = sqlx::query_scalar("select check_in_days from couple where couple_id = $1")
        .bind(couple_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(AppError::NotFound)?;
    let since = now_ms() - CHART_WEEKS * 7 * DAY_MS;
    let rows: Vec<CheckInRow> = sqlx::query_as(&format!(
        "{CHECK_IN_SELECT} where couple_id = $1 and submitted_at >= $2 order by submitted_at"
    ))
    .bind(couple_id)
    .bind(since)
    .fetch_all(db.pool())
    .await?;
    let points = weekly(&rows, zone);
    let texts = rows
        .iter()
        .rev()
        .filter(|r| !r.went_well.is_empty() || !r.was_hard.is_empty())
        .take(20)
        .map(|r| CheckInText {
            partner_name: names
                .get((r.position - 1) as usize)
                .cloned()
                .unwrap_or_default(),
            when: tz::when(r.submitted_at, zone),
            went_well: r.went_well.clone(),
            was_hard: r.was_hard.clone(),
            shared: r.share_text == 1,
        })
        .collect();
    Ok(CouplePanel {
        divergence: diverging(&points),
        partner_names: [
            names.first().cloned().unwrap_or_default(),
            names.get(1).cloned().unwrap_or_default(),
        ],
        check_in_days: days,
        points,
        flags: flags(db, couple_id, zone, false).await?,
        texts,
    })
}

/// The couple's safety flags, newest first (only open ones if `open_only`).
pub async fn flags(
    db: &Db,
    couple_id: &str,
    zone: Tz,
    open_only: bool,
) -> Result<Vec<FlagView>, AppError> {
    type Row = (
        String,
        String,
        String,
        i64,
        Option<i64>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "select f.safety_flag_id, p.display_name, f.answer, f.raised_at, f.acknowledged_at, \
         (select u.display_name from app_user u where u.app_user_id = f.acknowledged_by), f.acknowledgement \
         from safety_flag f join partner p on p.couple_id = f.couple_id and p.position = f.position \
         where f.couple_id = $1 and ($2 = 0 or f.acknowledged_at is null) order by f.raised_at desc",
    )
    .bind(couple_id)
    .bind(if open_only { 1_i64 } else { 0 })
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, answer, raised, ack_at, ack_by, note)| FlagView {
                flag_id: id,
                partner_name: name,
                answer: SafetyAnswer::parse(&answer)
                    .map(|a| a.label())
                    .unwrap_or("")
                    .to_string(),
                raised: tz::when(raised, zone),
                acknowledged: ack_at.map(|at| {
                    (
                        ack_by.unwrap_or_default(),
                        tz::when(at, zone),
                        note.unwrap_or_default(),
                    )
                }),
            },
        )
        .collect())
}

/// The couple a flag belongs to.
pub async fn flag_couple(db: &Db, flag_id: &str) -> Result<Option<crate::ids::CoupleId>, AppError> {
    Ok(
        sqlx::query_scalar("select couple_id from safety_flag where safety_flag_id = $1")
            .bind(flag_id)
            .fetch_optional(db.pool())
            .await?,
    )
}

pub async fn acknowledge(
    db: &Db,
    flag_id: &str,
    couple_id: &str,
    counselor: &str,
    note: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "update safety_flag set acknowledged_at = $1, acknowledged_by = $2, acknowledgement = $3 \
         where safety_flag_id = $4 and acknowledged_at is null",
    )
    .bind(now_ms())
    .bind(counselor)
    .bind(note)
    .bind(flag_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "This flag was already acknowledged.".into(),
        ));
    }
    record(
        &mut *tx,
        AuditAction::SafetyFlagAcknowledged,
        AuditEntry {
            actor_user_id: Some(counselor),
            couple_id: Some(couple_id),
            ip,
            detail: Some(flag_id),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_check_in_days(db: &Db, couple_id: &str, days: i64) -> Result<(), AppError> {
    sqlx::query("update couple set check_in_days = $1 where couple_id = $2")
        .bind(days)
        .bind(couple_id)
        .execute(db.writer())
        .await?;
    Ok(())
}

/// The couple's check-ins between `start` and `end` (UTC milliseconds), week by week.
pub async fn points_between(
    db: &Db,
    couple_id: &str,
    start: i64,
    end: i64,
    zone: Tz,
) -> Result<Vec<super::Point>, AppError> {
    let rows: Vec<CheckInRow> = sqlx::query_as(&format!(
        "{CHECK_IN_SELECT} where couple_id = $1 and submitted_at >= $2 and submitted_at < $3 order by submitted_at"
    ))
    .bind(couple_id)
    .bind(start)
    .bind(end)
    .fetch_all(db.pool())
    .await?;
    Ok(weekly(&rows, zone))
}

/// Every check-in of the couple, oldest first, with the partner's name: (submitted at, name,
/// CSI-4 total, trust, hope, went well, was hard, texts shared, safety answer).
pub type CheckInExportRow = (
    i64,
    String,
    Option<i64>,
    i64,
    i64,
    String,
    String,
    i64,
    String,
);

/// The couple's check-ins for the counselor's CSV.
pub async fn check_in_rows(db: &Db, couple_id: &str) -> Result<Vec<CheckInExportRow>, AppError> {
    Ok(sqlx::query_as(
        "select k.submitted_at, p.display_name, k.csi_total, k.trust, k.hope, k.went_well, \
         k.was_hard, k.share_text, k.safety from check_in k \
         join partner p on p.couple_id = k.couple_id and p.position = k.position \
         where k.couple_id = $1 order by k.submitted_at",
    )
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?)
}

/// A check-in in an export: (position, submitted at, CSI-4 total, trust, hope, went well,
/// was hard, texts shared, safety answer).
pub type CheckInRecord = (i64, i64, Option<i64>, i64, i64, String, String, i64, String);

/// The couple's check-ins in full, or (`only` = a position) one partner's own.
pub async fn check_in_records(
    db: &Db,
    couple_id: &str,
    only: Option<i64>,
) -> Result<Vec<CheckInRecord>, AppError> {
    Ok(sqlx::query_as(
        "select position, submitted_at, csi_total, trust, hope, went_well, was_hard, share_text, safety \
         from check_in where couple_id = $1 and ($2 = 0 or position = $2) order by submitted_at",
    )
    .bind(couple_id)
    .bind(only.unwrap_or(0))
    .fetch_all(db.pool())
    .await?)
}
