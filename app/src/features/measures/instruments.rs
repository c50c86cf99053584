//! PHQ-9, GAD-7 and PCL-5 as data, with their scoring. Stems, items and options keep the
//! developers' published wording exactly: a reworded item is no longer the validated measure.
//! Where published copies differ in punctuation, a comment says which form is followed. All
//! three are free to reproduce (see each `rights`); nothing licensed is bundled here.

// The PCL-5's data lives in `pcl5.rs` (its items are long); re-exported so all three
// measures are reached the same way.
pub use super::pcl5::PCL5;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One standard measure. The catalogue is static, so it serialises but does not deserialise
/// (`&'static str` can't be read back from a request): answers travel as `Vec<i64>` and
/// results as [`Score`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Instrument {
    /// Stable key stored with answers, e.g. "phq9".
    pub key: &'static str,
    /// Short name, e.g. "PHQ-9".
    pub name: &'static str,
    /// Full title, e.g. "Patient Health Questionnaire".
    pub title: &'static str,
    /// The instruction shown above the items, as published.
    pub stem: &'static str,
    /// Words that open every item, shown once above them (PCL-5 only).
    pub lead_in: Option<&'static str>,
    /// The items in published order.
    pub items: &'static [&'static str],
    /// Answer options with their scores, lowest first; every item uses the same options.
    pub options: &'static [Choice],
    /// An unscored question asked after the items (PHQ-9's difficulty question).
    pub follow_up: Option<FollowUp>,
    /// Bands covering every total from 0 to `max`, lowest first.
    pub bands: &'static [Band],
    /// What the bands do and don't mean.
    pub bands_note: &'static str,
    pub citation: &'static str,
    /// The terms under which the wording is reproduced.
    pub rights: &'static str,
    /// One plain sentence for partners on what it asks about (ours, not the developers').
    pub about: &'static str,
    /// 0-based index of the item whose answer above 0 must reach a clinician.
    pub safety_item: Option<usize>,
    /// Highest possible total.
    pub max: i64,
}

/// An answer option and the score it adds to the total.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub label: &'static str,
    pub value: i64,
}

impl Choice {
    pub const fn new(label: &'static str, value: i64) -> Self {
        Self { label, value }
    }
}

/// A question asked after the items that does not count towards the total.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FollowUp {
    pub question: &'static str,
    pub options: &'static [&'static str],
}

/// A range of totals (inclusive) and what the developers call it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Band {
    pub min: i64,
    pub max: i64,
    pub label: &'static str,
}

impl Band {
    pub const fn new(min: i64, max: i64, label: &'static str) -> Self {
        Self { min, max, label }
    }
}

/// A scored answer set. Owned, so it can cross a server function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub total: i64,
    /// The label of the band the total falls in.
    pub band: String,
    /// The safety item was answered above 0: a clinician must see this.
    pub safety_flag: bool,
}

/// Why an answer set could not be scored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScoreError {
    /// Not exactly one answer per item.
    WrongCount { expected: usize, got: usize },
    /// An answer that is not one of the options' scores; `question` counts from 1.
    OutOfRange {
        question: usize,
        value: i64,
        max: i64,
    },
}

impl fmt::Display for ScoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongCount { expected, got } => write!(
                f,
                "Answer every question: there are {expected} questions and {got} answers."
            ),
            Self::OutOfRange {
                question,
                value,
                max,
            } => write!(
                f,
                "Answer every question with one of its options: question {question} has \
                 {value}, but answers run from 0 to {max}."
            ),
        }
    }
}

impl std::error::Error for ScoreError {}

impl Instrument {
    /// The highest score a single answer can have.
    pub fn top_option(&self) -> i64 {
        self.options.last().map_or(0, |c| c.value)
    }

    /// Checks there is one answer per item and each is one of the options' scores.
    pub fn check(&self, answers: &[i64]) -> Result<(), ScoreError> {
        if answers.len() != self.items.len() {
            return Err(ScoreError::WrongCount {
                expected: self.items.len(),
                got: answers.len(),
            });
        }
        match answers
            .iter()
            .position(|&a| !self.options.iter().any(|c| c.value == a))
        {
            Some(i) => Err(ScoreError::OutOfRange {
                question: i + 1,
                value: answers[i],
                max: self.top_option(),
            }),
            None => Ok(()),
        }
    }

