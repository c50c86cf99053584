//! Safety flags: listing a couple's flags, finding a flag's couple, and acknowledging one.

use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, now_ms};
use crate::error::AppError;
use crate::features::progress::{FlagView, SafetyAnswer};
use crate::features::safety::repo::flags::FlagSource;
use crate::time as tz;
use chrono_tz::Tz;

/// What a partner's own pages say of their recent safety flags.
pub struct FlagNews {
    /// They raised one at or after `help_since`: the help panel shows.
    pub raised: bool,
    /// One of those answered "I'd rather talk to my counselor privately".
    pub private_talk: bool,
    /// When they raised the latest flag (at or after `seen_since`) their counselor has
    /// acknowledged.
    pub acknowledged_raised_at: Option<i64>,
    /// When they last checked in (read along: their home asks both).
    pub latest_check_in: Option<i64>,
}

/// `FlagNews` as four columns of a statement about one partner (the partner's home reads
/// them with other cards' columns): `$1` the couple, `$2` the partner's position, `$3` their
/// account, `$4` the help panel's start (`help_since`), `$5` the "read" note's
/// (`seen_since`). Decode with `FlagNews::of`.
pub fn flag_news_columns() -> String {
    let private_talk = SafetyAnswer::PrivateTalk.as_str();
    format!(
        "(select count(*) from safety_flag where couple_id = $1 and position = $2 \
           and raised_at >= $4) as flags_raised, \
         (select count(*) from safety_flag where couple_id = $1 and position = $2 \
           and raised_at >= $4 and answer = '{private_talk}') as flags_private_talk, \
         (select max(raised_at) from safety_flag where couple_id = $1 and position = $2 \
           and raised_at >= $5 and acknowledged_at is not null) as flags_acknowledged, \
         (select max(submitted_at) from check_in \
           where couple_id = $1 and position = $2 and app_user_id = $3) as latest_check_in"
    )
}

impl FlagNews {
    /// From the four `flag_news_columns`.
    pub fn of(
        raised: i64,
        private_talk: i64,
        acknowledged: Option<i64>,
        latest: Option<i64>,
    ) -> Self {
        FlagNews {
            raised: raised > 0,
            private_talk: private_talk > 0,
            acknowledged_raised_at: acknowledged,
            latest_check_in: latest,
        }
    }
}

/// `sql`, a statement using `flag_news_columns`, with its five parameters bound.
pub fn about_partner<'q, O>(
    sql: &'q str,
    couple_id: &'q str,
    position: i64,
    user_id: &'q str,
    (help_since, seen_since): (i64, i64),
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>
where
    O: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
{
    sqlx::query_as(sql)
        .bind(couple_id)
        .bind(position)
        .bind(user_id)
        .bind(help_since)
        .bind(seen_since)
}

/// `FlagNews` for the partner at `position` (account `user_id`), in one statement.
pub async fn flag_news(
    db: &Db,
    couple_id: &str,
    position: i64,
    user_id: &str,
    since: (i64, i64),
) -> Result<FlagNews, AppError> {
    let sql = format!("select {}", flag_news_columns());
    let (raised, private_talk, acknowledged, latest): (i64, i64, Option<i64>, Option<i64>) =
        about_partner(&sql, couple_id, position, user_id, since)
            .fetch_one(db.pool())
            .await?;
    Ok(FlagNews::of(raised, private_talk, acknowledged, latest))
}

/// The positions of the couple's partners with an open (unacknowledged) flag from answering
/// "I'd rather talk to my counselor privately": their private thread says so to the counselor.
pub async fn open_private_talk(db: &Db, couple_id: &str) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "select distinct position from safety_flag where couple_id = $1 and answer = $2 \
         and acknowledged_at is null order by position",
    )
    .bind(couple_id)
    .bind(SafetyAnswer::PrivateTalk.as_str())
    .fetch_all(db.pool())
    .await?)
}

/// A flag as the counselor's pages read it: `FLAG_COLUMNS` from `FLAG_FROM`.
#[derive(sqlx::FromRow)]
pub(super) struct FlagRow {
    pub position: i64,
    pub raised_at: i64,
    #[sqlx(flatten)]
    pub rest: FlagRest,
}

/// A flag's columns after its position and time (the check-in panel reads them beside
/// check-ins, whose position and time share the first two columns).
#[derive(sqlx::FromRow)]
pub(super) struct FlagRest {
    pub flag_id: Option<String>,
    pub partner_name: Option<String>,
    pub answer: Option<String>,
    pub acknowledged_at: Option<i64>,
    pub acknowledged_by: Option<String>,
    pub acknowledgement: Option<String>,
    pub source: Option<String>,
    pub source_title: Option<String>,
}

