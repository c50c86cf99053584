//! Work done together: the counselor sends a joint exercise of the built-in program, and a
//! partner saves the shared answer as the page's form sends it.

use super::lands_on;
use crate::helpers::{Browser, Page, TestApp};

/// The counselor sends the built-in exercise `key` (one done together) to both partners,
/// opening the assign form first as a person does; returns the joint work's id.
pub async fn send_together(app: &TestApp, b: &mut Browser, couple: &str, key: &str) -> String {
    let template: String = sqlx::query_scalar(
        "select e.exercise_template_id from exercise_template e \
         join program_step s on s.program_step_id = e.program_step_id \
         join program p on p.program_id = s.program_id \
         where p.builtin_key is not null and e.builtin_key = $1",
    )
    .bind(key)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    let form = format!("/cases/{couple}/assign?template={template}");
    let (_, page) = b.visit(&form).await;
    assert!(
        page.body
            .contains("Both partners, together (one shared answer)"),
        "the assign form offers it to both, together"
    );
    let title: String = sqlx::query_scalar(
        "select v.title from template_version v join exercise_template e \
         on e.exercise_template_id = v.exercise_template_id and v.version = e.current_version \
         where e.exercise_template_id = $1",
    )
    .bind(&template)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    let res = b
        .submit(
            &form,
            "/api/assign_homework",
            &[
                ("couple_id", couple),
                ("template_id", &template),
                ("recipients", "both"),
                ("title", &title),
                ("instructions", "Sit down together this week."),
                ("repeat", "once"),
            ],
        )
        .await;
    lands_on(
        &res,
        &format!("/cases/{couple}/homework?assigned=1#homework"),
    );
    sqlx::query_scalar(
        "select joint_work_id from joint_work where couple_id = $1 order by assigned_at desc \
         limit 1",
    )
    .bind(couple)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap()
}

/// A partner saves (`intent` "save") or saves and sends ("send") the shared answer, written
/// on version `base`, with `answers` as (question key, text), as the page's form sends it
/// with JavaScript off; returns the response.
pub async fn save_together(
    b: &mut Browser,
    joint: &str,
    base: i64,
    answers: &[(&str, &str)],
    intent: &str,
) -> Page {
    let form = together_form(joint, base, answers, intent);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.submit(&format!("/together/{joint}"), "/api/save_joint", &form)
        .await
}

/// The same save as the page sends it with JavaScript on: the answer carries the status.
pub async fn call_together(
    b: &mut Browser,
    joint: &str,
    base: i64,
    answers: &[(&str, &str)],
    intent: &str,
) -> Page {
    let form = together_form(joint, base, answers, intent);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.call("/api/save_joint", &form).await
}

fn together_form(
    joint: &str,
    base: i64,
    answers: &[(&str, &str)],
    intent: &str,
) -> Vec<(String, String)> {
    let mut form = vec![
        ("joint_id".to_string(), joint.to_string()),
        ("base_version".to_string(), base.to_string()),
        ("intent".to_string(), intent.to_string()),
    ];
    form.extend(
        answers
            .iter()
            .map(|(k, v)| (format!("answers[{k}]"), v.to_string())),
    );
    form
}
