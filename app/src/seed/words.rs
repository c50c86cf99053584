//! Names and short texts for the benchmark practice: varied enough that pages look like a
//! real caseload, short enough that a 100,000-couple practice fits on an ordinary disk.

use rand::Rng;
use rand::rngs::StdRng;

pub const FIRST_NAMES: [&str; 40] = [
    "Avery", "Blake", "Cameron", "Dana", "Eli", "Farah", "Gabriel", "Hana", "Isaac", "Jamie",
    "Kiran", "Leah", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Samir", "Tessa", "Uma",
    "Victor", "Wren", "Ximena", "Yusuf", "Zoe", "Amara", "Bruno", "Chloe", "Dmitri", "Esther",
    "Felix", "Grace", "Hugo", "Ines", "Jonah", "Keiko", "Lucas", "Maya", "Noah",
];

pub const SURNAMES: [&str; 40] = [
    "Abbott",
    "Baker",
    "Castillo",
    "Dubois",
    "Engel",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rossi",
    "Sato",
    "Tanaka",
    "Ulrich",
    "Varga",
    "Walsh",
    "Xu",
    "Yilmaz",
    "Zimmer",
    "Arslan",
    "Brennan",
    "Cohen",
    "Delgado",
    "Eriksen",
    "Fontaine",
    "Gupta",
    "Horvat",
    "Ivanova",
    "Jovanovic",
    "Kaur",
    "Larsen",
    "Mensah",
    "Novak",
];

const CONCERNS: [&str; 5] = [
    "A long emotional affair came to light three months ago; both want to rebuild.",
    "Hidden debts and secret spending were discovered; trust in money and honesty is shaken.",
    "A partner found messages on a dating app; they are living together but sleeping apart.",
    "A brief affair was disclosed after a year; the hurt partner feels the lies hurt most.",
    "Repeated broken promises about drinking; both say the lying did more damage than the drinking.",
];

const ANSWERS: [&str; 8] = [
    "I noticed I went quiet when you asked about my day, and I want to say why instead.",
    "What I took from you was the sense that you could believe me without checking.",
    "This week I told you where I was before you had to ask, and it felt steadier.",
    "The hardest part was the evening you were late and I assumed the worst again.",
    "I want to keep our Sunday talk even when it is uncomfortable.",
    "I am learning to say I feel hurt instead of going straight to anger.",
    "I wrote down three times I trusted you this week, even if only a little.",
    "I am sorry that you had to find out the way you did, and not from me.",
];

const WENT_WELL: [&str; 5] = [
    "We walked after dinner twice and talked without arguing.",
    "Our Sunday talk happened and it ended with a hug.",
    "I told the truth about something small right away.",
    "We laughed together for the first time in weeks.",
    "The children noticed we seemed calmer.",
];

const WAS_HARD: [&str; 5] = [
    "A song on the radio brought everything back.",
    "I checked the phone again and felt ashamed afterwards.",
    "We argued about the holidays with family.",
    "Work stress made me short with you.",
    "I could not sleep after the anniversary date.",
];

const WINS: [&str; 5] = [
    "We cooked together on Saturday.",
    "Finished the letter exercise and read it aloud.",
    "Went a whole week without checking the phone.",
    "Asked for a hug instead of withdrawing.",
    "Planned a date night for next month.",
];

const FEEDBACK: [&str; 4] = [
    "Thank you for writing this so openly. Let's read it together on Thursday.",
    "You named the impact clearly. Notice how different this is from last month.",
    "Good work. Next time try to stay with the feeling a little longer before explaining.",
    "This is a real step. Bring the last answer to our session.",
];

pub const AGREEMENT: &str = "We talk for twenty minutes every Sunday evening, phones away.";

pub fn pick<'a>(rng: &mut StdRng, from: &[&'a str]) -> &'a str {
    from[rng.gen_range(0..from.len())]
}

pub fn concern(rng: &mut StdRng) -> &'static str {
    pick(rng, &CONCERNS)
}
pub fn answer(rng: &mut StdRng) -> &'static str {
    pick(rng, &ANSWERS)
}
pub fn went_well(rng: &mut StdRng) -> &'static str {
    pick(rng, &WENT_WELL)
}
pub fn was_hard(rng: &mut StdRng) -> &'static str {
    pick(rng, &WAS_HARD)
}
pub fn win(rng: &mut StdRng) -> &'static str {
    pick(rng, &WINS)
}
pub fn feedback(rng: &mut StdRng) -> &'static str {
    pick(rng, &FEEDBACK)
}

/// A SOAP note's sections for one session.
pub fn note_sections(rng: &mut StdRng, step: i64) -> String {
    let sections = [
        (
            "subjective",
            format!(
                "Both reported a mixed week. {}",
                pick(rng, &WAS_HARD).to_lowercase()
            ),
        ),
        (
            "objective",
            "Calmer than last session; turned towards each other when discussing the week."
                .to_string(),
        ),
        (
            "assessment",
            format!("Steady progress on step {step}; repair attempts are landing more often."),
        ),
        (
            "plan",
            "Continue weekly sessions; homework from the current step; review agreement."
                .to_string(),
        ),
    ];
    let map: std::collections::BTreeMap<&str, String> = sections.into_iter().collect();
    serde_json::to_string(&map).unwrap_or_default()
}
