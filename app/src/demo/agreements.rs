//! The demo couple's agreements, seeded week by week alongside their check-ins.

use crate::db::{Db, as_of};
use crate::error::AppError;

/// How the demo partners kept their agreements (by partner, agreement and week).
pub(super) fn kept(who: usize, agreement: usize, ago: i64) -> crate::features::agreements::Kept {
    use crate::features::agreements::Kept;
    match (who, agreement, ago) {
        (0, 0, 6) | (1, 0, 5..) | (0, 1, 3) | (1, 1, 4) => Kept::Partly,
        (1, 0, 3) | (1, 1, 3) => Kept::Not,
        _ => Kept::Kept,
    }
}

/// The demo couple's agreements as they came about: the counselor's Sunday talk six weeks
/// ago (reworded two weeks ago, acknowledged so far by Alex only), Sam's proposal about
/// contact approved five weeks ago, and a proposal of Alex's still waiting.
pub(super) async fn seed_week(
    db: &Db,
    couple_id: &str,
    counselor: &str,
    [alex, sam]: [&str; 2],
    ago: i64,
) -> Result<(), AppError> {
    use crate::features::agreements::repo::{Actor, acknowledge, decide, propose, write};
    let as_who = |user_id, detail: &str| Actor {
        user_id,
        couple_id,
        ip: None,
        detail: detail.to_string(),
    };
    let (c, a, s) = (
        as_who(counselor, "counselor"),
        as_who(alex, "partner_1"),
        as_who(sam, "partner_2"),
    );
    let current = |agreement: String| async move {
        sqlx::query_scalar::<_, String>(
            "select agreement_version_id from agreement_version where agreement_id = $1              and approved_at is not null order by version desc limit 1",
        )
        .bind(agreement)
        .fetch_one(db.pool())
        .await
    };
    let first_agreement = || async {
        sqlx::query_scalar::<_, String>(
            "select agreement_id from agreement where couple_id = $1 order by created_at limit 1",
        )
        .bind(couple_id)
        .fetch_one(db.pool())
        .await
    };
    let days = ago * 7 + 1;
    match ago {
        6 => {
            let body = "We sit down together every Sunday evening for twenty minutes, phones away, and talk about how the week went between us.";
            let id = as_of(days, 4, write(db, &c, None, body)).await?;
            let version = current(id).await?;
            as_of(days, 2, acknowledge(db, &a, 1, &version)).await?;
            as_of(days, 1, acknowledge(db, &s, 2, &version)).await?;
        }
        5 => {
            let body = "Alex tells me the same day if the other person gets in touch in any way, before I find out some other way.";
            as_of(days + 1, 0, propose(db, &s, None, body)).await?;
            let proposal: String = sqlx::query_scalar(
                "select agreement_version_id from agreement_version where written_by = $1 and approved_at is null",
            )
            .bind(sam)
            .fetch_one(db.pool())
            .await?;
            as_of(days, 4, decide(db, &c, &proposal, true, "")).await?;
            as_of(days, 2, acknowledge(db, &a, 1, &proposal)).await?;
            as_of(days, 1, acknowledge(db, &s, 2, &proposal)).await?;
        }
        2 => {
            let id = first_agreement().await?;
            let body = "We sit down together every Sunday evening for thirty minutes, phones away. Either of us can ask for a pause, and we come back to it within the hour.";
            as_of(days, 4, write(db, &c, Some(&id), body)).await?;
            let version = current(id).await?;
            as_of(days, 2, acknowledge(db, &a, 1, &version)).await?;
        }
        1 => {
            let body = "We each take one evening a week for ourselves without having to explain where we were.";
            as_of(days, 0, propose(db, &a, None, body)).await?;
        }
        _ => {}
    }
    Ok(())
}
