//! SQL for bringing a practice's copy of the built-in program up to content version 4, and
//! for adding a built-in exercise to a step. Nothing a practice wrote is overwritten: texts
//! are replaced only where they still read exactly as version 3 shipped them, and a new
//! wording of an exercise is a new version (homework already sent keeps its own).

use crate::db::{Tx, new_id, now_ms};
use crate::error::AppError;
use crate::features::program::ResponseField;
use crate::features::program::seed::{Builtin, BuiltinTemplate, Earlier, EarlierTemplate};

/// Content version 4: what each step is for in partners' words (in the built-in program and
/// in the practice's copies, where a step is the same step and has none), the counselor's
/// new guidance, the account letter's apology and the disclosure care in its help, and the
/// new exercises.
pub async fn content_4(
    tx: &mut Tx,
    program_id: &str,
    program: &Builtin,
    before: &Earlier,
) -> Result<(), AppError> {
    for step in &program.steps {
        // A copy's step 3 called "Be consistently transparent" is still our step 3: the
        // practice would expect the same words for partners there.
        sqlx::query(
            "update program_step set for_partners = $1 \
             where for_partners = '' and number = $2 and title = $3",
        )
        .bind(&step.for_partners)
        .bind(step.number)
        .bind(&step.title)
        .execute(&mut **tx)
        .await?;
    }
    for earlier in &before.steps {
        let Some(step) = program.steps.iter().find(|s| s.number == earlier.number) else {
            continue;
        };
        sqlx::query(
            "update program_step set guidance = $1 \
             where program_id = $2 and number = $3 and guidance = $4",
        )
        .bind(&step.guidance)
        .bind(program_id)
        .bind(step.number)
        .bind(&earlier.guidance)
        .execute(&mut **tx)
        .await?;
    }
    let shipped = |key: &str| {
        program
            .steps
            .iter()
            .flat_map(|s| &s.templates)
            .find(|t| t.key == key)
    };
    for earlier in &before.templates {
        if let Some(t) = shipped(&earlier.key) {
            reword(tx, program_id, earlier, t).await?;
        }
    }
    let now = now_ms();
    for step in &program.steps {
        for t in &step.templates {
            add_if_missing(tx, program_id, step.number, t, now).await?;
        }
    }
    Ok(())
}

/// Whether a stored template version still reads exactly as we shipped it.
pub fn still_ours(title: &str, instructions: &str, fields: &str, ours: &EarlierTemplate) -> bool {
    title == ours.title
        && instructions == ours.instructions
        && serde_json::from_str::<Vec<ResponseField>>(fields).is_ok_and(|f| f == ours.fields)
}

