//! The intake questionnaire: each partner answers privately before the first session (drafts
//! are theirs alone; each copy sent is kept), their counselor reads both, the other partner
//! never; a worrying safety answer raises a flag first on the case page and shows the partner
//! help at once; bad input is refused in words and loses nothing typed.

use crate::both_engines;
use crate::helpers::{Browser, Engine, TestApp};
use crate::practice::{as_actor, practice};

both_engines!(
    a_partner_drafts_and_sends_their_intake_and_only_their_counselor_reads_it,
    a_worrying_safety_answer_raises_a_flag_first_and_shows_help_at_once,
    bad_intake_input_is_refused_in_words_and_loses_nothing,
);

const SAFE: [(&str, &str); 4] = [
    ("answers[safe_at_home]", "yes"),
    ("answers[hurt_or_threatened]", "no"),
    ("answers[afraid]", "no"),
    ("answers[self_harm]", "no"),
];

async fn send(b: &mut Browser, fields: &[(&str, &str)], intent: &str) -> crate::helpers::Page {
    let mut form = fields.to_vec();
    form.push(("intent", intent));
    b.submit("/intake", "/api/save_intake", &form).await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

async fn a_partner_drafts_and_sends_their_intake_and_only_their_counselor_reads_it(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;

    // Asked for on the home, until it is sent.
    let (_, home) = jordan.visit("/").await;
    assert!(home.body.contains("Before your first session"));
    assert!(home.body.contains("Answer the intake questions"));
    let (_, page) = jordan.visit("/intake").await;
    for label in [
        "Your phone number",
        "What brings you to counselling now?",
        "Do you feel safe at home at the moment?",
        "I would rather talk about this with my counselor",
        "Save draft",
        "Send to my counselor",
    ] {
        assert!(page.body.contains(label), "{label}");
    }
    assert!(page.body.contains("your partner never sees them"));

    // A draft keeps whatever is written, for Jordan alone.
    let res = send(
        &mut jordan,
        &[
            ("answers[phone]", "+61 2 5550 1234"),
            (
                "answers[brings_you]",
                "We stopped talking after the disclosure.",
            ),
        ],
        "draft",
    )
    .await;
    assert_eq!(res.location.as_deref(), Some("/intake?saved=1"));
    let (_, page) = jordan.visit("/intake?saved=1").await;
    assert!(
        page.body
            .contains("We stopped talking after the disclosure.")
    );
    assert!(page.body.contains("+61 2 5550 1234"));
    assert!(page.body.contains("Only you can see a draft."));
    let (_, home) = jordan.visit("/").await;
    assert!(home.body.contains("Continue your intake"));
    let (_, case_page) = p
        .robin
        .visit(&format!("/cases/{}/partners", p.couple))
        .await;
    assert!(
        case_page
            .body
            .contains("Jordan Lee has not sent their intake yet")
    );
    let intake_page = format!("/cases/{}/intake", p.couple);
    let (_, page) = p.robin.visit(&intake_page).await;
    assert!(
        !page.body.contains("We stopped talking"),
        "a draft is Jordan's"
    );

    // Sent: kept as sent, the draft cleared, no flag for reassuring answers.
    let mut fields = vec![
        ("answers[phone]", "+61 2 5550 1234"),
        (
            "answers[contact_notes]",
            "Texts are fine; no voicemail please.",
        ),
        ("answers[emergency_name]", "Morgan Diaz"),
        (
            "answers[brings_you]",
            "We stopped talking after the disclosure.",
        ),
    ];
    fields.extend(SAFE);
    let res = send(&mut jordan, &fields, "submit").await;
    assert_eq!(res.location.as_deref(), Some("/intake?sent=1"));
    assert_eq!(
        count(&app, "select count(*) from intake_submission").await,
        1
    );
    assert_eq!(count(&app, "select count(*) from safety_flag").await, 0);
    let (_, page) = jordan.visit("/intake?sent=1").await;
    assert!(
        page.body
            .contains("Sent. Your counselor will read your answers")
    );
    assert!(!page.body.contains("Help is here if you need it"));
    assert!(page.body.contains("Send the updated answers"));
    let (_, home) = jordan.visit("/").await;
    assert!(home.body.contains("You sent your intake on"));
    assert!(!home.body.contains("Answer the intake questions"));

    // The counselor: a line on the case page, the answers on their own page (audited).
    let (_, case_page) = p
        .robin
        .visit(&format!("/cases/{}/partners", p.couple))
        .await;
    assert!(case_page.body.contains("Jordan Lee sent their intake on"));
    assert!(
        case_page
            .body
            .contains("Casey Lee has not sent their intake yet")
    );
    let (_, page) = p.robin.visit(&intake_page).await;
    assert_eq!(page.status, 200);
    for said in [
        "We stopped talking after the disclosure.",
        "Texts are fine; no voicemail please.",
        "Morgan Diaz",
        "Not answered",
    ] {
        assert!(page.body.contains(said), "{said}");
    }
    assert!(
        count(
            &app,
            "select count(*) from audit_event where action = 'intake_viewed'"
        )
        .await
            >= 1
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from audit_event where action = 'intake_submitted' and detail = 'partner_1'"
        )
        .await,
        1
    );

    // Updated later: the earlier copy is kept for the counselor.
    fields[3] = (
        "answers[brings_you]",
        "We want to find our way back to each other.",
    );
    send(&mut jordan, &fields, "submit").await;
    let (_, page) = p.robin.visit(&intake_page).await;
    assert!(
        page.body
            .contains("We want to find our way back to each other.")
    );
    assert!(page.body.contains("Earlier copies (1)"));
    assert!(
        page.body
            .contains("We stopped talking after the disclosure.")
    );

    // Casey: their own empty form, never Jordan's words, never the counselor's page.
    let (_, page) = casey.visit("/intake").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("find our way back"));
    assert!(!page.body.contains("Morgan Diaz"));
    let (_, page) = casey.visit(&intake_page).await;
    assert!(!page.body.contains("find our way back"));
    let res = casey
        .call("/api/case_intake", &[("couple_id", p.couple.as_str())])
        .await;
    assert!(matches!(res.status, 403 | 404), "{}", res.status);
    // Nor does another counselor, nor a partner of another couple.
    for who in ["dana@example.org", "pat@example.org"] {
        let mut b = as_actor(&app, Some(who)).await;
        let res = b
            .call("/api/case_intake", &[("couple_id", p.couple.as_str())])
            .await;
        assert!(matches!(res.status, 403 | 404), "{who}: {}", res.status);
        assert!(!res.body.contains("find our way back"), "{who}");
    }
}

