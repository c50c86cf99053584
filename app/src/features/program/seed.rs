//! The built-in program ships as data (`migrations/data/ten_steps.json`) and is loaded into
//! every practice's database at start-up, once, in one transaction.

use super::{Audience, Cadence, ResponseField};
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;
use serde::Deserialize;

const TEN_STEPS: &str = include_str!("../../../../migrations/data/ten_steps.json");

#[derive(Debug, Deserialize)]
pub struct Builtin {
    pub key: String,
    pub content_version: i64,
    pub title: String,
    pub summary: String,
    pub steps: Vec<BuiltinStep>,
}

#[derive(Debug, Deserialize)]
pub struct BuiltinStep {
    pub number: i64,
    pub title: String,
    pub purpose: String,
    /// What the step is for, written to both partners (shown on their home and homework).
    pub for_partners: String,
    pub guidance: String,
    pub templates: Vec<BuiltinTemplate>,
}

#[derive(Debug, Deserialize)]
pub struct BuiltinTemplate {
    pub key: String,
    pub title: String,
    pub instructions: String,
    pub audience: Audience,
    pub cadence: Cadence,
    pub fields: Vec<ResponseField>,
    /// For the counselor's eyes only (no "share with my partner" choice).
    #[serde(default)]
    pub counselor_only: bool,
    /// Done together: one shared answer the partners write between them.
    #[serde(default)]
    pub joint: bool,
}

/// Content version 3's words for what version 4 rewrote: the upgrade replaces only what
/// still reads exactly like this, so a practice's own wording is never overwritten.
const BEFORE_4: &str = include_str!("../../../../migrations/data/ten_steps_before_4.json");

#[derive(Debug, Deserialize)]
pub struct Earlier {
    pub content_version: i64,
    pub steps: Vec<EarlierStep>,
    pub templates: Vec<EarlierTemplate>,
}

#[derive(Debug, Deserialize)]
pub struct EarlierStep {
    pub number: i64,
    pub guidance: String,
}

#[derive(Debug, Deserialize)]
pub struct EarlierTemplate {
    pub key: String,
    pub title: String,
    pub instructions: String,
    pub fields: Vec<ResponseField>,
}

pub fn before_4() -> Result<Earlier, AppError> {
    serde_json::from_str(BEFORE_4).map_err(|e| AppError::internal("built-in program", e))
}

/// The built-in ten-step program, parsed.
pub fn ten_steps() -> Result<Builtin, AppError> {
    serde_json::from_str(TEN_STEPS).map_err(|e| AppError::internal("built-in program", e))
}

/// Checks the rules every program's content follows; returns what is wrong.
pub fn check(program: &Builtin) -> Vec<String> {
    let mut problems = Vec::new();
    let mut keys = std::collections::HashSet::new();
    for (i, step) in program.steps.iter().enumerate() {
        if step.number != i as i64 + 1 {
            problems.push(format!("step {} is numbered {}", i + 1, step.number));
        }
        if step.for_partners.trim().is_empty() || step.for_partners == step.purpose {
            problems.push(format!(
                "step {} has no words of its own for partners",
                step.number
            ));
        }
        if step.templates.len() < 3 {
            problems.push(format!(
                "step {} has fewer than three templates",
                step.number
            ));
        }
        for t in &step.templates {
            if t.joint && (t.counselor_only || t.audience != Audience::Both) {
                problems.push(format!(
                    "{} is done together, so it is for both partners and not counselor only",
                    t.key
                ));
            }
            if !keys.insert(t.key.clone()) {
                problems.push(format!("template key {} is used twice", t.key));
            }
            problems.extend(
                check_fields(&t.fields)
                    .into_iter()
                    .map(|p| format!("{}: {p}", t.key)),
            );
        }
    }
    problems
}

