//! SQL for agreements: reading them here, changing them in `changes`, exporting them in
//! `export`.

mod changes;
mod export;

pub use changes::{Actor, acknowledge, decide, propose, propose_in, record_keeping, retire, write};
pub use export::export;

use super::{
    AgreementView, AgreementsPanel, FOLLOW_WEEKS, FollowWeek, Kept, MyAgreementsPage, PastVersion,
    Proposal, ProposalState,
};
use crate::db::{Db, now_ms};
use crate::error::AppError;
use crate::time as tz;
use chrono::TimeZone;
use chrono_tz::Tz;
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
pub(super) struct VersionRow {
    pub(super) agreement_version_id: String,
    pub(super) agreement_id: String,
    pub(super) version: Option<i64>,
    pub(super) body: String,
    pub(super) written_at: i64,
    pub(super) approved_at: Option<i64>,
    pub(super) declined_at: Option<i64>,
    pub(super) decline_reason: Option<String>,
    pub(super) retired_at: Option<i64>,
    /// The writer's position when a partner wrote it.
    pub(super) position: Option<i64>,
    pub(super) writer: String,
}

/// Who is looking: the counselor sees every waiting proposal and the follow-through; a
/// partner sees only their own proposals.
#[derive(Clone, Copy)]
enum Viewer {
    Counselor,
    Partner(i64),
}

struct Loaded {
    active: Vec<AgreementView>,
    proposals: Vec<Proposal>,
    ended: Vec<AgreementView>,
}

/// Every wording of the couple's agreements, grouped by agreement, oldest first.
pub(super) async fn versions(db: &Db, couple_id: &str) -> Result<Vec<VersionRow>, AppError> {
    Ok(sqlx::query_as(
        "select v.agreement_version_id, v.agreement_id, v.version, v.body, v.written_at, \
         v.approved_at, v.declined_at, v.decline_reason, a.retired_at, p.position, \
         coalesce(p.display_name, u.display_name) as writer \
         from agreement_version v join agreement a on a.agreement_id = v.agreement_id \
         join app_user u on u.app_user_id = v.written_by \
         left join partner p on p.couple_id = a.couple_id and p.app_user_id = v.written_by \
         where a.couple_id = $1 order by a.created_at, a.agreement_id, v.written_at",
    )
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?)
}

/// Every acknowledgement of the couple's agreements: (version, position, when).
pub(super) async fn ack_rows(
    db: &Db,
    couple_id: &str,
) -> Result<Vec<(String, i64, i64)>, AppError> {
    Ok(sqlx::query_as(
        "select k.agreement_version_id, k.position, k.acknowledged_at from agreement_ack k \
         join agreement_version v on v.agreement_version_id = k.agreement_version_id \
         join agreement a on a.agreement_id = v.agreement_id where a.couple_id = $1",
    )
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?)
}

/// The partners' names by position (from the couple core's per-request copy).
async fn names(db: &Db, couple_id: &str) -> Result<[String; 2], AppError> {
    crate::couple::partner_names(db, &couple_id.into()).await
}

