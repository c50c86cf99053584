//! Cases: a counselor opens a case for a couple, finds it on their caseload, reads the case
//! page. Access is checked for every actor, on both engines.

use crate::actions::{Partner, invite_partner, join, open_case, path_of};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::practice::{ACTORS, NEW_COUPLE, as_actor, counselor, practice};

both_engines!(
    counselor_opens_a_case_and_finds_it_on_the_caseload,
    the_new_couple_form_explains_what_is_wrong,
    caseload_search_filter_and_pages,
    only_the_assigned_counselor_reaches_a_case,
    a_counselor_corrects_the_details_of_a_case,
    a_long_case_history_shows_its_latest_changes,
);

async fn counselor_opens_a_case_and_finds_it_on_the_caseload(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut b = counselor(&app, "robin@example.org").await;
    let (_, home) = b.visit("/").await;
    assert!(home.body.contains("No couples on your caseload yet"));

    let id = open_case(&mut b, &NEW_COUPLE).await;
    assert_eq!(uuid::Uuid::parse_str(&id).unwrap().get_version_num(), 7);
    let (at, page) = b.visit(&format!("/cases/{id}/partners")).await;
    assert_eq!(at, format!("/cases/{id}/partners"));
    for text in [
        "Jordan &amp; Casey",
        "Jordan Lee",
        "casey@example.org",
        "Broke trust",
        "Hurt partner",
        "Intake",
        "Not invited yet",
        "Affair disclosed in May.",
    ] {
        assert!(
            page.body.contains(text),
            "the partners section shows {text:?}"
        );
    }
    let (_, page) = b.visit(&format!("/cases/{id}")).await;
    for text in [
        "Jordan &amp; Casey",
        "Intake",
        "since 2026-05-01",
        "No session planned.",
    ] {
        assert!(page.body.contains(text), "the overview shows {text:?}");
    }
    let (_, page) = b.visit(&format!("/cases/{id}/timeline")).await;
    assert!(page.body.contains("Case opened"), "the timeline");
    let (_, home) = b.visit("/").await;
    assert!(home.body.contains(&format!("/cases/{id}")));
    assert!(home.body.contains("Jordan Lee &amp; Casey Lee"));
    assert!(
        home.body.contains("Casey Lee has not joined yet"),
        "needs attention"
    );

    let actions = app.audit_actions().await;
    assert!(actions.contains(&"case_created".into()));
    assert!(actions.contains(&"case_viewed".into()), "reads are audited");
}

async fn the_new_couple_form_explains_what_is_wrong(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut b = counselor(&app, "robin@example.org").await;
    let with = |field: &str, value: &'static str| {
        NEW_COUPLE
            .iter()
            .map(|&(k, v)| (k, if k == field { value } else { v }))
            .collect::<Vec<_>>()
    };
    let cases = [
        (with("couple[case_name]", "  "), "Enter a case name"),
        (
            with("couple[partner2_email]", "casey"),
            "second partner's email",
        ),
        (
            with("couple[partner2_email]", "jordan@example.org"),
            "their own email",
        ),
        (with("couple[partner1_name]", ""), "first partner's name"),
        (
            with("couple[rupture_date]", "2999-01-01"),
            "cannot be in the future",
        ),
        (with("couple[rupture_date]", "01/05/2026"), "YYYY-MM-DD"),
        (with("couple[partner1_role]", "villain"), "Choose a role"),
    ];
    for (fields, message) in cases {
        let res = b.submit("/cases/new", "/api/create_couple", &fields).await;
        let page = b.get(&res.location.expect("back to the form")).await;
        assert!(page.body.contains(message), "expected {message:?}");
    }
    let couples: i64 = sqlx::query_scalar("select count(*) from couple")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(couples, 0, "nothing half-created");
}

