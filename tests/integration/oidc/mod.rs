//! OpenID Connect sign-in against a real provider (oidc-provider, in
//! tests/fixtures/oidc/provider.mjs): the browser is sent to the provider, signs in on its login
//! page, consents, and comes back to Trellis with a code that Trellis exchanges and validates.
//! Nothing is mocked: tokens are issued and signed by the provider.
//!
//! One provider process (of each kind, see `Claims`) serves every test in the run. Each test has
//! its own Trellis app and database and its own browsers (so its own provider sessions), and the
//! client accepts any 127.0.0.1 port for its registered callback, so tests share it safely. It
//! is started on first use and exits when this test binary does (its standard input closes).

use crate::both_engines;
use crate::helpers::Engine;
use app::auth::Role;

mod flow;
mod invitations;
mod provider;
mod two_factor;

use flow::*;
use provider::*;

/// For tests elsewhere (a privacy test, say): an app with single sign-on against the test
/// provider, and an invitation accepted through it.
#[allow(unused_imports)]
pub(crate) use invitations::accept_invitation_with_sso;
#[allow(unused_imports)]
pub(crate) use provider::{settings, spawn_app};

both_engines!(
    invited_account_signs_in_and_keeps_its_linked_identity,
    email_in_the_id_token_is_enough,
    unknown_email_is_refused_without_creating_an_account,
    unverified_email_is_refused,
    deactivated_account_is_refused,
    cancelling_at_the_provider_returns_to_sign_in,
    forged_or_mismatched_state_is_refused,
    an_invitation_is_accepted_with_single_sign_on,
);

// ---------------------------------------------------------------------------------------------
// The tests

async fn invited_account_signs_in_and_keeps_its_linked_identity(engine: Engine) {
    let app = spawn_app(engine).await;
    let issuer = &provider(Claims::AtUserinfo).await.issuer;
    let id = app
        .create_user(Role::Partner, "Jordan Reyes", "jordan@example.org")
        .await;
    let mut b = app.browser();
    let (_, login) = b.visit("/login").await;
    assert!(login.body.contains("Sign in with Test ID"));

    let (trip, answer) =
        sign_in_with_provider(&mut b, AtProvider::SignInAs("jordan@example.org")).await;
    assert_eq!(
        trip.prompts,
        ["login", "consent"],
        "the provider's real pages"
    );
    let callback = url::Url::parse(&trip.callback).unwrap();
    assert_eq!(callback.path(), "/auth/oidc/callback");
    assert!(callback.query_pairs().any(|(k, _)| k == "code"));
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert_eq!(answer.location.as_deref(), Some("/"));
    let first_session = b.session_cookie().expect("a session");
    let (at, home) = b.visit("/").await;
    assert_eq!(at, "/");
    assert!(home.body.contains("Jordan Reyes"));
    assert!(home.body.contains("Sign out"));

    let identities: Vec<(String, String, String)> =
        sqlx::query_as("select issuer, subject, app_user_id from oidc_identity")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(
        identities,
        [(issuer.clone(), "jordan@example.org".into(), id.clone())],
        "the provider's identity is linked to the invited account"
    );
    // (The partner then signed the practice's consent, as the test browser does.)
    let events: Vec<_> = audit(&app)
        .await
        .into_iter()
        .filter(|(a, _)| a != "consent_signed")
        .collect();
    assert_eq!(events[0].0, "oidc_sign_in");

    // The link, not the email, decides from now on: with the account's email changed, the
    // same identity still signs in as the same account, on a new device.
    sqlx::query("update app_user set email = $1 where app_user_id = $2")
        .bind("jordan.reyes@example.org")
        .bind(&id)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let mut other = app.browser();
    let (trip, answer) =
        sign_in_with_provider(&mut other, AtProvider::SignInAs("jordan@example.org")).await;
    assert_eq!(trip.prompts, ["login", "consent"]);
    assert_eq!(answer.location.as_deref(), Some("/"), "{}", answer.body);
    let second_session = other.session_cookie().expect("a session");
    assert_ne!(second_session, first_session);
    let (at, home) = other.visit("/").await;
    assert_eq!(at, "/");
    assert!(home.body.contains("Jordan Reyes"));
    assert_eq!(count(&app, "select count(*) from oidc_identity").await, 1);
    assert_eq!(count(&app, "select count(*) from app_user").await, 1);
    let signed_in = audit(&app)
        .await
        .iter()
        .filter(|(a, _)| a == "oidc_sign_in")
        .count();
    assert_eq!(signed_in, 2);

    // Back in the first browser the provider remembers the person and the consent: the
    // round trip needs no pages at all.
    let (trip, answer) = sign_in_with_provider(&mut b, AtProvider::SignInAs("unused")).await;
    assert!(trip.prompts.is_empty(), "{:?}", trip.prompts);
    assert_eq!(answer.location.as_deref(), Some("/"), "{}", answer.body);
    assert_ne!(b.session_cookie().unwrap(), first_session, "a new session");
}