    /// Totals a complete answer set (the published scoring: a plain sum of the items).
    pub fn score(&self, answers: &[i64]) -> Result<Score, ScoreError> {
        self.check(answers)?;
        let total = answers.iter().sum();
        // The bands cover 0..=max (a test walks every total), so this always finds one.
        let band = self.band(total).map(|b| b.label).unwrap_or_default();
        Ok(Score {
            total,
            band: band.to_string(),
            safety_flag: self.needs_safety_flag(answers),
        })
    }

    /// The band a total falls in; `None` outside 0..=max.
    pub fn band(&self, total: i64) -> Option<&'static Band> {
        self.bands.iter().find(|b| (b.min..=b.max).contains(&total))
    }

    /// Whether the safety item was answered above 0. Deliberately does not require a
    /// complete or valid set: a partner who stops after endorsing it must still be seen.
    pub fn needs_safety_flag(&self, answers: &[i64]) -> bool {
        self.safety_item
            .and_then(|i| answers.get(i))
            .is_some_and(|&a| a > 0)
    }
}

/// Every measure, in the order the check-in offers them.
pub const ALL: [&Instrument; 3] = [&PHQ9, &GAD7, &PCL5];

/// The measure stored under `key` ("phq9", "gad7", "pcl5").
pub fn by_key(key: &str) -> Option<&'static Instrument> {
    ALL.into_iter().find(|i| i.key == key)
}

/// The PHQ and GAD-7 share these options.
const FREQUENCY: &[Choice] = &[
    Choice::new("Not at all", 0),
    Choice::new("Several days", 1),
    Choice::new("More than half the days", 2),
    Choice::new("Nearly every day", 3),
];

const PHQ_RIGHTS: &str = "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt \
    Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required \
    to reproduce, translate, display or distribute.";

pub const PHQ9: Instrument = Instrument {
    key: "phq9",
    name: "PHQ-9",
    title: "Patient Health Questionnaire",
    stem: "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    lead_in: None,
    // As in Kroenke et al. 2001 and the Pfizer form. Later reprints write item 9 "..., or
    // thoughts of hurting yourself in some way" and shorten item 8; we keep the original.
    items: &[
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ],
    options: FREQUENCY,
    follow_up: Some(FollowUp {
        question: "If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?",
        options: &[
            "Not difficult at all",
            "Somewhat difficult",
            "Very difficult",
            "Extremely difficult",
        ],
    }),
    bands: &[
        Band::new(0, 4, "None or minimal"),
        Band::new(5, 9, "Mild"),
        Band::new(10, 14, "Moderate"),
        Band::new(15, 19, "Moderately severe"),
        Band::new(20, 27, "Severe"),
    ],
    bands_note: "Depression severity bands published with the PHQ-9. A total measures \
        symptoms over two weeks; it is not a diagnosis.",
    citation: "Kroenke K, Spitzer RL, Williams JB. The PHQ-9: validity of a brief depression \
        severity measure. J Gen Intern Med. 2001;16(9):606-613.",
    rights: PHQ_RIGHTS,
    about: "Nine questions about mood, interest, sleep, energy and similar everyday things \
        over the last two weeks.",
    safety_item: Some(8),
    max: 27,
};

pub const GAD7: Instrument = Instrument {
    key: "gad7",
    name: "GAD-7",
    title: "Generalized Anxiety Disorder 7-item scale",
    stem: "Over the last 2 weeks, how often have you been bothered by the following problems?",
    lead_in: None,
    // Item 7 as in Spitzer et al. 2006 and LOINC; some forms write "Feeling afraid, as if".
    // Item 1 keeps the serial comma of most copies; one Pfizer sheet has "anxious or on edge".
    items: &[
        "Feeling nervous, anxious, or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid as if something awful might happen",
    ],
    options: FREQUENCY,
    follow_up: None,
    bands: &[
        Band::new(0, 4, "Minimal"),
        Band::new(5, 9, "Mild"),
        Band::new(10, 14, "Moderate"),
        Band::new(15, 21, "Severe"),
    ],
    bands_note: "Anxiety severity cut-points (5, 10, 15) published with the GAD-7. A total \
        measures symptoms over two weeks; it is not a diagnosis.",
    citation: "Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing \
        generalized anxiety disorder: the GAD-7. Arch Intern Med. 2006;166(10):1092-1097.",
    rights: PHQ_RIGHTS,
    about: "Seven questions about worry, nervousness and tension over the last two weeks.",
    safety_item: None,
    max: 21,
};
