//! Homework: exercises a counselor assigns to each partner, answered alone, saved as drafts,
//! submitted with the partner's chosen visibility, and reviewed by the counselor.

pub mod api;
pub mod joint;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod ui;

use crate::features::program::ResponseField;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The longest written answer accepted.
pub const MAX_ANSWER_CHARS: usize = 20_000;
pub const MAX_FEEDBACK_CHARS: usize = 10_000;

/// Who may read a submission besides its author: chosen by the partner for each one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// "My counselor only" (the default).
    Counselor,
    /// "My counselor and my partner".
    Shared,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Counselor => "counselor",
            Visibility::Shared => "shared",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "counselor" => Some(Visibility::Counselor),
            "shared" => Some(Visibility::Shared),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Visibility::Counselor => "My counselor only",
            Visibility::Shared => "My counselor and my partner",
        }
    }
}

/// One answer: written text, a 0 to 10 rating, or the ticked items of a checklist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerValue {
    Text(String),
    Rating(u8),
    Checked(Vec<usize>),
}

/// Answers by field key.
pub type Answers = BTreeMap<String, AnswerValue>;

/// Where a piece of homework stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HomeworkState {
    /// Nothing submitted yet (a partner's draft is theirs alone).
    NotSubmitted,
    /// Submitted, awaiting the counselor's review.
    Submitted,
    /// The latest submission has been reviewed.
    Reviewed,
    Cancelled,
    /// A copy of repeating homework left unsubmitted when its next copy went out. The
    /// counselor sees it as missed; the partner simply sees the current copy.
    Missed,
}

impl HomeworkState {
    pub fn label(self) -> &'static str {
        match self {
            HomeworkState::NotSubmitted => "Not submitted",
            HomeworkState::Submitted => "Awaiting review",
            HomeworkState::Reviewed => "Reviewed",
            HomeworkState::Cancelled => "Cancelled",
            HomeworkState::Missed => "Missed",
        }
    }
}

/// A line of a homework list (the partner's, or the counselor's board).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeworkItem {
    pub assignment_id: String,
    pub title: String,
    pub position: i64,
    pub partner_name: String,
    pub step_number: Option<i64>,
    pub due_on: Option<chrono::NaiveDate>,
    pub overdue: bool,
    pub state: HomeworkState,
    /// The partner has a draft saved (shown to the partner only).
    pub has_draft: bool,
    /// Repeats every this many days (1 = daily, 7 = weekly) while the couple is on its step.
    pub repeat_days: Option<i64>,
    /// Done together: one shared answer (`joint`); `assignment_id` is the joint work's id,
    /// `position` is 0, and "submitted" means sent to the counselor.
    pub joint: bool,
}

/// How often homework repeats, as people read it.
pub fn repeat_phrase(days: Option<i64>) -> Option<&'static str> {
    match days {
        Some(1) => Some("repeats daily"),
        Some(7) => Some("repeats weekly"),
        Some(_) => Some("repeats"),
        None => None,
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionView {
    pub version: i64,
    pub answers: Answers,
    pub visibility: Visibility,
    pub submitted_at: chrono::DateTime<chrono::Utc>,
    /// When, in the reader's time zone ("3 Dec 2026, 14:02").
    pub when: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackView {
    pub feedback: String,
    pub by: String,
    pub at: chrono::DateTime<chrono::Utc>,
    /// The day, in the reader's time zone ("3 Dec 2026").
    pub day: String,
    pub version: i64,
}

/// A partner's own piece of homework, to answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeworkPage {
    pub assignment_id: String,
    pub title: String,
    pub instructions: String,
    pub fields: Vec<ResponseField>,
    pub due_on: Option<chrono::NaiveDate>,
    pub cancelled: bool,
    /// For the counselor's eyes only: no "share with my partner" choice.
    pub counselor_only: bool,
    /// The partner's draft and when it was saved, in their time zone ("3 Dec 14:02").
    pub draft: Option<(Answers, Visibility, String)>,
    /// A missed copy of repeating homework (the current copy is on the partner's home).
    pub missed: bool,
    pub latest: Option<SubmissionView>,
    pub feedback: Vec<FeedbackView>,
    /// Crisis help, first on the page just after this partner ticked a safety item here.
    pub help: Option<crate::features::safety::CrisisInfo>,
    /// The program step it was sent for, with what the step is for in partners' words.
    pub step: Option<crate::features::program::PartnerStep>,
}

/// What the other partner chose to share.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedAnswer {
    pub partner_name: String,
    pub title: String,
    pub fields: Vec<ResponseField>,
    pub answers: Answers,
    pub submitted_at: chrono::DateTime<chrono::Utc>,
    /// The day, in the reader's time zone; empty where no reader is known (exports).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub day: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerHomework {
    pub items: Vec<HomeworkItem>,
    pub shared: Vec<SharedAnswer>,
}

/// An assignment as its counselor reviews it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentReview {
    pub assignment_id: String,
    pub couple_id: String,
    pub case_name: String,
    pub partner_name: String,
    pub title: String,
    pub instructions: String,
    pub fields: Vec<ResponseField>,
    pub due_on: Option<chrono::NaiveDate>,
    pub state: HomeworkState,
    /// Every submitted version, newest first.
    pub submissions: Vec<SubmissionView>,
    pub feedback: Vec<FeedbackView>,
}

/// The assign page's starting point.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentForm {
    pub couple_id: String,
    pub case_name: String,
    pub closed: bool,
    pub partners: Vec<(i64, String)>,
    pub template_id: Option<String>,
    /// "both", "1" or "2".
    pub recipients: String,
    pub step_number: Option<i64>,
    pub title: String,
    pub instructions: String,
    pub fields: Vec<ResponseField>,
    /// "once", "daily" or "weekly": the exercise's suggested cadence.
    pub repeat: String,
    /// For an exercise meant for one role: that role ("The hurt partner"). It goes to the
    /// partner with that role only, never silently to both.
    pub for_role: Option<String>,
    /// The exercise is for one role and no partner of this couple has it yet: it cannot be
    /// sent until the counselor sets the partners' roles.
    pub roles_missing: bool,
    /// Done together: one shared answer for the couple, not a copy each.
    pub joint: bool,
}

/// Exercises to choose from when assigning, by step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExerciseChoices {
    pub step_number: i64,
    pub step_title: String,
    pub exercises: Vec<(String, String)>,
}

/// A submission waiting for its counselor's review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub assignment_id: String,
    pub title: String,
    pub case_name: String,
    pub partner_name: String,
    pub version: i64,
    pub submitted_at: chrono::DateTime<chrono::Utc>,
}
