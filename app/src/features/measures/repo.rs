//! SQL for measures: the counselor's choice per partner (replaced as a whole, audited) and
//! every answer (append-only), with the safety flag PHQ-9 item 9 raises in the same
//! transaction as the answer.

use super::instruments::{Instrument, by_key};
use super::{Frequency, MeasureScores, ScorePoint};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;
use crate::features::safety::repo::flags::{self, FlagSource, NewFlag};
use chrono_tz::Tz;

/// What the counselor chose for the partner at `position`: (measure, how often).
pub async fn plan(
    db: &Db,
    couple_id: &str,
    position: i64,
) -> Result<Vec<(String, Frequency)>, AppError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "select measure, every_days from measure_plan \
         where couple_id = $1 and position = $2 order by measure",
    )
    .bind(couple_id)
    .bind(position)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(m, d)| Frequency::from_days(d).map(|f| (m, f)))
        .collect())
}

/// Replaces what the partner at `position` is asked to answer.
pub async fn set_plan(
    db: &Db,
    couple_id: &str,
    position: i64,
    chosen: &[(&str, Frequency)],
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    sqlx::query("delete from measure_plan where couple_id = $1 and position = $2")
        .bind(couple_id)
        .bind(position)
        .execute(&mut *tx)
        .await?;
    for (measure, every) in chosen {
        sqlx::query(
            "insert into measure_plan (couple_id, position, measure, every_days, chosen_by, chosen_at) \
             values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(couple_id)
        .bind(position)
        .bind(*measure)
        .bind(every.days())
        .bind(actor)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let detail = format!("partner_{position}");
    record(
        &mut *tx,
        AuditAction::MeasuresChosen,
        AuditEntry {
            actor_user_id: Some(actor),
            couple_id: Some(couple_id),
            ip,
            detail: Some(&detail),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What the counselor chose for the partner at `position`, as `plan` gives it, and when the
/// partner last answered each of those measures: (measure, at). One statement.
pub async fn plan_and_last(
    db: &Db,
    couple_id: &str,
    position: i64,
) -> Result<(Vec<(String, Frequency)>, Vec<(String, i64)>), AppError> {
    let rows: Vec<(String, i64, Option<i64>)> = sqlx::query_as(
        "select p.measure, p.every_days, (select max(a.answered_at) from measure_answer a \
           where a.couple_id = p.couple_id and a.position = p.position \
           and a.measure = p.measure) \
         from measure_plan p where p.couple_id = $1 and p.position = $2 order by p.measure",
    )
    .bind(couple_id)
    .bind(position)
    .fetch_all(db.pool())
    .await?;
    let last = rows
        .iter()
        .filter_map(|(m, _, at)| at.map(|at| (m.clone(), at)))
        .collect();
    let plan = rows
        .into_iter()
        .filter_map(|(m, d, _)| Frequency::from_days(d).map(|f| (m, f)))
        .collect();
    Ok((plan, last))
}

/// One answer to keep.
pub struct NewAnswer<'a> {
    pub couple_id: &'a str,
    pub position: i64,
    pub user_id: &'a str,
    pub instrument: &'static Instrument,
    pub answers: &'a [i64],
    pub follow_up: Option<&'a str>,
    pub total: i64,
    pub ip: Option<&'a str>,
}

/// Keeps an answer and audits it; an answer to the instrument's safety item above "not at
/// all" raises a flag in the same transaction. Returns (answer id, new flag id).
pub async fn answer(db: &Db, a: NewAnswer<'_>) -> Result<(String, Option<String>), AppError> {
    let now = now_ms();
    let id = new_id();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "insert into measure_answer (measure_answer_id, couple_id, position, app_user_id, measure, \
         answers, follow_up, total, answered_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(a.couple_id)
    .bind(a.position)
    .bind(a.user_id)
    .bind(a.instrument.key)
    .bind(serde_json::to_string(a.answers).map_err(|e| AppError::internal("measure", e))?)
    .bind(a.follow_up)
    .bind(a.total)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let detail = format!("partner_{}", a.position);
    record(
        &mut *tx,
        AuditAction::MeasureAnswered,
        AuditEntry {
            actor_user_id: Some(a.user_id),
            couple_id: Some(a.couple_id),
            ip: a.ip,
            detail: Some(&detail),
            ..Default::default()
        },
    )
    .await?;
    let flag = match a.instrument.safety_item {
        Some(item) if a.instrument.needs_safety_flag(a.answers) => {
            let chosen = a
                .instrument
                .options
                .iter()
                .find(|o| Some(&o.value) == a.answers.get(item))
                .map(|o| o.label)
                .unwrap_or("");
            // "“Several days” to item 9 (thoughts that they would be better off dead or of
            // hurting themselves)": what the counselor needs, in the instrument's words.
            let said = format!(
                "\u{201c}{chosen}\u{201d} to item {} (\u{201c}{}\u{201d})",
                item + 1,
                a.instrument.items[item]
            );
            flags::raise(
                &mut tx,
                NewFlag {
                    couple_id: a.couple_id,
                    position: a.position,
                    source: FlagSource::Measure,
                    source_id: &id,
                    source_title: a.instrument.name,
                    answer: &said,
                    raised_at: now,
                    actor: a.user_id,
                    ip: a.ip,
                },
            )
            .await?
        }
        _ => None,
    };
    tx.commit().await?;
    Ok((id, flag))
}

/// Whether an answer from this partner to `measure` raised a flag at or after `since`.
pub async fn flagged_since(
    db: &Db,
    couple_id: &str,
    position: i64,
    measure: &str,
    since: i64,
) -> Result<bool, AppError> {
    let found: Option<i64> = sqlx::query_scalar(
        "select 1 from safety_flag f join measure_answer a on a.measure_answer_id = f.source_id \
         where f.source = 'measure' and a.couple_id = $1 and a.position = $2 and a.measure = $3 \
         and f.raised_at >= $4 limit 1",
    )
    .bind(couple_id)
    .bind(position)
    .bind(measure)
    .bind(since)
    .fetch_optional(db.pool())
    .await?;
    Ok(found.is_some())
}

/// Every total of the couple (of the partner at `only`, or both), oldest first, by measure.
pub async fn scores(
    db: &Db,
    couple_id: &str,
    only: Option<i64>,
    names: [String; 2],
    tz: Tz,
) -> Result<MeasureScores, AppError> {
    let rows: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "select measure, position, total, answered_at from measure_answer \
         where couple_id = $1 and ($2 = 0 or position = $2) order by answered_at",
    )
    .bind(couple_id)
    .bind(only.unwrap_or(0))
    .fetch_all(db.pool())
    .await?;
    Ok(scores_of(rows, names, tz))
}

/// Totals as `scores` gives them, from rows of (measure, position, total, answered at),
/// oldest first.
fn scores_of(rows: Vec<(String, i64, i64, i64)>, names: [String; 2], tz: Tz) -> MeasureScores {
    let mut by_measure: Vec<(String, Vec<ScorePoint>)> = super::instruments::ALL
        .iter()
        .map(|i| (i.key.to_string(), Vec::new()))
        .collect();
    for (measure, position, total, at) in rows {
        if let Some((_, points)) = by_measure.iter_mut().find(|(k, _)| *k == measure) {
            points.push(ScorePoint {
                position,
                day: crate::time::at(at, tz).format("%Y-%m-%d").to_string(),
                at_ms: at,
                total,
            });
        }
    }
    MeasureScores { names, by_measure }
}

/// Every answer in full for exports: (position, measure, item answers, follow-up, total,
/// at), of the partner at `only` or both.
pub async fn records(
    db: &Db,
    couple_id: &str,
    only: Option<i64>,
) -> Result<Vec<(i64, String, Vec<i64>, Option<String>, i64, i64)>, AppError> {
    let rows: Vec<(i64, String, String, Option<String>, i64, i64)> = sqlx::query_as(
        "select position, measure, answers, follow_up, total, answered_at from measure_answer \
         where couple_id = $1 and ($2 = 0 or position = $2) order by answered_at",
    )
    .bind(couple_id)
    .bind(only.unwrap_or(0))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter(|(_, m, ..)| by_key(m).is_some())
        .map(|(p, m, a, f, t, at)| (p, m, serde_json::from_str(&a).unwrap_or_default(), f, t, at))
        .collect())
}

/// The case page's section: each partner's choices and the couple's scores, read together:
/// the choices (`every_days` set) first, then every answer (`total` set), oldest first.
pub async fn panel(
    db: &Db,
    couple: &crate::couple::CoupleContext,
    tz: Tz,
) -> Result<super::MeasuresPanel, AppError> {
    type Row = (i64, String, Option<i64>, Option<i64>, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        "select position, measure, every_days, null as total, null as answered_at, 0 as kind \
         from measure_plan where couple_id = $1 \
         union all select position, measure, null, total, answered_at, 1 \
         from measure_answer where couple_id = $1 \
         order by kind, answered_at, position, measure",
    )
    .bind(couple.couple_id.as_str())
    .fetch_all(db.pool())
    .await?;
    let mut chosen = Vec::new();
    let mut answers = Vec::new();
    for (position, measure, every_days, total, answered_at) in rows {
        match (every_days, total.zip(answered_at)) {
            (Some(days), _) => {
                if let Some(frequency) = Frequency::from_days(days) {
                    chosen.push((position, measure, frequency));
                }
            }
            (None, Some((total, at))) => answers.push((measure, position, total, at)),
            (None, None) => {}
        }
    }
    // In the instruments' own order (PHQ-9, GAD-7, PCL-5), as every list shows them.
    chosen.sort_by_key(|(p, m, _)| {
        let order = super::instruments::ALL.iter().position(|i| i.key == m);
        (*p, order)
    });
    let plans = couple
        .partners
        .iter()
        .map(|seat| super::PartnerPlan {
            position: seat.position,
            partner_name: seat.display_name.clone(),
            chosen: chosen
                .iter()
                .filter(|(p, _, _)| *p == seat.position)
                .map(|(_, m, f)| (m.clone(), *f))
                .collect(),
        })
        .collect();
    Ok(super::MeasuresPanel {
        plans,
        scores: scores_of(answers, couple.names(), tz),
    })
}
