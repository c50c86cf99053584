//! Two more charts for the case page: each partner's homework completion week by week, and
//! the couple's path through the program's steps. Server-rendered SVG with text beside it.

use crate::features::program::{StepMoveView, StepTitle};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Weeks of homework completion the case page shows.
pub const COMPLETION_WEEKS: usize = 12;

/// One week of homework that came due: (completed, due) per partner; `None` when nothing
/// came due for that partner that week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletionWeek {
    /// The week's Monday, e.g. "16 Nov".
    pub label: String,
    pub partners: [Option<(i64, i64)>; 2],
}

/// Homework that came due in each of the last `COMPLETION_WEEKS` weeks (its due date, or a
/// week after it was set when it has none) and how much of it each partner submitted.
#[cfg(feature = "ssr")]
pub async fn completion(
    db: &crate::db::Db,
    couple_id: &str,
    zone: chrono_tz::Tz,
) -> Result<Vec<CompletionWeek>, crate::error::AppError> {
    use crate::time as tz;
    use chrono::NaiveDate;
    let today = tz::at(crate::db::now_ms(), zone).date_naive();
    let monday = tz::week_start(today);
    let first = monday - chrono::Duration::weeks(COMPLETION_WEEKS as i64 - 1);
    // Set at most a week before the first Monday: anything without a due date that came
    // due in the window was set after this.
    let since = crate::db::now_ms() - (COMPLETION_WEEKS as i64 + 2) * 7 * 24 * 3600 * 1000;
    let rows = super::repo::trends::due_since(db, couple_id, first, since).await?;
    let mut weeks: Vec<CompletionWeek> = (0..COMPLETION_WEEKS as i64)
        .map(|w| CompletionWeek {
            label: (first + chrono::Duration::weeks(w))
                .format("%-d %b")
                .to_string(),
            partners: [None, None],
        })
        .collect();
    for (position, due_on, assigned_at, done) in rows {
        let due = match due_on.and_then(|d| d.parse::<NaiveDate>().ok()) {
            Some(d) => d,
            None => tz::at(assigned_at, zone).date_naive() + chrono::Duration::days(7),
        };
        if due < first || due > today {
            continue;
        }
        let week = ((due - first).num_days() / 7) as usize;
        if let Some(slot) = weeks
            .get_mut(week)
            .and_then(|w| w.partners.get_mut((position - 1) as usize))
        {
            let (d, n) = slot.unwrap_or((0, 0));
            *slot = Some((d + done, n + 1));
        }
    }
    Ok(weeks)
}

const W: f64 = 640.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 10.0;
const H: f64 = 170.0;
const BOTTOM: f64 = 24.0;

fn percent((done, due): (i64, i64)) -> i64 {
    if due == 0 { 0 } else { done * 100 / due }
}

fn total(weeks: &[CompletionWeek], who: usize) -> (i64, i64) {
    weeks
        .iter()
        .filter_map(|w| w.partners[who])
        .fold((0, 0), |(d, n), (wd, wn)| (d + wd, n + wn))
}

