//! The demo couple's weekly check-ins (answering their agreements) and small wins.

use super::agreements;
use super::couple_partner_ids;
use crate::db::{Db, as_of};
use crate::error::AppError;

/// Eight weeks of Alex's and Sam's weekly check-ins: slowly rising, Sam's trust lagging, one
/// week where Sam asked to talk privately (acknowledged), and Sam's shared note last week.
pub(super) async fn seed_check_ins(db: &Db, couple_id: &str) -> Result<(), AppError> {
    use crate::features::progress::SafetyAnswer;
    use crate::features::progress::repo::{NewCheckIn, acknowledge, submit};
    let [alex, sam] = couple_partner_ids(db, couple_id).await?;
    let counselor: String =
        sqlx::query_scalar("select counselor_id from couple where couple_id = $1")
            .bind(couple_id)
            .fetch_one(db.pool())
            .await?;
    // (weeks ago, Alex: csi items, trust, hope; Sam: csi items, trust, hope)
    type Week = (i64, [i64; 4], i64, i64, [i64; 4], i64, i64);
    let weeks: [Week; 8] = [
        (8, [2, 2, 2, 2], 6, 5, [1, 1, 1, 1], 2, 4),
        (7, [2, 2, 2, 3], 6, 6, [1, 2, 1, 1], 2, 4),
        (6, [3, 3, 2, 3], 7, 6, [2, 2, 1, 2], 3, 5),
        (5, [3, 3, 3, 3], 7, 7, [2, 2, 2, 2], 3, 5),
        (4, [3, 3, 3, 3], 7, 7, [2, 2, 2, 2], 4, 5),
        (3, [3, 4, 3, 3], 8, 7, [3, 2, 2, 2], 4, 6),
        (2, [4, 4, 3, 4], 8, 8, [3, 3, 2, 3], 5, 6),
        (1, [4, 4, 4, 4], 8, 8, [3, 3, 3, 3], 5, 7),
    ];
    for (ago, a_csi, a_trust, a_hope, s_csi, s_trust, s_hope) in weeks {
        agreements::seed_week(db, couple_id, &counselor, [&alex, &sam], ago).await?;
        let questions = crate::features::agreements::repo::questions(db, couple_id).await?;
        let kept_by = |who: usize| {
            questions
                .iter()
                .enumerate()
                .map(|(i, (agreement, version, _))| {
                    (
                        agreement.clone(),
                        version.clone(),
                        agreements::kept(who, i, ago),
                    )
                })
                .collect::<Vec<_>>()
        };
        let alex_in = NewCheckIn {
            kept: kept_by(0),
            csi: Some(a_csi),
            trust: a_trust,
            hope: a_hope,
            went_well: if ago == 1 {
                "We kept the Sunday check-in even though it was awkward.".into()
            } else {
                String::new()
            },
            was_hard: String::new(),
            share_text: ago == 1,
            safety: SafetyAnswer::Safe,
        };
        as_of(ago * 7, 0, submit(db, couple_id, 1, &alex, &alex_in, None)).await?;
        let sam_in = NewCheckIn {
            kept: kept_by(1),
            csi: Some(s_csi),
            trust: s_trust,
            hope: s_hope,
            went_well: if ago == 1 {
                "Alex showed me the messages before I asked.".into()
            } else {
                String::new()
            },
            was_hard: if ago == 1 {
                "I still check Alex's phone in my head at night.".into()
            } else {
                String::new()
            },
            share_text: ago == 1,
            safety: if ago == 6 {
                SafetyAnswer::PrivateTalk
            } else {
                SafetyAnswer::Safe
            },
        };
        let flag = as_of(ago * 7, -2, submit(db, couple_id, 2, &sam, &sam_in, None)).await?;
        if let Some(flag) = flag {
            let note = "Spoke with Sam alone after the session: no danger at home; Sam wanted room to talk about the anger.";
            as_of(
                ago * 7 - 1,
                0,
                acknowledge(db, &flag, couple_id, &counselor, note, None),
            )
            .await?;
        }
    }
    // Dr. Hale opened the wins wall for them early (the practice opens it at step 10): two
    // small wins on it, one already celebrated by the counselor.
    let open = crate::features::progress::repo::wins::set_couple_choice(
        db,
        couple_id,
        Some(true),
        &counselor,
        None,
    );
    as_of(20, 0, open).await?;
    for (ago, position, who, body, reaction) in [
        (
            12,
            2_i64,
            &sam,
            "We laughed at dinner for the first time in months.",
            Some("celebrate"),
        ),
        (
            3,
            1,
            &alex,
            "Sam asked me how my day went, and I told the whole day, nothing left out.",
            None,
        ),
    ] {
        let at = crate::db::now_ms() - ago * 24 * 3600 * 1000;
        sqlx::query(
            "insert into small_win (small_win_id, couple_id, position, app_user_id, body, created_at, \
             reaction, reacted_by, reacted_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(crate::db::new_id())
        .bind(couple_id)
        .bind(position)
        .bind(who)
        .bind(body)
        .bind(at)
        .bind(reaction)
        .bind(reaction.map(|_| counselor.clone()))
        .bind(reaction.map(|_| at + 3600 * 1000))
        .execute(db.writer())
        .await?;
    }
    Ok(())
}