async fn a_worrying_safety_answer_raises_a_flag_first_and_shows_help_at_once(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let fields = [
        (
            "answers[brings_you]",
            "I found messages on the shared laptop.",
        ),
        ("answers[safe_at_home]", "not_always"),
        ("answers[hurt_or_threatened]", "no"),
        ("answers[afraid]", "talk"),
        ("answers[self_harm]", "no"),
    ];
    let res = send(&mut casey, &fields, "submit").await;
    assert_eq!(res.location.as_deref(), Some("/intake?sent=1"));
    assert_eq!(
        count(
            &app,
            "select count(*) from safety_flag where source = 'intake' and acknowledged_at is null"
        )
        .await,
        1
    );
    let (_, page) = casey.visit("/intake?sent=1").await;
    assert!(page.body.contains("Help is here if you need it"));
    assert!(page.body.contains("Emergency services"));
    assert!(page.body.contains("Your partner is not told."));

    // First on the case page, saying what was answered.
    let (_, case_page) = p.robin.visit(&format!("/cases/{}", p.couple)).await;
    let said = "Casey Lee\u{2019}s intake safety screen";
    let said = if case_page.body.contains(said) {
        said
    } else {
        "Casey Lee's intake safety screen"
    };
    let flag_at = case_page
        .body
        .find(said)
        .expect("the flag on the case page");
    assert!(case_page.body.contains("Feeling safe at home: Not always"));
    assert!(flag_at < case_page.body.find("Since the rupture").unwrap());

    // Sent again while the flag is open: still one flag.
    send(&mut casey, &fields, "submit").await;
    assert_eq!(
        count(
            &app,
            "select count(*) from safety_flag where acknowledged_at is null"
        )
        .await,
        1
    );
    let details: Vec<Option<String>> =
        sqlx::query_scalar("select detail from audit_event where action = 'safety_flag_raised'")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(details, vec![Some("partner_2:intake".to_string())]);

    // Jordan learns nothing of it anywhere they look.
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    for path in ["/", "/intake", "/check-in", "/messages"] {
        let (_, page) = jordan.visit(path).await;
        assert!(!page.body.contains("shared laptop"), "{path}");
        assert!(!page.body.contains("Help is here if you need it"), "{path}");
        assert!(!page.body.contains("intake safety screen"), "{path}");
    }
}

async fn bad_intake_input_is_refused_in_words_and_loses_nothing(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;

    // Sending without the safety answers: refused in words, and what was typed is kept.
    let res = jordan
        .call(
            "/api/save_intake",
            &[
                ("answers[brings_you]", "We need help talking again."),
                ("intent", "submit"),
            ],
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains("rather talk"), "{}", res.body);
    assert_eq!(
        count(&app, "select count(*) from intake_submission").await,
        0
    );
    let (_, page) = jordan.visit("/intake").await;
    assert!(
        page.body.contains("We need help talking again."),
        "kept as a draft"
    );

    // Too long, a broken line, a choice that is not offered: each a clear message.
    let long = "a".repeat(app::features::intake::MAX_LONG + 1);
    for (field, value, says) in [
        (
            "answers[supports]",
            long.as_str(),
            "can be up to 5000 characters",
        ),
        ("answers[emergency_name]", "Ann\nBee", "fits on one line"),
        ("answers[afraid]", "maybe", "Choose one of the answers"),
    ] {
        let res = jordan
            .call("/api/save_intake", &[(field, value), ("intent", "draft")])
            .await;
        assert_eq!(res.status, 422, "{field}: {}", res.body);
        assert!(res.body.contains(says), "{field}: {}", res.body);
    }
    let (_, page) = jordan.visit("/intake").await;
    assert!(
        page.body.contains("We need help talking again."),
        "still there"
    );

    // Staff do not answer an intake; a closed case takes no more answers.
    let res = p
        .robin
        .call("/api/save_intake", &[("intent", "draft")])
        .await;
    assert_eq!(res.status, 403);
    let res = p
        .robin
        .submit(
            &format!("/cases/{}", p.couple),
            "/api/set_case_status",
            &[("couple_id", p.couple.as_str()), ("status", "closed")],
        )
        .await;
    assert!(res.location.is_some(), "{}", res.body);
    let mut form = SAFE.to_vec();
    form.push(("answers[brings_you]", "Too late?"));
    form.push(("intent", "submit"));
    let res = jordan.call("/api/save_intake", &form).await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert!(res.body.contains("case is closed"));
}
