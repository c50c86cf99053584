//! Check-ins week by week: the counselor's panel for a couple, and the points a report
//! draws.

use super::{CHECK_IN_SELECT, CheckInRow, DAY_MS, flags, scores};
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

/// The counselor's view: both partners week by week, flags, divergence and texts.
pub async fn panel(db: &Db, couple_id: &str, zone: Tz) -> Result<CouplePanel, AppError> {
    let names = crate::couple::partner_names(db, &couple_id.into()).await?;
    let days = crate::couple::load(db, &couple_id.into())
        .await?
        .ok_or(AppError::NotFound)?
        .check_in_days;
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
        flags: flags(db, couple_id, zone, false).await?,
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
