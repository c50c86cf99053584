//! The demo couple's homework, assigned, answered and reviewed over the months.

use super::{couple_partner_ids, demo_answers};
use crate::db::{Db, as_of};
use crate::error::AppError;

/// Alex & Sam's homework over the months: reviewed work from step 1, a shared answer and
/// one awaiting review from step 2, this week's exercise (weekly; Sam has a draft) and an
/// overdue one.
pub(super) async fn seed_homework(
    db: &Db,
    program: &str,
    couple_id: &str,
    counselor: &str,
) -> Result<(), AppError> {
    use crate::features::homework::Visibility;
    use crate::features::homework::repo::{NewAssignment, assign, review, save, template_source};
    use crate::features::program::Audience;
    use crate::features::program::repo::find_template;
    let alex_and_sam = couple_partner_ids(db, couple_id).await?;
    let today = chrono::Utc::now().date_naive();
    let days = |n: i64| today.checked_add_signed(chrono::Duration::days(n));
    // (step, audience, positions, assigned days ago, due in days)
    let plan: [(i64, Audience, &[i64], i64, i64); 4] = [
        (1, Audience::BrokeTrust, &[1], 98, -91),
        (2, Audience::Both, &[1, 2], 70, -63),
        (3, Audience::Both, &[1, 2], 5, 1),
        (3, Audience::BrokeTrust, &[1], 20, -10),
    ];
    let mut copies = Vec::new();
    for (step, audience, positions, ago, due) in plan {
        let Some(template) = find_template(db, program, step, audience).await? else {
            continue;
        };
        let Some(source) = template_source(db, &template).await? else {
            continue;
        };
        let new = NewAssignment {
            template_version_id: Some(source.template_version_id),
            step_number: Some(step),
            title: source.title,
            instructions: source.instructions,
            fields: source.fields.clone(),
            counselor_only: source.counselor_only,
            due_on: days(due),
            positions: positions.to_vec(),
            // This week's exercise comes back every week while they are on step 3.
            repeat_days: (step == 3 && due > 0).then_some(7),
        };
        let ids = as_of(ago, 0, assign(db, couple_id, &new, counselor, None)).await?;
        copies.push((source.fields, ids));
    }
    let [alex, sam] = alex_and_sam;
    if let [
        (letter_fields, letter),
        (feelings_fields, feelings),
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
            ],
        );
        let submit = save(
            db,
            &feelings[1],
            &sam_answers,
            Visibility::Shared,
            true,
            &sam,
            None,
        );
        as_of(65, 0, submit).await?;
        let reviewed = review(
            db,
            &feelings[1],
            "Thank you for letting Alex read this, Sam. Noticing the numb days matters too.",
            counselor,
            None,
        );
        as_of(64, 0, reviewed).await?;
        let alex_answers = demo_answers(
            feelings_fields,
            &[
                "I notice I want to explain myself when Sam is angry. This week I tried to just \
               listen, and it was harder than I expected.",
            ],
        );
        let submit = save(
            db,
            &feelings[0],
            &alex_answers,
            Visibility::Counselor,
            true,
            &alex,
            None,
        );
        as_of(2, 0, submit).await?;

        let draft = demo_answers(
            week_fields,
            &["Started writing this on the train; not finished."],
        );
        let saved = save(
            db,
            &week[1],
            &draft,
            Visibility::Counselor,
            false,
            &sam,
            None,
        );
        as_of(0, 3, saved).await?;
    }
    Ok(())
}