/// `FlagRest`'s columns, in its order, for a statement reading `FLAG_FROM`.
pub(super) const FLAG_REST: &str = "f.safety_flag_id as flag_id, p.display_name as partner_name, \
    f.answer, f.acknowledged_at, \
    (select u.display_name from app_user u where u.app_user_id = f.acknowledged_by) as acknowledged_by, \
    f.acknowledgement, f.source, f.source_title";

/// A couple's flags (`$1`), each with its partner's name.
pub(super) const FLAG_FROM: &str = "from safety_flag f \
    join partner p on p.couple_id = f.couple_id and p.position = f.position where f.couple_id = $1";

impl FlagRow {
    /// What the counselor reads of the flag, its times in `zone`.
    pub(super) fn view(self, zone: Tz) -> FlagView {
        let r = self.rest;
        let name = r.partner_name.unwrap_or_default();
        let answer = r.answer.unwrap_or_default();
        FlagView {
            flag_id: r.flag_id.unwrap_or_default(),
            position: self.position,
            private_talk: answer == SafetyAnswer::PrivateTalk.as_str(),
            summary: summary(
                &name,
                &answer,
                r.source.as_deref().unwrap_or_default(),
                r.source_title.as_deref().unwrap_or_default(),
            ),
            partner_name: name,
            raised: tz::when(self.raised_at, zone),
            acknowledged: r.acknowledged_at.map(|at| {
                (
                    r.acknowledged_by.unwrap_or_default(),
                    tz::when(at, zone),
                    r.acknowledgement.unwrap_or_default(),
                )
            }),
        }
    }
}

/// The couple's safety flags, newest first (only open ones if `open_only`).
pub async fn flags(
    db: &Db,
    couple_id: &str,
    zone: Tz,
    open_only: bool,
) -> Result<Vec<FlagView>, AppError> {
    let sql = format!(
        "select f.position, f.raised_at, {FLAG_REST} {FLAG_FROM} \
         and ($2 = 0 or f.acknowledged_at is null) order by f.raised_at desc"
    );
    let rows: Vec<FlagRow> = sqlx::query_as(&sql)
        .bind(couple_id)
        .bind(if open_only { 1_i64 } else { 0 })
        .fetch_all(db.pool())
        .await?;
    Ok(rows.into_iter().map(|r| r.view(zone)).collect())
}

/// The couple a flag belongs to.
pub async fn flag_couple(db: &Db, flag_id: &str) -> Result<Option<crate::ids::CoupleId>, AppError> {
    Ok(
        sqlx::query_scalar("select couple_id from safety_flag where safety_flag_id = $1")
            .bind(flag_id)
            .fetch_optional(db.pool())
            .await?,
    )
}

pub async fn acknowledge(
    db: &Db,
    flag_id: &str,
    couple_id: &str,
    counselor: &str,
    note: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "update safety_flag set acknowledged_at = $1, acknowledged_by = $2, acknowledgement = $3 \
         where safety_flag_id = $4 and acknowledged_at is null",
    )
    .bind(now_ms())
    .bind(counselor)
    .bind(note)
    .bind(flag_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "This flag was already acknowledged.".into(),
        ));
    }
    record(
        &mut *tx,
        AuditAction::SafetyFlagAcknowledged,
        AuditEntry {
            actor_user_id: Some(counselor),
            couple_id: Some(couple_id),
            ip,
            detail: Some(flag_id),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What the counselor reads about a flag: who, and what they answered where.
fn summary(name: &str, answer: &str, source: &str, title: &str) -> String {
    match FlagSource::parse(source) {
        Some(FlagSource::Homework) => format!(
            "{name} ticked \u{201c}{answer}\u{201d} in the homework \u{201c}{title}\u{201d}"
        ),
        Some(FlagSource::Intake) => {
            format!("{name}'s intake safety screen: \u{201c}{answer}\u{201d}")
        }
        // `title` names the measure, `answer` says what was answered to its safety item.
        Some(FlagSource::Measure) => format!("{name}'s {title}: {answer}"),
        _ => format!(
            "{name} answered \u{201c}{}\u{201d} in a check-in",
            SafetyAnswer::parse(answer).map(|a| a.label()).unwrap_or("")
        ),
    }
}
