//! SQL for the partner's home: the cards of several features read in one statement. Each
//! feature lends its columns (`flag_news_columns`, `CARD_COLUMNS`, intake's and messages'
//! `home_columns`), written
//! in its own repository beside the statement it runs for its own pages, so the two cannot
//! disagree; this file only puts them side by side.

use crate::db::Db;
use crate::error::AppError;
use crate::features::progress::repo::FlagNews;

/// What the partner's home reads in one statement.
pub(super) struct HomeNews {
    pub flags: FlagNews,
    /// (active agreements, waiting for this partner's acknowledgement)
    pub agreements: (i64, i64),
    /// A draft of the intake is saved.
    pub intake_started: bool,
    /// When the intake was sent.
    pub intake_sent: Option<i64>,
    /// Unread messages: (in their private thread, in the joint one if it is open).
    pub unread: (i64, Option<i64>),
}

#[derive(sqlx::FromRow)]
struct Row {
    flags_raised: i64,
    flags_private_talk: i64,
    flags_acknowledged: Option<i64>,
    latest_check_in: Option<i64>,
    agreements_active: i64,
    agreements_waiting: i64,
    intake_started: Option<i64>,
    intake_sent: Option<i64>,
    unread_own: i64,
    unread_joint: Option<i64>,
}

/// The partner at `position` (account `user_id`) in `couple_id`: their flag news and last
/// check-in (flags counted from `help_since` and `seen_since`, as `flag_news`), their
/// agreements card, their intake and their unread messages. The caller has checked the seat is theirs.
pub(super) async fn home_news(
    db: &Db,
    couple_id: &str,
    position: i64,
    user_id: &str,
    since: (i64, i64),
) -> Result<HomeNews, AppError> {
    use crate::features::progress::repo::{about_partner, flag_news_columns};
    // The other cards' columns use the first parameters of the same convention.
    let sql = format!(
        "select {}, {}, {}, {}",
        flag_news_columns(),
        crate::features::agreements::repo::CARD_COLUMNS,
        crate::features::intake::repo::home_columns(),
        crate::features::messages::repo::home_columns(),
    );
    let row: Row = about_partner(&sql, couple_id, position, user_id, since)
        .fetch_one(db.pool())
        .await?;
    Ok(HomeNews {
        flags: FlagNews::of(
            row.flags_raised,
            row.flags_private_talk,
            row.flags_acknowledged,
            row.latest_check_in,
        ),
        agreements: (row.agreements_active, row.agreements_waiting),
        intake_started: row.intake_started == Some(1),
        intake_sent: row.intake_sent,
        unread: (row.unread_own, row.unread_joint),
    })
}
