//! The questionnaire itself: its sections and questions (the safety screen's answers say
//! which are a concern), and how posted answers are checked before they are kept.

use super::{IntakeAnswers, MAX_LONG, MAX_SHORT};

/// What a question asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// One line; `input` is the HTML input type, `autocomplete` its hint.
    Short {
        input: &'static str,
        autocomplete: &'static str,
    },
    /// A few sentences or more.
    Long,
    /// One of a few answers.
    Choice(&'static [Choice]),
}

/// One answer to a choice question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    /// Whether choosing it marks the intake for the counselor's attention at once.
    pub concerning: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Question {
    pub key: &'static str,
    pub label: &'static str,
    pub help: Option<&'static str>,
    pub kind: Kind,
    pub required: bool,
    /// How the counselor's safety flag names it ("Safe at home").
    pub topic: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Section {
    pub title: &'static str,
    pub intro: Option<&'static str>,
    pub questions: &'static [Question],
}

/// A one-line question. The partner's own number may be filled in by their browser; other
/// people's details never are.
const fn short(
    key: &'static str,
    label: &'static str,
    input: &'static str,
    autocomplete: &'static str,
) -> Question {
    Question {
        key,
        label,
        help: None,
        kind: Kind::Short {
            input,
            autocomplete,
        },
        required: false,
        topic: label,
    }
}

const fn long(key: &'static str, label: &'static str, help: Option<&'static str>) -> Question {
    Question {
        key,
        label,
        help,
        kind: Kind::Long,
        required: false,
        topic: label,
    }
}

const fn choice(
    key: &'static str,
    label: &'static str,
    topic: &'static str,
    choices: &'static [Choice],
) -> Question {
    Question {
        key,
        label,
        help: None,
        kind: Kind::Choice(choices),
        required: true,
        topic,
    }
}

const fn answer(value: &'static str, label: &'static str, concerning: bool) -> Choice {
    Choice {
        value,
        label,
        concerning,
    }
}

/// Offered on every safety question: some things are easier said than ticked.
const TALK: Choice = answer(
    "talk",
    "I would rather talk about this with my counselor",
    true,
);

/// The questionnaire, section by section. Keys are stored with the answers: never rename one.
pub const SECTIONS: &[Section] = &[
    Section {
        title: "How to reach you",
        intro: Some(
            "Your counselor uses these only to reach you about your counselling. Your partner does not see them.",
        ),
        questions: &[
            Question {
                help: Some("In any format. Add the country code if you are sometimes abroad."),
                ..short("phone", "Your phone number", "tel", "tel")
            },
            long(
                "contact_notes",
                "Anything your counselor should know about reaching you",
                Some(
                    "For example, times to avoid, or whether it is safe to leave a voicemail or send a text message.",
                ),
            ),
        ],
    },
    Section {
        title: "Someone to contact in an emergency",
        intro: Some(
            "Someone your counselor would contact only if they were seriously worried about your safety and could not reach you. If there is nobody you would want contacted, leave this empty and tell your counselor.",
        ),
        questions: &[
            short("emergency_name", "Their name", "text", "off"),
            Question {
                help: Some("For example: sister, friend, neighbour."),
                ..short("emergency_relation", "Who they are to you", "text", "off")
            },
            short("emergency_phone", "Their phone number", "tel", "off"),
        ],
    },
    Section {
        title: "What brings you",
        intro: None,
        questions: &[
            Question {
                required: true,
                ..long(
                    "brings_you",
                    "What brings you to counselling now?",
                    Some(
                        "In your own words, as much or as little as you like. Your counselor will talk it through with you.",
                    ),
                )
            },
            long(
                "hopes",
                "What would you like to be different by the time counselling ends?",
                None,
            ),
        ],
    },
    Section {
        title: "Support around you",
        intro: None,
        questions: &[
            long(
                "previous_counselling",
                "Have you had counselling or therapy before, on your own or as a couple? What helped, and what did not?",
                None,
            ),
            long(
                "supports",
                "Who or what supports you at the moment?",
                Some(
                    "For example friends, family, a doctor, a faith community or a support group.",
                ),
            ),
        ],
    },
    Section {
        title: "Your safety",
        intro: Some(
            "Your counselor asks everyone these questions. Your partner never sees your answers. If an answer suggests you may not be safe, it is marked for your counselor\u{2019}s attention straight away, so they can check in with you.",
        ),
        questions: &[
            choice(
                "safe_at_home",
                "Do you feel safe at home at the moment?",
                "Feeling safe at home",
                &[
                    answer("yes", "Yes", false),
                    answer("not_always", "Not always", true),
                    answer("no", "No", true),
                    TALK,
                ],
            ),
            choice(
                "hurt_or_threatened",
                "In the past year, has your partner, or anyone you live with, hurt you physically or threatened to hurt you?",
                "Hurt or threatened in the past year",
                &[answer("no", "No", false), answer("yes", "Yes", true), TALK],
            ),
            choice(
                "afraid",
                "Are you afraid of your partner?",
                "Afraid of their partner",
                &[
                    answer("no", "No", false),
                    answer("sometimes", "Sometimes", true),
                    answer("yes", "Yes", true),
                    TALK,
                ],
            ),
            choice(
                "self_harm",
                "In the past month, have you had thoughts of harming yourself or of ending your life?",
                "Thoughts of self-harm or suicide in the past month",
                &[
                    answer("no", "No", false),
                    answer("sometimes", "Sometimes", true),
                    answer("often", "Often", true),
                    TALK,
                ],
            ),
        ],
    },
];

/// Every question, in order.
pub fn questions() -> impl Iterator<Item = &'static Question> {
    SECTIONS.iter().flat_map(|s| s.questions.iter())
}

