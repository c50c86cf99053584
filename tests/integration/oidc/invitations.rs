//! Invitations accepted with single sign-on when the invited address already has an account.
//! Whoever holds a link may be the counselor who made it, naming someone else's address: the
//! link proves nothing about that account. Only an identity already linked to the account, or
//! one whose provider verified the very address, may join it. And the invitation page looks
//! the same whether or not the address has an account.

use super::flow::*;
use super::provider::*;
use crate::actions::{
    Intent, Partner, Visibility, assign_exercise_to_both, exercise_for_both, invite_partner,
    open_case, path_of, save_homework, token_of,
};
use crate::both_engines;
use crate::helpers::{Browser, Engine, Page, TestApp};
use crate::practice::{NEW_COUPLE, as_actor, counselor, practice};
use app::auth::Role;

both_engines!(
    a_counselor_cannot_take_over_another_couples_partner_through_an_invitation,
    a_partner_joins_a_second_couple_with_the_identity_already_linked_to_them,
    an_account_that_cannot_join_is_told_so_only_once_proven,
    the_invitation_page_is_the_same_whether_or_not_the_address_has_an_account,
    a_malformed_link_sent_to_single_sign_on_is_answered_not_broken,
);

/// Accepts invitation `token` with single sign-on, in a new browser: presses the single
/// sign-on button on the invitation page, signs in at the test provider as `login` (its
/// email is `login`, verified unless it starts with "unverified"), comes back to Trellis and
/// follows the redirects. Returns the browser, the path it landed on (`/` once accepted,
/// `/login?oidc_error=<code>` when refused) and the page there. The app must have been
/// spawned with single sign-on (`spawn_app`).
pub(crate) async fn accept_invitation_with_sso(
    app: &TestApp,
    token: &str,
    login: &str,
) -> (Browser, String, Page) {
    let mut b = app.browser();
    let trip = to_provider_and_back_from(
        &mut b,
        &format!("/invite/{token}"),
        &[("invitation", token)],
        AtProvider::SignInAs(login),
    )
    .await;
    let (_, answer) = finish_trip(&mut b, trip).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let to = answer.location.expect("the callback redirects");
    let (at, page) = b.visit(&to).await;
    (b, at, page)
}

const REFUSED: &str = "/login?oidc_error=identity_mismatch";