async fn email_in_the_id_token_is_enough(engine: Engine) {
    // This provider's userinfo returns no email, so only the ID token's claims can sign in.
    let app = spawn_app_with(engine, Claims::InIdToken).await;
    app.create_user(Role::Counselor, "Robin Hale", "robin@example.org")
        .await;
    let mut b = app.browser();
    let (_, answer) =
        sign_in_with_provider(&mut b, AtProvider::SignInAs("robin@example.org")).await;
    assert_eq!(answer.location.as_deref(), Some("/"), "{}", answer.body);
    let (at, home) = b.visit("/").await;
    assert_eq!(at, "/");
    assert!(home.body.contains("Robin Hale"));

    // An unverified email in the ID token is refused just the same.
    app.create_user(Role::Partner, "Sam", "unverified-sam@example.org")
        .await;
    let mut other = app.browser();
    let (_, answer) = sign_in_with_provider(
        &mut other,
        AtProvider::SignInAs("unverified-sam@example.org"),
    )
    .await;
    assert_refused(&mut other, &answer, "unverified").await;
}

async fn unknown_email_is_refused_without_creating_an_account(engine: Engine) {
    let app = spawn_app(engine).await;
    app.create_user(Role::Partner, "Jordan Reyes", "jordan@example.org")
        .await;
    let accounts = count(&app, "select count(*) from app_user").await;
    let mut b = app.browser();

    let (trip, answer) =
        sign_in_with_provider(&mut b, AtProvider::SignInAs("stranger@example.org")).await;
    assert_eq!(trip.prompts, ["login", "consent"]);
    let page = assert_refused(&mut b, &answer, "not_invited").await;
    assert!(page.contains("No Trellis account uses the email address"));

    assert_eq!(count(&app, "select count(*) from app_user").await, accounts);
    assert_eq!(count(&app, "select count(*) from oidc_identity").await, 0);
    assert_eq!(count(&app, "select count(*) from user_session").await, 0);
    assert_eq!(
        audit(&app).await[0],
        ("oidc_sign_in_refused".into(), Some("not_invited".into()))
    );
    assert!(b.visit("/").await.0.starts_with("/login"));
}

async fn unverified_email_is_refused(engine: Engine) {
    let app = spawn_app(engine).await;
    app.create_user(Role::Partner, "Sam", "unverified-sam@example.org")
        .await;
    let mut b = app.browser();

    let (_, answer) =
        sign_in_with_provider(&mut b, AtProvider::SignInAs("unverified-sam@example.org")).await;
    let page = assert_refused(&mut b, &answer, "unverified").await;
    assert!(page.contains("has not verified your email address"));
    assert_eq!(count(&app, "select count(*) from oidc_identity").await, 0);
    assert_eq!(count(&app, "select count(*) from user_session").await, 0);
    assert_eq!(
        audit(&app).await[0],
        ("oidc_sign_in_refused".into(), Some("unverified".into()))
    );
}

async fn deactivated_account_is_refused(engine: Engine) {
    let app = spawn_app(engine).await;
    let id = app
        .create_user(Role::Counselor, "Robin", "robin@example.org")
        .await;
    app::auth::repo::set_status(app.state.db.writer(), &id, "deactivated")
        .await
        .unwrap();
    let mut b = app.browser();

    let (_, answer) =
        sign_in_with_provider(&mut b, AtProvider::SignInAs("robin@example.org")).await;
    let page = assert_refused(&mut b, &answer, "deactivated").await;
    assert!(page.contains("This account has been deactivated."));
    assert_eq!(count(&app, "select count(*) from user_session").await, 0);
    assert_eq!(
        audit(&app).await[0],
        ("oidc_sign_in_refused".into(), Some("deactivated".into()))
    );
}

async fn cancelling_at_the_provider_returns_to_sign_in(engine: Engine) {
    let app = spawn_app(engine).await;
    app.create_user(Role::Partner, "Jordan Reyes", "jordan@example.org")
        .await;
    let mut b = app.browser();

    let (trip, answer) = sign_in_with_provider(&mut b, AtProvider::Cancel).await;
    assert_eq!(trip.prompts, ["login"]);
    let callback = url::Url::parse(&trip.callback).unwrap();
    assert!(
        callback
            .query_pairs()
            .any(|(k, v)| k == "error" && v == "access_denied"),
        "{callback}"
    );
    let page = assert_refused(&mut b, &answer, "cancelled").await;
    assert!(page.contains("Single sign-on did not complete."));
    assert_eq!(
        audit(&app).await[0],
        ("oidc_sign_in_refused".into(), Some("cancelled".into()))
    );
}

