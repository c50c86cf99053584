//! SQL for a couple's place in their program: where they stand, and moving them on.

use super::list;
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;
use crate::features::program::{
    CoupleProgress, MAX_REASON_CHARS, PartnerStep, StepMoveView, StepTitle,
};

use crate::time::utc as time;

fn titles(rows: Vec<(i64, String)>) -> Vec<StepTitle> {
    rows.into_iter()
        .map(|(number, title)| StepTitle { number, title })
        .collect()
}

/// The steps of the couple's program, by number (none before they start one).
pub async fn couple_step_titles(db: &Db, couple_id: &str) -> Result<Vec<StepTitle>, AppError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "select ps.number, ps.title from couple c \
         join program_step ps on ps.program_id = c.program_id \
         where c.couple_id = $1 order by ps.number",
    )
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?;
    Ok(titles(rows))
}

/// One row of `progress`: a step of the couple's program (the couple's own columns on each,
/// and one row of nulls before they start a program), or one of their step moves.
#[derive(sqlx::FromRow)]
struct ProgressRow {
    program_id: Option<String>,
    current_step: Option<i64>,
    program_title: Option<String>,
    number: Option<i64>,
    step_title: Option<String>,
    /// 1 for a step move, with the columns below.
    is_move: i64,
    moved_at: Option<i64>,
    from_step: Option<i64>,
    to_step: Option<i64>,
    reason: Option<String>,
    moved_by: Option<String>,
}

/// Where a couple stands in their program, and how they got there, in one statement. The
/// caller has checked access to the couple.
pub async fn progress(db: &Db, couple_id: &str) -> Result<CoupleProgress, AppError> {
    let rows: Vec<ProgressRow> = sqlx::query_as(
        "select c.program_id, c.current_step, p.title as program_title, ps.number, \
         ps.title as step_title, 0 as is_move, null as moved_at, null as from_step, \
         null as to_step, null as reason, null as moved_by, null as step_move_id \
         from couple c \
         left join program p on p.program_id = c.program_id \
         left join program_step ps on ps.program_id = c.program_id \
         where c.couple_id = $1 \
         union all select null, null, null, null, null, 1, m.moved_at, m.from_step, m.to_step, \
         m.reason, u.display_name, m.step_move_id from step_move m \
         join app_user u on u.app_user_id = m.moved_by where m.couple_id = $1 \
         order by is_move, number, moved_at desc, step_move_id desc",
    )
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?;
    let (program_id, current_step, title) = rows
        .first()
        .filter(|row| row.is_move == 0)
        .map(|row| {
            (
                row.program_id.clone(),
                row.current_step,
                row.program_title.clone(),
            )
        })
        .ok_or(AppError::NotFound)?;
    let mut steps = Vec::new();
    let mut moves = Vec::new();
    for row in rows {
        if row.is_move == 0 {
            if let Some(step) = row.number.zip(row.step_title) {
                steps.push(step);
            }
        } else if let (Some(at), Some(to_step), Some(reason), Some(by)) =
            (row.moved_at, row.to_step, row.reason, row.moved_by)
        {
            moves.push(StepMoveView {
                at: time(at),
                from_step: row.from_step,
                to_step,
                reason,
                by,
            });
        }
    }
    let steps = titles(steps);
    // The programs to start on matter only before the couple has one.
    let programs = match program_id {
        None => list(db).await?,
        Some(_) => vec![],
    };
    Ok(CoupleProgress {
        program: program_id.zip(title),
        current_step,
        steps,
        moves,
        programs,
    })
}

