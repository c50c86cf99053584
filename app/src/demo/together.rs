//! The demo couple's work done together: the step 2 agreement on hard feelings, written in
//! three versions and sent to Dr. Hale, and the step 3 transparency plan in progress, where
//! Alex has just changed what Sam wrote (Sam sees what changed when signing in).

use super::homework::builtin;
use crate::db::{Db, as_of};
use crate::error::AppError;
use crate::features::homework::repo::NewAssignment;
use crate::features::homework::repo::joint::{Writer, assign, save};
use crate::features::homework::{AnswerValue, Answers};

fn answers(texts: &[(&str, &str)], checked: (&str, &[usize])) -> Answers {
    let mut out: Answers = texts
        .iter()
        .map(|(k, t)| (k.to_string(), AnswerValue::Text(t.to_string())))
        .collect();
    out.insert(
        checked.0.to_string(),
        AnswerValue::Checked(checked.1.to_vec()),
    );
    out
}

/// Sends a built-in exercise to be done together, `ago` days ago, due in `due` days.
async fn send(
    db: &Db,
    program: &str,
    key: &str,
    couple_id: &str,
    counselor: &str,
    (ago, due): (i64, i64),
) -> Result<Option<String>, AppError> {
    let Some(source) = builtin(db, program, key).await? else {
        return Ok(None);
    };
    let today = chrono::Utc::now().date_naive();
    let new = NewAssignment {
        template_version_id: Some(source.template_version_id),
        step_number: Some(source.step_number),
        title: source.title,
        instructions: source.instructions,
        fields: source.fields,
        counselor_only: false,
        due_on: today.checked_add_signed(chrono::Duration::days(due)),
        positions: vec![1, 2],
        repeat_days: None,
    };
    let id = as_of(ago, 0, assign(db, couple_id, &new, counselor, None)).await?;
    Ok(Some(id))
}

pub(super) async fn seed_together(
    db: &Db,
    program: &str,
    couple_id: &str,
    counselor: &str,
    [alex, sam]: [&str; 2],
) -> Result<(), AppError> {
    let by = |position: i64| Writer {
        position,
        user_id: if position == 1 { alex } else { sam },
        ip: None,
    };
    let pause = "Either of us says \u{201c}pause\u{201d} and puts a hand flat on the table.";
    let off_limits = "Swearing at each other, and using the affair to win a different argument.";
    if let Some(id) = send(
        db,
        program,
        "s2-hard-feelings-agreement",
        couple_id,
        counselor,
        (66, -56),
    )
    .await?
    {
        let first = answers(
            &[
                ("pause_signal", pause),
                ("return_time", "Half an hour."),
                ("off_limits", off_limits),
            ],
            ("agreed", &[0, 1, 2]),
        );
        as_of(62, 0, save(db, &id, &by(2), &first, 0, false)).await?;
        let second = answers(
            &[
                ("pause_signal", pause),
                (
                    "return_time",
                    "Half an hour, and never past bedtime without saying when we will pick it up.",
                ),
                ("off_limits", off_limits),
                (
                    "calming",
                    "Sam walks round the block. Alex writes down what they wanted to say instead \
                     of saying it.",
                ),
            ],
            ("agreed", &[0, 1, 2, 4]),
        );
        as_of(60, 0, save(db, &id, &by(1), &second, 1, false)).await?;
        let third = answers(
            &[
                ("pause_signal", pause),
                (
                    "return_time",
                    "Half an hour, and never past bedtime without saying when we will pick it up.",
                ),
                (
                    "off_limits",
                    "Swearing at each other, slamming doors, and using the affair to win a \
                     different argument.",
                ),
                (
                    "calming",
                    "Sam walks round the block. Alex writes down what they wanted to say instead \
                     of saying it.",
                ),
            ],
            ("agreed", &[0, 1, 2, 3, 4]),
        );
        as_of(59, 0, save(db, &id, &by(2), &third, 2, true)).await?;
    }
    if let Some(id) = send(
        db,
        program,
        "s3-transparency-plan",
        couple_id,
        counselor,
        (25, 3),
    )
    .await?
    {
        let shared =
            "Alex tells Sam the plan for each day in the morning, and texts if it changes.";
        let contact = "Alex has asked to move teams, away from the colleague. Until that happens, \
                       any contact beyond work email is mentioned the same day.";
        let review = "At our session in six weeks.";
        let first = answers(
            &[
                ("what_shared", shared),
                ("contact", contact),
                ("review_date", review),
            ],
            ("principles", &[0, 1]),
        );
        as_of(3, 0, save(db, &id, &by(2), &first, 0, false)).await?;
        let second = answers(
            &[
                ("what_shared", shared),
                ("contact", contact),
                (
                    "devices",
                    "Location sharing on both our phones for now, which we both chose. No \
                     checking each other's passwords.",
                ),
                ("review_date", review),
            ],
            ("principles", &[0, 1, 2, 3]),
        );
        as_of(1, 0, save(db, &id, &by(1), &second, 1, false)).await?;
    }
    Ok(())
}