/// Why an answer set cannot be kept: the question it is about and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub key: &'static str,
    pub message: String,
}

/// The answers as they will be kept: known questions only, trimmed, empty ones left out.
/// A draft may leave anything unanswered; a copy sent must answer every required question.
pub fn clean(posted: &IntakeAnswers, sending: bool) -> Result<IntakeAnswers, Problem> {
    let mut out = IntakeAnswers::new();
    for q in questions() {
        let value = posted
            .get(q.key)
            .map(|v| v.replace("\r\n", "\n").trim().to_string())
            .unwrap_or_default();
        if value.is_empty() {
            if sending && q.required {
                let message = match q.kind {
                    Kind::Choice(_) => {
                        "Please answer each of the safety questions. \u{201c}I would rather talk about this with my counselor\u{201d} is always an answer.".to_string()
                    }
                    _ => format!("Please answer \u{201c}{}\u{201d} before sending.", q.label),
                };
                return Err(Problem {
                    key: q.key,
                    message,
                });
            }
            continue;
        }
        match q.kind {
            Kind::Choice(choices) => {
                if !choices.iter().any(|c| c.value == value) {
                    return Err(Problem {
                        key: q.key,
                        message: format!(
                            "Choose one of the answers to \u{201c}{}\u{201d}.",
                            q.label
                        ),
                    });
                }
            }
            Kind::Short { .. } => {
                if value.chars().count() > MAX_SHORT || value.chars().any(char::is_control) {
                    return Err(Problem {
                        key: q.key,
                        message: format!(
                            "\u{201c}{}\u{201d} fits on one line, in up to {MAX_SHORT} characters.",
                            q.label
                        ),
                    });
                }
            }
            Kind::Long => {
                let length = value.chars().count();
                if length > MAX_LONG {
                    return Err(Problem {
                        key: q.key,
                        message: format!(
                            "\u{201c}{}\u{201d} can be up to {MAX_LONG} characters; yours has {length}. Nothing has been lost: shorten it and save again.",
                            q.label
                        ),
                    });
                }
                if value
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\t')
                {
                    return Err(Problem {
                        key: q.key,
                        message: format!(
                            "\u{201c}{}\u{201d} holds a character that cannot be shown. Please remove it.",
                            q.label
                        ),
                    });
                }
            }
        }
        out.insert(q.key.to_string(), value);
    }
    Ok(out)
}

/// The safety answers that need the counselor: "Feeling safe at home: Not always", one per
/// concerning answer, in the questionnaire's order.
pub fn concerns(answers: &IntakeAnswers) -> Vec<String> {
    questions()
        .filter_map(|q| {
            let Kind::Choice(choices) = q.kind else {
                return None;
            };
            let given = answers.get(q.key)?;
            let c = choices.iter().find(|c| c.value == given && c.concerning)?;
            Some(format!("{}: {}", q.topic, c.label))
        })
        .collect()
}

/// How an answer reads: a choice's label, or the words written.
pub fn shown(question: &Question, value: &str) -> String {
    match question.kind {
        Kind::Choice(choices) => choices
            .iter()
            .find(|c| c.value == value)
            .map(|c| c.label.to_string())
            .unwrap_or_else(|| value.to_string()),
        _ => value.to_string(),
    }
}