/// A new version of a built-in exercise with this release's words, if its current version
/// is still word for word the earlier release's.
async fn reword(
    tx: &mut Tx,
    program_id: &str,
    earlier: &EarlierTemplate,
    t: &BuiltinTemplate,
) -> Result<(), AppError> {
    let current: Option<(String, i64, String, String, String)> = sqlx::query_as(
        "select e.exercise_template_id, e.current_version, v.title, v.instructions, v.fields \
         from exercise_template e \
         join program_step s on s.program_step_id = e.program_step_id \
         join template_version v on v.exercise_template_id = e.exercise_template_id \
           and v.version = e.current_version \
         where s.program_id = $1 and e.builtin_key = $2",
    )
    .bind(program_id)
    .bind(&t.key)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((template_id, version, title, instructions, fields)) = current else {
        return Ok(());
    };
    if !still_ours(&title, &instructions, &fields, earlier) {
        return Ok(());
    }
    insert_version(tx, &template_id, version + 1, t, now_ms()).await?;
    sqlx::query(
        "update exercise_template set current_version = $1 where exercise_template_id = $2",
    )
    .bind(version + 1)
    .bind(&template_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds a built-in exercise new in this release at the end of its step (a practice that
/// archived one keeps it archived: its key is still there).
async fn add_if_missing(
    tx: &mut Tx,
    program_id: &str,
    step: i64,
    t: &BuiltinTemplate,
    now: i64,
) -> Result<(), AppError> {
    let present: i64 = sqlx::query_scalar(
        "select count(*) from exercise_template e \
         join program_step s on s.program_step_id = e.program_step_id \
         where s.program_id = $1 and e.builtin_key = $2",
    )
    .bind(program_id)
    .bind(&t.key)
    .fetch_one(&mut **tx)
    .await?;
    if present > 0 {
        return Ok(());
    }
    let place: Option<(String, i64)> = sqlx::query_as(
        "select s.program_step_id, coalesce((select max(e.position) from exercise_template e \
           where e.program_step_id = s.program_step_id), 0) \
         from program_step s where s.program_id = $1 and s.number = $2",
    )
    .bind(program_id)
    .bind(step)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some((step_id, last)) = place {
        insert_builtin_template(tx, &step_id, last + 1, t, now).await?;
    }
    Ok(())
}

/// Inserts a built-in exercise into a step, at version 1.
pub async fn insert_builtin_template(
    tx: &mut Tx,
    step_id: &str,
    position: i64,
    t: &BuiltinTemplate,
    now: i64,
) -> Result<(), AppError> {
    let template_id = new_id();
    sqlx::query(
        "insert into exercise_template (exercise_template_id, program_step_id, \
         builtin_key, position, current_version, created_at) \
         values ($1, $2, $3, $4, 1, $5)",
    )
    .bind(&template_id)
    .bind(step_id)
    .bind(&t.key)
    .bind(position)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    insert_version(tx, &template_id, 1, t, now).await
}

/// Content version 5: the exercises meant to be done together become joint (one shared
/// answer) in the built-in program. Homework already sent stays as it was sent; a practice's
/// own copies keep their choice (a counselor can tick "Done together" there).
pub async fn content_5(tx: &mut Tx, program_id: &str, program: &Builtin) -> Result<(), AppError> {
    for t in program
        .steps
        .iter()
        .flat_map(|s| &s.templates)
        .filter(|t| t.joint)
    {
        set_flag(tx, program_id, &t.key, Flag::Joint).await?;
    }
    Ok(())
}

/// A yes-or-no setting of the built-in exercises' template versions.
pub enum Flag {
    CounselorOnly,
    Joint,
}

/// Turns `flag` on for every version of the built-in program's exercise `key`.
pub async fn set_flag(
    tx: &mut Tx,
    program_id: &str,
    key: &str,
    flag: Flag,
) -> Result<(), AppError> {
    let column = match flag {
        Flag::CounselorOnly => "counselor_only",
        Flag::Joint => "joint",
    };
    sqlx::query(&format!(
        "update template_version set {column} = 1 where exercise_template_id in \
         (select e.exercise_template_id from exercise_template e \
          join program_step s on s.program_step_id = e.program_step_id \
          where s.program_id = $1 and e.builtin_key = $2)"
    ))
    .bind(program_id)
    .bind(key)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn insert_version(
    tx: &mut Tx,
    template_id: &str,
    version: i64,
    t: &BuiltinTemplate,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "insert into template_version (template_version_id, exercise_template_id, \
         version, title, instructions, audience, cadence, fields, created_at, counselor_only, \
         joint) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(new_id())
    .bind(template_id)
    .bind(version)
    .bind(&t.title)
    .bind(&t.instructions)
    .bind(t.audience.as_str())
    .bind(t.cadence.as_str())
    .bind(serde_json::to_string(&t.fields).map_err(|e| AppError::internal("fields", e))?)
    .bind(now)
    .bind(i64::from(t.counselor_only))
    .bind(i64::from(t.joint))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::program::seed::{before_4, ten_steps};

    #[test]
    fn version_4_rewords_only_what_it_changed_and_knows_the_earlier_words() {
        let shipped = ten_steps().unwrap();
        let before = before_4().unwrap();
        assert_eq!(before.content_version, 3);
        // Version 5 changed no words (it marks the exercises done together).
        assert_eq!(shipped.content_version, 5);
        for e in &before.templates {
            let t = shipped
                .steps
                .iter()
                .flat_map(|s| &s.templates)
                .find(|t| t.key == e.key)
                .expect("an earlier exercise is still shipped");
            assert_ne!(t.fields, e.fields, "{} changed", e.key);
        }
        for e in &before.steps {
            let s = &shipped.steps[e.number as usize - 1];
            assert!(
                s.guidance.starts_with(&e.guidance),
                "step {} adds to its guidance",
                e.number
            );
        }
    }

    #[test]
    fn a_stored_version_is_ours_only_word_for_word() {
        let before = before_4().unwrap();
        let letter = before
            .templates
            .iter()
            .find(|t| t.key == "s1-accountability-letter")
            .unwrap();
        let fields = serde_json::to_string(&letter.fields).unwrap();
        assert!(still_ours(
            &letter.title,
            &letter.instructions,
            &fields,
            letter
        ));
        let reworded = fields.replace("plain words", "simple words");
        assert!(!still_ours(
            &letter.title,
            &letter.instructions,
            &reworded,
            letter
        ));
        assert!(!still_ours(
            "Our letter",
            &letter.instructions,
            &fields,
            letter
        ));
        assert!(!still_ours(&letter.title, "Write it.", &fields, letter));
        assert!(!still_ours(
            &letter.title,
            &letter.instructions,
            "not json",
            letter
        ));
    }
}
