//! The demo couple's homework, assigned, answered and reviewed over the months.

use super::{couple_partner_ids, demo_answers};
use crate::db::{Db, as_of};
use crate::error::AppError;

/// The current version of a built-in exercise, by its key.
pub(super) async fn builtin(
    db: &Db,
    program: &str,
    key: &str,
) -> Result<Option<crate::features::homework::repo::TemplateSource>, AppError> {
    let id: Option<String> = sqlx::query_scalar(
        "select t.exercise_template_id from exercise_template t \
         join program_step s on s.program_step_id = t.program_step_id \
         where s.program_id = $1 and t.builtin_key = $2",
    )
    .bind(program)
    .bind(key)
    .fetch_optional(db.pool())
    .await?;
    match id {
        Some(id) => crate::features::homework::repo::template_source(db, &id).await,
        None => Ok(None),
    }
}

/// Alex & Sam's homework over the months: Alex's account letter from step 1 (reviewed),
/// Sam's feelings check-in from step 2 (shared, reviewed), Alex's listening exercise awaiting
/// review, this week's "How openness is landing" (weekly; Sam has a draft) and an overdue
/// daily check-in of Alex's. Their work done together is in `together`.
pub(super) async fn seed_homework(
    db: &Db,
    program: &str,
    couple_id: &str,
    counselor: &str,
) -> Result<(), AppError> {
    use crate::features::homework::Visibility;
    use crate::features::homework::repo::{NewAssignment, assign, review, save};
    let alex_and_sam = couple_partner_ids(db, couple_id).await?;
    let today = chrono::Utc::now().date_naive();
    let days = |n: i64| today.checked_add_signed(chrono::Duration::days(n));
    // (exercise, positions, assigned days ago, due in days, repeats every)
    type Plan<'a> = (&'a str, &'a [i64], i64, i64, Option<i64>);
    let plan: [Plan; 5] = [
        ("s1-accountability-letter", &[1], 98, -91, None),
        ("s2-daily-feelings", &[2], 70, -63, None),
        ("s2-listening-without-defending", &[1], 9, -2, None),
        ("s3-how-openness-lands", &[2], 5, 1, Some(7)),
        ("s3-daily-openness-checkin", &[1], 20, -10, None),
    ];
    let mut copies = Vec::new();
    for (key, positions, ago, due, repeat_days) in plan {
        let Some(source) = builtin(db, program, key).await? else {
            continue;
        };
        let new = NewAssignment {
            template_version_id: Some(source.template_version_id),
            step_number: Some(source.step_number),
            title: source.title,
            instructions: source.instructions,
            fields: source.fields.clone(),
            counselor_only: source.counselor_only,
            due_on: days(due),
            positions: positions.to_vec(),
            repeat_days,
        };
        let ids = as_of(ago, 0, assign(db, couple_id, &new, counselor, None)).await?;
        copies.push((source.fields, ids));
    }
    let [alex, sam] = alex_and_sam;
    if let [
        (letter_fields, letter),
        (feelings_fields, feelings),
        (listening_fields, listening),
        (week_fields, week),
        _,
    ] = copies.as_slice()
    {
        let answers = demo_answers(
            letter_fields,
            &[
                "I kept up a secret closeness with a colleague for most of last year, and I lied \
                 when you asked about the messages.",
                "You lost your sense that you could believe what I told you, and you have been \
                 carrying that alone at night.",
                "I am sorry for the lies most of all, and for every time I made you feel you were \
                 imagining things when you were right.",
                "I will answer your questions honestly, even the ones that are hard to hear.",
            ],
        );
        let submit = save(
            db,
            &letter[0],
            &answers,
            Visibility::Counselor,
            true,
            &alex,
            None,
        );
        as_of(93, 0, submit).await?;
        let reviewed = review(
            db,
            &letter[0],
            "This is clear and owned, Alex. Bring it to our next session and we will plan how you \
             read it to Sam.",
            counselor,
            None,
        );
        as_of(92, 0, reviewed).await?;

        let sam_answers = demo_answers(
            feelings_fields,
            &[
                "Mostly anger in the mornings and a heavy sadness in the evenings. Some days I \
               feel nothing at all, which scares me more.",
                "A quiet evening, and for Alex not to ask me whether I am feeling better yet.",
            ],
        );
        let submit = save(
            db,
            &feelings[0],
            &sam_answers,
            Visibility::Shared,
            true,
            &sam,
            None,
        );
        as_of(65, 0, submit).await?;
        let reviewed = review(
            db,
            &feelings[0],
            "Thank you for letting Alex read this, Sam. Noticing the numb days matters too.",
            counselor,
            None,
        );
        as_of(64, 0, reviewed).await?;
        let alex_answers = demo_answers(
            listening_fields,
            &[
                "Sam said the mornings are the worst, because that is when the messages used to \
                 come, and that my cheerfulness at breakfast feels like a performance.",
                "I wanted to explain myself and say that I am trying. This week I only listened, \
                 and it was harder than I expected.",
            ],
        );
        let submit = save(
            db,
            &listening[0],
            &alex_answers,
            Visibility::Counselor,
            true,
            &alex,
            None,
        );
        as_of(2, 0, submit).await?;

        let draft = demo_answers(
            week_fields,
            &[
                "Alex texting when the meeting ran late, before I had to wonder. Still writing \
               this one.",
            ],
        );
        let saved = save(
            db,
            &week[0],
            &draft,
            Visibility::Counselor,
            false,
            &sam,
            None,
        );
        as_of(0, 3, saved).await?;
    }
    super::together::seed_together(db, program, couple_id, counselor, [&alex, &sam]).await?;
    Ok(())
}
