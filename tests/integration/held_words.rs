//! Words written without JavaScript outlast a lapsed sign-in: the form that arrives after the
//! session has ended is kept, sealed, for its author alone, and sent once they sign in again
//! in that browser. Nobody else who signs in there sees or sends it; only forms with written
//! words are kept, and only for a day.

use crate::actions::Intent::Submit;
use crate::actions::Visibility::CounselorOnly;
use crate::actions::{
    Homework, NoteKind, Partners, Template, assign, save_and_sign, save_homework, schedule,
    start_note, tomorrow_at,
};
use crate::both_engines;
use crate::helpers::{Browser, Engine, PASSWORD, TestApp};
use crate::mfa::support::{enrol, next_code, send_code};
use crate::practice::{as_actor, practice};
use chrono::{Duration, Utc};

both_engines!(
    words_sent_after_a_lapsed_sign_in_are_saved_when_their_author_returns,
    only_written_words_are_kept_and_only_for_a_day,
    a_note_signed_after_the_session_lapsed_is_signed_once_the_counselor_returns,
    words_refused_at_first_wait_for_the_consent_that_comes_first,
);

const HELD: &str = app::auth::held::HELD_COOKIE;

/// Moves `email`'s sessions 31 minutes into the past: past the idle limit.
async fn go_idle(app: &TestApp, email: &str) {
    let user = app.user_id(email).await;
    sqlx::query("update user_session set last_seen_at = last_seen_at - $1 where app_user_id = $2")
        .bind(31 * 60 * 1000_i64)
        .bind(&user)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    // Half an hour has passed: the server's copy of the session is long gone.
    app::db::people_changed();
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

/// The homework copies whose submission holds `words`.
async fn submissions_saying(app: &TestApp, words: &str) -> Vec<String> {
    sqlx::query_scalar("select assignment_id from submission where answers like $1")
        .bind(format!("%{words}%"))
        .fetch_all(app.state.db.pool())
        .await
        .unwrap()
}

/// A fresh practice where Robin has sent homework called `title` to both partners; returns
/// the app and Casey's copy.
async fn casey_has_homework(engine: Engine, title: &str) -> (TestApp, String) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let homework = Homework {
        title,
        instructions: "Name one thing you noticed this week.",
        due: None,
        repeat: None,
        template: None,
    };
    let copies = assign(&app, &mut p.robin, &couple, Partners::Both, &homework).await;
    (app, copies[1].clone())
}

/// Casey's session lapses, then Casey submits `words` without JavaScript: they are kept.
async fn casey_submits_late(app: &TestApp, casey: &mut Browser, caseys: &str, words: &str) {
    go_idle(app, "casey@example.org").await;
    let res = save_homework(casey, caseys, "response", words, CounselorOnly, Submit).await;
    assert_eq!(
        res.location.as_deref(),
        Some("/login?held=1"),
        "{}",
        res.body
    );
}

async fn sign_out(b: &mut Browser) {
    let res = b.submit("/", "/api/sign_out", &[]).await;
    assert!(res.status < 400, "{}", res.body);
}

