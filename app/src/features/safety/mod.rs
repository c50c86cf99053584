//! Help at hand: the crisis resources a practice lists (emergency services, crisis and
//! domestic-violence lines), shown on the help page anyone can open, on the sign-in page,
//! behind "Get help now" on every partner page, and at once after a worrying check-in answer,
//! together with the practice's own word on when it responds.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod ui;

use serde::{Deserialize, Serialize};

/// How long after a worrying answer the page it was given on shows crisis help first: long
/// enough to read it and come back to it, short enough that whoever picks up the phone later
/// does not learn from the page how the partner answered. ("Get help now" is on every page.)
pub const HELP_SHOWN_FOR_MS: i64 = 30 * 60 * 1000;

/// The most resources a practice lists (a page of help, not a directory).
pub const MAX_RESOURCES: usize = 12;
/// The longest a name, number, or hours line may be.
pub const MAX_SHORT: usize = 120;
/// The longest "what it is for" text and response statement.
pub const MAX_LONG: usize = 400;

/// One place to turn to. Every field but the name may be empty, but a resource always says
/// how to reach it (a number to call or text, or a link) or what to do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrisisResource {
    pub name: String,
    /// What it is for, or what to do ("If you are in danger now, call ...").
    #[serde(default)]
    pub details: String,
    #[serde(default)]
    pub phone: String,
    /// A number to text, when the line takes texts.
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub link: String,
    #[serde(default)]
    pub hours: String,
}

/// What the help page and the check-in show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrisisInfo {
    pub resources: Vec<CrisisResource>,
    /// When the practice responds to a worrying answer, in the practice's words, or the
    /// default that promises nothing the practice has not said.
    pub response: String,
    /// Whether the practice has written its own list (false: the defaults are shown).
    pub configured: bool,
    /// Whether the practice has written its own response statement.
    pub response_configured: bool,
}

/// Shown until a practice writes its own: emergency services and a worldwide directory of
/// helplines, so no country's number is presented as everyone's.
pub fn default_resources() -> Vec<CrisisResource> {
    vec![
        CrisisResource {
            name: "Emergency services".into(),
            details: "If you or anyone else is in danger right now, call your local emergency \
                      number or go to the nearest emergency department."
                .into(),
            hours: "At any time".into(),
            ..Default::default()
        },
        CrisisResource {
            name: "Find A Helpline".into(),
            details: "A free directory of confidential crisis lines around the world, \
                      including lines for suicidal thoughts and for domestic violence. Choose \
                      your country to see who you can call, text or chat with."
                .into(),
            link: "https://findahelpline.com".into(),
            ..Default::default()
        },
    ]
}

/// What a partner reads about when the practice responds, until the practice says it itself.
pub const DEFAULT_RESPONSE: &str = "Your counselor will see your answer the next time they \
     open Trellis. Trellis is not watched around the clock, so if you need help sooner, please \
     use one of the services on this page.";

/// The `tel:` or `sms:` address for a number as written: its digits and a leading plus.
pub fn dial_address(scheme: &str, number: &str) -> String {
    let digits: String = number
        .trim()
        .chars()
        .enumerate()
        .filter(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '+'))
        .map(|(_, c)| c)
        .collect();
    format!("{scheme}:{digits}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_dials_as_written_without_its_spaces_and_dashes() {
        assert_eq!(dial_address("tel", "+44 20 7946 0000"), "tel:+442079460000");
        assert_eq!(dial_address("sms", "741-741"), "sms:741741");
        assert_eq!(dial_address("tel", " 000 "), "tel:000");
    }

    #[test]
    fn the_defaults_name_no_country_number() {
        for r in default_resources() {
            assert!(r.phone.is_empty() && r.text.is_empty(), "{}", r.name);
            assert!(!r.details.is_empty());
        }
    }
}