async fn caseload_search_filter_and_pages(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut b = counselor(&app, "robin@example.org").await;
    let names: Vec<String> = (0..27).map(|i| format!("Couple {i:02}")).collect();
    for (i, name) in names.iter().enumerate() {
        let e1 = format!("a{i}@example.org");
        let e2 = format!("b{i}@example.org");
        let p1 = if i == 7 {
            "Quinn 100%_Unique"
        } else {
            "Partner One"
        };
        open_case(
            &mut b,
            &[
                ("couple[case_name]", name),
                ("couple[partner1_name]", p1),
                ("couple[partner1_email]", &e1),
                ("couple[partner2_name]", "Partner Two"),
                ("couple[partner2_email]", &e2),
            ],
        )
        .await;
    }
    let (_, first) = b.visit("/").await;
    assert!(first.body.contains("27 couples"));
    assert!(first.body.contains("Page 1 of 2"));
    assert!(first.body.contains("Couple 26"), "newest first");
    assert!(!first.body.contains("Couple 00"));
    let (_, second) = b.visit("/?q=&status=&page=2").await;
    assert!(second.body.contains("Couple 00"));
    assert!(second.body.contains("Page 2 of 2"));
    // Past the end, the count still tells how many there are.
    let (_, past) = b.visit("/?q=&status=&page=3").await;
    assert!(past.body.contains("27 couples"), "{}", past.body);

    // By partner name, with the person's own % and _ taken literally.
    let (_, found) = b.visit("/?q=100%25_uni&status=").await;
    assert!(found.body.contains("1 couple<"), "{}", found.body);
    assert!(found.body.contains("Couple 07"));
    let (_, none) = b.visit("/?q=1%25&status=").await;
    assert!(none.body.contains("No couples match"));
    let (_, intake) = b.visit("/?q=&status=intake").await;
    assert!(intake.body.contains("27 couples"));
    let (_, closed) = b.visit("/?q=&status=closed").await;
    assert!(closed.body.contains("No couples match"));
}

async fn only_the_assigned_counselor_reaches_a_case(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let id = p.couple.clone();
    // reaches the case page, reaches the caseload list
    let expected: [(u16, u16); 7] = [
        (401, 401),
        (404, 403),
        (404, 403),
        (404, 403),
        (200, 200),
        (404, 200),
        (404, 403),
    ];
    for ((actor, email), (case_status, list_status)) in ACTORS.into_iter().zip(expected) {
        let mut b = as_actor(&app, email).await;
        let res = b
            .call("/api/get_case_section", &[("couple_id", id.as_str())])
            .await;
        assert_eq!(res.status, case_status, "{actor}: get_case_section");
        if case_status != 200 {
            assert!(!res.body.contains("Jordan"), "{actor} learns nothing");
        }
        let page = b.get(&format!("/cases/{id}/partners")).await;
        let expected_page = if email.is_none() { 303 } else { case_status };
        assert_eq!(page.status, expected_page, "{actor}: case page");
        assert_eq!(
            page.body.contains("Affair disclosed"),
            case_status == 200,
            "{actor}: sees the case content only if allowed"
        );

        let list = b
            .call(
                "/api/list_caseload",
                &[("q", ""), ("status", ""), ("page", "1")],
            )
            .await;
        assert_eq!(list.status, list_status, "{actor}: list_caseload");
        // The list and the detail agree: a case is listed exactly when it can be opened.
        if list_status == 200 {
            assert_eq!(
                list.body.contains(&id),
                case_status == 200,
                "{actor}: list and detail agree"
            );
        }
        let mut update = vec![("couple_id", id.as_str())];
        update.extend(NEW_COUPLE.iter().copied().map(|(k, v)| {
            if k == "couple[case_name]" {
                (k, "Jordan & Casey (edited)")
            } else {
                (k, v)
            }
        }));
        let res = b.call("/api/update_couple", &update).await;
        assert_eq!(res.status, case_status, "{actor}: update_couple");
        let edit = b.get(&format!("/cases/{id}/edit")).await;
        assert_eq!(edit.status, expected_page, "{actor}: edit page");
        assert_eq!(
            edit.body.contains("Affair disclosed"),
            case_status == 200,
            "{actor}: edit page content"
        );
        let create = b.call("/api/create_couple", &NEW_COUPLE).await;
        let may_create = actor.contains("counselor");
        assert_eq!(
            create.status == 200,
            may_create,
            "{actor}: create_couple gave {}",
            create.status
        );
    }
    // An id that does not exist reads exactly like someone else's case.
    let res = p
        .robin
        .call("/api/get_case_section", &[("couple_id", "not-a-real-id")])
        .await;
    assert_eq!(res.status, 404);
    assert_ne!(p.other_couple, id);
}