async fn words_sent_after_a_lapsed_sign_in_are_saved_when_their_author_returns(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let homework = Homework {
        title: "A letter you may not send",
        instructions: "Write what you have not been able to say.",
        due: Some(Utc::now().date_naive() + Duration::days(3)),
        repeat: None,
        template: None,
    };
    let copies = assign(&app, &mut p.robin, &couple, Partners::Both, &homework).await;
    let jordans = &copies[0];
    let mut browser = as_actor(&app, Some("jordan@example.org")).await;
    let (_, page) = browser.visit(&format!("/homework/{jordans}")).await;
    assert_eq!(page.status, 200);

    // Jordan writes for longer than the idle limit, with JavaScript off. Another tab
    // meanwhile finds the sign-in over; then Jordan submits.
    go_idle(&app, "jordan@example.org").await;
    assert_eq!(browser.visit("/").await.0, "/login");
    let res = save_homework(
        &mut browser,
        jordans,
        "response",
        "JORDAN-LATE-WORDS",
        CounselorOnly,
        Submit,
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.location.as_deref(), Some("/login?held=1"));
    assert!(
        browser.cookies.contains_key(HELD),
        "the browser names the kept form"
    );
    assert!(
        submissions_saying(&app, "JORDAN-LATE-WORDS")
            .await
            .is_empty()
    );
    assert_eq!(count(&app, "select count(*) from held_form").await, 1);
    // What the database keeps cannot be read without the browser's cookie.
    let sealed: String = sqlx::query_scalar("select sealed from held_form")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert!(!sealed.contains("JORDAN"), "kept sealed, not as written");
    // Jordan, still signed out, also sends their counselor a message from another page:
    // it waits beside the homework, in the same browser.
    let res = browser
        .submit(
            "/messages",
            "/api/send_message",
            &[("body", "JORDAN-LATE-MESSAGE")],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/login?held=1"),
        "{}",
        res.body
    );
    assert_eq!(count(&app, "select count(*) from held_form").await, 2);
    let (at, page) = browser.visit("/login?held=1").await;
    assert_eq!(at, "/login?held=1");
    assert!(
        page.body.contains("It is being kept for you"),
        "{}",
        page.body
    );

    // Casey signs in on the same device: Jordan's words are neither sent nor shown.
    let res = browser.sign_in("casey@example.org", PASSWORD).await;
    assert_eq!(res.location.as_deref(), Some("/"), "{}", res.body);
    assert!(
        submissions_saying(&app, "JORDAN-LATE-WORDS")
            .await
            .is_empty()
    );
    assert_eq!(count(&app, "select count(*) from held_form").await, 2);
    for path in ["/", "/homework", &format!("/homework/{}", copies[1])] {
        let (_, page) = browser.visit(path).await;
        assert!(!page.body.contains("JORDAN-LATE-WORDS"), "{path}");
    }
    assert!(
        !app.audit_actions()
            .await
            .contains(&"words_resumed".to_string())
    );
    sign_out(&mut browser).await;

    // Jordan signs in again: both are sent as Jordan wrote them, the homework first, and
    // the browser lands where the last would have taken it.
    let res = browser.sign_in("jordan@example.org", PASSWORD).await;
    let landing = res.location.clone().unwrap_or_default();
    assert!(landing.starts_with("/messages"), "{landing} {}", res.body);
    let (_, page) = browser.visit(&landing).await;
    assert!(page.body.contains("JORDAN-LATE-MESSAGE"), "{}", page.body);
    assert_eq!(
        submissions_saying(&app, "JORDAN-LATE-WORDS").await,
        vec![jordans.clone()],
        "submitted as Jordan's, once"
    );
    assert_eq!(count(&app, "select count(*) from held_form").await, 0);
    assert!(!browser.cookies.contains_key(HELD), "the cookie is cleared");
    let (_, page) = browser.visit(&format!("/homework/{jordans}")).await;
    assert!(page.body.contains("JORDAN-LATE-WORDS"), "{}", page.body);
    assert!(page.body.contains("You submitted this on"), "{}", page.body);
    let actions = app.audit_actions().await;
    for action in [
        "session_expired",
        "words_kept",
        "words_resumed",
        "homework_submitted",
    ] {
        assert!(
            actions.contains(&action.to_string()),
            "{action}: {actions:?}"
        );
    }
    // The counselor reads it as any submission.
    let (_, review) = p.robin.visit(&format!("/assignments/{jordans}")).await;
    assert!(review.body.contains("JORDAN-LATE-WORDS"));

    // Signing in again later sends nothing twice.
    sign_out(&mut browser).await;
    browser.sign_in("jordan@example.org", PASSWORD).await;
    assert_eq!(submissions_saying(&app, "JORDAN-LATE-WORDS").await.len(), 1);
}

async fn only_written_words_are_kept_and_only_for_a_day(engine: Engine) {
    let (app, caseys) = casey_has_homework(engine, "Three small things").await;
    let caseys = &caseys;

    // A lapsed session's sign-out or settings form is not kept: only written words are.
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    go_idle(&app, "casey@example.org").await;
    let res = casey
        .submit(
            "/settings",
            "/api/set_time_zone",
            &[("time_zone", "Asia/Tokyo")],
        )
        .await;
    assert_ne!(res.location.as_deref(), Some("/login?held=1"));
    assert_eq!(count(&app, "select count(*) from held_form").await, 0);

    // A session ended by signing out keeps nothing: that person chose to leave.
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let signed_out = casey.cookies.clone();
    sign_out(&mut casey).await;
    let mut stale_tab = app.browser();
    stale_tab.cookies = signed_out;
    let res = save_homework(
        &mut stale_tab,
        caseys,
        "response",
        "AFTER-SIGN-OUT",
        CounselorOnly,
        Submit,
    )
    .await;
    assert_ne!(res.location.as_deref(), Some("/login?held=1"));
    assert_eq!(count(&app, "select count(*) from held_form").await, 0);

    // A client that is not a browser posting a form is refused as before, nothing kept.
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    go_idle(&app, "casey@example.org").await;
    let res = casey
        .call(
            "/api/save_homework",
            &[
                ("assignment_id", caseys),
                ("answers[response]", "NOT-A-BROWSER"),
                ("visibility", "counselor"),
                ("intent", "submit"),
            ],
        )
        .await;
    assert_eq!(res.status, 401, "{}", res.body);
    assert_eq!(count(&app, "select count(*) from held_form").await, 0);

    // Kept words wait a day, no longer.
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    casey_submits_late(&app, &mut casey, caseys, "A-DAY-TOO-LATE").await;
    sqlx::query("update held_form set expires_at = $1")
        .bind(Utc::now().timestamp_millis() - 1)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let res = casey.sign_in("casey@example.org", PASSWORD).await;
    assert_eq!(res.location.as_deref(), Some("/"));
    assert!(submissions_saying(&app, "A-DAY-TOO-LATE").await.is_empty());
    assert!(submissions_saying(&app, "AFTER-SIGN-OUT").await.is_empty());
    assert!(submissions_saying(&app, "NOT-A-BROWSER").await.is_empty());
}