async fn load(db: &Db, couple_id: &str, zone: Tz, viewer: Viewer) -> Result<Loaded, AppError> {
    let rows = versions(db, couple_id).await?;
    let acks: HashMap<(String, i64), i64> = ack_rows(db, couple_id)
        .await?
        .into_iter()
        .map(|(v, p, at)| ((v, p), at))
        .collect();
    let mut follow = match viewer {
        Viewer::Counselor => follow_through(db, couple_id, zone).await?,
        Viewer::Partner(_) => HashMap::new(),
    };
    // Rows come grouped by agreement, oldest first.
    let mut order: Vec<String> = Vec::new();
    let mut by_agreement: HashMap<String, Vec<VersionRow>> = HashMap::new();
    for r in rows {
        if !by_agreement.contains_key(&r.agreement_id) {
            order.push(r.agreement_id.clone());
        }
        by_agreement
            .entry(r.agreement_id.clone())
            .or_default()
            .push(r);
    }
    let mut out = Loaded {
        active: vec![],
        proposals: vec![],
        ended: vec![],
    };
    for id in order {
        let versions = by_agreement.remove(&id).unwrap_or_default();
        let mut approved: Vec<&VersionRow> = versions
            .iter()
            .filter(|v| v.approved_at.is_some() && v.version.is_some())
            .collect();
        approved.sort_by_key(|v| v.version);
        let current = approved.last().copied();
        for v in versions.iter().filter(|v| v.approved_at.is_none()) {
            let state = match (v.declined_at, &v.decline_reason) {
                (None, _) => ProposalState::Waiting,
                (Some(_), reason) => ProposalState::Declined(reason.clone().unwrap_or_default()),
            };
            let visible = match viewer {
                Viewer::Counselor => {
                    state == ProposalState::Waiting
                        && current.is_none_or(|c| c.retired_at.is_none())
                }
                Viewer::Partner(p) => v.position == Some(p),
            };
            if visible {
                out.proposals.push(Proposal {
                    version_id: v.agreement_version_id.clone(),
                    body: v.body.clone(),
                    replaces: current.map(|c| c.body.clone()),
                    by: v.writer.clone(),
                    when: tz::when(v.written_at, zone),
                    state,
                });
            }
        }
        let Some(current) = current else { continue };
        let ack = |p: i64| {
            acks.get(&(current.agreement_version_id.clone(), p))
                .map(|at| tz::when(*at, zone))
        };
        let view = AgreementView {
            agreement_id: id.clone(),
            version_id: current.agreement_version_id.clone(),
            version: current.version.unwrap_or(1),
            body: current.body.clone(),
            since: tz::when(current.approved_at.unwrap_or(current.written_at), zone),
            acks: [ack(1), ack(2)],
            previous: approved
                .iter()
                .rev()
                .skip(1)
                .map(|v| PastVersion {
                    version: v.version.unwrap_or(1),
                    body: v.body.clone(),
                    since: tz::when(v.approved_at.unwrap_or(v.written_at), zone),
                })
                .collect(),
            follow: follow.remove(&id).unwrap_or_default(),
            ended: current.retired_at.map(|at| tz::when(at, zone)),
        };
        if view.ended.is_some() {
            out.ended.push(view);
        } else {
            out.active.push(view);
        }
    }
    Ok(out)
}

/// The Mondays (in `zone`) of the last `FOLLOW_WEEKS` weeks, oldest first.
fn week_starts(zone: Tz) -> Vec<chrono::NaiveDate> {
    let today = tz::at(now_ms(), zone).date_naive();
    let monday = tz::week_start(today);
    (0..FOLLOW_WEEKS as i64)
        .rev()
        .map(|w| monday - chrono::Duration::weeks(w))
        .collect()
}

/// Each agreement's answers week by week (each partner's latest that week).
async fn follow_through(
    db: &Db,
    couple_id: &str,
    zone: Tz,
) -> Result<HashMap<String, Vec<FollowWeek>>, AppError> {
    let weeks = week_starts(zone);
    let since = weeks
        .first()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|d| zone.from_local_datetime(&d).earliest())
        .map(|d| d.timestamp_millis())
        .unwrap_or(0);
    let rows: Vec<(String, i64, i64, String)> = sqlx::query_as(
        "select k.agreement_id, c.position, c.submitted_at, k.kept from agreement_keeping k \
         join check_in c on c.check_in_id = k.check_in_id \
         where c.couple_id = $1 and c.submitted_at >= $2 order by c.submitted_at",
    )
    .bind(couple_id)
    .bind(since)
    .fetch_all(db.pool())
    .await?;
    let mut out: HashMap<String, Vec<FollowWeek>> = HashMap::new();
    for (agreement_id, position, at, kept) in rows {
        let day = tz::at(at, zone).date_naive();
        let Some(week) = weeks.iter().rposition(|m| *m <= day) else {
            continue;
        };
        let grid = out.entry(agreement_id).or_insert_with(|| {
            weeks
                .iter()
                .map(|m| FollowWeek {
                    label: m.format("%-d %b").to_string(),
                    kept: [None, None],
                })
                .collect()
        });
        if let (Some(w), Some(k)) = (grid.get_mut(week), Kept::parse(&kept))
            && let Some(slot) = w.kept.get_mut((position - 1) as usize)
        {
            *slot = Some(k);
        }
    }
    Ok(out)
}

