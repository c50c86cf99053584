//! The intake questionnaire: what each partner tells their counselor privately before the
//! first session (how to reach them, someone to call in an emergency, what brings them,
//! counselling before, who supports them) and a short safety screen that can raise a flag.
//! Their counselor reads both partners' answers; the other partner never sees them.

pub mod api;
mod questions;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod ui;

pub use questions::{
    Choice, Kind, Problem, Question, SECTIONS, Section, clean, concerns, questions, shown,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a partner answers their intake.
pub const PAGE: &str = "/intake";
/// The longest one-line answer (a name, a number).
pub const MAX_SHORT: usize = 120;
/// The longest written answer.
pub const MAX_LONG: usize = 5_000;

/// Answers by question key, as the form posts them and as they are stored (JSON).
pub type IntakeAnswers = BTreeMap<String, String>;

/// A partner's intake page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeForm {
    /// What the partner's links and forms name the couple by (empty with one couple).
    pub couple_param: String,
    /// The draft, or else the latest copy sent, or nothing yet.
    pub answers: IntakeAnswers,
    /// When the draft was last saved ("3 Dec, 14:05", the partner's time).
    pub draft_saved: Option<String>,
    /// When the latest copy was sent ("3 December 2026").
    pub sent: Option<String>,
    /// Whether the case is closed (nothing more is collected).
    pub closed: bool,
    pub counselor_name: String,
    /// Crisis help, shown first for a while after an answer that raised a flag.
    pub help: Option<crate::features::safety::CrisisInfo>,
}

/// The intake on a partner's home: a task until it is sent, then a way back to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeTask {
    pub couple_param: String,
    pub counselor_name: String,
    /// Whether a draft is saved.
    pub started: bool,
    /// When it was sent ("3 December 2026").
    pub sent: Option<String>,
}

/// One copy a partner sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeCopy {
    pub sent: String,
    pub answers: IntakeAnswers,
}

/// One partner's intake as their counselor reads it: every copy sent, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerIntake {
    pub position: i64,
    pub partner_name: String,
    pub joined: bool,
    pub copies: Vec<IntakeCopy>,
}

impl PartnerIntake {
    /// Where this partner stands, as the case page says it.
    pub fn status(&self) -> IntakeStatus {
        IntakeStatus {
            partner_name: self.partner_name.clone(),
            joined: self.joined,
            first_sent: self.copies.last().map(|c| c.sent.clone()),
            last_sent: self.copies.first().map(|c| c.sent.clone()),
        }
    }
}

/// One partner's intake on the case page: whether and when they sent it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeStatus {
    pub partner_name: String,
    pub joined: bool,
    pub first_sent: Option<String>,
    /// The latest copy, when they sent more than one.
    pub last_sent: Option<String>,
}

impl IntakeStatus {
    /// "Jordan sent their intake on 3 December 2026", or what is still missing.
    pub fn sentence(&self) -> String {
        let name = &self.partner_name;
        match (&self.first_sent, &self.last_sent) {
            (None, _) if !self.joined => format!("{name} has not joined yet"),
            (None, _) => format!("{name} has not sent their intake yet"),
            (Some(first), Some(last)) if first != last => {
                format!("{name} sent their intake on {first} and updated it on {last}")
            }
            (Some(first), _) => format!("{name} sent their intake on {first}"),
        }
    }
}

