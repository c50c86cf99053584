//! Work done together: one shared answer both partners write (step 2's "How we'll handle hard
//! feelings", step 3's transparency plan, step 8's agreements). Either partner may change it;
//! every save is a version kept for good, and each partner sees what the other changed since
//! they last saved. Two saves that cross never overwrite each other unseen.

use super::{AnswerValue, Answers};
use crate::features::program::{PartnerStep, ResponseField};
use serde::{Deserialize, Serialize};

/// Where a piece of joint work stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JointState {
    /// Nobody has written anything yet.
    NotStarted,
    /// Written, not yet sent to the counselor.
    InProgress,
    /// The newest version is the one sent to the counselor.
    Sent,
    /// Sent once, and changed since.
    ChangedSinceSent,
    Cancelled,
}

impl JointState {
    pub fn of(current: i64, sent: Option<i64>, cancelled: bool) -> Self {
        match (cancelled, current, sent) {
            (true, _, _) => JointState::Cancelled,
            (false, 0, _) => JointState::NotStarted,
            (false, c, Some(s)) if s >= c => JointState::Sent,
            (false, _, Some(_)) => JointState::ChangedSinceSent,
            (false, _, None) => JointState::InProgress,
        }
    }

    /// As partners read it.
    pub fn label(self) -> &'static str {
        match self {
            JointState::NotStarted => "To do together",
            JointState::InProgress => "Started together",
            JointState::Sent => "Sent to your counselor",
            JointState::ChangedSinceSent => "Changed since you sent it",
            JointState::Cancelled => "Cancelled",
        }
    }

    /// As the counselor reads it.
    pub fn counselor_label(self) -> &'static str {
        match self {
            JointState::NotStarted => "Not started",
            JointState::InProgress => "Being written",
            JointState::Sent => "Sent to you",
            JointState::ChangedSinceSent => "Changed since sent",
            JointState::Cancelled => "Cancelled",
        }
    }
}

/// One saved version of the shared answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JointVersionView {
    pub version: i64,
    /// 1 or 2: who saved it.
    pub position: i64,
    pub author: String,
    /// When, in the viewer's time zone.
    pub when: String,
    pub answers: Answers,
    /// The questions whose answer this version changed.
    pub changed: Vec<String>,
}

/// One answer the other partner changed since the viewer last saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub label: String,
    /// The answer as the viewer last saved it (empty: it had none).
    pub before: String,
    pub now: String,
}

/// A written answer of the newest version that could become an agreement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementCandidate {
    pub key: String,
    pub label: String,
    pub text: String,
}

/// A piece of joint work as one of its partners or their counselor reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JointPage {
    pub joint_id: String,
    pub couple_id: String,
    pub step_number: Option<i64>,
    pub title: String,
    pub instructions: String,
    pub fields: Vec<ResponseField>,
    pub due_on: Option<chrono::NaiveDate>,
    pub state: JointState,
    /// The case is closed: nothing can change.
    pub closed: bool,
    pub partner_names: [String; 2],
    /// The viewer's position when a partner reads it; `None` for the counselor.
    pub viewer: Option<i64>,
    /// Every version, newest first.
    pub versions: Vec<JointVersionView>,
    /// What the other partner changed since the viewer last saved (partners only).
    pub since_mine: Vec<FieldChange>,
    /// The viewer's own words that crossed with a newer save, kept for them alone, with the
    /// version they were written on (partners only).
    pub crossed: Option<(Answers, i64)>,
    /// The version sent to the counselor, and when.
    pub sent: Option<(i64, String)>,
    /// The step it was sent for, in partners' words (partners only).
    pub step: Option<PartnerStep>,
    /// The version last turned into draft agreements (counselor only).
    pub agreements_version: Option<i64>,
    /// Written answers of the newest version that could become agreements (counselor only).
    pub candidates: Vec<AgreementCandidate>,
}

impl JointPage {
    pub fn current(&self) -> Option<&JointVersionView> {
        self.versions.first()
    }
}

