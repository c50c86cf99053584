//! Repeating homework: a new copy each week after the due date, for as long as the couple
//! stays on the step and the copy is not cancelled.

use super::{homework, today};
use crate::actions::{Partners, Repeat, assign, move_to_step};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::practice::{as_actor, practice};
use chrono::{Duration, NaiveDate};

both_engines!(repeating_homework_comes_back_until_the_couple_moves_on);

async fn repeating_homework_comes_back_until_the_couple_moves_on(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let case_page = format!("/cases/{couple}/homework");
    let program: String =
        sqlx::query_scalar("select program_id from program where builtin_key is not null")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    move_to_step(&mut p.robin, &couple, Some(&program), 1, "Starting").await;

    // Repeating needs a first due date, and says so.
    let res = p
        .robin
        .submit(
            &format!("/cases/{couple}/assign"),
            "/api/assign_homework",
            &[
                ("couple_id", couple.as_str()),
                ("recipients", "both"),
                ("title", "Weekly check"),
                ("instructions", "Three lines on the week."),
                ("repeat", "weekly"),
            ],
        )
        .await;
    let (_, page) = p.robin.visit(&res.location.unwrap()).await;
    assert!(
        page.body
            .contains("Repeating homework needs a first due date")
    );

    let first_due = today() + Duration::days(2);
    let copies = assign(
        &app,
        &mut p.robin,
        &couple,
        Partners::Both,
        &homework("Weekly check", first_due, Repeat::Weekly),
    )
    .await;
    assert_eq!(copies.len(), 2);
    let (_, page) = p.robin.visit(&case_page).await;
    assert!(page.body.contains("repeats weekly"));
    let roll = |day: NaiveDate| app::features::homework::repo::roll_repeats(&app.state.db, day);
    assert_eq!(roll(today()).await.unwrap(), 0, "not yet due");
    // The day after the due date, each partner gets the next week's copy, once.
    let day_after = first_due + Duration::days(1);
    assert_eq!(roll(day_after).await.unwrap(), 2);
    assert_eq!(roll(day_after).await.unwrap(), 0);
    let dues: Vec<(i64, String)> = sqlx::query_as(
        "select position, due_on from assignment where title = 'Weekly check' order by due_on, position",
    )
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    let next = (first_due + Duration::days(7)).to_string();
    assert_eq!(
        dues,
        vec![
            (1, first_due.to_string()),
            (2, first_due.to_string()),
            (1, next.clone()),
            (2, next.clone())
        ]
    );
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let (_, home) = jordan.visit("/").await;
    assert_eq!(
        home.body.matches("Weekly check").count(),
        1,
        "only the current week is on the list: the unanswered first week is missed"
    );

    // Cancelling Casey's copy ends Casey's repeats; Jordan's go on while on step 1.
    let casey_next: String = sqlx::query_scalar(
        "select assignment_id from assignment where title = 'Weekly check' and position = 2 and due_on = $1",
    )
    .bind(&next)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    p.robin
        .submit(
            &case_page,
            "/api/cancel_homework",
            &[("assignment_id", casey_next.as_str())],
        )
        .await;
    let week_after = first_due + Duration::days(8);
    assert_eq!(roll(week_after).await.unwrap(), 1, "Jordan's only");

    // The couple moves on to step 2: no more repeats.
    move_to_step(&mut p.robin, &couple, None, 2, "Ready for the next step").await;
    assert_eq!(roll(first_due + Duration::days(30)).await.unwrap(), 0);
    let total: i64 =
        sqlx::query_scalar("select count(*) from assignment where title = 'Weekly check'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(total, 5);
}