async fn a_note_signed_after_the_session_lapsed_is_signed_once_the_counselor_returns(
    engine: Engine,
) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let session = schedule(&mut p.robin, &couple, &tomorrow_at("09:30"), Partners::Both).await;
    let note = start_note(&mut p.robin, &session, NoteKind::Progress, Template::Soap).await;
    // Robin signs in with two factors: the kept form waits through both steps.
    let enrolled = enrol(&mut p.robin).await;
    let mut last_step = enrolled.step;

    // Robin writes the note past the idle limit and signs it, typing the password.
    go_idle(&app, "robin@example.org").await;
    let fields = [("sections[subjective]", "ROBIN-NOTE-WORDS")];
    let res = save_and_sign(&mut p.robin, &note, &fields, PASSWORD).await;
    assert_eq!(
        res.location.as_deref(),
        Some("/login?held=1"),
        "{}",
        res.body
    );
    let signed: Option<i64> =
        sqlx::query_scalar("select signed_at from clinical_note where clinical_note_id = $1")
            .bind(&note)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(signed, None, "nothing is signed under a lapsed session");

    // The password typed into the form is not kept: what signs is the fresh sign-in, as
    // for anyone signing within minutes of signing in.
    let res = p.robin.sign_in("robin@example.org", PASSWORD).await;
    assert_eq!(
        res.location.as_deref(),
        Some(app::auth::mfa::SECOND_STEP_PAGE),
        "{}",
        res.body
    );
    assert_eq!(count(&app, "select count(*) from held_form").await, 1);
    let code = next_code(&enrolled.secret, &mut last_step).await;
    let res = send_code(&mut p.robin, &code).await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/notes/{note}?signed=1").as_str()),
        "{}",
        res.body
    );
    let (sections, signed): (String, Option<i64>) =
        sqlx::query_as("select sections, signed_at from clinical_note where clinical_note_id = $1")
            .bind(&note)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert!(sections.contains("ROBIN-NOTE-WORDS"), "{sections}");
    assert!(signed.is_some(), "signed as Robin asked");
}

async fn words_refused_at_first_wait_for_the_consent_that_comes_first(engine: Engine) {
    let (app, caseys) = casey_has_homework(engine, "What I noticed").await;
    let caseys = &caseys;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    casey_submits_late(&app, &mut casey, caseys, "CASEY-AFTER-CONSENT").await;

    // Meanwhile the practice publishes a new consent: Casey must sign it before anything.
    let mut admin = as_actor(&app, Some("admin@example.org")).await;
    let res = admin
        .submit(
            "/admin/consent",
            "/api/publish_consent",
            &[("body", "Our consent\nWe changed how long we keep records.")],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/admin/consent?saved=1"));

    // Signing in, the words are refused by the consent that comes first, and kept again.
    casey.auto_consent = false;
    casey.sign_in("casey@example.org", PASSWORD).await;
    assert!(
        submissions_saying(&app, "CASEY-AFTER-CONSENT")
            .await
            .is_empty()
    );
    assert_eq!(count(&app, "select count(*) from held_form").await, 1);
    // Once Casey has signed it, they are sent.
    assert!(casey.sign_consent_if_asked().await);
    assert_eq!(
        submissions_saying(&app, "CASEY-AFTER-CONSENT").await,
        vec![caseys.clone()]
    );
    assert_eq!(count(&app, "select count(*) from held_form").await, 0);
    assert!(!casey.cookies.contains_key(HELD));
}
