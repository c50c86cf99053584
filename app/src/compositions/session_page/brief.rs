//! The pre-session brief: everything since the couple's last attended session before this
//! one, gathered from sessions, homework, the program, notes and check-ins.

use super::{Brief, BriefOverdue, BriefSubmission};
use crate::db::{Db, now_ms};
use crate::error::AppError;
use crate::features::{homework, notes, program, sessions};
use chrono_tz::Tz;

pub async fn brief(db: &Db, session_id: &str, tz: Tz) -> Result<Brief, AppError> {
    let (couple_id, starts_at, opened) = sessions::repo::place(db, session_id).await?;
    let previous = sessions::repo::previous_attended(db, &couple_id, starts_at).await?;
    let (since_ms, since) = match previous {
        Some(at) => (
            at,
            format!("since the session of {}", crate::time::when(at, tz)),
        ),
        None => (opened, "since the case was opened".to_string()),
    };
    let subs = homework::repo::submitted_since(db, &couple_id, since_ms).await?;
    let today = crate::time::at(now_ms(), tz).date_naive().to_string();
    let overdue = homework::repo::overdue(db, &couple_id, &today).await?;
    let step = program::repo::current_step(db, &couple_id).await?;
    let last_plan = notes::repo::last_plan(db, &couple_id, starts_at, tz).await?;
    let goals = notes::repo::goals(db, &couple_id).await?;
    let panel = crate::features::progress::repo::panel(db, &couple_id, tz).await?;
    let check_ins = (0..2)
        .filter_map(|who| {
            let mine: Vec<(&String, crate::features::progress::Scores)> = panel
                .points
                .iter()
                .filter_map(|p| p.partners[who].map(|s| (&p.label, s)))
                .collect();
            let (week, now) = mine.last()?;
            let before = mine
                .len()
                .checked_sub(2)
                .and_then(|i| mine.get(i))
                .map(|(_, s)| *s);
            let was = |f: fn(&crate::features::progress::Scores) -> i64| {
                before
                    .map(|b| format!(" (was {})", f(&b)))
                    .unwrap_or_default()
            };
            let csi = now
                .csi
                .map(|c| {
                    let low = if crate::features::progress::csi4_dissatisfied(c) {
                        ", below the 13.5 cutoff"
                    } else {
                        ""
                    };
                    format!(", relationship {c}/21{low}")
                })
                .unwrap_or_default();
            Some(format!(
                "{}, week of {week}: trust {}{}, hope {}{}{csi}",
                panel.partner_names[who],
                now.trust,
                was(|s| s.trust),
                now.hope,
                was(|s| s.hope),
            ))
        })
        .collect();
    let names = crate::couple::partner_names(db, &couple_id.as_str().into()).await?;
    let measures = crate::features::measures::repo::scores(db, &couple_id, None, names, tz)
        .await?
        .sentences();
    Ok(Brief {
        measures,
        flags: panel
            .flags
            .iter()
            .filter(|f| f.acknowledged.is_none())
            .cloned()
            .collect(),
        check_ins,
        divergence: panel.divergence,
        since,
        submissions: subs
            .into_iter()
            .map(
                |(id, title, partner, at, visibility, reviewed)| BriefSubmission {
                    assignment_id: id,
                    title,
                    partner_name: partner,
                    submitted: crate::time::when(at, tz),
                    visibility: if visibility == "shared" {
                        "Shared with their partner".into()
                    } else {
                        "Counselor only".into()
                    },
                    reviewed: reviewed > 0,
                },
            )
            .collect(),
        overdue: overdue
            .into_iter()
            .map(|(id, title, partner, due)| BriefOverdue {
                assignment_id: id,
                title,
                partner_name: partner,
                due,
            })
            .collect(),
        step: step.map(|(n, title, total)| format!("Step {n} of {total}: {title}")),
        last_plan,
        goals: goals
            .into_iter()
            .filter(|g| g.status == notes::GoalStatus::Active)
            .collect(),
    })
}
