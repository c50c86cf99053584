//! Progress: each partner's periodic check-in (CSI-4, trust, hope, what went well and what was
//! hard, and a private safety question), the safety flags a concerning answer raises, and the
//! counselor's side-by-side view of both partners over time.

pub mod api;
pub mod chart;
pub mod divergence;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod trends;
pub mod ui;
pub mod wins;

use serde::{Deserialize, Serialize};

/// One CSI-4 item: its wording and its answer labels, scored 0 upwards in order.
pub struct CsiItem {
    pub key: &'static str,
    pub question: &'static str,
    pub answers: &'static [&'static str],
}

/// The Couples Satisfaction Index, 4-item form, with the instrument's own wording and answer
/// labels. Source: Funk, J. L., & Rogge, R. D. (2007). Testing the ruler with item response
/// theory: Increasing precision of measurement for relationship satisfaction with the Couples
/// Satisfaction Index. Journal of Family Psychology, 21(4), 572-583.
/// doi:10.1037/0893-3200.21.4.572. The authors make the scale freely available for use.
/// Item 1 scores 0-6, items 2-4 score 0-5; the total runs 0-21, lower meaning less satisfied.
pub const CSI4: [CsiItem; 4] = [
    CsiItem {
        key: "csi1",
        question: "Please indicate the degree of happiness, all things considered, of your relationship.",
        answers: &[
            "Extremely Unhappy",
            "Fairly Unhappy",
            "A Little Unhappy",
            "Happy",
            "Very Happy",
            "Extremely Happy",
            "Perfect",
        ],
    },
    CsiItem {
        key: "csi2",
        question: "I have a warm and comfortable relationship with my partner.",
        answers: &[
            "Not at all TRUE",
            "A little TRUE",
            "Somewhat TRUE",
            "Mostly TRUE",
            "Almost Completely TRUE",
            "Completely TRUE",
        ],
    },
    CsiItem {
        key: "csi3",
        question: "How rewarding is your relationship with your partner?",
        answers: &[
            "Not at all",
            "A little",
            "Somewhat",
            "Mostly",
            "Almost Completely",
            "Completely",
        ],
    },
    CsiItem {
        key: "csi4",
        question: "In general, how satisfied are you with your relationship?",
        answers: &[
            "Not at all",
            "A little",
            "Somewhat",
            "Mostly",
            "Almost Completely",
            "Completely",
        ],
    },
];

/// Totals below this suggest notable relationship dissatisfaction (Funk & Rogge, 2007).
pub const CSI4_CUTOFF: f64 = 13.5;

/// The CSI-4 total of four item scores, or `None` if any is out of its range.
pub fn csi4_total(items: [i64; 4]) -> Option<i64> {
    items
        .iter()
        .zip(CSI4.iter())
        .all(|(v, item)| (0..item.answers.len() as i64).contains(v))
        .then(|| items.iter().sum())
}

/// True when a CSI-4 total falls below the dissatisfaction cutoff.
pub fn csi4_dissatisfied(total: i64) -> bool {
    (total as f64) < CSI4_CUTOFF
}

/// Answers to the private safety question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SafetyAnswer {
    Safe,
    Unsure,
    Unsafe,
    PrivateTalk,
}

impl SafetyAnswer {
    pub const ALL: [SafetyAnswer; 4] = [
        SafetyAnswer::Safe,
        SafetyAnswer::Unsure,
        SafetyAnswer::Unsafe,
        SafetyAnswer::PrivateTalk,
    ];
    pub const QUESTION: &'static str = "Do you feel safe at home with your partner right now?";
    pub fn as_str(self) -> &'static str {
        match self {
            SafetyAnswer::Safe => "safe",
            SafetyAnswer::Unsure => "unsure",
            SafetyAnswer::Unsafe => "unsafe",
            SafetyAnswer::PrivateTalk => "private_talk",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            SafetyAnswer::Safe => "Yes, I feel safe",
            SafetyAnswer::Unsure => "I'm not sure",
            SafetyAnswer::Unsafe => "No, I don't feel safe",
            SafetyAnswer::PrivateTalk => "I'd rather talk to my counselor privately",
        }
    }
    /// Every answer but "safe" raises a flag for the counselor.
    pub fn concerning(self) -> bool {
        self != SafetyAnswer::Safe
    }
}

