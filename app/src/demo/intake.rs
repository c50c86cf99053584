//! The demo couple's intake questionnaires: each answered privately in the days after
//! joining, before the first joint session; nothing in either raised a safety concern (as
//! the counselor's intake notes say).

use crate::db::{Db, as_of};
use crate::error::AppError;
use crate::features::intake::{IntakeAnswers, repo};

/// Answers by question key.
type Answers = &'static [(&'static str, &'static str)];

/// (position, days ago, answers)
const INTAKES: &[(i64, i64, Answers)] = &[
    (
        1,
        104,
        &[
            ("phone", "+44 7700 900142"),
            (
                "contact_notes",
                "Evenings after seven are best. Texts are fine.",
            ),
            ("emergency_name", "Jamie Reed"),
            ("emergency_relation", "Brother"),
            ("emergency_phone", "+44 7700 900318"),
            (
                "brings_you",
                "I had an affair with a colleague that lasted most of last year. Sam found \
                 out in the spring and I ended it that week. I want to save our marriage, and \
                 I don't know how to be with Sam's pain without getting defensive.",
            ),
            (
                "hopes",
                "That Sam can believe me again, and that we can talk about hard things \
                 without it turning into a fight in front of the children.",
            ),
            (
                "previous_counselling",
                "A few sessions on my own through work, years ago, about stress. It helped \
                 to have somewhere to think out loud.",
            ),
            (
                "supports",
                "My brother knows what happened. I have started running again.",
            ),
            ("safe_at_home", "yes"),
            ("hurt_or_threatened", "no"),
            ("afraid", "no"),
            ("self_harm", "no"),
        ],
    ),
    (
        2,
        103,
        &[
            ("phone", "+44 7700 900267"),
            (
                "contact_notes",
                "Please text before calling; I work shifts.",
            ),
            ("emergency_name", "Priya Shah"),
            ("emergency_relation", "Close friend"),
            ("emergency_phone", "+44 7700 900455"),
            (
                "brings_you",
                "I found out about Alex's affair in April, from messages on the family \
                 tablet. I feel as if I don't know who I am married to. I can't stop checking \
                 Alex's phone, and I hate who that makes me.",
            ),
            (
                "hopes",
                "To know whether we can trust each other again, and to stop feeling sick \
                 every time Alex's phone lights up.",
            ),
            ("previous_counselling", "None before this."),
            (
                "supports",
                "My sister and my friend Priya. My doctor has helped with my sleep.",
            ),
            ("safe_at_home", "yes"),
            ("hurt_or_threatened", "no"),
            ("afraid", "no"),
            ("self_harm", "no"),
        ],
    ),
];

pub(super) async fn seed_intakes(
    db: &Db,
    couple_id: &str,
    partners: [&str; 2],
) -> Result<(), AppError> {
    for (position, days_ago, answers) in INTAKES {
        let answers: IntakeAnswers = answers
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    v.split_whitespace().collect::<Vec<_>>().join(" "),
                )
            })
            .collect();
        // Checked as a partner's form would be: a demo answer the form would refuse is a bug.
        let answers = crate::features::intake::clean(&answers, true)
            .map_err(|p| AppError::internal("demo intake", p.message))?;
        let user = partners[*position as usize - 1];
        let sent = repo::send(db, couple_id, *position, user, &answers, None);
        as_of(*days_ago, 2, sent).await?;
    }
    Ok(())
}
