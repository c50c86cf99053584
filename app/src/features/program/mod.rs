//! The program library: programs of steps (the built-in "Rebuilding trust in ten steps" and
//! a practice's own), each step's exercise templates, and where a couple stands.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod seed;
pub mod ui;

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
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub number: i64,
    pub title: String,
    pub purpose: String,
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

/// Writes response fields in the plain line format counselors edit:
/// `text: Prompt`, `rating: Prompt | low end | high end`, `checklist: Prompt | item | item`.
pub fn fields_to_lines(fields: &[ResponseField]) -> String {
    fields
        .iter()
        .map(|f| match f {
            ResponseField::Text { label, .. } => format!("text: {label}"),
            ResponseField::Rating {
                label, low, high, ..
            } => format!("rating: {label} | {low} | {high}"),
            ResponseField::Checklist { label, items, .. } => {
                format!("checklist: {label} | {}", items.join(" | "))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads the line format back, keeping the keys (and help) of questions whose kind and
/// position are unchanged. Returns a message for the first line that cannot be read.
pub fn fields_from_lines(
    text: &str,
    previous: &[ResponseField],
) -> Result<Vec<ResponseField>, String> {
    let mut fields = Vec::new();
    for (i, line) in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let (kind, rest) = line
            .split_once(':')
            .ok_or_else(|| format!("Line {}: start with text:, rating: or checklist:.", i + 1))?;
        let parts: Vec<String> = rest.split('|').map(|p| p.trim().to_string()).collect();
        let label = parts[0].clone();
        if label.is_empty() {
            return Err(format!(
                "Line {}: write the question after the colon.",
                i + 1
            ));
        }
        let kept = previous.get(i);
        let key = |wanted: &str| match kept {
            Some(f) if kind_of(f) == wanted => f.key().to_string(),
            _ => format!("q{}", i + 1),
        };
        let help = kept.and_then(|f| match f {
            ResponseField::Text { help, .. }
            | ResponseField::Rating { help, .. }
            | ResponseField::Checklist { help, .. } => help.clone(),
        });
        let field = match kind.trim().to_lowercase().as_str() {
            "text" => ResponseField::Text {
                key: key("text"),
                label,
                help,
            },
            "rating" => match parts.as_slice() {
                [_, low, high] if !low.is_empty() && !high.is_empty() => ResponseField::Rating {
                    key: key("rating"),
                    label,
                    help,
                    low: low.clone(),
                    high: high.clone(),
                },
                _ => {
                    return Err(format!(
                        "Line {}: a rating needs its two ends, like rating: How safe do you feel? | Not at all | Completely",
                        i + 1
                    ));
                }
            },
            "checklist" => {
                let items: Vec<String> = parts[1..]
                    .iter()
                    .filter(|p| !p.is_empty())
                    .cloned()
                    .collect();
                if items.len() < 2 {
                    return Err(format!(
                        "Line {}: a checklist needs at least two items, separated by |.",
                        i + 1
                    ));
                }
                ResponseField::Checklist {
                    key: key("checklist"),
                    label,
                    help,
                    items,
                }
            }
            other => {
                return Err(format!(
                    "Line {}: \u{201c}{other}\u{201d} is not a kind of question; use text, rating or checklist.",
                    i + 1
                ));
            }
        };
        fields.push(field);
    }
    if fields.is_empty() {
        return Err("Add at least one question.".into());
    }
    if !fields
        .iter()
        .any(|f| matches!(f, ResponseField::Text { .. }))
    {
        return Err("Include at least one written question (text:).".into());
    }
    let mut keys = std::collections::HashSet::new();
    for f in &mut fields {
        if !keys.insert(f.key().to_string()) {
            return Err("Two questions ended up with the same name; reorder and try again.".into());
        }
    }
    Ok(fields)
}

fn kind_of(f: &ResponseField) -> &'static str {
    match f {
        ResponseField::Text { .. } => "text",
        ResponseField::Rating { .. } => "rating",
        ResponseField::Checklist { .. } => "checklist",
    }
}

/// The exercise form as submitted (`exercise[...]` fields).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExerciseInput {
    pub title: String,
    pub instructions: String,
    pub audience: String,
    pub cadence: String,
    pub questions: String,
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_round_trip_through_the_line_format() {
        let lines = "text: What did you notice?\nrating: How safe? | Not at all | Completely\n\nchecklist: This week I... | listened | asked";
        let fields = fields_from_lines(lines, &[]).unwrap();
        assert_eq!(fields.len(), 3);
        assert_eq!(fields_to_lines(&fields), lines.replace("\n\n", "\n"));
        // Keys survive an edit that keeps the kind at the same place.
        let edited = fields_from_lines(
            "text: What did you notice today?\nrating: How safe? | No | Yes",
            &fields,
        )
        .unwrap();
        assert_eq!(edited[0].key(), fields[0].key());
        for bad in [
            "",
            "rating: Only a rating | a | b",
            "essay: Tell me",
            "rating: Safe? | one end",
            "checklist: Did? | one",
            "text:   ",
        ] {
            assert!(fields_from_lines(bad, &[]).is_err(), "{bad:?} is refused");
        }
    }
}
