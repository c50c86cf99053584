//! Builds the report from each feature's own queries.

use super::{Completion, Report, ReportNote};
use crate::db::{Db, now_ms};
use crate::error::AppError;
use crate::features::{homework, notes, program, progress};
use crate::ids::CoupleId;
use chrono_tz::Tz;

/// Builds the printable report. `notes`: include signed progress notes; `psychotherapy_of`:
/// also that counselor's own signed psychotherapy notes.
pub async fn report(
    db: &Db,
    couple_id: &CoupleId,
    (from, to): (chrono::NaiveDate, chrono::NaiveDate),
    notes: bool,
    psychotherapy_of: Option<&str>,
    zone: Tz,
) -> Result<Report, AppError> {
    use chrono::TimeZone;
    let start = zone
        .from_local_datetime(&from.and_hms_opt(0, 0, 0).unwrap_or_default())
        .earliest()
        .map(|t| t.timestamp_millis())
        .unwrap_or(0);
    let end = zone
        .from_local_datetime(
            &(to + chrono::Duration::days(1))
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default(),
        )
        .earliest()
        .map(|t| t.timestamp_millis())
        .unwrap_or(i64::MAX);
    let couple = crate::couple::load(db, couple_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let counselor = crate::auth::repo::find_by_id(db.pool(), &couple.counselor_id)
        .await?
        .map(|u| u.display_name)
        .unwrap_or_default();
    let progress = program::repo::progress(db, couple_id).await?;
    let title_of = |n: i64| {
        progress
            .steps
            .iter()
            .find(|s| s.number == n)
            .map(|s| format!("step {n}, {}", s.title))
            .unwrap_or_else(|| format!("step {n}"))
    };
    let step_now = progress.current_step.map(|n| {
        let total = progress.steps.len();
        let title = title_of(n);
        format!("Now on {title} (of {total})")
    });
    let step_moves = progress
        .moves
        .iter()
        .filter(|m| (start..end).contains(&m.at.timestamp_millis()))
        .map(|m| {
            (
                crate::time::at(m.at.timestamp_millis(), zone)
                    .format("%-d %b %Y")
                    .to_string(),
                format!("Moved to {}: {}", title_of(m.to_step), m.reason),
            )
        })
        .collect();
    let completion_rows = homework::repo::completion_between(db, couple_id, start, end).await?;
    let points = progress::repo::points_between(db, couple_id, start, end, zone).await?;
    let mut questionnaires =
        crate::features::measures::repo::scores(db, couple_id.as_str(), None, couple.names(), zone)
            .await?;
    for (_, points) in &mut questionnaires.by_measure {
        points.retain(|p| (start..end).contains(&p.at_ms));
    }
    let notes = if notes {
        let rows = notes::repo::signed_between(db, couple_id, start, end, psychotherapy_of).await?;
        Some(
            rows.into_iter()
                .map(|(kind, template, sections, author, signed, starts)| {
                    let t =
                        notes::NoteTemplate::parse(&template).unwrap_or(notes::NoteTemplate::Free);
                    let texts: std::collections::BTreeMap<String, String> =
                        serde_json::from_str(&sections).unwrap_or_default();
                    ReportNote {
                        session: crate::time::when(starts, zone),
                        kind: notes::NoteKind::parse(&kind)
                            .map(|k| k.label())
                            .unwrap_or("")
                            .to_string(),
                        template: t.short().to_string(),
                        author,
                        signed: crate::time::when(signed, zone),
                        sections: t
                            .sections()
                            .iter()
                            .map(|(k, label, _)| {
                                (
                                    label.to_string(),
                                    texts.get(*k).cloned().unwrap_or_default(),
                                )
                            })
                            .collect(),
                    }
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(Report {
        couple_id: couple_id.to_string(),
        case_name: couple.case_name.clone(),
        partner_names: couple.names(),
        counselor,
        from,
        to,
        generated: crate::time::when(now_ms(), zone),
        step_now,
        step_moves,
        completion: completion_rows
            .into_iter()
            .map(|(_, partner_name, assigned, submitted)| Completion {
                partner_name,
                assigned,
                submitted,
            })
            .collect(),
        points,
        questionnaires,
        goals: notes::repo::goals(db, couple_id).await?,
        notes,
        psychotherapy_included: psychotherapy_of.is_some(),
    })
}
