//! Homework: a counselor assigns an exercise to both partners; each answers alone, saves
//! drafts, submits with the visibility they choose; the counselor reviews with feedback.
//! Above all, one partner never reads the other's private words, by any path.

use crate::actions::Intent::{Draft, Submit};
use crate::actions::Visibility::{CounselorOnly, Shared};
use crate::actions::{self, assign_exercise_to_both, exercise_for_both, save_homework};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::practice::{ACTORS, all_at_once, as_actor, practice};

both_engines!(
    each_partner_answers_alone_and_shares_only_what_they_choose,
    bad_answers_are_explained_and_nothing_typed_is_lost,
    homework_obeys_the_access_table,
    the_completion_chart_counts_homework_that_came_due,
    submissions_sent_at_the_same_moment_are_all_kept,
);

async fn each_partner_answers_alone_and_shares_only_what_they_choose(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let (_, key) = exercise_for_both(&app).await;
    let (a_copy, b_copy) = assign_exercise_to_both(&app, &mut p.robin, &couple).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;

    let (_, home) = jordan.visit("/").await;
    assert!(home.body.contains("Where we start"));
    assert!(home.body.contains("To do"));

    // Jordan drafts, leaves, comes back: the draft is there, and only Jordan sees it.
    save_homework(
        &mut jordan,
        &a_copy,
        &key,
        "JORDAN-DRAFT words",
        CounselorOnly,
        Draft,
    )
    .await;
    let (_, page) = jordan.visit(&format!("/homework/{a_copy}")).await;
    assert!(page.body.contains("JORDAN-DRAFT words"));
    assert!(page.body.contains("Draft saved"));
    let (_, review) = p.robin.visit(&format!("/assignments/{a_copy}")).await;
    assert!(!review.body.contains("JORDAN-DRAFT"), "drafts stay private");

    // Jordan submits privately; Casey submits shared.
    let res = save_homework(
        &mut jordan,
        &a_copy,
        &key,
        "JORDAN-PRIVATE answer",
        CounselorOnly,
        Submit,
    )
    .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/homework/{a_copy}?submitted=1").as_str())
    );
    save_homework(
        &mut casey,
        &b_copy,
        &key,
        "CASEY-SHARED answer",
        Shared,
        Submit,
    )
    .await;

    let (_, jordan_home) = jordan.visit("/").await;
    assert!(
        jordan_home.body.contains("CASEY-SHARED answer"),
        "A sees what B shared"
    );
    assert!(jordan_home.body.contains("Shared with you by your partner"));
    let (_, casey_home) = casey.visit("/").await;
    assert!(
        !casey_home.body.contains("JORDAN-PRIVATE"),
        "B never sees A's private answer"
    );
    // ...by any path: A's copy, as page or server function, is not found for B.
    assert_eq!(casey.get(&format!("/homework/{a_copy}")).await.status, 404);
    let res = casey
        .call("/api/get_homework", &[("assignment_id", a_copy.as_str())])
        .await;
    assert_eq!(res.status, 404);
    assert!(!res.body.contains("JORDAN"));
    let res = casey.call("/api/my_homework", &[]).await;
    assert!(!res.body.contains("JORDAN-PRIVATE"));
    assert_eq!(
        casey.get(&format!("/assignments/{a_copy}")).await.status,
        404
    );
    let res = casey
        .call(
            "/api/save_homework",
            &[("assignment_id", a_copy.as_str()), ("intent", "submit")],
        )
        .await;
    assert_eq!(res.status, 404, "B cannot write into A's copy either");

    // The counselor sees both on the board, reviews both; feedback reaches its partner only.
    let (_, case_page) = p.robin.visit(&format!("/cases/{couple}/homework")).await;
    assert_eq!(case_page.body.matches("Awaiting review").count(), 2);
    let (_, caseload) = p.robin.visit("/").await;
    assert!(caseload.body.contains("2 submissions awaiting review"));
    let (_, queue) = p.robin.visit("/reviews").await;
    assert!(queue.body.contains("2 awaiting review, oldest first"));
    assert!(queue.body.contains(&format!("/assignments/{a_copy}")));
    let (_, review) = p.robin.visit(&format!("/assignments/{a_copy}")).await;
    assert!(review.body.contains("JORDAN-PRIVATE answer"));
    assert!(review.body.contains("their counselor only"));
    // Each lands back on its review page (`?reviewed=1`).
    actions::review(&mut p.robin, &a_copy, "FEEDBACK-FOR-JORDAN").await;
    actions::review(&mut p.robin, &b_copy, "FEEDBACK-FOR-CASEY").await;
    let (_, page) = jordan.visit(&format!("/homework/{a_copy}")).await;
    assert!(page.body.contains("FEEDBACK-FOR-JORDAN"));
    assert!(!page.body.contains("FEEDBACK-FOR-CASEY"));
    let (_, casey_home) = casey.visit("/").await;
    assert!(!casey_home.body.contains("FEEDBACK-FOR-JORDAN"));
    let (_, queue) = p.robin.visit("/reviews").await;
    assert!(queue.body.contains("Nothing is waiting for your review"));

    // Editing after submitting keeps the earlier version for the counselor.
    save_homework(
        &mut jordan,
        &a_copy,
        &key,
        "JORDAN-SECOND thoughts",
        CounselorOnly,
        Submit,
    )
    .await;
    let (_, review) = p.robin.visit(&format!("/assignments/{a_copy}")).await;
    assert!(review.body.contains("JORDAN-SECOND thoughts"));
    assert!(review.body.contains("Earlier versions (1)"));
    assert!(review.body.contains("JORDAN-PRIVATE answer"));
    assert!(
        review.body.contains("Awaiting review"),
        "a new version needs a new review"
    );

    let actions = app.audit_actions().await;
    for a in [
        "homework_assigned",
        "homework_submitted",
        "homework_reviewed",
        "submission_viewed",
    ] {
        assert!(actions.contains(&a.to_string()), "{a} audited");
    }
    // The audit holds ids and codes, never the words.
    let details: Vec<Option<String>> = sqlx::query_scalar("select detail from audit_event")
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
    assert!(
        details
            .iter()
            .flatten()
            .all(|d| !d.contains("JORDAN") && !d.contains("CASEY"))
    );
}

