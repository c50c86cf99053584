//! SQL for a couple's treatment goals.

use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;
use crate::features::notes::{GoalStatus, GoalView};

pub async fn goals(db: &Db, couple_id: &str) -> Result<Vec<GoalView>, AppError> {
    let rows: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
        "select treatment_goal_id, title, objective, status, target_date from treatment_goal \
         where couple_id = $1 order by created_at",
    )
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, objective, status, target)| GoalView {
            goal_id: id,
            title,
            objective,
            status: GoalStatus::parse(&status).unwrap_or(GoalStatus::Active),
            target_date: target.and_then(|t| t.parse().ok()),
        })
        .collect())
}

pub async fn add_goal(
    db: &Db,
    couple_id: &str,
    title: &str,
    objective: &str,
    target: Option<chrono::NaiveDate>,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "insert into treatment_goal (treatment_goal_id, couple_id, title, objective, target_date, \
         created_by, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(new_id())
    .bind(couple_id)
    .bind(title)
    .bind(objective)
    .bind(target.map(|d| d.to_string()))
    .bind(actor)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    record(
        &mut *tx,
        AuditAction::GoalChanged,
        AuditEntry {
            actor_user_id: Some(actor),
            couple_id: Some(couple_id),
            ip,
            detail: Some("added"),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The couple a goal belongs to.
pub async fn goal_couple(db: &Db, goal_id: &str) -> Result<Option<crate::ids::CoupleId>, AppError> {
    Ok(
        sqlx::query_scalar("select couple_id from treatment_goal where treatment_goal_id = $1")
            .bind(goal_id)
            .fetch_optional(db.pool())
            .await?,
    )
}

pub async fn set_goal_status(
    db: &Db,
    goal_id: &str,
    couple_id: &str,
    status: GoalStatus,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "update treatment_goal set status = $1, updated_at = $2 where treatment_goal_id = $3",
    )
    .bind(status.as_str())
    .bind(now_ms())
    .bind(goal_id)
    .execute(&mut *tx)
    .await?;
    record(
        &mut *tx,
        AuditAction::GoalChanged,
        AuditEntry {
            actor_user_id: Some(actor),
            couple_id: Some(couple_id),
            ip,
            detail: Some(status.as_str()),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
