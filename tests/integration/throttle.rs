//! Sign-in throttling under simultaneous attempts: each attempt is counted before its
//! password or code is checked, so fifty guesses sent at the same moment get no more checks
//! than five sent one after another.

use crate::both_engines;
use crate::helpers::{Browser, Engine, PASSWORD, Page, TestApp};
use crate::mfa::support::{code, enrol, password_step, wrong_code};
use app::auth::Role;
use app::auth::throttle::ACCOUNT_LIMIT;

both_engines!(
    simultaneous_wrong_passwords_get_at_most_the_limit_of_checks,
    simultaneous_wrong_codes_get_at_most_the_limit_of_checks,
);

const AT_ONCE: usize = 50;

/// Sends `form` to `action` from `AT_ONCE` clients of their own (each with `cookies`), all
/// at the same moment, and returns the answers.
async fn all_at_once(
    app: &TestApp,
    cookies: &std::collections::BTreeMap<String, String>,
    action: &'static str,
    form: Vec<(&'static str, String)>,
) -> Vec<Page> {
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(AT_ONCE));
    let sends: Vec<_> = (0..AT_ONCE)
        .map(|_| {
            let mut b = Browser::new(&app.base);
            b.cookies = cookies.clone();
            let form = form.clone();
            let start = start.clone();
            tokio::spawn(async move {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                start.wait().await;
                b.call(action, &form).await
            })
        })
        .collect();
    let mut answers = Vec::new();
    for sent in sends {
        answers.push(sent.await.unwrap());
    }
    answers
}

/// How many answers were "checked and wrong" (`wrong`) and how many "paused" (429).
fn tally(answers: &[Page], wrong: u16) -> (usize, usize) {
    let checked = answers.iter().filter(|a| a.status == wrong).count();
    let paused = answers.iter().filter(|a| a.status == 429).count();
    let other: Vec<_> = answers
        .iter()
        .filter(|a| a.status != wrong && a.status != 429)
        .map(|a| (a.status, a.body.as_str()))
        .collect();
    assert!(other.is_empty(), "only wrong or paused: {other:?}");
    (checked, paused)
}

async fn simultaneous_wrong_passwords_get_at_most_the_limit_of_checks(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Partner, "Sam", "sam@example.org")
        .await;
    let form = vec![
        ("email", "sam@example.org".to_string()),
        ("password", "guess guess guess".to_string()),
    ];
    let answers = all_at_once(&app, &Default::default(), "/api/sign_in", form).await;
    let (checked, paused) = tally(&answers, 401);
    eprintln!("{engine:?}: {checked} wrong passwords checked, {paused} paused");
    assert!(
        (1..=ACCOUNT_LIMIT as usize).contains(&checked),
        "{checked} wrong passwords were checked, {paused} paused"
    );
    assert_eq!(checked + paused, AT_ONCE);
    for answer in answers.iter().filter(|a| a.status == 429) {
        let err: app::error::AppError = serde_json::from_str(&answer.body).unwrap();
        assert!(
            err.to_string()
                .starts_with("Too many failed sign-in attempts."),
            "{err}"
        );
        assert!(answer.headers.contains_key("retry-after"));
    }
    let actions = app.audit_actions().await;
    let count = |name: &str| actions.iter().filter(|a| *a == name).count();
    assert_eq!(count("sign_in_failed"), checked);
    assert_eq!(count("sign_in_throttled"), paused);

    // The account is paused now: even the right password waits.
    let mut b = app.browser();
    let res = b
        .call(
            "/api/sign_in",
            &[("email", "sam@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status, 429);
}

async fn simultaneous_wrong_codes_get_at_most_the_limit_of_checks(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Counselor, "Robin Hale", "robin@example.org")
        .await;
    let mut me = app.browser();
    me.sign_in("robin@example.org", PASSWORD).await;
    let enrolled = enrol(&mut me).await;
    let now = enrolled.step + 1;

    // One sign-in waiting for its code, tried from fifty clients at once.
    let (waiting, res) = password_step(&app, "robin@example.org").await;
    assert_eq!(
        res.location.as_deref(),
        Some(app::auth::mfa::SECOND_STEP_PAGE)
    );
    let form = vec![("code", wrong_code(&enrolled.secret, now))];
    let answers = all_at_once(&app, &waiting.cookies, "/api/verify_sign_in_code", form).await;
    let (checked, paused) = tally(&answers, 422);
    eprintln!("{engine:?}: {checked} wrong codes checked, {paused} paused");
    assert!(
        (1..=ACCOUNT_LIMIT as usize).contains(&checked),
        "{checked} wrong codes were checked, {paused} paused"
    );
    assert_eq!(checked + paused, AT_ONCE);
    let refused = crate::mfa::support::audit(&app)
        .await
        .iter()
        .filter(|e| e.0 == "mfa_code_refused")
        .count();
    assert_eq!(refused, checked);

    // The right code waits too, until the pause ends.
    let mut b = Browser::new(&app.base);
    b.cookies = waiting.cookies.clone();
    let res = b
        .call(
            "/api/verify_sign_in_code",
            &[("code", &code(&enrolled.secret, now))],
        )
        .await;
    assert_eq!(res.status, 429);
    assert!(b.session_cookie().is_none());
}
