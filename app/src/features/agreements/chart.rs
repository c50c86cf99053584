//! The follow-through chart: one row per partner, one column per week, each cell marked
//! kept / partly / not (by a glyph as well as a colour) or left empty when not answered.
//! Server-rendered SVG, with a text summary beside it.

use super::{FollowWeek, Kept, tally};
use leptos::prelude::*;

const W: f64 = 640.0;
const LEFT: f64 = 120.0;
const RIGHT: f64 = 8.0;
const ROW: f64 = 30.0;
const BOTTOM: f64 = 22.0;

fn summary(name: &str, counts: [usize; 3]) -> String {
    let answered: usize = counts.iter().sum();
    if answered == 0 {
        return format!("{name}: no answers yet.");
    }
    format!(
        "{name}: kept {} of {answered} week{} answered, partly {}, not kept {}.",
        counts[0],
        if answered == 1 { "" } else { "s" },
        counts[1],
        counts[2]
    )
}

/// How an agreement was kept, week by week, by both partners.
#[component]
pub fn FollowChart(weeks: Vec<FollowWeek>, names: [String; 2], id: String) -> impl IntoView {
    let n = weeks.len().max(1);
    let cell = (W - LEFT - RIGHT) / n as f64;
    let height = ROW * 2.0 + BOTTOM;
    let lines = [
        summary(&names[0], tally(&weeks, 0)),
        summary(&names[1], tally(&weeks, 1)),
    ];
    let desc = format!(
        "How the agreement was kept over the last {} weeks. {} {}",
        weeks.len(),
        lines[0],
        lines[1]
    );
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let cells = weeks
        .iter()
        .enumerate()
        .flat_map(|(i, w)| {
            (0..2).map(move |who| {
                let x = LEFT + cell * i as f64;
                let y = ROW * who as f64;
                let (class, glyph) = match w.kept[who] {
                    Some(k) => (format!("follow-cell follow-{}", k.as_str()), k.glyph()),
                    None => ("follow-cell follow-none".to_string(), ""),
                };
                view! {
                    <rect x=x + 2.0 y=y + 3.0 width=cell - 4.0 height=ROW - 6.0 rx="3" class=class />
                    <text x=x + cell / 2.0 y=y + ROW / 2.0 + 5.0 class="follow-glyph" text-anchor="middle">{glyph}</text>
                }
            })
        })
        .collect_view();
    let labels = weeks
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 2 == 1 || n <= 6)
        .map(|(i, w)| {
            view! {
                <text x=LEFT + cell * i as f64 + cell / 2.0 y=height - 6.0 class="tick" text-anchor="middle">{w.label.clone()}</text>
            }
        })
        .collect_view();
    view! {
        <figure class="chart follow-chart">
            <figcaption id=title_id.clone()>"Follow-through by week"</figcaption>
            <svg viewBox=format!("0 0 {W} {height}") role="img" aria-labelledby=format!("{title_id} {desc_id}") class="chart-svg">
                <desc id=desc_id.clone()>{desc}</desc>
                <text x=LEFT - 8.0 y=ROW / 2.0 + 5.0 class="tick" text-anchor="end">{names[0].clone()}</text>
                <text x=LEFT - 8.0 y=ROW * 1.5 + 5.0 class="tick" text-anchor="end">{names[1].clone()}</text>
                {cells}
                {labels}
            </svg>
            <p class="legend">
                {Kept::ALL.into_iter().map(|k| view! {
                    <span class=format!("key follow-key-{}", k.as_str())>{format!("{} {}", k.glyph(), k.label())}</span>
                }).collect_view()}
            </p>
            <ul class="follow-summary">
                <li>{lines[0].clone()}</li>
                <li>{lines[1].clone()}</li>
            </ul>
        </figure>
    }
}
