//! The printable progress report of a couple for a period: the program, homework completion,
//! check-in charts and goals, and signed notes when the counselor ticks them in. A composition
//! of the program, homework, check-ins and notes.

pub mod api;
#[cfg(feature = "ssr")]
mod build;
pub mod ui;

use serde::{Deserialize, Serialize};

/// A note as the printable report includes it (signed notes only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportNote {
    pub session: String,
    pub kind: String,
    pub template: String,
    pub author: String,
    pub signed: String,
    pub sections: Vec<(String, String)>,
}

/// Homework completion of one partner over the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completion {
    pub partner_name: String,
    pub assigned: i64,
    pub submitted: i64,
}

/// The printable progress report of a couple for a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub couple_id: String,
    pub case_name: String,
    pub partner_names: [String; 2],
    pub counselor: String,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub generated: String,
    pub step_now: Option<String>,
    pub step_moves: Vec<(String, String)>,
    pub completion: Vec<Completion>,
    pub points: Vec<crate::features::progress::Point>,
    /// PHQ-9, GAD-7 and PCL-5 totals answered in the period.
    pub questionnaires: crate::features::measures::MeasureScores,
    pub goals: Vec<crate::features::notes::GoalView>,
    /// Present when the counselor ticked notes in.
    pub notes: Option<Vec<ReportNote>>,
    pub psychotherapy_included: bool,
}
