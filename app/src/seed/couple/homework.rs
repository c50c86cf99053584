//! A seeded couple's homework: assignments, answers and reviews.

use super::{Ctx, DAY_MS, Rows, Template, WEEK_MS, audit, date, id};
use crate::seed::words;
use rand::Rng;
use rand::rngs::StdRng;

/// Two exercises a week from the steps reached, answered (often more than once) and
/// mostly reviewed; the latest week's still open, some of them overdue.
#[allow(clippy::too_many_arguments)]
pub(super) fn homework(
    ctx: &Ctx,
    rng: &mut StdRng,
    rows: &mut Rows,
    couple_id: &str,
    counselor: &str,
    users: &[(i64, String)],
    opened: i64,
    weeks: i64,
) {
    let groups = (weeks * 2).min(32);
    for g in 0..groups {
        let assigned_at = opened + (g / 2) * WEEK_MS + (g % 2) * 2 * DAY_MS + DAY_MS;
        let reached = (1 + (g / 2) / 3).min(10);
        let choices: Vec<&Template> = ctx.templates.iter().filter(|t| t.step <= reached).collect();
        if choices.is_empty() {
            continue;
        }
        let template = choices[rng.gen_range(0..choices.len())];
        let group = id(rng);
        let due = assigned_at + WEEK_MS;
        for (position, user_id) in users {
            let for_them = match template.audience.as_str() {
                "broke_trust" => *position == 1,
                "hurt" => *position == 2,
                _ => true,
            };
            if !for_them {
                continue;
            }
            let assignment_id = id(rng);
            // The last week's work is still open; the rest mostly done, often more than
            // once, and mostly reviewed.
            let open = g >= groups - 2 || rng.gen_bool(0.05);
            let versions: i64 = if open { 0 } else { rng.gen_range(1..=3) };
            let reviewed = versions > 0 && rng.gen_bool(0.8);
            rows.assignment.push([
                assignment_id.as_str().into(),
                couple_id.into(),
                group.as_str().into(),
                (*position).into(),
                template.version_id.as_str().into(),
                template.step.into(),
                template.title.as_str().into(),
                template.instructions.as_str().into(),
                template.fields_json.as_str().into(),
                date(due).into(),
                counselor.into(),
                assigned_at.into(),
                versions.into(),
                (if reviewed { versions } else { 0 }).into(),
            ]);
            let detail = Some(format!("partner_{position}"));
            audit(
                rows,
                assigned_at,
                counselor,
                "homework_assigned",
                couple_id,
                detail.clone(),
            );
            if open {
                continue;
            }
            let mut at = assigned_at;
            for version in 1..=versions {
                at += rng.gen_range(1..=(2 * DAY_MS / 3_600_000)) * 3_600_000;
                let texts = [words::answer(rng), words::answer(rng), words::answer(rng)];
                let answers = crate::demo::demo_answers(&template.fields, &texts);
                let visibility = if rng.gen_bool(0.3) {
                    "shared"
                } else {
                    "counselor"
                };
                rows.submission.push([
                    id(rng).into(),
                    assignment_id.as_str().into(),
                    version.into(),
                    serde_json::to_string(&answers).unwrap_or_default().into(),
                    visibility.into(),
                    at.into(),
                ]);
                audit(
                    rows,
                    at,
                    user_id,
                    "homework_submitted",
                    couple_id,
                    detail.clone(),
                );
            }
            if reviewed {
                let at = at + DAY_MS;
                rows.review.push([
                    id(rng).into(),
                    assignment_id.as_str().into(),
                    versions.into(),
                    words::feedback(rng).into(),
                    counselor.into(),
                    at.into(),
                ]);
                audit(
                    rows,
                    at,
                    counselor,
                    "homework_reviewed",
                    couple_id,
                    detail.clone(),
                );
            }
        }
    }
}
