//! The case page's overview: what a counselor needs to know before the couple walks in, each
//! part read from the couple's own records, and nothing of another couple's.

use crate::actions::Intent::Submit;
use crate::actions::Visibility::CounselorOnly;
use crate::actions::{
    CheckIn, Partners, assign_exercise_to_both, check_in, save_homework, schedule, tomorrow_at,
};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::practice::{as_actor, practice};

both_engines!(the_overview_says_what_to_know_before_the_couple_walks_in);

async fn the_overview_says_what_to_know_before_the_couple_walks_in(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let overview = format!("/cases/{couple}");

    // Nothing yet: each part says so in words.
    let (_, page) = p.robin.visit(&overview).await;
    for text in [
        "Before they walk in",
        "No session planned.",
        "Nothing waiting for your review.",
        "Nothing past its due date.",
        "Jordan Lee</strong> \u{b7} no check-in in the charted weeks",
        "Not started on a program yet.",
        "(since 2026-05-01)",
    ] {
        assert!(page.body.contains(text), "{text:?} in {}", page.body);
    }
    assert!(!page.body.contains("Records kept until"), "not while open");

    // A session tomorrow, an answer sent, a week's check-ins that disagree.
    schedule(&mut p.robin, &couple, &tomorrow_at("09:30"), Partners::Both).await;
    let (jordans, caseys) = assign_exercise_to_both(&app, &mut p.robin, &couple).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let (_, key) = crate::actions::exercise_for_both(&app).await;
    let res = save_homework(&mut jordan, &jordans, &key, "done", CounselorOnly, Submit).await;
    assert!(res.location.is_some(), "{}", res.body);
    check_in(
        &mut jordan,
        &CheckIn {
            trust: "9",
            hope: "8",
            ..CheckIn::PLAIN
        },
    )
    .await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    check_in(
        &mut casey,
        &CheckIn {
            trust: "3",
            hope: "6",
            ..CheckIn::PLAIN
        },
    )
    .await;
    // Casey's copy is past its due date.
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Days::new(1)).to_string();
    sqlx::query("update assignment set due_on = $1 where assignment_id = $2")
        .bind(&yesterday)
        .bind(&caseys)
        .execute(app.state.db.writer())
        .await
        .unwrap();

    let (_, page) = p.robin.visit(&overview).await;
    let card = |heading: &str| -> String {
        let at = page
            .body
            .find(&format!(">{heading}</h3>"))
            .unwrap_or_else(|| panic!("the {heading} card"));
        let end = page.body[at..].find("</section>").unwrap() + at;
        page.body[at..end].to_string()
    };
    let next = card("Next session");
    assert!(next.contains("09:30"), "{next}");
    assert!(next.contains("Both partners"), "{next}");
    let homework = card("Homework");
    let waiting = homework.find("Waiting for your review").expect("waiting");
    let overdue = homework.find("Past its due date").expect("overdue");
    assert!(
        homework[waiting..overdue].contains(&format!("/assignments/{jordans}")),
        "Jordan's answer waits for review: {homework}"
    );
    assert!(
        homework[overdue..].contains(&format!("/assignments/{caseys}")),
        "Casey's copy is overdue: {homework}"
    );
    let week = card("Latest check-ins");
    assert!(week.contains("trust 9/10, hope 8/10"), "{week}");
    assert!(week.contains("trust 3/10, hope 6/10"), "{week}");

    // Another counselor's overview of their own couple shows none of it.
    let mut dana = as_actor(&app, Some("dana@example.org")).await;
    let (_, theirs) = dana.visit(&format!("/cases/{}", p.other_couple)).await;
    assert!(theirs.body.contains("Before they walk in"));
    for text in [
        "09:30",
        "trust 9/10",
        "trust 3/10",
        jordans.as_str(),
        caseys.as_str(),
    ] {
        assert!(
            !theirs.body.contains(text),
            "{text} on another couple's overview"
        );
    }
    assert_eq!(dana.get(&overview).await.status, 404);

    // Once the case is closed, the overview says how long its records are kept.
    p.robin
        .call(
            "/api/set_case_status",
            &[("couple_id", couple.as_str()), ("status", "closed")],
        )
        .await;
    let (_, page) = p.robin.visit(&overview).await;
    assert!(page.body.contains("Records kept until"), "{}", page.body);
    assert!(page.body.contains("(since 2026-05-01)"));
}