async fn forged_or_mismatched_state_is_refused(engine: Engine) {
    let app = spawn_app(engine).await;
    app.create_user(Role::Partner, "Jordan Reyes", "jordan@example.org")
        .await;
    let mut b = app.browser();
    let trip = to_provider_and_back(&mut b, AtProvider::SignInAs("jordan@example.org")).await;

    // The callback, with a valid code, replayed by a browser that never started a sign-in.
    let mut stranger = app.browser();
    let answer = stranger.get(&trip.callback).await;
    assert_refused(&mut stranger, &answer, "failed").await;

    // Login CSRF: a browser that started its own sign-in is handed someone else's code.
    let mut victim = app.browser();
    let start = victim.submit("/login", "/auth/oidc/start", &[]).await;
    assert_eq!(start.status, 303);
    assert!(victim.cookies.contains_key("trellis_oidc"));
    let answer = victim.get(&trip.callback).await;
    assert_refused(&mut victim, &answer, "failed").await;

    // A browser whose state cookie was tampered with.
    let mut tampered = app.browser();
    tampered
        .cookies
        .insert("trellis_oidc".into(), "forged-state".into());
    let answer = tampered.get(&trip.callback).await;
    assert_refused(&mut tampered, &answer, "failed").await;

    assert_eq!(count(&app, "select count(*) from user_session").await, 0);
    assert_eq!(count(&app, "select count(*) from oidc_identity").await, 0);
    let refused = audit(&app)
        .await
        .into_iter()
        .filter(|e| *e == ("oidc_sign_in_refused".into(), Some("failed".into())))
        .count();
    assert_eq!(refused, 3);

    // None of that spent the real browser's sign-in, which still completes...
    let answer = b.get(&trip.callback).await;
    assert_eq!(answer.location.as_deref(), Some("/"), "{}", answer.body);
    assert!(b.session_cookie().is_some());

    // ...once: the same callback again is refused (the flow and the code are used up).
    let session = b.session_cookie();
    let again = b.get(&trip.callback).await;
    assert_eq!(
        again.location.as_deref(),
        Some("/login?oidc_error=failed"),
        "{}",
        again.body
    );
    assert_eq!(
        b.session_cookie(),
        session,
        "the refusal leaves no new session"
    );
    assert_eq!(count(&app, "select count(*) from user_session").await, 1);
}

async fn an_invitation_is_accepted_with_single_sign_on(engine: Engine) {
    use crate::actions::{Partner, invite_partner, links_on, open_case, token_of};
    use crate::practice::{NEW_COUPLE, counselor};
    let app = spawn_app(engine).await;
    let issuer = &provider(Claims::AtUserinfo).await.issuer;
    let mut robin = counselor(&app, "robin@example.org").await;
    let couple = open_case(&mut robin, &NEW_COUPLE).await;
    let link = invite_partner(&mut robin, &couple, Partner::First).await;
    let token = token_of(&link).to_string();
    let page_path = format!("/invite/{token}");

    // Jordan's provider account has another email: the invitation link vouches for them.
    let mut jordan = app.browser();
    let (_, page) = jordan.visit(&page_path).await;
    assert!(page.body.contains("Sign in with Test ID"));
    assert!(page.body.contains("name=\"invitation\""));
    let trip = to_provider_and_back_from(
        &mut jordan,
        &page_path,
        &[("invitation", &token)],
        AtProvider::SignInAs("jordan.lee@mail.example"),
    )
    .await;
    let (_, answer) = finish_trip(&mut jordan, trip).await;
    assert_eq!(answer.location.as_deref(), Some("/"), "{}", answer.body);
    let (_, home) = jordan.visit("/").await;
    assert!(
        home.body.contains("Jordan &amp; Casey"),
        "bound to the couple"
    );
    let account: (String, String, Option<String>) = sqlx::query_as(
        "select email, role, password_hash from app_user where email = 'jordan@example.org'",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(account.1, "partner");
    assert!(
        account.2.is_none(),
        "no password: single sign-on is the way in"
    );
    let identities: Vec<(String, String)> =
        sqlx::query_as("select issuer, subject from oidc_identity")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(
        identities,
        [(issuer.clone(), "jordan.lee@mail.example".into())]
    );
    let (_, case_page) = robin.visit(&format!("/cases/{couple}/timeline")).await;
    assert!(
        case_page
            .body
            .contains("Jordan Lee accepted the invitation and joined")
    );
    let (_, partners) = robin.visit(&format!("/cases/{couple}/partners")).await;
    assert!(partners.body.contains("Joined on"));
    assert!(links_on(&partners.body).is_empty());

    // The used link sends a second attempt to its page, which says it was used.
    let mut again = app.browser();
    let start = again
        .submit(&page_path, "/auth/oidc/start", &[("invitation", &token)])
        .await;
    assert_eq!(start.location.as_deref(), Some(page_path.as_str()));
    let (_, used) = again.visit(&page_path).await;
    assert!(used.body.contains("already been used"));

    // An identity already linked to Jordan cannot accept Casey's invitation.
    let casey_link = invite_partner(&mut robin, &couple, Partner::Second).await;
    let casey_token = token_of(&casey_link).to_string();
    let mut mixed = app.browser();
    let trip = to_provider_and_back_from(
        &mut mixed,
        &format!("/invite/{casey_token}"),
        &[("invitation", &casey_token)],
        AtProvider::SignInAs("jordan.lee@mail.example"),
    )
    .await;
    let (_, answer) = finish_trip(&mut mixed, trip).await;
    assert_eq!(
        answer.location.as_deref(),
        Some("/login?oidc_error=different_account")
    );
    let (_, still_open) = mixed.visit(&format!("/invite/{casey_token}")).await;
    assert!(
        still_open.body.contains("Welcome, Casey Lee"),
        "the link still works"
    );
}
