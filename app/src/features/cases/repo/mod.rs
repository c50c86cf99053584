//! SQL for couples and partners: the only place these tables are touched. Here: the partners'
//! accounts. A case's details are created and corrected in `details`, listed in
//! `lists`, read as a whole in `view`, and moved between statuses and counselors in `status`.

mod details;
mod lists;
mod status;
mod view;

pub use details::{ValidCouple, ValidPartner, create, update};
pub use lists::{all_couples, caseload, partner_couples};
pub use status::{change_status, reassign};
pub use view::{export_record, overview};

use crate::db::Db;
use crate::error::AppError;

/// The accounts of both partners of a couple (both must have joined).
pub async fn partner_accounts(db: &Db, couple_id: &str) -> Result<[String; 2], AppError> {
    let ids: Vec<Option<String>> = sqlx::query_scalar(
        "select app_user_id from partner where couple_id = $1 order by position",
    )
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?;
    match ids.as_slice() {
        [Some(a), Some(b)] => Ok([a.clone(), b.clone()]),
        _ => Err(AppError::NotFound),
    }
}
