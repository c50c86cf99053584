//! Standard measures (PHQ-9, GAD-7, PCL-5) that partners answer in the check-in flow, and
//! their scores over time. The counselor chooses, per partner, which and how often; each
//! answer is kept as given; PHQ-9 item 9 above "not at all" raises a safety flag at once.

pub mod api;
pub mod chart;
pub mod instruments;
/// The PCL-5's items and cluster subscores, split out of `instruments` for length.
pub mod pcl5;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod ui;

use serde::{Deserialize, Serialize};

/// Where a partner answers one measure (`/measures/phq9`).
pub const PAGE: &str = "/measures";
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// How often a partner is asked: every so many days, or before each session they attend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Frequency {
    BeforeEachSession,
    EveryDays(i64),
}

impl Frequency {
    /// The choices the counselor's form offers.
    pub const CHOICES: [Frequency; 4] = [
        Frequency::BeforeEachSession,
        Frequency::EveryDays(7),
        Frequency::EveryDays(14),
        Frequency::EveryDays(28),
    ];

    /// As stored: days, 0 for before each session.
    pub fn days(self) -> i64 {
        match self {
            Frequency::BeforeEachSession => 0,
            Frequency::EveryDays(d) => d,
        }
    }

    pub fn from_days(days: i64) -> Option<Self> {
        match days {
            0 => Some(Frequency::BeforeEachSession),
            d if d > 0 => Some(Frequency::EveryDays(d)),
            _ => None,
        }
    }

    pub fn label(self) -> String {
        match self {
            Frequency::BeforeEachSession => "Before each session".into(),
            Frequency::EveryDays(7) => "Every week".into(),
            Frequency::EveryDays(d) if d % 7 == 0 => format!("Every {} weeks", d / 7),
            Frequency::EveryDays(d) => format!("Every {d} days"),
        }
    }

    /// Whether a measure is due now. `last`: when it was last answered; `sessions`: when
    /// the latest session the partner attends began, and when the next scheduled one begins.
    /// Before each session means once in the week before it (an answer given before the
    /// previous session counts for that one); a repeating measure comes due half a day early,
    /// so one answered on a Monday evening is due again on the next Monday morning.
    pub fn due(self, last: Option<i64>, sessions: (Option<i64>, Option<i64>), now: i64) -> bool {
        match self {
            Frequency::EveryDays(days) => {
                last.is_none_or(|at| now - at >= days * DAY_MS - DAY_MS / 2)
            }
            Frequency::BeforeEachSession => {
                let (previous, next) = sessions;
                let Some(next) = next.filter(|at| at - now <= 7 * DAY_MS) else {
                    return false;
                };
                let window = (next - 7 * DAY_MS).max(previous.unwrap_or(i64::MIN));
                last.is_none_or(|at| at < window)
            }
        }
    }
}

/// A measure a partner is asked to answer now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueMeasure {
    /// The instrument's key (`phq9`); its texts are in `instruments`.
    pub key: String,
    /// Where to answer it (with the couple when the partner has more than one).
    pub href: String,
}

/// A partner's measure page: the instrument comes from `instruments::by_key(key)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureForm {
    pub key: String,
    pub couple_param: String,
    pub counselor_name: String,
    /// Whether the counselor asks for it now (a partner may still answer it again).
    pub due: bool,
    /// When they last answered it ("3 December 2026").
    pub last_answered: Option<String>,
    pub closed: bool,
    /// Crisis help, shown first for a while after an answer that raised a flag.
    pub help: Option<crate::features::safety::CrisisInfo>,
}

/// One partner's measures on the case page: what is chosen and how often.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerPlan {
    pub position: i64,
    pub partner_name: String,
    /// (measure key, how often) for each chosen measure.
    pub chosen: Vec<(String, Frequency)>,
}

/// One answer's total, for charts and tables.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScorePoint {
    pub position: i64,
    /// When, as the reader's date ("2026-12-03").
    pub day: String,
    pub at_ms: i64,
    pub total: i64,
}

/// Every measure's scores for a couple, by measure key, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureScores {
    pub names: [String; 2],
    pub by_measure: Vec<(String, Vec<ScorePoint>)>,
}

impl MeasureScores {
    /// A partner's latest total of a measure and the one before it.
    pub fn latest(&self, key: &str, position: i64) -> (Option<i64>, Option<i64>) {
        let mut totals = self
            .by_measure
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, points)| points.iter().filter(|p| p.position == position))
            .rev()
            .map(|p| p.total);
        (totals.next(), totals.next())
    }
}

impl MeasureScores {
    /// Each partner's latest total of each measure they answered, in words, with its band and
    /// the total before it: "Sam, PHQ-9 on 2026-11-30: 12 (Moderate), was 15".
    pub fn sentences(&self) -> Vec<String> {
        let mut out = Vec::new();
        for position in [1, 2] {
            for (key, points) in &self.by_measure {
                let Some(instrument) = instruments::by_key(key) else {
                    continue;
                };
                let mut mine = points.iter().rev().filter(|p| p.position == position);
                let Some(now) = mine.next() else { continue };
                let band = instrument.band(now.total).map(|b| b.label).unwrap_or("");
                let was = mine
                    .next()
                    .map(|b| format!(", was {}", b.total))
                    .unwrap_or_default();
                out.push(format!(
                    "{}, {} on {}: {} ({band}){was}",
                    self.names[position as usize - 1],
                    instrument.name,
                    now.day,
                    now.total
                ));
            }
        }
        out
    }
}

/// The case page's measures section.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasuresPanel {
    pub plans: Vec<PartnerPlan>,
    pub scores: MeasureScores,
}

#[cfg(test)]
mod tests;
