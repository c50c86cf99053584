//! A seeded couple's sessions and their signed notes.

use super::{Ctx, DAY_MS, Rows, WEEK_MS, audit, id};
use crate::seed::words;
use rand::Rng;
use rand::rngs::StdRng;

/// Weekly sessions over the last twelve weeks, each attended one with a signed note, and
/// the next one planned.
#[allow(clippy::too_many_arguments)]
pub(super) fn sessions(
    ctx: &Ctx,
    rng: &mut StdRng,
    rows: &mut Rows,
    couple_id: &str,
    counselor: &str,
    opened: i64,
    weeks: i64,
    step: i64,
) {
    let hour = rng.gen_range(8..18) * 3_600_000;
    let base = ctx.now - ctx.now.rem_euclid(DAY_MS) + hour;
    for week in (-1..weeks.min(12)).rev() {
        let starts = base - week * WEEK_MS - 2 * DAY_MS;
        let session_id = id(rng);
        let status = if week < 0 { "scheduled" } else { "attended" };
        let planned = (starts - WEEK_MS).max(opened);
        rows.session.push([
            session_id.as_str().into(),
            couple_id.into(),
            counselor.into(),
            starts.into(),
            50.into(),
            (if rng.gen_bool(0.3) {
                "video"
            } else {
                "in_person"
            })
            .into(),
            "both".into(),
            status.into(),
            planned.into(),
            planned.into(),
        ]);
        if week < 0 {
            continue;
        }
        let note_id = id(rng);
        let sections = words::note_sections(rng, step);
        let signed = starts + 2 * 3_600_000;
        let hash = crate::features::notes::repo::content_hash(&[
            &note_id,
            counselor,
            &signed.to_string(),
            &sections,
            "[]",
        ]);
        audit(
            rows,
            signed,
            counselor,
            "note_signed",
            couple_id,
            Some(note_id.clone()),
        );
        rows.note.push([
            note_id.into(),
            session_id.into(),
            couple_id.into(),
            counselor.into(),
            "progress".into(),
            "soap".into(),
            sections.into(),
            "[]".into(),
            starts.into(),
            signed.into(),
            signed.into(),
            counselor.into(),
            hash.into(),
        ]);
    }
}