async fn identities_of(app: &TestApp, user_id: &str) -> i64 {
    sqlx::query_scalar("select count(*) from oidc_identity where app_user_id = $1")
        .bind(user_id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

async fn couples_of(app: &TestApp, user_id: &str) -> i64 {
    sqlx::query_scalar("select count(*) from partner where app_user_id = $1")
        .bind(user_id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

/// A second couple, opened by `b`, whose first partner is `email`; returns its id.
async fn couple_naming(b: &mut Browser, case: &str, name: &str, email: &str) -> String {
    let other = format!("other.{}", email.replace('@', "."));
    let other = format!("{other}@example.net");
    open_case(
        b,
        &[
            ("couple[case_name]", case),
            ("couple[partner1_name]", name),
            ("couple[partner1_email]", email),
            ("couple[partner2_name]", "Someone Else"),
            ("couple[partner2_email]", other.as_str()),
        ],
    )
    .await
}

async fn a_counselor_cannot_take_over_another_couples_partner_through_an_invitation(
    engine: Engine,
) {
    let app = spawn_app(engine).await;
    // Robin's couple, Jordan & Casey, both with accounts; Dana counsels Pat & Kim.
    let mut p = practice(&app).await;
    let jordan_id = app.user_id("jordan@example.org").await;
    let (_, key) = exercise_for_both(&app).await;
    let (jordan_copy, _) = assign_exercise_to_both(&app, &mut p.robin, &p.couple).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let secret = "JORDAN-PRIVATE words for the counselor only";
    save_homework(
        &mut jordan,
        &jordan_copy,
        &key,
        secret,
        Visibility::CounselorOnly,
        Intent::Submit,
    )
    .await;

    // Dana opens a case naming Jordan's address, makes its link, and presses single sign-on
    // on it, signing in at the provider as themself; then as a stranger.
    let mut dana = as_actor(&app, Some("dana@example.org")).await;
    let couple = couple_naming(
        &mut dana,
        "Jordan & Someone",
        "Jordan",
        "jordan@example.org",
    )
    .await;
    let link = invite_partner(&mut dana, &couple, Partner::First).await;
    let token = token_of(&link);
    for login in ["dana@example.org", "stranger@example.org"] {
        let (mut b, at, page) = accept_invitation_with_sso(&app, token, login).await;
        assert_eq!(at, REFUSED, "{login} is refused");
        assert!(b.session_cookie().is_none(), "{login}: no session");
        assert!(
            page.body
                .contains("could not be accepted with the account you signed in")
        );
        for named in [
            "Jordan", "jordan@", "Casey", "Robin", "Pat", "Kim", "Someone",
        ] {
            assert!(
                !page.body.contains(named),
                "{login}: the refusal names {named}"
            );
        }
        for path in ["/", &format!("/homework/{jordan_copy}")] {
            let (at, seen) = b.visit(path).await;
            assert!(at.starts_with("/login"), "{login}: {path} asks to sign in");
            assert!(!seen.body.contains(secret), "{login} read Jordan's words");
        }
        assert_eq!(
            identities_of(&app, &jordan_id).await,
            0,
            "{login}: nothing linked"
        );
    }
    assert_eq!(count(&app, "select count(*) from oidc_identity").await, 0);
    assert_eq!(couples_of(&app, &jordan_id).await, 1);

    // Audited for administrators, with the account tried, but never on Dana's case.
    let refusals: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "select detail, subject_user_id, couple_id from audit_event \
         where action = 'invitation_refused' order by audit_event_id",
    )
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    let expected = (
        "single_sign_on_identity_mismatch".to_string(),
        Some(jordan_id.clone()),
        None,
    );
    assert_eq!(refusals, [expected.clone(), expected]);
    let sso_refusals = audit(&app)
        .await
        .into_iter()
        .filter(|e| {
            *e == (
                "oidc_sign_in_refused".into(),
                Some("identity_mismatch".into()),
            )
        })
        .count();
    assert_eq!(sso_refusals, 2);
    let (_, case_page) = dana.visit(&format!("/cases/{couple}")).await;
    for named in ["not accepted", "refused", "Casey", "Jordan &amp; Casey"] {
        assert!(!case_page.body.contains(named), "Dana's case shows {named}");
    }

    // Jordan still signs in, and their link is still open for them.
    let mut again = as_actor(&app, Some("jordan@example.org")).await;
    let (at, home) = again.visit("/").await;
    assert_eq!(at, "/");
    assert!(home.body.contains("Jordan &amp; Casey"));
    let (_, open) = app.browser().visit(&path_of(&link)).await;
    assert!(
        open.body.contains("Welcome, Jordan"),
        "the link still works"
    );

    // Jordan accepts it with their own identity, whose provider verified their address
    // (written differently, as people do): they are now a partner in both couples.
    let (mut b, at, _) = accept_invitation_with_sso(&app, token, "Jordan@Example.org").await;
    assert_eq!(at, "/", "Jordan joins");
    assert!(b.session_cookie().is_some());
    assert_eq!(couples_of(&app, &jordan_id).await, 2);
    assert_eq!(identities_of(&app, &jordan_id).await, 1, "linked now");
    let (_, home) = b.visit("/").await;
    assert!(home.body.contains("Jordan"));
}

async fn a_partner_joins_a_second_couple_with_the_identity_already_linked_to_them(engine: Engine) {
    let app = spawn_app(engine).await;
    // Sam joins their first couple with single sign-on as their own provider account, whose
    // address is not the one Robin invited: a new account, linked to that identity.
    let mut robin = counselor(&app, "robin@example.org").await;
    let sam_email = "unverified-sam@example.org";
    let first = couple_naming(&mut robin, "Sam & Alex", "Sam Reyes", sam_email).await;
    let link = invite_partner(&mut robin, &first, Partner::First).await;
    let (_, at, _) =
        accept_invitation_with_sso(&app, token_of(&link), "sam.home@mail.example").await;
    assert_eq!(at, "/", "a new person joins with single sign-on");
    let sam_id = app.user_id(sam_email).await;
    assert_eq!(identities_of(&app, &sam_id).await, 1);

    // Dana's couple names Sam's address. An identity carrying that address which its
    // provider has not verified proves nothing, and neither does a stranger's.
    let mut dana = counselor(&app, "dana@example.org").await;
    let second = couple_naming(&mut dana, "Sam & Jo", "Sam", sam_email).await;
    let link = invite_partner(&mut dana, &second, Partner::First).await;
    let token = token_of(&link);
    for login in [sam_email, "stranger@example.org"] {
        let (b, at, _) = accept_invitation_with_sso(&app, token, login).await;
        assert_eq!(at, REFUSED, "{login} is refused");
        assert!(b.session_cookie().is_none());
    }
    assert_eq!(count(&app, "select count(*) from oidc_identity").await, 1);
    assert_eq!(couples_of(&app, &sam_id).await, 1);

    // Sam's own identity, linked when they first joined, accepts.
    let (b, at, _) = accept_invitation_with_sso(&app, token, "sam.home@mail.example").await;
    assert_eq!(at, "/", "Sam joins the second couple");
    assert!(b.session_cookie().is_some());
    assert_eq!(couples_of(&app, &sam_id).await, 2);
    assert_eq!(count(&app, "select count(*) from oidc_identity").await, 1);
}

async fn an_account_that_cannot_join_is_told_so_only_once_proven(engine: Engine) {
    let app = spawn_app(engine).await;
    let mut dana = counselor(&app, "dana@example.org").await;
    app.create_user(Role::Counselor, "Robin Hale", "robin@example.org")
        .await;
    let kim = app
        .create_user(Role::Partner, "Kim", "kim@example.org")
        .await;
    app::auth::repo::set_status(app.state.db.writer(), &kim, "deactivated")
        .await
        .unwrap();
    // A counselor's address named as a partner, and a deactivated partner's.
    for (email, why) in [
        ("robin@example.org", "other_kind_of_account"),
        ("kim@example.org", "deactivated"),
    ] {
        let couple = couple_naming(&mut dana, &format!("Case of {email}"), "Named", email).await;
        let link = invite_partner(&mut dana, &couple, Partner::First).await;
        let token = token_of(&link);
        // Anyone but the owner hears only that the sign-in did not fit the invitation.
        let (_, at, _) = accept_invitation_with_sso(&app, token, "dana@example.org").await;
        assert_eq!(at, REFUSED, "{email}");
        // The owner, proven by their verified address, hears why, in words naming no one.
        let (b, at, page) = accept_invitation_with_sso(&app, token, email).await;
        assert_eq!(at, format!("/login?oidc_error={why}"));
        assert!(b.session_cookie().is_none());
        assert!(!page.body.contains("Robin") && !page.body.contains("Kim"));
        let (_, still_open) = app.browser().visit(&path_of(&link)).await;
        assert!(
            still_open.body.contains("Welcome, Named"),
            "the link still works"
        );
    }
    assert_eq!(count(&app, "select count(*) from oidc_identity").await, 0);
    assert_eq!(
        count(
            &app,
            "select count(*) from partner where app_user_id is not null"
        )
        .await,
        0
    );
}

/// The page without what legitimately differs between two invitations: the names, emails
/// and tokens given, and the per-response script nonce (leptos also writes it as the
/// `crossorigin` of its preload links).
fn shape(body: &str, words: &[&str]) -> String {
    let mut out = body.to_string();
    for w in words {
        out = out.replace(w, "…");
    }
    for attr in ["nonce=\"", "crossorigin=\""] {
        let mut rest = out.as_str();
        let mut shaped = String::new();
        while let Some(at) = rest.find(attr) {
            let start = at + attr.len();
            shaped.push_str(&rest[..start]);
            rest = &rest[start..];
            rest = &rest[rest.find('"').unwrap()..];
        }
        shaped.push_str(rest);
        out = shaped;
    }
    out
}

async fn the_invitation_page_is_the_same_whether_or_not_the_address_has_an_account(engine: Engine) {
    let app = spawn_app(engine).await;
    // Jordan already uses Trellis; Casey does not.
    let jordan_id = app
        .create_user(Role::Partner, "Jordan Lee", "jordan@example.org")
        .await;
    let mut dana = counselor(&app, "dana@example.org").await;
    let couple = open_case(&mut dana, &NEW_COUPLE).await;
    let jordan_link = invite_partner(&mut dana, &couple, Partner::First).await;
    let casey_link = invite_partner(&mut dana, &couple, Partner::Second).await;
    // Opened by anyone, Dana included.
    let (_, jordan_page) = dana.visit(&path_of(&jordan_link)).await;
    let (_, casey_page) = dana.visit(&path_of(&casey_link)).await;
    let jordan_shape = shape(
        &jordan_page.body,
        &[token_of(&jordan_link), "Jordan Lee", "jordan@example.org"],
    );
    let casey_shape = shape(
        &casey_page.body,
        &[token_of(&casey_link), "Casey Lee", "casey@example.org"],
    );
    assert_eq!(jordan_shape, casey_shape);
    for way in [
        "New to Trellis?",
        "Choose a password",
        "Already use Trellis?",
        "Your Trellis password",
        "Sign in with Test ID",
    ] {
        assert!(jordan_page.body.contains(way), "every page offers {way}");
    }
    for token in [token_of(&jordan_link), token_of(&casey_link)] {
        let res = dana.call("/api/get_invitation", &[("token", token)]).await;
        assert_eq!(res.status, 200);
        assert!(!res.body.contains("existing"), "{}", res.body);
    }

    // Each accepts: Casey, new, with single sign-on; Jordan with their verified address.
    let (_, at, _) =
        accept_invitation_with_sso(&app, token_of(&casey_link), "casey.lee@mail.example").await;
    assert_eq!(at, "/", "a new person joins with single sign-on");
    let (_, at, _) =
        accept_invitation_with_sso(&app, token_of(&jordan_link), "jordan@example.org").await;
    assert_eq!(at, "/");
    assert_eq!(couples_of(&app, &jordan_id).await, 1);
    let casey_id = app.user_id("casey@example.org").await;
    assert_eq!(couples_of(&app, &casey_id).await, 1);
    assert_eq!(identities_of(&app, &casey_id).await, 1);
}

/// A link that cannot be used is sent back to its own page, whatever it holds (a newline in
/// it once made the redirect fail with a server error).
async fn a_malformed_link_sent_to_single_sign_on_is_answered_not_broken(engine: Engine) {
    let app = spawn_app(engine).await;
    let mut b = app.browser();
    for token in ["no-such-link", "line\nbreak", "a b/../c?d=e#f"] {
        let res = b
            .submit("/login", "/auth/oidc/start", &[("invitation", token)])
            .await;
        assert_eq!(res.status, 303, "{token:?}: {} {}", res.status, res.body);
        let to = res.location.unwrap_or_default();
        assert!(
            to.starts_with("/invite/") && !to.contains('\n') && !to[1..].contains("//"),
            "{token:?} sent to {to}"
        );
        assert!(b.visit(&to).await.1.status < 500, "{token:?}");
    }
}
