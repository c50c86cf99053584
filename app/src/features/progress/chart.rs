//! Server-rendered SVG line charts: both partners on the same axes, visible with JavaScript
//! off and in print. Partner 1 is a solid line with round markers, partner 2 a dashed line
//! with square markers, so the lines differ without relying on colour.

use super::{Point, Scores};
use leptos::prelude::*;

const W: f64 = 640.0;
const H: f64 = 220.0;
const LEFT: f64 = 36.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

/// Which score a chart shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    Csi,
    Trust,
    Hope,
}

impl Measure {
    pub fn max(self) -> i64 {
        match self {
            Measure::Csi => 21,
            _ => 10,
        }
    }
    pub fn title(self) -> &'static str {
        match self {
            Measure::Csi => "Relationship satisfaction (CSI-4, 0-21)",
            Measure::Trust => "Trust this week (0-10; each partner's own question)",
            Measure::Hope => "Hope for the relationship (0-10)",
        }
    }
    pub fn of(self, s: &Scores) -> Option<i64> {
        match self {
            Measure::Csi => s.csi,
            Measure::Trust => Some(s.trust),
            Measure::Hope => Some(s.hope),
        }
    }
}

fn x(i: usize, n: usize) -> f64 {
    if n <= 1 {
        LEFT + (W - LEFT - RIGHT) / 2.0
    } else {
        LEFT + (W - LEFT - RIGHT) * i as f64 / (n - 1) as f64
    }
}

fn y(v: f64, max: i64) -> f64 {
    TOP + (H - TOP - BOTTOM) * (1.0 - v / max as f64)
}

/// A chart of one measure for both partners, with a summary for screen readers and a data
/// table alternative below it.
#[component]
pub fn TrendChart(
    measure: Measure,
    points: Vec<Point>,
    names: [String; 2],
    #[prop(optional)] cutoff: Option<f64>,
    id: &'static str,
) -> impl IntoView {
    let max = measure.max();
    let n = points.len();
    let series = |who: usize| -> Vec<(f64, f64, i64)> {
        points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                p.partners[who]
                    .as_ref()
                    .and_then(|s| measure.of(s))
                    .map(|v| (x(i, n), y(v as f64, max), v))
            })
            .collect()
    };
    let (first, second) = (series(0), series(1));
    let line = |s: &[(f64, f64, i64)]| {
        s.iter()
            .map(|(a, b, _)| format!("{a:.1},{b:.1}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let latest = |s: &[(f64, f64, i64)]| {
        s.last()
            .map(|(_, _, v)| v.to_string())
            .unwrap_or_else(|| "none".into())
    };
    let summary = format!(
        "{}: {} points. Latest {} {}, {} {}.",
        measure.title(),
        n,
        names[0],
        latest(&first),
        names[1],
        latest(&second)
    );
    let ticks: Vec<i64> = if max == 21 {
        vec![0, 7, 14, 21]
    } else {
        vec![0, 5, 10]
    };
    let labels: Vec<(f64, String, &str)> = points
        .iter()
        .enumerate()
        .filter(|(i, _)| n <= 8 || i % (n / 6).max(1) == 0 || *i == n - 1)
        .map(|(i, p)| {
            let anchor = match i {
                0 if n > 1 => "start",
                i if i + 1 == n && n > 1 => "end",
                _ => "middle",
            };
            (x(i, n), p.label.clone(), anchor)
        })
        .collect();
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    view! {
        <figure class="chart">
            <figcaption id=title_id.clone()>{measure.title()}</figcaption>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby=labelled_by class="chart-svg">
                <desc id=desc_id>{summary}</desc>
                {ticks.into_iter().map(|t| {
                    let ty = y(t as f64, max);
                    view! {
                        <line x1=LEFT x2=W - RIGHT y1=ty y2=ty class="grid" />
                        <text x=LEFT - 6.0 y=ty + 4.0 class="tick" text-anchor="end">{t.to_string()}</text>
                    }
                }).collect_view()}
                {cutoff.map(|c| {
                    let cy = y(c, max);
                    view! {
                        <line x1=LEFT x2=W - RIGHT y1=cy y2=cy class="cutoff" />
                        <text x=W - RIGHT y=cy - 4.0 class="tick" text-anchor="end">{format!("cutoff {c}")}</text>
                    }
                })}
                {labels.into_iter().map(|(lx, l, anchor)| view! {
                    <text x=lx y=H - 8.0 class="tick" text-anchor=anchor>{l}</text>
                }).collect_view()}
                <polyline points=line(&first) class="series series-1" />
                <polyline points=line(&second) class="series series-2" />
                {first.iter().map(|(cx, cy, _)| view! { <circle cx=*cx cy=*cy r="4" class="marker-1" /> }).collect_view()}
                {second.iter().map(|(cx, cy, _)| view! { <rect x=cx - 4.0 y=cy - 4.0 width="8" height="8" class="marker-2" /> }).collect_view()}
            </svg>
            <p class="legend">
                <span class="key key-1">{format!("\u{25cf}\u{2014} {}", names[0])}</span>
                <span class="key key-2">{format!("\u{25a0}- - {}", names[1])}</span>
            </p>
        </figure>
    }
}