async fn a_counselor_corrects_the_details_of_a_case(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut b = counselor(&app, "robin@example.org").await;
    let id = open_case(&mut b, &NEW_COUPLE).await;
    let old_link = invite_partner(&mut b, &id, Partner::Second).await;
    let (_, form) = b.visit(&format!("/cases/{id}/edit")).await;
    assert!(
        form.body.contains("value=\"casey@example.org\""),
        "the form holds the details"
    );
    assert!(form.body.contains("Affair disclosed in May.</textarea>"));

    let edited: Vec<(&str, &str)> = NEW_COUPLE
        .iter()
        .map(|&(k, v)| match k {
            "couple[case_name]" => (k, "Jordan & Casey Lee"),
            "couple[partner2_email]" => (k, "casey.lee@example.org"),
            "couple[presenting_concerns]" => (k, "Affair disclosed in May; separated since June."),
            _ => (k, v),
        })
        .chain([("couple_id", id.as_str())])
        .collect();
    let res = b
        .submit(&format!("/cases/{id}/edit"), "/api/update_couple", &edited)
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/cases/{id}?saved=1").as_str())
    );
    let (_, page) = b.visit(&format!("/cases/{id}?saved=1")).await;
    for text in ["Changes saved.", "Jordan &amp; Casey Lee"] {
        assert!(page.body.contains(text), "shows {text:?}");
    }
    let (_, page) = b.visit(&format!("/cases/{id}/partners")).await;
    for text in ["casey.lee@example.org", "separated since June"] {
        assert!(page.body.contains(text), "shows {text:?}");
    }
    let (_, page) = b.visit(&format!("/cases/{id}/timeline")).await;
    assert!(page.body.contains("Case details changed"));
    // The link sent to the old address no longer works.
    let mut casey = app.browser();
    let (_, dead) = casey.visit(&path_of(&old_link)).await;
    assert!(dead.body.contains("no longer valid"));

    // Bad input is explained and changes nothing.
    let bad: Vec<(&str, &str)> = edited
        .iter()
        .map(|&(k, v)| {
            if k == "couple[partner1_email]" {
                (k, "not an email")
            } else {
                (k, v)
            }
        })
        .collect();
    let res = b
        .submit(&format!("/cases/{id}/edit"), "/api/update_couple", &bad)
        .await;
    let back = b.get(&res.location.unwrap()).await;
    assert!(back.body.contains("first partner's email"));
    // A joined partner's email is their sign-in.
    let link = invite_partner(&mut b, &id, Partner::First).await;
    join(&app, &link, "Jordan").await;
    let moved: Vec<(&str, &str)> = edited
        .iter()
        .map(|&(k, v)| {
            if k == "couple[partner1_email]" {
                (k, "jordan.new@example.org")
            } else {
                (k, v)
            }
        })
        .collect();
    let res = b.call("/api/update_couple", &moved).await;
    assert_eq!(res.status, 422);
    let email: String =
        sqlx::query_scalar("select email from partner where couple_id = $1 and position = 1")
            .bind(&id)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(email, "jordan@example.org");
    // Closed cases are read-only.
    b.call(
        "/api/set_case_status",
        &[("couple_id", id.as_str()), ("status", "closed")],
    )
    .await;
    let res = b.call("/api/update_couple", &edited).await;
    assert_eq!(res.status, 409);
    let (_, edit) = b.visit(&format!("/cases/{id}/edit")).await;
    assert!(edit.body.contains("closed and read-only"));
    assert!(!edit.body.contains("Save changes"));
}

/// A case that has been open for years has a long history: its page lists the newest 200
/// changes (reads of the case are audited but are not its history) and says where the
/// rest is.
async fn a_long_case_history_shows_its_latest_changes(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut b = counselor(&app, "robin@example.org").await;
    let id = open_case(&mut b, &NEW_COUPLE).await;
    let note = "Earlier ones stay in the practice's audit log";
    let edit = |n: usize| -> Vec<(&'static str, String)> {
        NEW_COUPLE
            .iter()
            .map(|&(k, v)| match k {
                "couple[presenting_concerns]" => (k, format!("Revision {n}")),
                _ => (k, v.to_string()),
            })
            .chain([("couple_id", id.clone())])
            .collect()
    };
    let changed = |body: &str| body.matches("Case details changed").count();
    for n in 1..=205 {
        let fields = edit(n);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = b
            .submit(&format!("/cases/{id}/edit"), "/api/update_couple", &fields)
            .await;
        assert_eq!(
            res.location.as_deref(),
            Some(format!("/cases/{id}?saved=1").as_str()),
            "edit {n} is saved"
        );
        if n == 3 {
            let (_, page) = b.visit(&format!("/cases/{id}/timeline")).await;
            assert_eq!(changed(&page.body), 3, "a short history is shown whole");
            assert!(page.body.contains("Case opened"));
            assert!(!page.body.contains(note));
        }
    }
    // Reading the case many times adds nothing to its history.
    for _ in 0..5 {
        b.visit(&format!("/cases/{id}")).await;
    }
    let (_, details) = b.visit(&format!("/cases/{id}/partners")).await;
    assert!(
        details.body.contains("Revision 205"),
        "the latest details show"
    );
    let (_, page) = b.visit(&format!("/cases/{id}/timeline")).await;
    assert_eq!(
        changed(&page.body),
        200,
        "the newest 200 changes are listed"
    );
    assert!(
        !page.body.contains("Case opened"),
        "the oldest are left out"
    );
    assert!(page.body.contains(note), "the page says where the rest is");
}
