//! Check-ins week by week: the counselor's panel for a couple, and the points a report
//! draws.

use super::safety::{FLAG_FROM, FLAG_REST, FlagRest, FlagRow};
use super::{CHECK_IN_SELECT, CheckInRow, DAY_MS, scores};
use crate::db::{Db, now_ms};
use crate::error::AppError;
use crate::features::progress::{CheckInText, CouplePanel, Point};
use crate::time as tz;
use chrono_tz::Tz;

/// How far back the counselor's charts look.
const CHART_WEEKS: i64 = 26;

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

/// A check-in or a safety flag of the couple, read together for the counselor's panel: a
/// flag has its `flag` columns set, a check-in its own.
#[derive(sqlx::FromRow)]
struct PanelRow {
    position: i64,
    at: i64,
    csi_total: Option<i64>,
    trust: Option<i64>,
    hope: Option<i64>,
    went_well: Option<String>,
    was_hard: Option<String>,
    share_text: Option<i64>,
    #[sqlx(flatten)]
    flag: FlagRest,
}

/// The counselor's view: both partners week by week, flags, divergence and texts. One
/// statement: the check-ins of the last `CHART_WEEKS` weeks, then every flag, each oldest
/// first.
pub async fn panel(db: &Db, couple_id: &str, zone: Tz) -> Result<CouplePanel, AppError> {
    let names = crate::couple::partner_names(db, &couple_id.into()).await?;
    let days = crate::couple::load(db, &couple_id.into())
        .await?
        .ok_or(AppError::NotFound)?
        .check_in_days;
    let since = now_ms() - CHART_WEEKS * 7 * DAY_MS;
    let sql = format!(
        "select 0 as kind, position, submitted_at as at, csi_total, trust, hope, went_well, \
         was_hard, share_text, null as flag_id, null as partner_name, null as answer, \
         null as acknowledged_at, null as acknowledged_by, null as acknowledgement, \
         null as source, null as source_title \
         from check_in where couple_id = $1 and submitted_at >= $2 \
         union all select 1, f.position, f.raised_at, null, null, null, null, null, null, \
         {FLAG_REST} {FLAG_FROM} order by kind, at"
    );
    let mixed: Vec<PanelRow> = sqlx::query_as(&sql)
        .bind(couple_id)
        .bind(since)
        .fetch_all(db.pool())
        .await?;
    let mut rows = Vec::new();
    let mut flags = Vec::new();
    for r in mixed {
        if r.flag.flag_id.is_some() {
            flags.push(
                FlagRow {
                    position: r.position,
                    raised_at: r.at,
                    rest: r.flag,
                }
                .view(zone),
            );
        } else {
            rows.push(CheckInRow {
                position: r.position,
                submitted_at: r.at,
                csi_total: r.csi_total,
                trust: r.trust.unwrap_or_default(),
                hope: r.hope.unwrap_or_default(),
                went_well: r.went_well.unwrap_or_default(),
                was_hard: r.was_hard.unwrap_or_default(),
                share_text: r.share_text.unwrap_or_default(),
            });
        }
    }
    // Newest first, as every list of flags shows them.
    flags.reverse();
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
        divergence: {
            let couple = crate::couple::load(db, &couple_id.into())
                .await?
                .ok_or(AppError::NotFound)?;
            let roles = [
                couple.partners[0].rupture_role,
                couple.partners[1].rupture_role,
            ];
            let names = couple.names();
            crate::features::progress::divergence::signals(&points, roles, &names)
        },
        partner_names: [
            names.first().cloned().unwrap_or_default(),
            names.get(1).cloned().unwrap_or_default(),
        ],
        check_in_days: days,
        points,
        flags,
        texts,
    })
}

/// The couple's check-ins between `start` and `end` (UTC milliseconds), week by week.
pub async fn points_between(
    db: &Db,
    couple_id: &str,
    start: i64,
    end: i64,
    zone: Tz,
) -> Result<Vec<Point>, AppError> {
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