/// Rules for a template's response fields (also used when counselors write their own).
pub fn check_fields(fields: &[ResponseField]) -> Vec<String> {
    let mut problems = Vec::new();
    if fields.is_empty() {
        problems.push("has no response fields".to_string());
    }
    let mut keys = std::collections::HashSet::new();
    for f in fields {
        if !keys.insert(f.key()) {
            problems.push(format!("field key {} is used twice", f.key()));
        }
        if f.label().trim().is_empty() {
            problems.push(format!("field {} has no label", f.key()));
        }
        match f {
            ResponseField::Rating { low, high, .. }
                if low.trim().is_empty() || high.trim().is_empty() =>
            {
                problems.push(format!("rating {} needs labels for both ends", f.key()));
            }
            ResponseField::Checklist { items, .. } if items.is_empty() => {
                problems.push(format!("checklist {} has no items", f.key()));
            }
            ResponseField::Checklist { items, safety, .. }
                if safety.iter().any(|s| !items.contains(s)) =>
            {
                problems.push(format!(
                    "checklist {} marks a safety item it does not list",
                    f.key()
                ));
            }
            _ => {}
        }
    }
    problems
}

/// Loads the built-in program if this database does not have it yet. Returns its id.
pub async fn ensure_builtin(db: &Db) -> Result<String, AppError> {
    let program = ten_steps()?;
    let existing: Option<String> =
        sqlx::query_scalar("select program_id from program where builtin_key = $1")
            .bind(&program.key)
            .fetch_optional(db.pool())
            .await?;
    if let Some(id) = existing {
        upgrade(db, &id, &program).await?;
        return Ok(id);
    }
    let mut tx = db.begin_write().await?;
    // Re-checked under the write lock: another server process may be starting too.
    let existing: Option<String> =
        sqlx::query_scalar("select program_id from program where builtin_key = $1")
            .bind(&program.key)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let now = now_ms();
    let program_id = new_id();
    sqlx::query(
        "insert into program (program_id, builtin_key, content_version, title, summary, \
         created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(&program_id)
    .bind(&program.key)
    .bind(program.content_version)
    .bind(&program.title)
    .bind(&program.summary)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    for step in &program.steps {
        let step_id = new_id();
        sqlx::query(
            "insert into program_step (program_step_id, program_id, number, title, purpose, \
             guidance, for_partners) values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&step_id)
        .bind(&program_id)
        .bind(step.number)
        .bind(&step.title)
        .bind(&step.purpose)
        .bind(&step.guidance)
        .bind(&step.for_partners)
        .execute(&mut *tx)
        .await?;
        for (position, t) in step.templates.iter().enumerate() {
            super::repo::upgrade::insert_builtin_template(
                &mut tx,
                &step_id,
                position as i64 + 1,
                t,
                now,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(program_id)
}

/// Brings a practice's copy of the built-in program up to this release's content without
/// touching a word the practice wrote. Version 2 marks safety items ("Feeling unsafe" in
/// step 7): on template versions and homework whose questions are still word for word ours.
/// Version 3 makes step 1's account letter and step 3's "anything still unsaid" counselor
/// only (for homework sent from now on; what was already shared stays as the partner chose).
/// Version 4 adds what each step is for in partners' words, new exercises, an apology in
/// the account letter and care with disclosures (see `repo::upgrade`). Version 5 makes the
/// exercises meant to be done together joint: one shared answer (homework sent from now on).
async fn upgrade(db: &Db, program_id: &str, program: &Builtin) -> Result<(), AppError> {
    let stored: i64 =
        sqlx::query_scalar("select content_version from program where program_id = $1")
            .bind(program_id)
            .fetch_one(db.pool())
            .await?;
    if stored >= program.content_version {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    // Re-read under the write lock: another server may have upgraded meanwhile.
    let stored: i64 =
        sqlx::query_scalar("select content_version from program where program_id = $1")
            .bind(program_id)
            .fetch_one(&mut *tx)
            .await?;
    if stored >= program.content_version {
        return Ok(());
    }
    if stored < 2 {
        mark_safety_items(&mut tx, program_id, program).await?;
    }
    if stored < 3 {
        for t in program
            .steps
            .iter()
            .flat_map(|s| &s.templates)
            .filter(|t| t.counselor_only)
        {
            super::repo::upgrade::set_flag(
                &mut tx,
                program_id,
                &t.key,
                super::repo::upgrade::Flag::CounselorOnly,
            )
            .await?;
        }
    }
    if stored < 4 {
        super::repo::upgrade::content_4(&mut tx, program_id, program, &before_4()?).await?;
    }
    if stored < 5 {
        super::repo::upgrade::content_5(&mut tx, program_id, program).await?;
    }
    sqlx::query("update program set content_version = $1 where program_id = $2")
        .bind(program.content_version)
        .bind(program_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Content version 2: safety items marked where the questions are still ours.
async fn mark_safety_items(
    tx: &mut crate::db::Tx,
    program_id: &str,
    program: &Builtin,
) -> Result<(), AppError> {
    let unmarked = |fields: &[ResponseField]| -> Vec<ResponseField> {
        let mut fields = fields.to_vec();
        for f in &mut fields {
            if let ResponseField::Checklist { safety, .. } = f {
                safety.clear();
            }
        }
        fields
    };
    let marked = program.steps.iter().flat_map(|s| &s.templates).filter(|t| {
        t.fields
            .iter()
            .any(|f| matches!(f, ResponseField::Checklist { safety, .. } if !safety.is_empty()))
    });
    for t in marked {
        let ours = unmarked(&t.fields);
        let encoded =
            serde_json::to_string(&t.fields).map_err(|e| AppError::internal("fields", e))?;
        let versions: Vec<(String, String)> = sqlx::query_as(
            "select v.template_version_id, v.fields from template_version v \
             join exercise_template e on e.exercise_template_id = v.exercise_template_id \
             join program_step s on s.program_step_id = e.program_step_id \
             where s.program_id = $1 and e.builtin_key = $2",
        )
        .bind(program_id)
        .bind(&t.key)
        .fetch_all(&mut **tx)
        .await?;
        for (version_id, fields) in versions {
            let same = serde_json::from_str::<Vec<ResponseField>>(&fields)
                .is_ok_and(|f| unmarked(&f) == ours);
            if !same {
                continue;
            }
            sqlx::query("update template_version set fields = $1 where template_version_id = $2")
                .bind(&encoded)
                .bind(&version_id)
                .execute(&mut **tx)
                .await?;
            let sent: Vec<(String, String)> = sqlx::query_as(
                "select assignment_id, fields from assignment where template_version_id = $1",
            )
            .bind(&version_id)
            .fetch_all(&mut **tx)
            .await?;
            for (assignment_id, fields) in sent {
                if serde_json::from_str::<Vec<ResponseField>>(&fields)
                    .is_ok_and(|f| unmarked(&f) == ours)
                {
                    sqlx::query("update assignment set fields = $1 where assignment_id = $2")
                        .bind(&encoded)
                        .bind(&assignment_id)
                        .execute(&mut **tx)
                        .await?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_program_has_ten_steps_and_follows_the_rules() {
        let program = ten_steps().expect("the built-in program parses");
        assert_eq!(program.steps.len(), 10);
        assert_eq!(check(&program), Vec::<String>::new());
        let for_role = |a: Audience| program.steps[8].templates.iter().any(|t| t.audience == a);
        assert!(
            for_role(Audience::BrokeTrust) && for_role(Audience::Hurt),
            "self-healing differs by role"
        );
        assert!(program.steps.iter().all(|s| {
            s.templates.iter().any(|t| t.audience == Audience::Both)
                && s.templates.iter().all(|t| {
                    t.fields
                        .iter()
                        .any(|f| matches!(f, ResponseField::Text { .. }))
                })
        }));
    }
}
