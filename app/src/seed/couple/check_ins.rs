//! A seeded couple's agreement, weekly check-ins (with any safety flags) and small wins.

use super::{Ctx, DAY_MS, Rows, WEEK_MS, audit, id};
use crate::seed::words;
use rand::Rng;
use rand::rngs::StdRng;

/// A check-in a week from each partner over the last twelve weeks, each answering how the
/// couple's agreement was kept; now and then an unsure safety answer raises a flag.
#[allow(clippy::too_many_arguments)]
pub(super) fn check_ins(
    ctx: &Ctx,
    rng: &mut StdRng,
    rows: &mut Rows,
    couple_id: &str,
    counselor: &str,
    users: &[(i64, String)],
    opened: i64,
    weeks: i64,
) {
    let agreement_id = id(rng);
    let version_id = id(rng);
    let written = opened + 2 * DAY_MS;
    rows.agreement.push([
        agreement_id.as_str().into(),
        couple_id.into(),
        written.into(),
    ]);
    rows.agreement_version.push([
        version_id.as_str().into(),
        agreement_id.as_str().into(),
        1.into(),
        words::AGREEMENT.into(),
        counselor.into(),
        written.into(),
        counselor.into(),
        written.into(),
    ]);
    for (position, user_id) in users {
        rows.agreement_ack.push([
            version_id.as_str().into(),
            (*position).into(),
            user_id.into(),
            (written + DAY_MS).into(),
        ]);
    }
    let mut trust = [rng.gen_range(1..5), rng.gen_range(2..6)];
    for week in (0..weeks.min(12)).rev() {
        for (position, user_id) in users {
            let i = (*position - 1) as usize;
            trust[i] = (trust[i] + rng.gen_range(-1..=2)).clamp(0, 10);
            let at = ctx.now - week * WEEK_MS - rng.gen_range(1..72) * 3_600_000;
            let csi = [
                rng.gen_range(1..=5),
                rng.gen_range(1..=4),
                rng.gen_range(1..=4),
                rng.gen_range(1..=4),
            ];
            let check_in_id = id(rng);
            let safety = if rng.gen_bool(0.01) { "unsure" } else { "safe" };
            rows.check_in.push([
                check_in_id.as_str().into(),
                couple_id.into(),
                (*position).into(),
                user_id.into(),
                at.into(),
                csi[0].into(),
                csi[1].into(),
                csi[2].into(),
                csi[3].into(),
                csi.iter().sum::<i64>().into(),
                trust[i].into(),
                (trust[i] + 1).min(10).into(),
                words::went_well(rng).into(),
                words::was_hard(rng).into(),
                i64::from(rng.gen_bool(0.3)).into(),
                safety.into(),
            ]);
            let kept = ["kept", "kept", "partly", "not"][rng.gen_range(0..4)];
            rows.keeping.push([
                check_in_id.as_str().into(),
                agreement_id.as_str().into(),
                version_id.as_str().into(),
                kept.into(),
            ]);
            audit(
                rows,
                at,
                user_id,
                "check_in_submitted",
                couple_id,
                Some(format!("partner_{position}")),
            );
            if safety == "unsure" {
                let seen = week > 0;
                rows.safety_flag.push([
                    id(rng).into(),
                    check_in_id.into(),
                    couple_id.into(),
                    (*position).into(),
                    safety.into(),
                    at.into(),
                    seen.then_some(at + DAY_MS).into(),
                    seen.then(|| counselor.to_string()).into(),
                    seen.then(|| "Talked it through by phone; no immediate risk.".to_string())
                        .into(),
                ]);
            }
        }
    }
    for _ in 0..weeks.min(4) {
        let (position, user_id) = &users[rng.gen_range(0..users.len())];
        rows.win.push([
            id(rng).into(),
            couple_id.into(),
            (*position).into(),
            user_id.into(),
            words::win(rng).into(),
            (ctx.now - rng.gen_range(1..28) * DAY_MS).into(),
        ]);
    }
}