async fn bad_answers_are_explained_and_nothing_typed_is_lost(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let (_, key) = exercise_for_both(&app).await;
    let (a_copy, _) = assign_exercise_to_both(&app, &mut p.robin, &couple).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;

    let res = save_homework(&mut jordan, &a_copy, &key, "   ", CounselorOnly, Submit).await;
    let back = jordan.get(&res.location.unwrap()).await;
    assert!(back.body.contains("Answer at least one question"));

    // One character past the limit: refused with the figures, but every word kept as a draft.
    let long = format!("START{}END", "x".repeat(20_000 - 8));
    let too_long = format!("{long}!");
    let res = save_homework(&mut jordan, &a_copy, &key, &too_long, CounselorOnly, Submit).await;
    let back = jordan.get(&res.location.unwrap()).await;
    assert!(
        back.body.contains("20001 characters long"),
        "the figure is given"
    );
    assert!(back.body.contains("20000"));
    let draft: String =
        sqlx::query_scalar("select answers from homework_draft where assignment_id = $1")
            .bind(&a_copy)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert!(
        draft.contains(&too_long),
        "the over-long answer is kept as a draft"
    );
    let subs: i64 = sqlx::query_scalar("select count(*) from submission")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(subs, 0);
    // Exactly at the limit is fine.
    let res = save_homework(&mut jordan, &a_copy, &key, &long, CounselorOnly, Submit).await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/homework/{a_copy}?submitted=1").as_str())
    );
    // A rating outside 0..10 is explained (the step's other exercises may have ratings).
    let res = jordan
        .call(
            "/api/save_homework",
            &[("assignment_id", a_copy.as_str()), ("intent", "wander")],
        )
        .await;
    assert_eq!(res.status, 400);
}