/// One partner's scores at one check-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scores {
    pub csi: Option<i64>,
    pub trust: i64,
    pub hope: i64,
}

/// Both partners' latest check-in of one period (a week, by default).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Point {
    /// e.g. "16 Nov".
    pub label: String,
    pub partners: [Option<Scores>; 2],
}

/// A partner's own past check-in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnCheckIn {
    pub when: String,
    pub scores: Scores,
    pub went_well: String,
    pub was_hard: String,
    pub shared: bool,
}

/// What the other partner chose to share from a check-in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedText {
    pub partner_name: String,
    pub when: String,
    pub went_well: String,
    pub was_hard: String,
}

/// The partner's check-in page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInPage {
    /// The couple this check-in is for, as its links and form name it: empty unless the
    /// person is a partner in more than one couple (`cases::repo::couple_param`).
    pub couple_id: String,
    pub csi_enabled: bool,
    /// "Your check-in is due" or "Next check-in due ...".
    pub due: String,
    pub is_due: bool,
    pub history: Vec<OwnCheckIn>,
    pub shared: Vec<SharedText>,
    /// The couple's active agreements, each asked about.
    pub agreements: Vec<crate::features::agreements::AgreementQuestion>,
    /// Crisis help, shown at once after this partner's worrying answer (and for a little
    /// while after, never for longer: someone else may pick up the phone later).
    pub help: Option<crate::features::safety::CrisisInfo>,
    /// After this partner's worrying answer: that their counselor has read it (never what
    /// the counselor wrote), for two weeks after the check-in.
    pub seen: Option<String>,
    /// Just after this partner answered "I'd rather talk to my counselor privately" (for as
    /// long as `help` shows): the page offers their private thread.
    pub offer_private_thread: bool,
    /// The trust question for this partner's part in the rupture
    /// (`divergence::trust_question`).
    pub trust_question: String,
}

/// What a partner's home says of their check-in: whether it is due, and (after a worrying
/// answer) that their counselor has read it. The same words as the check-in page's
/// (`CheckInPage`), without its history or what the other partner shared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInDue {
    pub couple_id: String,
    pub due: String,
    pub is_due: bool,
    pub seen: Option<String>,
}

/// A safety flag as the counselor sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagView {
    pub flag_id: String,
    /// The partner who raised it (1 or 2), and their name.
    pub position: i64,
    pub partner_name: String,
    /// They answered "I'd rather talk to my counselor privately".
    pub private_talk: bool,
    /// What the counselor reads: who answered what, and where (a check-in, homework, intake).
    pub summary: String,
    pub raised: String,
    /// (by, when, note) once acknowledged.
    pub acknowledged: Option<(String, String, String)>,
}

/// One check-in's texts, for the counselor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInText {
    pub partner_name: String,
    pub when: String,
    pub went_well: String,
    pub was_hard: String,
    pub shared: bool,
}

/// The counselor's view of a couple's check-ins.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouplePanel {
    pub partner_names: [String; 2],
    pub check_in_days: i64,
    pub points: Vec<Point>,
    pub flags: Vec<FlagView>,
    /// Where the partners' reads of trust, or their trends, diverge, in words
    /// (`divergence::signals`).
    pub divergence: Vec<String>,
    pub texts: Vec<CheckInText>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csi4_scores_and_boundaries() {
        assert_eq!(csi4_total([0, 0, 0, 0]), Some(0));
        assert_eq!(csi4_total([6, 5, 5, 5]), Some(21));
        assert_eq!(csi4_total([4, 3, 3, 3]), Some(13));
        assert_eq!(csi4_total([4, 4, 3, 3]), Some(14));
        assert!(csi4_dissatisfied(0));
        assert!(csi4_dissatisfied(13));
        assert!(!csi4_dissatisfied(14));
        assert!(!csi4_dissatisfied(21));
        // Out of range: item 1 goes to 6, the others to 5.
        assert_eq!(csi4_total([7, 0, 0, 0]), None);
        assert_eq!(csi4_total([0, 6, 0, 0]), None);
        assert_eq!(csi4_total([0, 0, -1, 0]), None);
        assert_eq!(CSI4[0].answers.len(), 7);
        assert!(CSI4[1..].iter().all(|i| i.answers.len() == 6));
    }
}
