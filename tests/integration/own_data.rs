//! A partner's download of their own data holds exactly what they can see in Trellis at that
//! moment: all their own words, and of the other partner's only the latest version of each
//! homework answer, only when it is shared, only on homework that still stands. (The export
//! once carried every version ever shared, and cancelled homework.)

use crate::actions::{Homework, Partner, Partners, Visibility, answer, assign};
use crate::both_engines;
use crate::helpers::{Browser, Engine, TestApp};
use crate::practice::{as_actor, practice};
use serde_json::Value;

both_engines!(
    the_other_partners_withdrawn_and_cancelled_words_leave_the_export,
    the_export_and_the_homework_page_show_the_same_shared_answers,
);

/// Robin sets homework written from scratch for partner 1 (Jordan); returns its id.
async fn assign_to_jordan(app: &TestApp, robin: &mut Browser, couple: &str, title: &str) -> String {
    let to = Partners::Only(Partner::First);
    assign(app, robin, couple, to, &Homework::titled(title))
        .await
        .remove(0)
}

async fn export(b: &mut Browser) -> String {
    let res = b.get("/export/my-data.json").await;
    assert_eq!(res.status, 200, "{}", res.body);
    res.body
}

async fn the_other_partners_withdrawn_and_cancelled_words_leave_the_export(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;

    // Shared, then replaced by a version for the counselor only: withdrawn.
    let letter = assign_to_jordan(&app, &mut p.robin, &couple, "Letter").await;
    answer(
        &mut jordan,
        &letter,
        "FIRST-SHARED-THEN-WITHDRAWN",
        Visibility::Shared,
    )
    .await;
    assert!(
        export(&mut casey)
            .await
            .contains("FIRST-SHARED-THEN-WITHDRAWN")
    );
    answer(
        &mut jordan,
        &letter,
        "SECOND-FOR-COUNSELOR",
        Visibility::CounselorOnly,
    )
    .await;
    // Shared, on homework the counselor then cancelled.
    let mistake = assign_to_jordan(&app, &mut p.robin, &couple, "Set by mistake").await;
    answer(
        &mut jordan,
        &mistake,
        "SHARED-ON-CANCELLED",
        Visibility::Shared,
    )
    .await;
    let res = p
        .robin
        .call("/api/cancel_homework", &[("assignment_id", &mistake)])
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    // Still shared: the latest version of standing homework.
    let standing = assign_to_jordan(&app, &mut p.robin, &couple, "What I noticed").await;
    answer(&mut jordan, &standing, "STILL-SHARED", Visibility::Shared).await;

    let theirs = export(&mut casey).await;
    for gone in [
        "FIRST-SHARED-THEN-WITHDRAWN",
        "SECOND-FOR-COUNSELOR",
        "SHARED-ON-CANCELLED",
    ] {
        assert!(!theirs.contains(gone), "Casey's export still holds {gone}");
    }
    assert!(theirs.contains("STILL-SHARED"));
    // Jordan's own words stay in Jordan's export, every version of them.
    let mine = export(&mut jordan).await;
    for own in [
        "FIRST-SHARED-THEN-WITHDRAWN",
        "SECOND-FOR-COUNSELOR",
        "SHARED-ON-CANCELLED",
        "STILL-SHARED",
    ] {
        assert!(mine.contains(own), "Jordan's export lacks their own {own}");
    }
}

/// The answers texts in a JSON value, wherever they are.
fn texts(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if s.starts_with("ANSWER-") => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| texts(x, out)),
        Value::Object(o) => o.values().for_each(|x| texts(x, out)),
        _ => {}
    }
}

async fn the_export_and_the_homework_page_show_the_same_shared_answers(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    use Visibility::{CounselorOnly, Shared};
    for (n, how) in [Shared, CounselorOnly, Shared, Shared]
        .into_iter()
        .enumerate()
    {
        let id = assign_to_jordan(&app, &mut p.robin, &couple, &format!("Homework {n}")).await;
        answer(&mut jordan, &id, &format!("ANSWER-{n}-A"), how).await;
        if n == 2 {
            answer(
                &mut jordan,
                &id,
                &format!("ANSWER-{n}-B"),
                Visibility::CounselorOnly,
            )
            .await;
        }
        if n == 3 {
            let res = p
                .robin
                .call("/api/cancel_homework", &[("assignment_id", &id)])
                .await;
            assert_eq!(res.status, 200);
        }
    }
    let page = casey.call("/api/my_homework", &[]).await;
    let page: Value = serde_json::from_str(&page.body).unwrap();
    let mut on_page = Vec::new();
    texts(&page["shared"], &mut on_page);
    let data: Value = serde_json::from_str(&export(&mut casey).await).unwrap();
    let mut in_export = Vec::new();
    texts(&data, &mut in_export);
    on_page.sort();
    in_export.sort();
    assert_eq!(on_page, ["ANSWER-0-A"]);
    assert_eq!(in_export, on_page, "the export shows what the page shows");
}
