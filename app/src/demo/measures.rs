//! The demo couple's questionnaires since their first session: Sam (hurt by the affair)
//! starts with moderately severe depression, marked anxiety and trauma symptoms above the
//! PCL-5's provisional cut-point, all easing slowly with a bad patch around the anniversary
//! of the discovery; Alex starts with moderate depression (guilt and shame) that lifts as
//! the work gets going. Nobody ever answers PHQ-9 item 9 above "not at all", as the
//! counselor's intake notes say. Sam's monthly PCL-5 is due now.

use crate::db::{Db, as_of};
use crate::error::AppError;
use crate::features::measures::instruments::{GAD7, Instrument, PCL5, PHQ9};
use crate::features::measures::{Frequency, repo};

/// When the partners answered: every two weeks, from the first session.
const DAYS_AGO: [i64; 8] = [98, 84, 70, 56, 42, 28, 14, 2];

/// (position, instrument, totals at each of `DAYS_AGO`; `None`: not asked that time)
type Series = (i64, &'static Instrument, [Option<i64>; 8]);

const SERIES: [Series; 5] = [
    (
        2,
        &PHQ9,
        [
            Some(17),
            Some(16),
            Some(14),
            Some(15),
            Some(12),
            Some(11),
            Some(9),
            Some(8),
        ],
    ),
    (
        2,
        &GAD7,
        [
            Some(15),
            Some(14),
            Some(13),
            Some(14),
            Some(11),
            Some(10),
            Some(9),
            Some(9),
        ],
    ),
    (
        2,
        &PCL5,
        [
            Some(49),
            None,
            Some(44),
            None,
            Some(41),
            Some(36),
            None,
            None,
        ],
    ),
    (
        1,
        &PHQ9,
        [
            Some(12),
            Some(11),
            Some(11),
            Some(9),
            Some(8),
            Some(8),
            Some(7),
            Some(6),
        ],
    ),
    (
        1,
        &GAD7,
        [Some(9), None, Some(8), None, Some(7), None, Some(6), None],
    ),
];

/// Item answers adding up to `total`: spread evenly from the first item, never touching the
/// instrument's safety item.
fn items_for(instrument: &Instrument, total: i64) -> Vec<i64> {
    let n = instrument.items.len();
    let top = instrument.top_option();
    let mut answers = vec![0; n];
    let mut left = total;
    while left > 0 {
        let before = left;
        for (i, a) in answers.iter_mut().enumerate() {
            if left > 0 && *a < top && Some(i) != instrument.safety_item {
                *a += 1;
                left -= 1;
            }
        }
        if left == before {
            break;
        }
    }
    answers
}

pub(super) async fn seed_measures(
    db: &Db,
    couple_id: &str,
    counselor: &str,
    partners: [&str; 2],
) -> Result<(), AppError> {
    // Chosen at the first session.
    let alex = [
        ("phq9", Frequency::EveryDays(14)),
        ("gad7", Frequency::EveryDays(28)),
    ];
    let sam = [
        ("phq9", Frequency::EveryDays(14)),
        ("gad7", Frequency::EveryDays(14)),
        ("pcl5", Frequency::EveryDays(28)),
    ];
    as_of(
        100,
        0,
        repo::set_plan(db, couple_id, 1, &alex, counselor, None),
    )
    .await?;
    as_of(
        100,
        0,
        repo::set_plan(db, couple_id, 2, &sam, counselor, None),
    )
    .await?;
    for (i, days_ago) in DAYS_AGO.iter().enumerate() {
        for (position, instrument, totals) in &SERIES {
            let Some(total) = totals[i] else { continue };
            let answers = items_for(instrument, total);
            let score = instrument
                .score(&answers)
                .map_err(|e| AppError::internal("demo measures", e))?;
            let follow_up = instrument.follow_up.map(|f| f.options[1]);
            let user = partners[*position as usize - 1];
            let answer = repo::answer(
                db,
                repo::NewAnswer {
                    couple_id,
                    position: *position,
                    user_id: user,
                    instrument,
                    answers: &answers,
                    follow_up,
                    total: score.total,
                    ip: None,
                },
            );
            as_of(*days_ago, 20 + *position, answer).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_total_is_reached_without_the_safety_item() {
        for (_, instrument, totals) in SERIES {
            for total in totals.into_iter().flatten() {
                let answers = items_for(instrument, total);
                assert_eq!(instrument.score(&answers).unwrap().total, total);
                assert!(!instrument.needs_safety_flag(&answers));
            }
        }
    }
}
