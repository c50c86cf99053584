//! The plain line format counselors write an exercise's questions in, one per line:
//! `text: Prompt`, `rating: Prompt | low end | high end`, `checklist: Prompt | item | !item`.

use super::ResponseField;

/// How the line format marks a checklist item that raises a safety flag.
pub const SAFETY_MARK: char = '!';

/// Writes response fields in the plain line format counselors edit:
/// `text: Prompt`, `rating: Prompt | low end | high end`, `checklist: Prompt | item | item`,
/// where a checklist item written `!item` is a safety item.
pub fn fields_to_lines(fields: &[ResponseField]) -> String {
    fields
        .iter()
        .map(|f| match f {
            ResponseField::Text { label, .. } => format!("text: {label}"),
            ResponseField::Rating {
                label, low, high, ..
            } => format!("rating: {label} | {low} | {high}"),
            ResponseField::Checklist {
                label,
                items,
                safety,
                ..
            } => {
                let items: Vec<String> = items
                    .iter()
                    .map(|i| {
                        if safety.contains(i) {
                            format!("{SAFETY_MARK}{i}")
                        } else {
                            i.clone()
                        }
                    })
                    .collect();
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
                let mut items = Vec::new();
                let mut safety = Vec::new();
                for part in parts[1..].iter().filter(|p| !p.is_empty()) {
                    match part.strip_prefix(SAFETY_MARK).map(str::trim) {
                        Some("") => {
                            return Err(format!(
                                "Line {}: write the item after the {SAFETY_MARK}.",
                                i + 1
                            ));
                        }
                        Some(item) => {
                            safety.push(item.to_string());
                            items.push(item.to_string());
                        }
                        None => items.push(part.clone()),
                    }
                }
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
                    safety,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_round_trip_through_the_line_format() {
        let lines = "text: What did you notice?\nrating: How safe? | Not at all | Completely\n\nchecklist: This week I... | listened | !felt unsafe | asked";
        let fields = fields_from_lines(lines, &[]).unwrap();
        assert_eq!(fields.len(), 3);
        match &fields[2] {
            ResponseField::Checklist { items, safety, .. } => {
                assert_eq!(items, &["listened", "felt unsafe", "asked"]);
                assert_eq!(safety, &["felt unsafe"], "a ! item is a safety item");
            }
            other => panic!("a checklist, not {other:?}"),
        }
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
            "checklist: Did? | one | !",
            "text:   ",
        ] {
            assert!(fields_from_lines(bad, &[]).is_err(), "{bad:?} is refused");
        }
    }
}
