//! Invitations for an address that already has an account (a partner joining a second
//! couple, say), accepted with that account's password. Whoever holds the link may not be its
//! owner, so nothing here may tell them more about the address than it must.

use crate::actions::{Partner, accept_invitation, invite_partner, open_case, path_of, token_of};
use crate::both_engines;
use crate::helpers::{Browser, Engine, PASSWORD, TestApp};
use crate::practice::{NEW_COUPLE, counselor};
use app::auth::Role;

both_engines!(
    an_existing_account_accepts_with_its_own_password,
    a_wrong_password_reads_the_same_as_an_address_without_an_account,
);

/// Accepts an invitation with the password of the account that already uses its address.
async fn accept_with_account(b: &mut Browser, link: &str, password: &str) -> crate::helpers::Page {
    b.submit(
        &path_of(link),
        "/api/accept_invitation_with_account",
        &[("token", token_of(link)), ("password", password)],
    )
    .await
}

/// The message a refused form shows once the browser is back on the form's page.
async fn refusal_shown(b: &mut Browser, res: &crate::helpers::Page) -> String {
    let back = res.location.clone().expect("back to the form");
    assert!(back.contains("__err"), "refused: {back}");
    let page = b.get(&back).await;
    let at = page
        .body
        .find("role=\"alert\"")
        .unwrap_or_else(|| panic!("a message on {back}: {}", page.body));
    let text = &page.body[at..];
    let text = &text[text.find('>').unwrap() + 1..];
    text[..text.find("</p>").unwrap()].to_string()
}