/// Each partner's homework completion, week by week, as paired bars with a data table.
#[component]
pub fn CompletionChart(weeks: Vec<CompletionWeek>, names: [String; 2]) -> impl IntoView {
    let n = weeks.len().max(1);
    let slot = (W - LEFT - RIGHT) / n as f64;
    let bar = (slot - 8.0) / 2.0;
    let y = |pct: i64| TOP + (H - TOP - BOTTOM) * (1.0 - pct as f64 / 100.0);
    let line = |who: usize| {
        let (done, due) = total(&weeks, who);
        if due == 0 {
            format!("{}: no homework came due.", names[who])
        } else {
            format!(
                "{}: {done} of {due} completed ({}%).",
                names[who],
                percent((done, due))
            )
        }
    };
    let lines = [line(0), line(1)];
    let desc = format!(
        "Homework completed of what came due, per week, over the last {} weeks. {} {}",
        weeks.len(),
        lines[0],
        lines[1]
    );
    let bars = weeks
        .iter()
        .enumerate()
        .flat_map(|(i, w)| {
            (0..2).map(move |who| {
                let x = LEFT + slot * i as f64 + 4.0 + bar * who as f64;
                // A week with nothing due gets a thin dashed stub, not an empty gap.
                let (height, class) = match w.partners[who] {
                    Some(c) => ((H - BOTTOM - y(percent(c))).max(1.5), format!("bar-{}", who + 1)),
                    None => (3.0, "bar-none".to_string()),
                };
                view! { <rect x=x y=H - BOTTOM - height width=bar - 1.0 height=height class=class /> }
            })
        })
        .collect_view();
    let labels = weeks
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 2 == 1 || n <= 6)
        .map(|(i, w)| view! {
            <text x=LEFT + slot * i as f64 + slot / 2.0 y=H - 6.0 class="tick" text-anchor="middle">{w.label.clone()}</text>
        })
        .collect_view();
    let cell = |c: Option<(i64, i64)>| match c {
        Some(c) => format!("{} of {} ({}%)", c.0, c.1, percent(c)),
        None => "Nothing due".to_string(),
    };
    view! {
        <figure class="chart">
            <figcaption id="chart-completion-title">"Homework completed of what came due, by week"</figcaption>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby="chart-completion-title chart-completion-desc" class="chart-svg">
                <desc id="chart-completion-desc">{desc}</desc>
                {[0_i64, 50, 100].into_iter().map(|t| view! {
                    <line x1=LEFT x2=W - RIGHT y1=y(t) y2=y(t) class="grid" />
                    <text x=LEFT - 6.0 y=y(t) + 4.0 class="tick" text-anchor="end">{format!("{t}%")}</text>
                }).collect_view()}
                {bars}
                {labels}
            </svg>
            <p class="legend">
                <span class="key key-1">{format!("\u{25a0} {}", names[0])}</span>
                <span class="key key-2">{format!("\u{25a0} {} (right bar)", names[1])}</span>
            </p>
            <ul class="follow-summary"><li>{lines[0].clone()}</li><li>{lines[1].clone()}</li></ul>
            <details>
                <summary>"Completion by week as a table"</summary>
                <table class="data-table">
                    <thead><tr><th scope="col">"Week of"</th><th scope="col">{names[0].clone()}</th><th scope="col">{names[1].clone()}</th></tr></thead>
                    <tbody>
                        {weeks.iter().rev().map(|w| view! {
                            <tr><td>{w.label.clone()}</td><td>{cell(w.partners[0])}</td><td>{cell(w.partners[1])}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

/// One stretch of time on one step.
struct Stretch {
    step: i64,
    from: i64,
    to: i64,
}

/// The couple's path through the steps: one row per step visited, a bar for each stretch of
/// time spent on it, the current one marked.
#[component]
pub fn StepsTimeline(
    moves: Vec<StepMoveView>,
    steps: Vec<StepTitle>,
    current: Option<i64>,
    /// "Now", in milliseconds (passed in so server and browser draw the same picture).
    now: i64,
) -> impl IntoView {
    let mut ordered = moves;
    ordered.sort_by_key(|m| m.at);
    let stretches: Vec<Stretch> = ordered
        .iter()
        .enumerate()
        .map(|(i, m)| Stretch {
            step: m.to_step,
            from: m.at.timestamp_millis(),
            to: ordered
                .get(i + 1)
                .map(|n| n.at.timestamp_millis())
                .unwrap_or(now),
        })
        .collect();
    let mut rows: Vec<i64> = stretches.iter().map(|s| s.step).collect();
    rows.sort_unstable();
    rows.dedup();
    let start = stretches.first().map(|s| s.from).unwrap_or(now);
    let span = (now - start).max(1) as f64;
    const ROW: f64 = 26.0;
    const LABEL: f64 = 200.0;
    let height = ROW * rows.len().max(1) as f64 + BOTTOM;
    let x = |t: i64| LABEL + (W - LABEL - RIGHT) * (t - start) as f64 / span;
    let title = |n: i64| {
        steps
            .iter()
            .find(|s| s.number == n)
            .map(|s| format!("{n}. {}", s.title))
            .unwrap_or_else(|| format!("Step {n}"))
    };
    let weeks = |ms: i64| {
        let days = ms / (24 * 3600 * 1000);
        if days < 14 {
            format!("{days} day{}", if days == 1 { "" } else { "s" })
        } else {
            format!("{} weeks", days / 7)
        }
    };
    let summary = stretches
        .iter()
        .map(|s| {
            if s.to == now && Some(s.step) == current {
                format!("step {} for {} so far", s.step, weeks(s.to - s.from))
            } else {
                format!("step {} for {}", s.step, weeks(s.to - s.from))
            }
        })
        .collect::<Vec<_>>()
        .join(", then ");
    let summary = if summary.is_empty() {
        "No steps yet.".to_string()
    } else {
        let mut s = summary;
        if let Some(first) = s.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        format!("{s}.")
    };
    let date = |t: i64| {
        chrono::DateTime::from_timestamp_millis(t)
            .map(|d| d.format("%-d %b %Y").to_string())
            .unwrap_or_default()
    };
    let label_of = |n: i64| {
        let t = title(n);
        if t.chars().count() > 26 {
            format!("{}\u{2026}", t.chars().take(25).collect::<String>())
        } else {
            t
        }
    };
    view! {
        <figure class="chart">
            <figcaption id="chart-steps-title">"Steps over time"</figcaption>
            <svg viewBox=format!("0 0 {W} {height}") role="img" aria-labelledby="chart-steps-title chart-steps-desc" class="chart-svg">
                <desc id="chart-steps-desc">{summary.clone()}</desc>
                {rows.iter().enumerate().map(|(r, n)| view! {
                    <text x=LABEL - 8.0 y=ROW * r as f64 + ROW / 2.0 + 4.0 class="step-label" text-anchor="end">{label_of(*n)}</text>
                }).collect_view()}
                {stretches.iter().map(|s| {
                    let r = rows.iter().position(|n| *n == s.step).unwrap_or(0);
                    let class = if s.to == now && Some(s.step) == current { "step-band-now" } else { "step-band" };
                    view! { <rect x=x(s.from) y=ROW * r as f64 + 4.0 width=(x(s.to) - x(s.from)).max(3.0) height=ROW - 8.0 rx="3" class=class /> }
                }).collect_view()}
                <text x=LABEL y=height - 6.0 class="tick" text-anchor="start">{date(start)}</text>
                <text x=W - RIGHT y=height - 6.0 class="tick" text-anchor="end">"today"</text>
            </svg>
            <p class="help">{summary}</p>
        </figure>
    }
}
