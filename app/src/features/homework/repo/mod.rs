//! SQL for homework: assignments, drafts, submissions and reviews. Setting homework is in
//! `assigning` (its repeats in `repeats`), the lists in `lists`, one assignment read in full in
//! `pages`, saving answers and reviewing them in `answers`, and what the brief, the report and
//! the exports read in `for_compositions`.

mod answers;
mod assigning;
mod for_compositions;
pub mod joint;
mod lists;
mod pages;
mod repeats;

pub use answers::{counselor_only, fields, read_answers, review, save, submitted_version};
pub use assigning::{NewAssignment, TemplateSource, assign, cancel, template_source};
pub use for_compositions::{
    HomeworkRecord, completion_between, drafts_of, overdue, records, submitted_since,
};
pub use lists::{board, for_partner, review_queue, shared_with};
pub use pages::{page, review_page};
pub use repeats::roll_repeats;

use super::Answers;
use crate::db::Db;
use crate::error::AppError;
use crate::features::program::ResponseField;

fn json<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|e| AppError::internal("encoding", e))
}

fn parse_fields(text: &str) -> Result<Vec<ResponseField>, AppError> {
    serde_json::from_str(text).map_err(|e| AppError::internal("assignment fields", e))
}

fn parse_answers(text: &str) -> Result<Answers, AppError> {
    serde_json::from_str(text).map_err(|e| AppError::internal("answers", e))
}

/// The couple and partner position an assignment belongs to.
pub async fn locate(
    db: &Db,
    assignment_id: &str,
) -> Result<Option<(crate::ids::CoupleId, i64)>, AppError> {
    Ok(
        sqlx::query_as("select couple_id, position from assignment where assignment_id = $1")
            .bind(assignment_id)
            .fetch_optional(db.pool())
            .await?,
    )
}
