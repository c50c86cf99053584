//! Single sign-on does not skip two-factor: an account with it on gives its code next.

use super::flow::*;
use super::provider::*;
use crate::both_engines;
use crate::helpers::{Engine, PASSWORD};
use crate::mfa::support::{code, enrol, send_code};
use app::auth::Role;

both_engines!(single_sign_on_still_asks_for_the_code);

async fn single_sign_on_still_asks_for_the_code(engine: Engine) {
    let app = spawn_app(engine).await;
    app.create_user(Role::Counselor, "Robin Hale", "robin@example.org")
        .await;
    let mut me = app.browser();
    me.sign_in("robin@example.org", PASSWORD).await;
    let enrolled = enrol(&mut me).await;

    let mut b = app.browser();
    let (_, answer) =
        sign_in_with_provider(&mut b, AtProvider::SignInAs("robin@example.org")).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert_eq!(answer.location.as_deref(), Some("/login/two-factor"));
    assert!(b.session_cookie().is_none(), "no session before the code");
    assert!(b.cookies.contains_key("trellis_mfa_pending"));
    let (at, _) = b.visit("/").await;
    assert_eq!(at, "/login");

    let res = send_code(&mut b, &code(&enrolled.secret, enrolled.step + 1)).await;
    assert_eq!(res.location.as_deref(), Some("/"), "{}", res.body);
    let (at, home) = b.visit("/").await;
    assert_eq!(at, "/");
    assert!(home.body.contains("Robin Hale"));
    let events = audit(&app).await;
    assert_eq!(events[0].0, "oidc_sign_in", "recorded as single sign-on");
    assert_eq!(
        events[1],
        ("mfa_code_asked".to_string(), Some("oidc".to_string()))
    );
}
