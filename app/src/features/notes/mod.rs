//! Clinical notes (drafted from SOAP, DAP, BIRP or free-form templates, then signed and
//! locked), their addenda and co-signatures, psychotherapy notes kept apart, supervision,
//! and the couple's treatment goals. Never visible to partners; every read is audited.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod ui;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoteTemplate {
    Soap,
    Dap,
    Birp,
    Free,
}

impl NoteTemplate {
    pub const ALL: [NoteTemplate; 4] = [
        NoteTemplate::Soap,
        NoteTemplate::Dap,
        NoteTemplate::Birp,
        NoteTemplate::Free,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            NoteTemplate::Soap => "soap",
            NoteTemplate::Dap => "dap",
            NoteTemplate::Birp => "birp",
            NoteTemplate::Free => "free",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            NoteTemplate::Soap => "SOAP (subjective, objective, assessment, plan)",
            NoteTemplate::Dap => "DAP (data, assessment, plan)",
            NoteTemplate::Birp => "BIRP (behavior, intervention, response, plan)",
            NoteTemplate::Free => "Free-form",
        }
    }
    pub fn short(self) -> &'static str {
        match self {
            NoteTemplate::Soap => "SOAP",
            NoteTemplate::Dap => "DAP",
            NoteTemplate::Birp => "BIRP",
            NoteTemplate::Free => "Free-form",
        }
    }
    /// The template's sections: key, label, and a prompt for what goes there.
    pub fn sections(self) -> &'static [(&'static str, &'static str, &'static str)] {
        match self {
            NoteTemplate::Soap => &[
                (
                    "subjective",
                    "Subjective",
                    "What each partner reported, in their words where it matters.",
                ),
                (
                    "objective",
                    "Objective",
                    "What you observed: affect, interaction, anything measurable.",
                ),
                (
                    "assessment",
                    "Assessment",
                    "Your clinical reading of where the couple is and why.",
                ),
                (
                    "plan",
                    "Plan",
                    "Next steps: homework, focus of the next session, referrals.",
                ),
            ],
            NoteTemplate::Dap => &[
                ("data", "Data", "What was said and observed in the session."),
                (
                    "assessment",
                    "Assessment",
                    "Your interpretation and the couple's progress.",
                ),
                ("plan", "Plan", "What happens next."),
            ],
            NoteTemplate::Birp => &[
                (
                    "behavior",
                    "Behavior",
                    "The presenting behaviors and concerns this session.",
                ),
                (
                    "intervention",
                    "Intervention",
                    "What you did: techniques, exercises, psychoeducation.",
                ),
                ("response", "Response", "How each partner responded."),
                ("plan", "Plan", "What happens next."),
            ],
            NoteTemplate::Free => &[("note", "Note", "Write the note as you like.")],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoteKind {
    /// Part of the clinical record.
    Progress,
    /// The counselor's private process notes: kept apart from the record, read only by
    /// their author, and left out of reports and exports unless explicitly included.
    Psychotherapy,
}

impl NoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Progress => "progress",
            NoteKind::Psychotherapy => "psychotherapy",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "progress" => Some(NoteKind::Progress),
            "psychotherapy" => Some(NoteKind::Psychotherapy),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            NoteKind::Progress => "Progress note",
            NoteKind::Psychotherapy => "Psychotherapy note (private process notes)",
        }
    }
}

/// Longest text of one section or addendum.
pub const MAX_SECTION_CHARS: usize = 20_000;

/// A note in a session's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteSummary {
    pub note_id: String,
    pub kind: NoteKind,
    pub template: NoteTemplate,
    pub author: String,
    /// "Draft, last saved ..." or "Signed by ... on ...".
    pub state: String,
    pub signed: bool,
}

/// One section of a note, with its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteSection {
    pub key: String,
    pub label: String,
    pub prompt: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddendumView {
    pub author: String,
    pub signed: String,
    pub body: String,
    pub content_hash: String,
}

/// A note as its readers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteView {
    pub note_id: String,
    pub session_id: String,
    pub couple_id: String,
    pub case_name: String,
    pub session_when: String,
    pub kind: NoteKind,
    pub template: NoteTemplate,
    pub author: String,
    pub sections: Vec<NoteSection>,
    /// Goals the reader may tick or read, and whether this note addresses each: the couple's
    /// goals for its counselor; only those the note addresses for anyone else.
    pub goals: Vec<(NoteGoal, bool)>,
    pub saved: String,
    /// (signer, when, content hash) once signed.
    pub signature: Option<(String, String, String)>,
    pub cosignatures: Vec<(String, String)>,
    pub addenda: Vec<AddendumView>,
    /// The reader wrote this note (and may edit its draft or add addenda).
    pub is_author: bool,
    /// The reader supervises the author and has not co-signed yet.
    pub can_cosign: bool,
}

/// A goal as a note names it: what it is, not how the couple is doing on it now (its
/// status is the couple's current data, not part of the note).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteGoal {
    pub goal_id: String,
    pub title: String,
    pub objective: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GoalStatus {
    Active,
    Met,
    Paused,
    Dropped,
}

impl GoalStatus {
    pub const ALL: [GoalStatus; 4] = [
        GoalStatus::Active,
        GoalStatus::Met,
        GoalStatus::Paused,
        GoalStatus::Dropped,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            GoalStatus::Active => "active",
            GoalStatus::Met => "met",
            GoalStatus::Paused => "paused",
            GoalStatus::Dropped => "dropped",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            GoalStatus::Active => "Active",
            GoalStatus::Met => "Met",
            GoalStatus::Paused => "Paused",
            GoalStatus::Dropped => "Dropped",
        }
    }
}

/// A treatment goal of a couple.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalView {
    pub goal_id: String,
    pub title: String,
    pub objective: String,
    pub status: GoalStatus,
    pub target_date: Option<chrono::NaiveDate>,
}

/// A supervision pairing, for the administrator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supervision {
    pub supervisor_id: String,
    pub supervisor: String,
    pub supervisee_id: String,
    pub supervisee: String,
}

/// Notes a supervisor may read and co-sign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisedNote {
    pub note_id: String,
    pub author: String,
    pub case_name: String,
    pub session_when: String,
    pub template: NoteTemplate,
    pub cosigned: bool,
}

/// The key of a goal's tick in a note's `goals` map. The form field is `goals[<key>]`; a key
/// starting with a letter keeps the form decoder from reading an id that starts with digits
/// (every time-ordered id does) as a list index, which refused the whole form.
pub fn goal_key(goal_id: &str) -> String {
    format!("goal-{goal_id}")
}

/// The goal ids ticked in a note's `goals` map.
pub fn ticked_goals(goals: std::collections::BTreeMap<String, String>) -> Vec<String> {
    goals
        .into_keys()
        .filter_map(|k| k.strip_prefix("goal-").map(str::to_string))
        .collect()
}
