//! Repeating homework: sending the next occurrence once the last one's due date has passed,
//! and marking the copies before it that were never submitted as missed, so a series never
//! has more than one open copy.

use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;

#[derive(sqlx::FromRow)]
struct RepeatRow {
    assignment_id: String,
    couple_id: String,
    assignment_group: String,
    position: i64,
    template_version_id: Option<String>,
    step_number: Option<i64>,
    title: String,
    instructions: String,
    fields: String,
    due_on: String,
    assigned_by: String,
    repeat_days: i64,
    repeat_step: Option<i64>,
    series_id: String,
    counselor_only: i64,
}

/// The first date of the cadence after `last` that is today or later.
fn next_due(
    last: chrono::NaiveDate,
    every_days: i64,
    today: chrono::NaiveDate,
) -> chrono::NaiveDate {
    let every = every_days.max(1);
    let behind = (today - last).num_days().max(0);
    let steps = (behind + every - 1) / every;
    last + chrono::Duration::days(every * steps.max(1))
}

/// Sends the next occurrence of repeating homework whose latest due date has passed, while
/// the couple is still on the step it was set for and the case is open. Safe to run from
/// several processes at once: one occurrence per series and due date. Returns how many
/// were sent.
pub async fn roll_repeats(db: &Db, today: chrono::NaiveDate) -> Result<usize, AppError> {
    let rows: Vec<RepeatRow> = sqlx::query_as(
        "select a.assignment_id, a.couple_id, a.assignment_group, a.position, \
         a.template_version_id, a.step_number, a.title, a.instructions, a.fields, a.due_on, \
         a.assigned_by, a.repeat_days, a.repeat_step, a.series_id, a.counselor_only \
         from assignment a join couple c on c.couple_id = a.couple_id \
         where a.series_id is not null and a.repeat_days is not null and a.cancelled_at is null \
         and a.due_on < $1 and c.status in ('intake', 'active') \
         and (a.repeat_step is null or c.current_step = a.repeat_step) \
         and not exists (select 1 from assignment b where b.series_id = a.series_id \
           and b.due_on > a.due_on)",
    )
    .bind(today.to_string())
    .fetch_all(db.pool())
    .await?;
    let mut sent = 0;
    for row in rows {
        let Ok(last) = row.due_on.parse::<chrono::NaiveDate>() else {
            continue;
        };
        let due = next_due(last, row.repeat_days, today);
        let base_group = row.assignment_group.split(':').next().unwrap_or_default();
        let mut tx = db.begin_write().await?;
        let done = sqlx::query(
            "insert into assignment (assignment_id, couple_id, assignment_group, position, \
             template_version_id, step_number, title, instructions, fields, due_on, \
             assigned_by, assigned_at, repeat_days, repeat_step, series_id, counselor_only) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
             on conflict (series_id, due_on) do nothing",
        )
        .bind(new_id())
        .bind(&row.couple_id)
        .bind(format!("{base_group}:{due}"))
        .bind(row.position)
        .bind(row.template_version_id.as_deref())
        .bind(row.step_number)
        .bind(&row.title)
        .bind(&row.instructions)
        .bind(&row.fields)
        .bind(due.to_string())
        .bind(&row.assigned_by)
        .bind(now_ms())
        .bind(row.repeat_days)
        .bind(row.repeat_step)
        .bind(&row.series_id)
        .bind(row.counselor_only)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 1 {
            mark_missed(&mut tx, &row.series_id, &due.to_string()).await?;
            record(
                &mut *tx,
                AuditAction::HomeworkAssigned,
                AuditEntry {
                    couple_id: Some(&row.couple_id),
                    detail: Some(&format!("partner_{}", row.position)),
                    ..Default::default()
                },
            )
            .await?;
            sent += 1;
        }
        tx.commit().await?;
        tracing::debug!(after = %row.assignment_id, "repeating homework sent");
    }
    Ok(sent)
}

/// Marks every copy of the series due before `due` that was never submitted (and is not
/// cancelled) as missed: the partner then sees only the current copy, the counselor "Missed".
async fn mark_missed(tx: &mut crate::db::Tx, series_id: &str, due: &str) -> Result<(), AppError> {
    sqlx::query(
        "update assignment set missed_at = $1 where series_id = $2 and due_on < $3 \
         and missed_at is null and cancelled_at is null \
         and not exists (select 1 from submission s where s.assignment_id = assignment.assignment_id)",
    )
    .bind(now_ms())
    .bind(series_id)
    .bind(due)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::next_due;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_next_occurrence_keeps_the_cadence_and_is_never_in_the_past() {
        assert_eq!(
            next_due(d("2026-11-01"), 7, d("2026-11-02")),
            d("2026-11-08")
        );
        assert_eq!(
            next_due(d("2026-11-01"), 7, d("2026-11-08")),
            d("2026-11-08")
        );
        // A server that was off for weeks skips the missed dates.
        assert_eq!(
            next_due(d("2026-11-01"), 7, d("2026-11-20")),
            d("2026-11-22")
        );
        assert_eq!(
            next_due(d("2026-11-01"), 1, d("2026-11-02")),
            d("2026-11-02")
        );
    }
}