/// The counselor's panel on the case page (`names`: the partners' names, already at hand).
pub async fn panel(
    db: &Db,
    couple_id: &str,
    zone: Tz,
    names: [String; 2],
) -> Result<AgreementsPanel, AppError> {
    let l = load(db, couple_id, zone, Viewer::Counselor).await?;
    Ok(AgreementsPanel {
        partner_names: names,
        active: l.active,
        proposals: l.proposals,
        ended: l.ended,
    })
}

/// A partner's page.
pub async fn mine(
    db: &Db,
    couple_id: &str,
    position: i64,
    zone: Tz,
    closed: bool,
) -> Result<MyAgreementsPage, AppError> {
    let l = load(db, couple_id, zone, Viewer::Partner(position)).await?;
    Ok(MyAgreementsPage {
        couple_id: String::new(),
        position,
        partner_names: names(db, couple_id).await?,
        active: l.active,
        proposals: l.proposals,
        ended: l.ended,
        closed,
    })
}

/// The partner's agreements card as two columns of a statement about one partner (the
/// partner's home reads them with other cards' columns): `$1` the couple, `$2` the
/// partner's position. The couple's active agreements (those `mine` lists as active: not
/// retired, with an approved wording), and how many of those wait for this partner's
/// acknowledgement of their current wording.
pub const CARD_COLUMNS: &str = "(select count(*) from agreement a \
      join agreement_version v on v.agreement_id = a.agreement_id \
      where a.couple_id = $1 and a.retired_at is null and v.approved_at is not null \
      and v.version = (select max(w.version) from agreement_version w \
                       where w.agreement_id = a.agreement_id and w.approved_at is not null) \
    ) as agreements_active, \
    (select count(*) from agreement a \
      join agreement_version v on v.agreement_id = a.agreement_id \
      where a.couple_id = $1 and a.retired_at is null and v.approved_at is not null \
      and v.version = (select max(w.version) from agreement_version w \
                       where w.agreement_id = a.agreement_id and w.approved_at is not null) \
      and not exists (select 1 from agreement_ack k \
                      where k.agreement_version_id = v.agreement_version_id and k.position = $2) \
    ) as agreements_waiting";

/// The active agreements a check-in asks about: (agreement, current version, wording).
pub async fn questions(
    db: &Db,
    couple_id: &str,
) -> Result<Vec<(String, String, String)>, AppError> {
    Ok(sqlx::query_as(
        "select a.agreement_id, v.agreement_version_id, v.body from agreement a \
         join agreement_version v on v.agreement_id = a.agreement_id \
         where a.couple_id = $1 and a.retired_at is null and v.approved_at is not null \
         and v.version = (select max(w.version) from agreement_version w \
                          where w.agreement_id = a.agreement_id and w.approved_at is not null) \
         order by a.created_at, a.agreement_id",
    )
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?)
}

/// The couple an agreement belongs to.
pub async fn agreement_couple(
    db: &Db,
    agreement_id: &str,
) -> Result<Option<crate::ids::CoupleId>, AppError> {
    Ok(
        sqlx::query_scalar("select couple_id from agreement where agreement_id = $1")
            .bind(agreement_id)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// The couple a version belongs to.
pub async fn version_couple(
    db: &Db,
    version_id: &str,
) -> Result<Option<crate::ids::CoupleId>, AppError> {
    Ok(sqlx::query_scalar(
        "select a.couple_id from agreement_version v join agreement a on a.agreement_id = v.agreement_id \
         where v.agreement_version_id = $1",
    )
    .bind(version_id)
    .fetch_optional(db.pool())
    .await?)
}
