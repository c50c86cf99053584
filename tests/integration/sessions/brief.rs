//! The pre-session brief: what happened since the last session, on the next session's page.

use super::signed_note;
use crate::actions::{
    Homework, Partner, Partners, Visibility, add_goal, answer, assign, schedule, tomorrow_at,
};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::practice::{as_actor, practice};

both_engines!(the_brief_gathers_what_happened_since_the_last_session);

async fn the_brief_gathers_what_happened_since_the_last_session(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let (_, note) = signed_note(&mut p).await;
    // That session took place (moved into the past), and homework arrived since.
    sqlx::query("update counseling_session set starts_at = $1, status = 'attended' where counseling_session_id = (select counseling_session_id from clinical_note where clinical_note_id = $2)")
        .bind(app::db::now_ms() - 7 * 24 * 3600 * 1000)
        .bind(&note)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    add_goal(
        &app,
        &mut p.robin,
        &couple,
        "GOAL-Weekly check-in",
        "Done four weeks running",
    )
    .await;
    let letter = Homework::titled("BRIEF-Letter");
    let to = Partners::Only(Partner::First);
    let copy = assign(&app, &mut p.robin, &couple, to, &letter)
        .await
        .remove(0);
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    answer(&mut jordan, &copy, "words", Visibility::Shared).await;
    let next = schedule(&mut p.robin, &couple, &tomorrow_at("11:00"), Partners::Both).await;
    p.robin
        .submit(
            &format!("/sessions/{next}"),
            "/api/add_agenda_item",
            &[
                ("session_id", next.as_str()),
                ("body", "AGENDA-Talk about the weekend"),
            ],
        )
        .await;
    let (_, page) = p.robin.visit(&format!("/sessions/{next}")).await;
    assert!(page.body.contains("Pre-session brief"));
    assert!(page.body.contains("Everything since the session of"));
    assert!(page.body.contains("BRIEF-Letter"));
    assert!(page.body.contains("Shared with their partner"));
    assert!(page.body.contains("awaiting review"));
    assert!(
        page.body.contains("NOTE-PLAN practise reflecting back"),
        "the last note's plan"
    );
    assert!(page.body.contains("GOAL-Weekly check-in"));
    assert!(page.body.contains("AGENDA-Talk about the weekend"));
    assert!(
        !page.body.contains("NOTE-SECRET"),
        "only the plan, not the whole note"
    );
}
