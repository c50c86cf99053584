//! Homework: the counselor assigns it, a partner answers it, the counselor reviews it.

use super::{Partner, Partners, lands_on};
use crate::helpers::{Browser, Page, TestApp};
use chrono::NaiveDate;

/// What the counselor writes on the assign form. `template` assigns that exercise of the
/// program (its questions); without one, the homework is written from scratch and has one
/// written answer, `response`.
pub struct Homework<'a> {
    pub title: &'a str,
    pub instructions: &'a str,
    pub due: Option<NaiveDate>,
    pub repeat: Option<Repeat>,
    pub template: Option<&'a str>,
}

impl<'a> Homework<'a> {
    /// Homework written from scratch: a title, "Write.", no due date.
    pub fn titled(title: &'a str) -> Self {
        Homework {
            title,
            instructions: "Write.",
            due: None,
            repeat: None,
            template: None,
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Repeat {
    Once,
    Daily,
    Weekly,
}

/// Who may read a submitted answer: the counselor only, or the other partner too.
#[derive(Clone, Copy, Debug)]
pub enum Visibility {
    CounselorOnly,
    Shared,
}

/// The homework page's two buttons.
#[derive(Clone, Copy, Debug)]
pub enum Intent {
    Draft,
    Submit,
}

/// The counselor assigns homework to `to` on the case's assign form (first opening the form
/// for an exercise, which must offer to send it); returns the new copies' ids, one per
/// partner, the first partner's first.
pub async fn assign(
    app: &TestApp,
    b: &mut Browser,
    couple: &str,
    to: Partners,
    homework: &Homework<'_>,
) -> Vec<String> {
    let mut form_page = format!("/cases/{couple}/assign");
    let mut form = vec![("couple_id", couple)];
    if let Some(template) = homework.template {
        form_page = format!("{form_page}?template={template}");
        let (_, page) = b.visit(&form_page).await;
        assert!(page.body.contains("Send homework"), "{}", page.body);
        form.push(("template_id", template));
    }
    let due = homework.due.map(|d| d.to_string());
    form.extend([
        (
            "recipients",
            match to {
                Partners::Both => "both",
                Partners::Only(Partner::First) => "1",
                Partners::Only(Partner::Second) => "2",
            },
        ),
        ("title", homework.title),
        ("instructions", homework.instructions),
    ]);
    if let Some(due) = &due {
        form.push(("due_on", due));
    }
    if let Some(repeat) = homework.repeat {
        let repeat = match repeat {
            Repeat::Once => "once",
            Repeat::Daily => "daily",
            Repeat::Weekly => "weekly",
        };
        form.push(("repeat", repeat));
    }
    let res = b.submit(&form_page, "/api/assign_homework", &form).await;
    lands_on(
        &res,
        &format!("/cases/{couple}/homework?assigned=1#homework"),
    );
    let copies: Vec<String> = sqlx::query_scalar(
        "select assignment_id from assignment where couple_id = $1 and title = $2 \
         order by position",
    )
    .bind(couple)
    .bind(homework.title)
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(copies.len(), to.count(), "one copy per partner");
    copies
}

/// A step-1 exercise of the built-in program meant for both partners, and the key of its
/// first written question.
pub async fn exercise_for_both(app: &TestApp) -> (String, String) {
    let (id, fields): (String, String) = sqlx::query_as(
        "select t.exercise_template_id, v.fields from exercise_template t \
         join template_version v on v.exercise_template_id = t.exercise_template_id \
         join program_step s on s.program_step_id = t.program_step_id \
         where s.number = 1 and v.audience = 'both' order by t.position limit 1",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    let fields: serde_json::Value = serde_json::from_str(&fields).unwrap();
    let key = fields
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "text")
        .unwrap()["key"]
        .as_str()
        .unwrap()
        .to_string();
    (id, key)
}

/// The counselor assigns that exercise ("Where we start", due in a week) to both partners;
/// returns (the first partner's copy, the second partner's copy).
pub async fn assign_exercise_to_both(
    app: &TestApp,
    b: &mut Browser,
    couple: &str,
) -> (String, String) {
    let (template, _) = exercise_for_both(app).await;
    let due = chrono::Utc::now().date_naive() + chrono::Days::new(7);
    let homework = Homework {
        title: "Where we start",
        instructions: "Answer on your own this week.",
        due: Some(due),
        repeat: None,
        template: Some(&template),
    };
    let copies = assign(app, b, couple, Partners::Both, &homework).await;
    (copies[0].clone(), copies[1].clone())
}

/// A partner writes `text` as the answer to question `key` on their homework page and
/// presses "Save draft" or "Submit"; returns the response to the form post.
pub async fn save_homework(
    b: &mut Browser,
    assignment: &str,
    key: &str,
    text: &str,
    visibility: Visibility,
    intent: Intent,
) -> Page {
    let field = format!("answers[{key}]");
    let visibility = match visibility {
        Visibility::CounselorOnly => "counselor",
        Visibility::Shared => "shared",
    };
    let intent = match intent {
        Intent::Draft => "draft",
        Intent::Submit => "submit",
    };
    b.submit(
        &format!("/homework/{assignment}"),
        "/api/save_homework",
        &[
            ("assignment_id", assignment),
            (field.as_str(), text),
            ("visibility", visibility),
            ("intent", intent),
        ],
    )
    .await
}

/// A partner answers homework written from scratch and submits it.
pub async fn answer(b: &mut Browser, assignment: &str, text: &str, visibility: Visibility) {
    let res = save_homework(b, assignment, "response", text, visibility, Intent::Submit).await;
    lands_on(&res, &format!("/homework/{assignment}?submitted=1"));
}

/// The counselor reads a submitted answer and leaves `feedback`, which marks it reviewed.
pub async fn review(b: &mut Browser, assignment: &str, feedback: &str) {
    let res = b
        .submit(
            &format!("/assignments/{assignment}"),
            "/api/review_homework",
            &[("assignment_id", assignment), ("feedback", feedback)],
        )
        .await;
    lands_on(&res, &format!("/assignments/{assignment}?reviewed=1"));
}
