//! One measure's totals over time for both partners, as a server-rendered SVG (visible with
//! JavaScript off and in print) over the instrument's bands, with the same numbers in a
//! table. Partner 1 is a solid line with round markers, partner 2 dashed with squares, so
//! the lines differ without relying on colour.

use super::ScorePoint;
use super::instruments::Instrument;
use leptos::prelude::*;

const W: f64 = 640.0;
const H: f64 = 220.0;
const LEFT: f64 = 36.0;
const RIGHT: f64 = 132.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 26.0;

fn y(v: f64, max: i64) -> f64 {
    TOP + (H - TOP - BOTTOM) * (1.0 - v / max as f64)
}

/// The chart and its table. `points` are oldest first.
#[component]
pub fn MeasureChart(
    instrument: &'static Instrument,
    points: Vec<ScorePoint>,
    names: [String; 2],
    #[prop(into)] id: String,
) -> impl IntoView {
    let max = instrument.max;
    let (t0, t1) = (
        points.first().map(|p| p.at_ms).unwrap_or(0),
        points.last().map(|p| p.at_ms).unwrap_or(0),
    );
    let x = move |at: i64| {
        if t1 <= t0 {
            LEFT + (W - LEFT - RIGHT) / 2.0
        } else {
            LEFT + (W - LEFT - RIGHT) * (at - t0) as f64 / (t1 - t0) as f64
        }
    };
    let series = |position: i64| -> Vec<(f64, f64)> {
        points
            .iter()
            .filter(|p| p.position == position)
            .map(|p| (x(p.at_ms), y(p.total as f64, max)))
            .collect()
    };
    let (first, second) = (series(1), series(2));
    let line = |s: &[(f64, f64)]| {
        s.iter()
            .map(|(a, b)| format!("{a:.1},{b:.1}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let latest = |position: i64| {
        points
            .iter()
            .rev()
            .find(|p| p.position == position)
            .map(|p| {
                let band = instrument.band(p.total).map(|b| b.label).unwrap_or("");
                format!("{} ({band})", p.total)
            })
            .unwrap_or_else(|| "not answered".into())
    };
    let title = format!("{} ({}, 0\u{2013}{max})", instrument.title, instrument.name);
    let summary = format!(
        "{title}: {} answers. Latest: {} {}; {} {}.",
        points.len(),
        names[0],
        latest(1),
        names[1],
        latest(2)
    );
    let bands = instrument
        .bands
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let (top, bottom) = (y(b.max as f64 + 0.5, max).max(TOP), y(b.min as f64 - 0.5, max));
            let bottom = bottom.min(H - BOTTOM);
            view! {
                <rect x=LEFT y=top width=W - LEFT - RIGHT height=(bottom - top).max(0.0) class=format!("band band-{}", i % 2) />
                <text x=W - RIGHT + 6.0 y=(top + bottom) / 2.0 + 4.0 class="tick">{format!("{}\u{2013}{} {}", b.min, b.max, b.label)}</text>
            }
        })
        .collect_view();
    let days = [points.first(), points.last()]
        .into_iter()
        .flatten()
        .map(|p| (x(p.at_ms), p.day.clone()))
        .collect::<Vec<_>>();
    let caption_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled_by = format!("{caption_id} {desc_id}");
    let rows = points
        .iter()
        .rev()
        .map(|p| {
            let who = names[(p.position as usize).clamp(1, 2) - 1].clone();
            let band = instrument.band(p.total).map(|b| b.label).unwrap_or("");
            view! { <tr><td>{p.day.clone()}</td><td>{who}</td><td>{p.total}</td><td>{band}</td></tr> }
        })
        .collect_view();
    view! {
        <figure class="chart measure-chart">
            <figcaption id=caption_id>{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby=labelled_by class="chart-svg">
                <desc id=desc_id>{summary}</desc>
                {bands}
                {days.into_iter().enumerate().map(|(i, (dx, d))| view! {
                    <text x=dx y=H - 8.0 class="tick" text-anchor=if i == 0 { "start" } else { "end" }>{d}</text>
                }).collect_view()}
                <polyline points=line(&first) class="series series-1" />
                <polyline points=line(&second) class="series series-2" />
                {first.iter().map(|(cx, cy)| view! { <circle cx=*cx cy=*cy r="4" class="marker-1" /> }).collect_view()}
                {second.iter().map(|(cx, cy)| view! { <rect x=cx - 4.0 y=cy - 4.0 width="8" height="8" class="marker-2" /> }).collect_view()}
            </svg>
            <p class="legend">
                <span class="key key-1">{format!("\u{25cf}\u{2014} {}", names[0])}</span>
                <span class="key key-2">{format!("\u{25a0}- - {}", names[1])}</span>
            </p>
            <details>
                <summary>{format!("{} scores as a table", instrument.name)}</summary>
                <table class="data-table">
                    <caption class="visually-hidden">{title}</caption>
                    <thead><tr><th scope="col">"Date"</th><th scope="col">"Partner"</th><th scope="col">"Total"</th><th scope="col">"Band"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
            <p class="muted citation">{format!("{} {}", instrument.bands_note, instrument.citation)}</p>
        </figure>
    }
}
