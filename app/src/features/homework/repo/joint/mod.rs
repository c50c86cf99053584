//! SQL for work done together: changing it (sending it, saving versions of the shared answer,
//! a save that crosses a newer one kept apart for its writer, sending it to the counselor,
//! cancelling it, turning it into draft agreements) in `write`, and reading it (the page, the
//! lists beside homework, the exports) in `read`.

mod read;
mod write;

pub use read::{JointRecord, crossed_of, page, records};
pub(super) use read::{LIST_SELECT, ListedJoint, item};
pub use write::{Saved, Writer, assign, cancel, discard_crossed, draft_agreements, save};

use super::parse_fields;
use crate::db::Db;
use crate::error::AppError;
use crate::features::program::ResponseField;

/// The couple a piece of joint work belongs to.
pub async fn locate(db: &Db, joint_id: &str) -> Result<Option<crate::ids::CoupleId>, AppError> {
    Ok(
        sqlx::query_scalar("select couple_id from joint_work where joint_work_id = $1")
            .bind(joint_id)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// The questions it asks.
pub async fn fields(db: &Db, joint_id: &str) -> Result<Vec<ResponseField>, AppError> {
    let fields: Option<String> =
        sqlx::query_scalar("select fields from joint_work where joint_work_id = $1")
            .bind(joint_id)
            .fetch_optional(db.pool())
            .await?;
    parse_fields(&fields.ok_or(AppError::NotFound)?)
}
