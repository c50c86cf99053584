//! The program library: programs of steps (the built-in "Rebuilding trust in ten steps" and
//! a practice's own), each step's exercise templates, and where a couple stands.

pub mod api;
pub mod for_partners;
mod lines;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod seed;
pub mod ui;

pub use lines::{SAFETY_MARK, fields_from_lines, fields_to_lines};
use serde::{Deserialize, Serialize};

/// Who an exercise is meant for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Both,
    BrokeTrust,
    Hurt,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Both => "both",
            Audience::BrokeTrust => "broke_trust",
            Audience::Hurt => "hurt",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "both" => Some(Audience::Both),
            "broke_trust" => Some(Audience::BrokeTrust),
            "hurt" => Some(Audience::Hurt),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Audience::Both => "Both partners",
            Audience::BrokeTrust => "The partner who broke trust",
            Audience::Hurt => "The hurt partner",
        }
    }
}

/// How often an exercise is suggested.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    Once,
    Daily,
    Weekly,
}

impl Cadence {
    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Once => "once",
            Cadence::Daily => "daily",
            Cadence::Weekly => "weekly",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "once" => Some(Cadence::Once),
            "daily" => Some(Cadence::Daily),
            "weekly" => Some(Cadence::Weekly),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Cadence::Once => "Once",
            Cadence::Daily => "Daily",
            Cadence::Weekly => "Weekly",
        }
    }
}

/// One thing a partner answers in an exercise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ResponseField {
    /// A free-text prompt.
    Text {
        key: String,
        label: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        help: Option<String>,
    },
    /// A 0 to 10 rating with labelled ends.
    Rating {
        key: String,
        label: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        help: Option<String>,
        low: String,
        high: String,
    },
    /// Items to tick.
    Checklist {
        key: String,
        label: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        help: Option<String>,
        items: Vec<String>,
        /// Items that raise a safety flag when ticked ("Feeling unsafe"), as the check-in's
        /// safety question does. Written `!item` in the line format.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        safety: Vec<String>,
    },
}

impl ResponseField {
    pub fn key(&self) -> &str {
        match self {
            ResponseField::Text { key, .. }
            | ResponseField::Rating { key, .. }
            | ResponseField::Checklist { key, .. } => key,
        }
    }

    pub fn label(&self) -> &str {
        match self {
            ResponseField::Text { label, .. }
            | ResponseField::Rating { label, .. }
            | ResponseField::Checklist { label, .. } => label,
        }
    }
}

/// An exercise template at its current version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateView {
    pub template_id: String,
    pub version: i64,
    pub title: String,
    pub instructions: String,
    pub audience: Audience,
    pub cadence: Cadence,
    pub fields: Vec<ResponseField>,
    /// For the counselor's eyes only: partners answering it have no "share" choice.
    pub counselor_only: bool,
    /// Done together: one shared answer either partner may change.
    pub joint: bool,
}

/// Why a counselor-only exercise cannot be shared, as the partner reads it.
pub const COUNSELOR_ONLY_WHY: &str = "Only your counselor reads what you write here. Words like these are best \
     brought to your partner with your counselor's help, in a session, rather than shared on a screen, \
     so this exercise has no \u{201c}share with my partner\u{201d} choice.";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub number: i64,
    pub title: String,
    pub purpose: String,
    /// What the step is for, as both partners read it.
    pub for_partners: String,
    pub guidance: String,
    pub templates: Vec<TemplateView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramView {
    pub program_id: String,
    pub title: String,
    pub summary: String,
    pub builtin: bool,
    pub steps: Vec<StepView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramSummary {
    pub program_id: String,
    pub title: String,
    pub builtin: bool,
    pub steps: i64,
}

/// A couple's step as its partners read it: on their home (their current step) and on
/// homework sent for the step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerStep {
    pub number: i64,
    pub title: String,
    /// Steps in the couple's program.
    pub of: i64,
    /// Empty when the practice's program has no words for partners at this step.
    pub for_partners: String,
}

/// An exercise a counselor can assign, under its step (the case page's pick list).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExerciseOption {
    pub step_number: i64,
    pub step_title: String,
    pub template_id: String,
    pub title: String,
    pub audience: Audience,
    pub joint: bool,
}

/// A step by number and title (for pick lists and the case page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepTitle {
    pub number: i64,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepMoveView {
    pub at: chrono::DateTime<chrono::Utc>,
    pub from_step: Option<i64>,
    pub to_step: i64,
    pub reason: String,
    pub by: String,
}

/// Where a couple stands in their program, as the case page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoupleProgress {
    /// `None` until the counselor starts the couple on a program.
    pub program: Option<(String, String)>,
    pub current_step: Option<i64>,
    pub steps: Vec<StepTitle>,
    pub moves: Vec<StepMoveView>,
    /// Programs the counselor can start the couple on.
    pub programs: Vec<ProgramSummary>,
}

/// The longest reason for a step move.
pub const MAX_REASON_CHARS: usize = 500;

/// The exercise form as submitted (`exercise[...]` fields).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExerciseInput {
    pub title: String,
    pub instructions: String,
    pub audience: String,
    pub cadence: String,
    pub questions: String,
    /// "on" when ticked: for the counselor's eyes only.
    #[serde(default)]
    pub counselor_only: String,
    /// "on" when ticked: the partners write one answer together.
    #[serde(default)]
    pub joint: String,
}

/// A template as its edit page needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateEdit {
    pub template_id: Option<String>,
    pub program_id: String,
    pub program_title: String,
    pub step_number: i64,
    pub step_title: String,
    pub version: i64,
    pub title: String,
    pub instructions: String,
    pub audience: Audience,
    pub cadence: Cadence,
    pub lines: String,
    /// The current questions (their keys are kept when an edit leaves them in place).
    pub fields: Vec<ResponseField>,
    pub counselor_only: bool,
    pub joint: bool,
}