/// The counselor's intake page for one couple.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoupleIntake {
    pub couple_id: String,
    pub case_name: String,
    pub partners: Vec<PartnerIntake>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posted(pairs: &[(&str, &str)]) -> IntakeAnswers {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const SAFE: [(&str, &str); 4] = [
        ("safe_at_home", "yes"),
        ("hurt_or_threatened", "no"),
        ("afraid", "no"),
        ("self_harm", "no"),
    ];

    #[test]
    fn a_draft_may_be_empty_but_a_copy_sent_answers_what_brings_them_and_every_safety_question() {
        assert_eq!(clean(&posted(&[]), false), Ok(IntakeAnswers::new()));
        let missing = clean(&posted(&SAFE), true).unwrap_err();
        assert_eq!(missing.key, "brings_you");
        let mut answers = posted(&[("brings_you", "  We want to stay together.  ")]);
        let no_safety = clean(&answers, true).unwrap_err();
        assert_eq!(no_safety.key, "safe_at_home");
        assert!(no_safety.message.contains("rather talk"));
        answers.extend(posted(&SAFE));
        let kept = clean(&answers, true).unwrap();
        assert_eq!(kept["brings_you"], "We want to stay together.");
        assert!(concerns(&kept).is_empty());
    }

    #[test]
    fn unknown_keys_are_dropped_and_wrong_choices_long_or_broken_text_refused() {
        let kept = clean(
            &posted(&[("nonsense", "x"), ("phone", " +1 555 0100 ")]),
            false,
        )
        .unwrap();
        assert_eq!(kept, posted(&[("phone", "+1 555 0100")]));
        assert_eq!(
            clean(&posted(&[("afraid", "maybe")]), false)
                .unwrap_err()
                .key,
            "afraid"
        );
        let long = "a".repeat(MAX_SHORT + 1);
        assert_eq!(
            clean(&posted(&[("phone", &long)]), false).unwrap_err().key,
            "phone"
        );
        let essay = "a".repeat(MAX_LONG + 1);
        let err = clean(&posted(&[("supports", &essay)]), false).unwrap_err();
        assert!(
            err.message.contains("Nothing has been lost"),
            "{}",
            err.message
        );
        assert_eq!(
            clean(&posted(&[("emergency_name", "Ann\nBee")]), false)
                .unwrap_err()
                .key,
            "emergency_name"
        );
        // Line breaks in a written answer are kept as the partner wrote them.
        let kept = clean(&posted(&[("hopes", "One.\r\nTwo.")]), false).unwrap();
        assert_eq!(kept["hopes"], "One.\nTwo.");
    }

    #[test]
    fn every_answer_but_the_reassuring_one_is_a_concern_including_wanting_to_talk() {
        let answers = posted(&[
            ("safe_at_home", "not_always"),
            ("hurt_or_threatened", "no"),
            ("afraid", "talk"),
            ("self_harm", "no"),
        ]);
        assert_eq!(
            concerns(&answers),
            vec![
                "Feeling safe at home: Not always".to_string(),
                "Afraid of their partner: I would rather talk about this with my counselor"
                    .to_string(),
            ]
        );
        for q in questions() {
            if let Kind::Choice(choices) = q.kind {
                assert!(!choices[0].concerning, "{}", q.key);
                assert!(choices[1..].iter().all(|c| c.concerning), "{}", q.key);
            }
        }
    }

    #[test]
    fn keys_are_unique_and_the_screen_names_no_country_number() {
        let mut keys: Vec<_> = questions().map(|q| q.key).collect();
        let count = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), count);
        for q in questions() {
            for number in ["911", "999", "112", "988"] {
                assert!(!q.label.contains(number) && !q.help.unwrap_or("").contains(number));
            }
        }
    }

    #[test]
    fn the_counselor_reads_who_has_sent_what() {
        let mut p = PartnerIntake {
            position: 1,
            partner_name: "Jordan".into(),
            joined: false,
            copies: vec![],
        };
        assert_eq!(p.status().sentence(), "Jordan has not joined yet");
        p.joined = true;
        assert_eq!(
            p.status().sentence(),
            "Jordan has not sent their intake yet"
        );
        let copy = |sent: &str| IntakeCopy {
            sent: sent.into(),
            answers: IntakeAnswers::new(),
        };
        p.copies = vec![copy("5 December 2026"), copy("3 December 2026")];
        assert_eq!(
            p.status().sentence(),
            "Jordan sent their intake on 3 December 2026 and updated it on 5 December 2026"
        );
        p.copies.remove(0);
        assert_eq!(
            p.status().sentence(),
            "Jordan sent their intake on 3 December 2026"
        );
    }
}