async fn an_existing_account_accepts_with_its_own_password(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut robin = counselor(&app, "robin@example.org").await;
    let couple = open_case(&mut robin, &NEW_COUPLE).await;
    // Jordan already has a partner account (say, from an earlier case).
    let jordan_id = app
        .create_user(Role::Partner, "Jordan Lee", "jordan@example.org")
        .await;
    let link = invite_partner(&mut robin, &couple, Partner::First).await;
    let mut jordan = app.browser();
    let (_, page) = jordan.visit(&path_of(&link)).await;
    assert!(page.body.contains("Already use Trellis?"));
    assert!(page.body.contains("New to Trellis?"));
    assert!(!page.body.contains("You already have a Trellis account"));

    // The form for new people cannot make a second account for the address; it says where
    // to go instead, naming no one.
    let res = accept_invitation(&mut jordan, &link, "Jordan", PASSWORD, PASSWORD).await;
    let said = refusal_shown(&mut jordan, &res).await;
    assert!(
        said.contains("A new account cannot be made with this invitation"),
        "{said}"
    );
    assert!(
        !said.contains("Jordan") && !said.contains("Robin"),
        "{said}"
    );

    let wrong = accept_with_account(&mut jordan, &link, "not my password at all").await;
    let said = refusal_shown(&mut jordan, &wrong).await;
    assert!(
        said.contains("That password does not match a Trellis account"),
        "{said}"
    );
    assert!(jordan.session_cookie().is_none());
    let res = accept_with_account(&mut jordan, &link, PASSWORD).await;
    assert_eq!(res.location.as_deref(), Some("/?welcome=1"), "{}", res.body);
    let (_, home) = jordan.visit("/").await;
    assert!(home.body.contains("Jordan &amp; Casey"));
    let accounts: i64 = sqlx::query_scalar("select count(*) from app_user where email = $1")
        .bind("jordan@example.org")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(accounts, 1, "the same account, not a second one");
    let refusals: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "select detail, subject_user_id, couple_id from audit_event \
         where action = 'invitation_refused' order by audit_event_id",
    )
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(
        refusals,
        [
            ("account_exists".into(), Some(jordan_id.clone()), None),
            ("wrong_password".into(), Some(jordan_id), None),
        ],
        "audited for administrators, never on the case's timeline"
    );

    // A staff email cannot be used for a partner. Only the account's owner (who knows its
    // password) is told why; anyone else gets the same answer as for a wrong password.
    let mut dana = counselor(&app, "dana@example.org").await;
    let staff_couple = open_case(
        &mut dana,
        &[
            ("couple[case_name]", "Staff & Someone"),
            ("couple[partner1_name]", "Robin"),
            ("couple[partner1_email]", "robin@example.org"),
            ("couple[partner2_name]", "Someone"),
            ("couple[partner2_email]", "someone@example.org"),
        ],
    )
    .await;
    let staff_link = invite_partner(&mut dana, &staff_couple, Partner::First).await;
    let mut b = app.browser();
    let res = accept_with_account(&mut b, &staff_link, "a guess at the password").await;
    let said = refusal_shown(&mut b, &res).await;
    assert!(
        said.contains("That password does not match a Trellis account"),
        "{said}"
    );
    let res = accept_with_account(&mut b, &staff_link, PASSWORD).await;
    let said = refusal_shown(&mut b, &res).await;
    assert!(said.contains("different kind of Trellis account"), "{said}");
    assert!(b.session_cookie().is_none());

    // A deactivated account is refused too, told only to its owner.
    let kim = app
        .create_user(Role::Partner, "Kim", "kim@example.org")
        .await;
    app::auth::repo::set_status(app.state.db.writer(), &kim, "deactivated")
        .await
        .unwrap();
    let kim_couple = open_case(
        &mut dana,
        &[
            ("couple[case_name]", "Kim & Lou"),
            ("couple[partner1_name]", "Kim"),
            ("couple[partner1_email]", "kim@example.org"),
            ("couple[partner2_name]", "Lou"),
            ("couple[partner2_email]", "lou@example.org"),
        ],
    )
    .await;
    let kim_link = invite_partner(&mut dana, &kim_couple, Partner::First).await;
    let res = accept_with_account(&mut b, &kim_link, "a guess at the password").await;
    let said = refusal_shown(&mut b, &res).await;
    assert!(
        said.contains("That password does not match a Trellis account"),
        "{said}"
    );
    let res = accept_with_account(&mut b, &kim_link, PASSWORD).await;
    let said = refusal_shown(&mut b, &res).await;
    assert!(said.contains("deactivated"), "{said}");
    assert!(b.session_cookie().is_none());
    let (_, still_open) = b.visit(&path_of(&kim_link)).await;
    assert!(
        still_open.body.contains("Welcome, Kim"),
        "the link still works"
    );
}

/// Whoever holds a link cannot tell from the password form whether its address has an
/// account: a wrong password and an address with no account get the same words, and the
/// pause after repeated failures comes at the same attempt.
async fn a_wrong_password_reads_the_same_as_an_address_without_an_account(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut robin = counselor(&app, "robin@example.org").await;
    let couple = open_case(&mut robin, &NEW_COUPLE).await;
    app.create_user(Role::Partner, "Jordan Lee", "jordan@example.org")
        .await;
    let with_account = invite_partner(&mut robin, &couple, Partner::First).await;
    let without = invite_partner(&mut robin, &couple, Partner::Second).await;
    let mut b = app.browser();
    let mut answers = Vec::new();
    for attempt in 1..=6 {
        let mut said = Vec::new();
        for link in [&with_account, &without] {
            let res = accept_with_account(&mut b, link, "a guess at the password").await;
            let message = refusal_shown(&mut b, &res).await;
            said.push(message.replace(&path_of(link), "LINK"));
        }
        assert_eq!(said[0], said[1], "attempt {attempt}");
        answers.push(said.remove(0));
    }
    assert!(answers[0].contains("That password does not match a Trellis account"));
    assert!(answers[5].contains("Too many failed"), "{}", answers[5]);
    assert!(b.session_cookie().is_none());
    let partners: i64 =
        sqlx::query_scalar("select count(*) from partner where app_user_id is not null")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(partners, 0, "nobody joined");
}
