//! SQL for check-ins and safety flags. Here: the practice's CSI-4 setting, a couple's check-in
//! cadence, and the check-in row the submodules share. Taking and showing check-ins is in
//! `check_ins`, the counselor's week-by-week view in `charts`, safety flags in `safety`, exports
//! in `export`; small wins and the trend charts have their own submodules.

mod charts;
mod check_ins;
mod export;
mod safety;
pub mod trends;
pub mod wins;

pub use charts::{panel, points_between};
pub use check_ins::{NewCheckIn, due_words, page_for_partner, shared_texts, submit};
pub use export::{CheckInExportRow, CheckInRecord, check_in_records, check_in_rows};
pub use safety::{
    FlagNews, about_partner, acknowledge, flag_couple, flag_news, flag_news_columns, flags,
    open_private_talk,
};

use super::Scores;
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::Db;
use crate::db::put_setting;
use crate::error::AppError;

const CSI_SETTING: &str = "csi4_enabled";
const DAY_MS: i64 = 24 * 3600 * 1000;

/// Whether the practice asks the CSI-4 in check-ins (on unless an administrator turned it off).
pub async fn csi_enabled(db: &Db) -> Result<bool, AppError> {
    Ok(crate::db::setting(db, CSI_SETTING).await?.as_deref() != Some("off"))
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

pub async fn set_check_in_days(db: &Db, couple_id: &str, days: i64) -> Result<(), AppError> {
    sqlx::query("update couple set check_in_days = $1 where couple_id = $2")
        .bind(days)
        .bind(couple_id)
        .execute(db.writer())
        .await?;
    crate::couple::forget(couple_id);
    Ok(())
}