async fn homework_obeys_the_access_table(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let (template, key) = exercise_for_both(&app).await;
    let (a_copy, _) = assign_exercise_to_both(&app, &mut p.robin, &couple).await;
    let field = format!("answers[{key}]");
    // assign, form, my_homework, get_homework(A), save(A draft), get_assignment(A), review(A), cancel(A)
    let expected: [[u16; 8]; 7] = [
        [401, 401, 401, 401, 401, 401, 401, 401],
        [404, 404, 200, 200, 200, 404, 404, 404],
        [404, 404, 200, 404, 404, 404, 404, 404],
        [404, 404, 200, 404, 404, 404, 404, 404],
        [200, 200, 403, 404, 404, 200, 409, 200],
        [404, 404, 403, 404, 404, 404, 404, 404],
        [404, 404, 403, 404, 404, 404, 404, 404],
    ];
    for ((actor, email), want) in ACTORS.into_iter().zip(expected) {
        let mut b = as_actor(&app, email).await;
        let got = [
            b.call(
                "/api/assign_homework",
                &[
                    ("couple_id", couple.as_str()),
                    ("template_id", template.as_str()),
                    ("recipients", "1"),
                    ("title", "Access"),
                    ("instructions", "Access check"),
                ],
            )
            .await
            .status,
            b.call(
                "/api/assignment_form",
                &[
                    ("couple_id", couple.as_str()),
                    ("template_id", template.as_str()),
                ],
            )
            .await
            .status,
            b.call("/api/my_homework", &[]).await.status,
            b.call("/api/get_homework", &[("assignment_id", a_copy.as_str())])
                .await
                .status,
            b.call(
                "/api/save_homework",
                &[
                    ("assignment_id", a_copy.as_str()),
                    (field.as_str(), "words"),
                    ("intent", "draft"),
                ],
            )
            .await
            .status,
            b.call("/api/get_assignment", &[("assignment_id", a_copy.as_str())])
                .await
                .status,
            b.call(
                "/api/review_homework",
                &[("assignment_id", a_copy.as_str()), ("feedback", "ok")],
            )
            .await
            .status,
            // Cancelling last: the assigned counselor's cancel succeeds.
            b.call(
                "/api/cancel_homework",
                &[("assignment_id", a_copy.as_str())],
            )
            .await
            .status,
        ];
        assert_eq!(
            got, want,
            "{actor}: assign, form, mine, get, save, read, review, cancel"
        );
        let queue = b.call("/api/review_queue", &[]).await;
        let may = actor.contains("counselor");
        assert_eq!(
            queue.status,
            match actor {
                "anonymous" => 401,
                _ if may => 200,
                _ => 403,
            },
            "{actor}: review_queue"
        );
        // Pages agree with the functions.
        let page = b.get(&format!("/homework/{a_copy}")).await.status;
        let review_page = b.get(&format!("/assignments/{a_copy}")).await.status;
        if email.is_none() {
            assert_eq!((page, review_page), (303, 303));
        } else {
            assert_eq!(
                page,
                if want[3] == 200 { 200 } else { 404 },
                "{actor}: homework page"
            );
            assert_eq!(
                review_page,
                if want[5] == 200 { 200 } else { 404 },
                "{actor}: review page"
            );
        }
    }
}

async fn the_completion_chart_counts_homework_that_came_due(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let (_, key) = exercise_for_both(&app).await;
    let (a_copy, _) = assign_exercise_to_both(&app, &mut p.robin, &couple).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let res = save_homework(&mut jordan, &a_copy, &key, "done", CounselorOnly, Submit).await;
    assert!(res.location.is_some(), "{}", res.body);
    // Due next week: nothing has come due yet.
    let (_, page) = p.robin.visit(&format!("/cases/{couple}/progress")).await;
    assert!(page.body.contains("Jordan Lee: no homework came due."));
    // A week later the due date has passed: Jordan did it, Casey did not.
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Days::new(1)).to_string();
    sqlx::query("update assignment set due_on = $1 where couple_id = $2")
        .bind(&yesterday)
        .bind(&couple)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let (_, page) = p.robin.visit(&format!("/cases/{couple}/progress")).await;
    assert!(page.body.contains("Jordan Lee: 1 of 1 completed (100%)."));
    assert!(page.body.contains("Casey Lee: 0 of 1 completed (0%)."));
    assert!(page.body.contains("1 of 1 (100%)"), "the data table");
    // Cancelled homework does not count against anyone.
    sqlx::query("update assignment set cancelled_at = $1 where couple_id = $2 and position = 2")
        .bind(app::db::now_ms())
        .bind(&couple)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let (_, page) = p.robin.visit(&format!("/cases/{couple}/progress")).await;
    assert!(page.body.contains("Casey Lee: no homework came due."));
}

/// A partner submitting the same homework from several tabs at once (or tapping twice)
/// gets every submission kept, each its own version, on both engines.
async fn submissions_sent_at_the_same_moment_are_all_kept(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let (_, key) = exercise_for_both(&app).await;
    let (a_copy, _) = assign_exercise_to_both(&app, &mut p.robin, &couple).await;
    let answers = all_at_once(&app, "jordan@example.org", 6, |n, mut tab| {
        let (a_copy, key) = (a_copy.clone(), key.clone());
        async move {
            let text = format!("TAB-{n}");
            save_homework(&mut tab, &a_copy, &key, &text, CounselorOnly, Submit).await
        }
    })
    .await;
    for res in answers {
        assert_eq!(
            res.location.as_deref(),
            Some(format!("/homework/{a_copy}?submitted=1").as_str()),
            "every tab's submission is accepted: {}",
            res.body
        );
    }
    let versions: Vec<i64> = sqlx::query_scalar(
        "select version from submission where assignment_id = $1 order by version",
    )
    .bind(&a_copy)
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(versions, vec![1, 2, 3, 4, 5, 6], "six versions, one each");
    let (_, review) = p.robin.visit(&format!("/assignments/{a_copy}")).await;
    for n in 0..6 {
        assert!(
            review.body.contains(&format!("TAB-{n}")),
            "the counselor reads tab {n}"
        );
    }
}