/// The text an answer reads as, for comparing versions and drafting agreements.
pub fn answer_text(field: &ResponseField, answers: &Answers) -> String {
    match (answers.get(field.key()), field) {
        (Some(AnswerValue::Text(t)), _) => t.clone(),
        (Some(AnswerValue::Rating(r)), _) => format!("{r} out of 10"),
        (Some(AnswerValue::Checked(c)), ResponseField::Checklist { items, .. }) => c
            .iter()
            .filter_map(|i| items.get(*i))
            .cloned()
            .collect::<Vec<_>>()
            .join("; "),
        _ => String::new(),
    }
}

/// The questions whose answers differ between two versions, in the exercise's order.
pub fn changed_fields(
    fields: &[ResponseField],
    before: &Answers,
    after: &Answers,
) -> Vec<FieldChange> {
    fields
        .iter()
        .filter(|f| before.get(f.key()) != after.get(f.key()))
        .map(|f| FieldChange {
            label: f.label().to_string(),
            before: answer_text(f, before),
            now: answer_text(f, after),
        })
        .collect()
}

/// What the viewer has not seen of the other partner's work: the changes between the last
/// version the viewer saved (nothing, if they never saved) and the newest, when the newest
/// is not their own.
pub fn since_last_saved(
    fields: &[ResponseField],
    versions: &[JointVersionView],
    viewer: i64,
) -> Vec<FieldChange> {
    let Some(newest) = versions.first() else {
        return Vec::new();
    };
    if newest.position == viewer {
        return Vec::new();
    }
    let empty = Answers::new();
    let mine = versions
        .iter()
        .find(|v| v.position == viewer)
        .map(|v| &v.answers)
        .unwrap_or(&empty);
    changed_fields(fields, mine, &newest.answers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Vec<ResponseField> {
        vec![
            ResponseField::Text {
                key: "pause".into(),
                label: "Pause signal".into(),
                help: None,
            },
            ResponseField::Checklist {
                key: "agreed".into(),
                label: "We agree".into(),
                help: None,
                items: vec!["Finish speaking".into(), "Come back".into()],
                safety: vec![],
            },
        ]
    }

    fn version(n: i64, position: i64, pause: &str, checked: Vec<usize>) -> JointVersionView {
        let mut answers = Answers::new();
        if !pause.is_empty() {
            answers.insert("pause".into(), AnswerValue::Text(pause.into()));
        }
        if !checked.is_empty() {
            answers.insert("agreed".into(), AnswerValue::Checked(checked));
        }
        JointVersionView {
            version: n,
            position,
            author: format!("P{position}"),
            when: String::new(),
            answers,
            changed: vec![],
        }
    }

    #[test]
    fn states_follow_versions_and_sending() {
        assert_eq!(JointState::of(0, None, false), JointState::NotStarted);
        assert_eq!(JointState::of(2, None, false), JointState::InProgress);
        assert_eq!(JointState::of(2, Some(2), false), JointState::Sent);
        assert_eq!(
            JointState::of(3, Some(2), false),
            JointState::ChangedSinceSent
        );
        assert_eq!(JointState::of(3, Some(2), true), JointState::Cancelled);
    }

    #[test]
    fn a_partner_sees_what_the_other_changed_since_they_last_saved() {
        // Newest first: 3 by partner 2, 2 by partner 2, 1 by partner 1.
        let versions = vec![
            version(3, 2, "A hand on the table", vec![0, 1]),
            version(2, 2, "A hand on the table", vec![0]),
            version(1, 1, "Say 'pause'", vec![0]),
        ];
        let seen = since_last_saved(&fields(), &versions, 1);
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0].before, "Say 'pause'");
        assert_eq!(seen[0].now, "A hand on the table");
        assert_eq!(seen[1].before, "Finish speaking");
        assert_eq!(seen[1].now, "Finish speaking; Come back");
        // The author of the newest version has nothing new to see.
        assert!(since_last_saved(&fields(), &versions, 2).is_empty());
    }

    #[test]
    fn a_partner_who_never_saved_sees_everything_as_new() {
        let versions = vec![version(1, 2, "Raise a hand", vec![])];
        let seen = since_last_saved(&fields(), &versions, 1);
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].before, "");
        assert_eq!(seen[0].now, "Raise a hand");
        assert!(since_last_saved(&fields(), &[], 1).is_empty());
    }
}