/// Moves a couple to a step of their program (starting them on `program_id` if they have
/// none yet), with the counselor's reason. Recorded as a step move and in the audit trail.
pub async fn move_step(
    db: &Db,
    couple_id: &str,
    program_id: Option<&str>,
    to_step: i64,
    reason: &str,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Err(AppError::validation(
            "reason",
            format!("Give a short reason for the move (up to {MAX_REASON_CHARS} characters)."),
        ));
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let couple: Option<(String, Option<String>, Option<i64>)> =
        sqlx::query_as("select status, program_id, current_step from couple where couple_id = $1")
            .bind(couple_id)
            .fetch_optional(&mut *tx)
            .await?;
    let (status, current_program, current_step) = couple.ok_or(AppError::NotFound)?;
    if status == "closed" {
        return Err(AppError::Conflict(
            "This case is closed and read-only. Reopen it to move the couple on.".into(),
        ));
    }
    let program = match (current_program, program_id) {
        (Some(p), _) => p,
        (None, Some(p)) if !p.is_empty() => p.to_string(),
        (None, _) => {
            return Err(AppError::validation(
                "program_id",
                "Choose the program to start the couple on.",
            ));
        }
    };
    let steps: i64 = sqlx::query_scalar("select count(*) from program_step where program_id = $1")
        .bind(&program)
        .fetch_one(&mut *tx)
        .await?;
    if steps == 0 {
        return Err(AppError::validation(
            "program_id",
            "Choose a program from the list.",
        ));
    }
    if !(1..=steps).contains(&to_step) {
        return Err(AppError::validation(
            "to_step",
            format!("Choose a step between 1 and {steps}."),
        ));
    }
    if current_step == Some(to_step) {
        return Err(AppError::validation(
            "to_step",
            format!("The couple is already at step {to_step}."),
        ));
    }
    sqlx::query(
        "insert into step_move (step_move_id, couple_id, from_step, to_step, reason, moved_by, \
         moved_at) values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id())
    .bind(couple_id)
    .bind(current_step)
    .bind(to_step)
    .bind(reason)
    .bind(actor)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "update couple set program_id = $1, current_step = $2, updated_at = $3 \
         where couple_id = $4",
    )
    .bind(&program)
    .bind(to_step)
    .bind(now)
    .bind(couple_id)
    .execute(&mut *tx)
    .await?;
    record(
        &mut *tx,
        AuditAction::StepMoved,
        AuditEntry {
            actor_user_id: Some(actor),
            couple_id: Some(couple_id),
            ip,
            detail: Some(&to_step.to_string()),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    // The couple context carries the current step.
    crate::couple::forget(couple_id);
    Ok(())
}

/// The couple's current step: (number, title, steps in their program), when on a program.
/// It comes with the couple's context, read once per request.
pub async fn current_step(
    db: &Db,
    couple_id: &str,
) -> Result<Option<(i64, String, i64)>, AppError> {
    Ok(crate::couple::load(db, &couple_id.into())
        .await?
        .and_then(|couple| couple.step.clone())
        .map(|step| (step.number, step.title, step.of)))
}

fn partner_step((number, title, of, for_partners): (i64, String, i64, String)) -> PartnerStep {
    PartnerStep {
        number,
        title,
        of,
        for_partners,
    }
}

/// The couple's current step as its partners read it, when on a program. The caller has
/// checked that they are a partner of this couple.
pub async fn step_for_partners(db: &Db, couple_id: &str) -> Result<Option<PartnerStep>, AppError> {
    Ok(crate::couple::load(db, &couple_id.into())
        .await?
        .and_then(|couple| couple.step.clone())
        .map(|step| PartnerStep {
            number: step.number,
            title: step.title,
            of: step.of,
            for_partners: step.for_partners,
        }))
}

/// The step a piece of homework was sent for, in its couple's program, as partners read it.
/// The caller has checked that the homework is theirs.
pub async fn homework_step(db: &Db, assignment_id: &str) -> Result<Option<PartnerStep>, AppError> {
    let row: Option<(i64, String, i64, String)> = sqlx::query_as(
        "select ps.number, ps.title, \
         (select count(*) from program_step x where x.program_id = c.program_id), ps.for_partners \
         from assignment a join couple c on c.couple_id = a.couple_id \
         join program_step ps on ps.program_id = c.program_id and ps.number = a.step_number \
         where a.assignment_id = $1",
    )
    .bind(assignment_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(partner_step))
}

/// Step `number` of the couple's program, as partners read it (for work done together). The
/// caller has checked that they are a partner of this couple.
pub async fn numbered_step(
    db: &Db,
    couple_id: &str,
    number: i64,
) -> Result<Option<PartnerStep>, AppError> {
    let row: Option<(i64, String, i64, String)> = sqlx::query_as(
        "select ps.number, ps.title, \
         (select count(*) from program_step x where x.program_id = c.program_id), ps.for_partners \
         from couple c join program_step ps on ps.program_id = c.program_id and ps.number = $2 \
         where c.couple_id = $1",
    )
    .bind(couple_id)
    .bind(number)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(partner_step))
}
