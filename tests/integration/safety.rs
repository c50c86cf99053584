//! Help at hand: the practice's crisis services on the help page (open to anyone), the
//! sign-in page and every partner page, and shown at once after a worrying check-in answer
//! with the practice's word on when it responds; only an administrator changes them.

use crate::actions::{CheckIn, check_in};
use crate::both_engines;
use crate::helpers::{Browser, Engine, TestApp};
use crate::practice::{as_actor, practice};
use app::auth::Role;

both_engines!(
    anyone_finds_help_and_the_defaults_name_no_country_number,
    a_worrying_answer_shows_help_at_once_and_a_safe_one_does_not,
    an_administrator_lists_the_practice_services_and_bad_input_is_refused_clearly,
    the_response_statement_is_the_practice_own_words,
    a_partner_learns_their_counselor_has_read_a_worrying_answer_and_nothing_more,
);

async fn admin(app: &TestApp) -> Browser {
    app.create_user(Role::Admin, "Morgan Ellis", "morgan@example.org")
        .await;
    as_actor(app, Some("morgan@example.org")).await
}

async fn anyone_finds_help_and_the_defaults_name_no_country_number(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let _practice = practice(&app).await;
    // Signed out: the help page opens (no redirect to sign-in) and the sign-in page lists
    // the same services.
    let mut stranger = app.browser();
    let (at, help) = stranger.visit("/help").await;
    assert_eq!(at, "/help");
    assert!(help.body.contains("Emergency services"));
    assert!(help.body.contains("call your local emergency number"));
    assert!(help.body.contains("https://findahelpline.com"));
    for number in ["911", "999", "112", "000", "988", "tel:"] {
        assert!(!help.body.contains(number), "the defaults name {number}");
    }
    let (_, login) = stranger.visit("/login").await;
    assert!(login.body.contains("Need help now?"));
    assert!(login.body.contains("Emergency services"));
    // A partner has "Get help now" on every page; the help page opens signed in too.
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    for page in ["/", "/check-in", "/agreements", "/settings"] {
        let (_, p) = jordan.visit(page).await;
        assert!(p.body.contains(r#"href="/help""#), "no help link on {page}");
    }
    let (at, _) = jordan.visit("/help").await;
    assert_eq!(at, "/help");
}

async fn a_worrying_answer_shows_help_at_once_and_a_safe_one_does_not(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let practice = practice(&app).await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    check_in(&mut casey, &CheckIn::PLAIN).await;
    let (_, page) = casey.visit("/check-in?done=1").await;
    assert!(page.body.contains("Your check-in is saved"));
    assert!(!page.body.contains("Help is here if you need it"));

    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    for answer in ["unsafe", "unsure", "private_talk"] {
        let worried = CheckIn {
            safety: answer,
            ..CheckIn::PLAIN
        };
        check_in(&mut jordan, &worried).await;
        let (_, page) = jordan.visit("/check-in?done=1").await;
        assert!(
            page.body.contains("Help is here if you need it"),
            "{answer}"
        );
        assert!(page.body.contains("Emergency services"));
        assert!(
            page.body
                .contains("Trellis is not watched around the clock")
        );
    }
    // The page says nothing of it to the other partner.
    let (_, page) = casey.visit("/check-in").await;
    assert!(!page.body.contains("Help is here if you need it"));
    // Half an hour on, the page no longer shows it (someone else may hold the phone by then).
    sqlx::query("update safety_flag set raised_at = raised_at - 31 * 60 * 1000")
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let (_, page) = jordan.visit("/check-in").await;
    assert!(!page.body.contains("Help is here if you need it"));
    assert!(page.body.contains(r#"href="/help""#));
    // The counselor's progress section lists Jordan's three flags, newest first.
    let mut robin = practice.robin;
    let (_, page) = robin
        .visit(&format!("/cases/{}/progress", practice.couple))
        .await;
    let at = |words: &str| {
        page.body
            .find(&format!("{words}\u{201d} in a check-in"))
            .unwrap_or_else(|| panic!("no flag {words}: {}", page.body))
    };
    let (newest, middle, oldest) = (
        at("rather talk to my counselor privately"),
        at("not sure"),
        at("t feel safe"),
    );
    assert!(newest < middle && middle < oldest, "newest first");
}

async fn an_administrator_lists_the_practice_services_and_bad_input_is_refused_clearly(
    engine: Engine,
) {
    let app = TestApp::spawn(engine).await;
    let _practice = practice(&app).await;
    let mut morgan = admin(&app).await;
    let (_, page) = morgan.visit("/admin/help").await;
    assert!(page.body.contains("has not written its own list yet"));

    let line: &[(&str, &str)] = &[
        ("name", "Lifeline"),
        ("details", "Free support for anyone in distress."),
        ("phone", "+61 13 11 14"),
        ("text", "0477 13 11 14"),
        ("link", "https://www.lifeline.org.au"),
        ("hours", "At any time"),
    ];
    let res = morgan
        .submit("/admin/help", "/api/add_crisis_resource", line)
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/admin/help?saved=resources#resources")
    );
    let mut stranger = app.browser();
    let (_, help) = stranger.visit("/help").await;
    assert!(help.body.contains("Lifeline"));
    assert!(help.body.contains(r#"href="tel:+61131114""#));
    assert!(help.body.contains(r#"href="sms:0477131114""#));
    assert!(
        help.body.contains("Emergency services"),
        "the defaults stay, now editable"
    );

    // Bad input: a clear message on the field's page, and the list as it was.
    for (fields, message) in [
        (&[("name", "")][..], "Give the service a name."),
        (
            &[("name", "X"), ("phone", "call us")][..],
            "Write the number to call with digits",
        ),
        (
            &[("name", "X"), ("link", "javascript:alert(1)")][..],
            "full web address",
        ),
        (
            &[("name", "X"), ("link", "https://")][..],
            "full web address",
        ),
        (&[("name", "X")][..], "Say how to reach the service"),
    ] {
        let res = morgan
            .submit("/admin/help", "/api/add_crisis_resource", fields)
            .await;
        let to = res
            .location
            .clone()
            .unwrap_or_else(|| panic!("{}", res.body));
        let page = morgan.get(&to).await;
        assert!(page.body.contains(message), "{fields:?}: {}", page.body);
    }
    let long = "x".repeat(121);
    let res = morgan
        .call(
            "/api/add_crisis_resource",
            &[("name", &long), ("phone", "1")],
        )
        .await;
    assert_eq!(res.status, 422);
    let (_, help) = stranger.visit("/help").await;
    assert_eq!(help.body.matches("crisis-service").count(), 3);

    // Removing checks the entry is still the one named.
    let res = morgan
        .call(
            "/api/remove_crisis_resource",
            &[("position", "3"), ("name", "Emergency services")],
        )
        .await;
    assert_eq!(res.status, 409);
    morgan
        .submit(
            "/admin/help",
            "/api/remove_crisis_resource",
            &[("position", "2"), ("name", "Find A Helpline")],
        )
        .await;
    let (_, help) = stranger.visit("/help").await;
    assert!(!help.body.contains("findahelpline"));
    assert!(help.body.contains("Lifeline"));
    // Changes are in the audit trail.
    let changes = app
        .audit_actions()
        .await
        .into_iter()
        .filter(|a| a == "setting_changed")
        .count();
    assert_eq!(changes, 2);

    // Nobody else may change the list or open its page.
    let mut robin = as_actor(&app, Some("robin@example.org")).await;
    let res = robin
        .call(
            "/api/add_crisis_resource",
            &[("name", "Mine"), ("phone", "1")],
        )
        .await;
    assert_eq!(res.status, 403);
    let (_, page) = robin.visit("/admin/help").await;
    assert!(!page.body.contains("Add a service"));
}

async fn the_response_statement_is_the_practice_own_words(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let _practice = practice(&app).await;
    let mut morgan = admin(&app).await;
    let statement = "Your counselor reads worrying answers within one working day.";
    morgan
        .submit(
            "/admin/help",
            "/api/set_crisis_response",
            &[("statement", statement)],
        )
        .await;
    let (_, page) = morgan.visit("/admin/help").await;
    assert!(
        page.body.contains(statement),
        "the form shows the saved words"
    );
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    check_in(
        &mut jordan,
        &CheckIn {
            safety: "unsafe",
            ..CheckIn::PLAIN
        },
    )
    .await;
    let (_, page) = jordan.visit("/check-in?done=1").await;
    assert!(page.body.contains(statement));
    assert!(
        !page
            .body
            .contains("Trellis is not watched around the clock")
    );
    // Too long: refused with a message, the saved words kept.
    let long = "y".repeat(401);
    let res = morgan
        .call("/api/set_crisis_response", &[("statement", &long)])
        .await;
    assert_eq!(res.status, 422);
    let (_, help) = app.browser().visit("/help").await;
    assert!(help.body.contains(statement));
    // Empty brings back the general statement.
    morgan
        .submit(
            "/admin/help",
            "/api/set_crisis_response",
            &[("statement", "")],
        )
        .await;
    let (_, help) = app.browser().visit("/help").await;
    assert!(
        help.body
            .contains("Trellis is not watched around the clock")
    );
}

async fn a_partner_learns_their_counselor_has_read_a_worrying_answer_and_nothing_more(
    engine: Engine,
) {
    const SEEN: &str = "Your counselor has read what you told them in your check-in of";
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    check_in(
        &mut jordan,
        &CheckIn {
            safety: "unsafe",
            ..CheckIn::PLAIN
        },
    )
    .await;
    let (_, home) = jordan.visit("/").await;
    assert!(
        !home.body.contains(SEEN),
        "not before the counselor has read it"
    );

    // Flags first: the open flag is above everything else, in whichever section of the case
    // page the counselor opens.
    let case = format!("/cases/{}", p.couple);
    for (section, later) in [
        ("", "overview-heading"),
        ("/homework", "program-heading"),
        ("/progress", r#"id="check-ins""#),
        ("/agreements", "agreements-heading"),
        ("/sessions", "sessions-heading"),
        ("/partners", r#"id="partners""#),
        ("/timeline", r#"id="timeline""#),
    ] {
        let (_, page) = p.robin.visit(&format!("{case}{section}")).await;
        let first = page
            .body
            .find("Open safety flag")
            .unwrap_or_else(|| panic!("the flag is shown on {case}{section}"));
        let at = page
            .body
            .find(later)
            .unwrap_or_else(|| panic!("{later} on {case}{section}"));
        assert!(first < at, "the flag comes before {later}");
    }

    let flag: String = sqlx::query_scalar("select safety_flag_id from safety_flag")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let note = "Counselor-only words about the phone call";
    let res = p
        .robin
        .submit(
            &format!("/cases/{}", p.couple),
            "/api/acknowledge_flag",
            &[("flag_id", flag.as_str()), ("note", note)],
        )
        .await;
    assert_eq!(res.status, 302);
    for section in ["", "/progress", "/partners"] {
        let (_, page) = p.robin.visit(&format!("{case}{section}")).await;
        assert!(
            !page.body.contains("Open safety flag"),
            "gone once acknowledged"
        );
    }
    let (_, home) = jordan.visit("/").await;
    assert!(home.body.contains(SEEN));
    assert!(!home.body.contains(note), "never what the counselor wrote");
    let api = jordan.call("/api/my_check_in", &[]).await;
    assert!(!api.body.contains(note));

    // The other partner learns nothing of it.
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let (_, home) = casey.visit("/").await;
    assert!(!home.body.contains(SEEN));
    let api = casey.call("/api/my_check_in", &[]).await;
    assert!(!api.body.contains("has read what you told them"));

    // Two weeks after the check-in, the home no longer says it.
    sqlx::query("update safety_flag set raised_at = raised_at - 15 * 24 * 60 * 60 * 1000")
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let (_, home) = jordan.visit("/").await;
    assert!(!home.body.contains(SEEN));
}
