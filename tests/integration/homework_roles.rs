//! Role-specific work goes only to that role: an exercise meant for the hurt partner (or the
//! partner who broke trust) goes to the partner with that role and nobody else, and cannot be
//! sent at all until the counselor has set the couple's roles, never silently to both.

use crate::actions::open_case;
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::practice::practice;

both_engines!(
    role_specific_exercises_go_only_to_that_role,
    role_specific_exercises_wait_for_the_roles_to_be_set,
);

/// The built-in "Support for me" exercise (step 7, for the hurt partner).
async fn support_for_me(app: &TestApp) -> String {
    sqlx::query_scalar(
        "select exercise_template_id from exercise_template where builtin_key = 's7-support-for-me'",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap()
}

async fn copies(app: &TestApp, couple: &str) -> Vec<i64> {
    sqlx::query_scalar(
        "select position from assignment where couple_id = $1 and title = 'Support for me' \
         order by position",
    )
    .bind(couple)
    .fetch_all(app.state.db.pool())
    .await
    .unwrap()
}

async fn role_specific_exercises_go_only_to_that_role(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let template = support_for_me(&app).await;
    let couple = p.couple.clone();
    // Casey (partner 2) is the hurt partner: the form offers Casey alone.
    let (_, form) = p
        .robin
        .visit(&format!("/cases/{couple}/assign?template={template}"))
        .await;
    assert!(
        form.body
            .contains("This exercise is meant for the hurt partner only.")
    );
    assert!(
        form.body
            .contains(r#"<option value="2" selected>Casey Lee only</option>"#)
    );
    assert!(
        !form
            .body
            .contains("Both partners (each answers their own copy)")
    );
    assert!(!form.body.contains("Jordan Lee only"));
    let send = |to: &'static str| {
        [
            ("couple_id", couple.clone()),
            ("template_id", template.clone()),
            ("recipients", to.to_string()),
            ("title", "Support for me".to_string()),
            ("instructions", "On your own.".to_string()),
        ]
    };
    for wrong in ["both", "1"] {
        let form = send(wrong);
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = p.robin.call("/api/assign_homework", &form).await;
        assert_eq!(res.status, 422, "{wrong}: {}", res.body);
        assert!(
            res.body
                .contains("This exercise is for the hurt partner only"),
            "{}",
            res.body
        );
    }
    assert!(copies(&app, &couple).await.is_empty(), "nothing sent");
    let form = send("2");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = p.robin.call("/api/assign_homework", &form).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(copies(&app, &couple).await, vec![2]);
}

async fn role_specific_exercises_wait_for_the_roles_to_be_set(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let template = support_for_me(&app).await;
    let couple = open_case(
        &mut p.robin,
        &[
            ("couple[case_name]", "Ash & Lou"),
            ("couple[partner1_name]", "Ash"),
            ("couple[partner1_email]", "ash@example.org"),
            ("couple[partner2_name]", "Lou"),
            ("couple[partner2_email]", "lou@example.org"),
        ],
    )
    .await;
    let (_, form) = p
        .robin
        .visit(&format!("/cases/{couple}/assign?template={template}"))
        .await;
    assert!(
        form.body.contains("this couple's roles are not set yet"),
        "{}",
        form.body
    );
    assert!(
        form.body
            .contains(&format!(r#"href="/cases/{couple}/edit""#))
    );
    assert!(!form.body.contains("Send homework"), "no way to send it");
    for to in ["both", "1", "2"] {
        let res = p
            .robin
            .call(
                "/api/assign_homework",
                &[
                    ("couple_id", couple.as_str()),
                    ("template_id", template.as_str()),
                    ("recipients", to),
                    ("title", "Support for me"),
                    ("instructions", "On your own."),
                ],
            )
            .await;
        assert_eq!(res.status, 422, "{to}");
        assert!(res.body.contains("roles are not set yet"), "{}", res.body);
    }
    assert!(copies(&app, &couple).await.is_empty());
}
