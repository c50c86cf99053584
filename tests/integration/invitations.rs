//! Partner invitations: a counselor creates single-use, expiring links; a partner opens one,
//! sets a password and lands on their own home, bound to their couple. Case status changes
//! and the access table for every server function of this journey, on both engines.

use crate::actions::{
    Partner, accept_invitation, invite_partner, links_on, open_case, path_of, token_of,
};
use crate::both_engines;
use crate::helpers::{Browser, Engine, PASSWORD, TestApp};
use crate::practice::{ACTORS, NEW_COUPLE, as_actor, counselor, practice};

mod existing_account;

both_engines!(
    a_partner_accepts_their_invitation_and_lands_on_their_home,
    replaced_revoked_expired_and_unknown_links_get_clear_pages,
    accepting_explains_what_is_wrong_and_keeps_the_link_usable,
    the_link_is_shown_only_to_the_browser_that_created_it,
    case_status_moves_and_a_closed_case_is_read_only,
    invitation_and_status_functions_obey_the_access_table,
);

async fn a_partner_accepts_their_invitation_and_lands_on_their_home(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut robin = counselor(&app, "robin@example.org").await;
    let couple = open_case(&mut robin, &NEW_COUPLE).await;
    let jordan_link = invite_partner(&mut robin, &couple, Partner::First).await;
    let casey_link = invite_partner(&mut robin, &couple, Partner::Second).await;
    assert!(jordan_link.starts_with(&format!("{}/invite/", app.base)));
    // Both links stay on the counselor's screen, one per partner.
    let page = robin.get(&format!("/cases/{couple}/partners")).await;
    assert_eq!(links_on(&page.body).len(), 2);
    assert!(page.body.contains("the link works until"));

    // Only a keyed hash is stored, never the token.
    let token = token_of(&jordan_link);
    let stored: Vec<String> = sqlx::query_scalar("select token_hash from invitation")
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(stored.len(), 2);
    assert!(stored.iter().all(|h| h != token && !h.contains(token)));

    // Jordan opens the link in their own browser, signed out.
    let mut jordan = app.browser();
    let (at, invitation) = jordan.visit(&path_of(&jordan_link)).await;
    assert_eq!(
        at,
        path_of(&jordan_link),
        "the link opens without signing in"
    );
    assert!(invitation.body.contains("Welcome, Jordan Lee"));
    assert!(invitation.body.contains("Robin Hale has invited you"));
    assert!(invitation.body.contains("jordan@example.org"));
    assert!(
        !invitation.body.contains("casey@example.org"),
        "nothing about the other partner"
    );
    let res = accept_invitation(&mut jordan, &jordan_link, "Jordan", PASSWORD, PASSWORD).await;
    assert_eq!(res.location.as_deref(), Some("/?welcome=1"));
    assert!(jordan.session_cookie().is_some(), "signed in");
    let (_, home) = jordan.visit("/?welcome=1").await;
    assert!(home.body.contains("Welcome, Jordan"));
    assert!(home.body.contains("Your account is ready"));
    assert!(home.body.contains("Jordan &amp; Casey"));
    assert!(home.body.contains("Robin Hale"));
    assert!(home.body.contains("Casey Lee"), "their partner's name");
    assert!(
        !home.body.contains("casey@example.org"),
        "not their partner's email"
    );
    assert!(
        !home.body.contains("Affair disclosed"),
        "never the counselor's notes"
    );

    // The same link cannot be used twice.
    let mut stranger = app.browser();
    let (_, used) = stranger.visit(&path_of(&jordan_link)).await;
    assert!(used.body.contains("This invitation has already been used"));
    let again = accept_invitation(&mut stranger, &jordan_link, "X", PASSWORD, PASSWORD).await;
    assert_eq!(again.status, 302);
    let page = stranger.get(&again.location.unwrap()).await;
    assert!(page.body.contains("This invitation has already been used"));

    // Casey joins too; a signed-in browser may open a link (it signs in as the new account).
    let mut casey = as_actor(&app, None).await;
    let res = accept_invitation(&mut casey, &casey_link, "Casey Lee", PASSWORD, PASSWORD).await;
    assert_eq!(res.location.as_deref(), Some("/?welcome=1"));

    let (_, partners) = robin.visit(&format!("/cases/{couple}/partners")).await;
    assert_eq!(partners.body.matches("Joined on").count(), 2);
    assert!(
        links_on(&partners.body).is_empty(),
        "used links are no longer shown"
    );
    let (_, case_page) = robin.visit(&format!("/cases/{couple}/timeline")).await;
    assert!(
        case_page
            .body
            .contains("Invitation link created for Jordan Lee")
    );
    assert!(
        case_page
            .body
            .contains("Jordan Lee accepted the invitation and joined")
    );
    let actions = app.audit_actions().await;
    for a in [
        "invitation_created",
        "invitation_accepted",
        "account_created",
    ] {
        assert!(actions.contains(&a.to_string()), "{a} is audited");
    }
    let role: String =
        sqlx::query_scalar("select role from app_user where email = 'jordan@example.org'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(role, "partner");
}

async fn replaced_revoked_expired_and_unknown_links_get_clear_pages(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut robin = counselor(&app, "robin@example.org").await;
    let couple = open_case(&mut robin, &NEW_COUPLE).await;
    let first = invite_partner(&mut robin, &couple, Partner::First).await;
    let second = invite_partner(&mut robin, &couple, Partner::First).await;
    assert_ne!(first, second);
    let mut visitor = app.browser();
    let (_, replaced) = visitor.visit(&path_of(&first)).await;
    assert!(
        replaced
            .body
            .contains("This invitation link is no longer valid")
    );
    let (_, open) = visitor.visit(&path_of(&second)).await;
    assert!(open.body.contains("Welcome, Jordan Lee"));

    // Revoked by the counselor.
    let res = robin
        .submit(
            &format!("/cases/{couple}/partners"),
            "/api/revoke_partner_invitation",
            &[("couple_id", couple.as_str()), ("position", "1")],
        )
        .await;
    assert_eq!(res.status, 302);
    let (_, revoked) = visitor.visit(&path_of(&second)).await;
    assert!(
        revoked
            .body
            .contains("This invitation link is no longer valid")
    );
    let refused = accept_invitation(&mut visitor, &second, "Jordan", PASSWORD, PASSWORD).await;
    let back = visitor.get(&refused.location.unwrap()).await;
    assert!(
        back.body
            .contains("This invitation link is no longer valid")
    );
    let (_, case_page) = robin.visit(&format!("/cases/{couple}/partners")).await;
    assert!(case_page.body.contains("The invitation link was revoked"));
    let (_, case_page) = robin.visit(&format!("/cases/{couple}/timeline")).await;
    assert!(
        case_page
            .body
            .contains("Invitation link revoked for Jordan Lee")
    );
    assert!(case_page.body.contains("previous link no longer works"));

    // Expired after a week.
    let third = invite_partner(&mut robin, &couple, Partner::First).await;
    sqlx::query("update invitation set expires_at = $1 where revoked_at is null")
        .bind(app::db::now_ms() - 1)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let (_, expired) = visitor.visit(&path_of(&third)).await;
    assert!(expired.body.contains("This invitation link has expired"));
    let refused = accept_invitation(&mut visitor, &third, "Jordan", PASSWORD, PASSWORD).await;
    assert!(refused.location.unwrap().contains("__err"));
    let accounts: i64 = sqlx::query_scalar("select count(*) from app_user where role = 'partner'")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(accounts, 0, "no account from a dead link");

    // A token that never existed: a clear page with a 404 status.
    let unknown = visitor.get("/invite/not-a-real-token").await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.body.contains("This invitation link is not valid"));
}

async fn accepting_explains_what_is_wrong_and_keeps_the_link_usable(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut robin = counselor(&app, "robin@example.org").await;
    let couple = open_case(&mut robin, &NEW_COUPLE).await;
    let link = invite_partner(&mut robin, &couple, Partner::Second).await;
    let mut casey = app.browser();
    let cases = [
        ("Casey", PASSWORD, "something else entirely", "do not match"),
        ("Casey", "short", "short", "12 characters"),
        ("   ", PASSWORD, PASSWORD, "Enter a name"),
    ];
    for (name, password, confirm, message) in cases {
        let res = accept_invitation(&mut casey, &link, name, password, confirm).await;
        let back = res.location.expect("back to the form");
        assert!(
            back.contains(&path_of(&link)),
            "back to the invitation: {back}"
        );
        let page = casey.get(&back).await;
        assert!(page.body.contains(message), "expected {message:?}");
        assert!(casey.session_cookie().is_none());
    }
    let partners: i64 = sqlx::query_scalar("select count(*) from app_user where role = 'partner'")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(partners, 0, "nothing half-created");
    let res = accept_invitation(&mut casey, &link, "Casey Lee", PASSWORD, PASSWORD).await;
    assert_eq!(res.location.as_deref(), Some("/?welcome=1"));
}

async fn the_link_is_shown_only_to_the_browser_that_created_it(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut robin = counselor(&app, "robin@example.org").await;
    let couple = open_case(&mut robin, &NEW_COUPLE).await;
    let link = invite_partner(&mut robin, &couple, Partner::First).await;
    // The same counselor on another device sees that a link is out, not the link.
    let mut elsewhere = as_actor(&app, Some("robin@example.org")).await;
    let (_, page) = elsewhere.visit(&format!("/cases/{couple}/partners")).await;
    assert!(page.body.contains("the link works until"));
    assert!(!page.body.contains(token_of(&link)));
    // A forged cookie (right id, wrong token) shows nothing.
    let mut forger = as_actor(&app, Some("robin@example.org")).await;
    let id: String = sqlx::query_scalar("select invitation_id from invitation")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    forger.cookies.insert(
        app::features::invitations::link::LINKS_COOKIE.into(),
        format!("{id}.forgedtoken"),
    );
    let (_, page) = forger.visit(&format!("/cases/{couple}/partners")).await;
    assert!(links_on(&page.body).is_empty());
    // Signing out forgets the links.
    robin.submit("/", "/api/sign_out", &[]).await;
    assert!(
        !robin
            .cookies
            .contains_key(app::features::invitations::link::LINKS_COOKIE)
    );
}

async fn set_status(b: &mut Browser, couple: &str, status: &str) -> u16 {
    b.call(
        "/api/set_case_status",
        &[("couple_id", couple), ("status", status)],
    )
    .await
    .status
}

async fn case_status_moves_and_a_closed_case_is_read_only(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut robin = counselor(&app, "robin@example.org").await;
    let couple = open_case(&mut robin, &NEW_COUPLE).await;
    let link = invite_partner(&mut robin, &couple, Partner::First).await;
    assert_eq!(
        set_status(&mut robin, &couple, "paused").await,
        409,
        "intake cannot pause"
    );
    assert_eq!(set_status(&mut robin, &couple, "sideways").await, 400);
    assert_eq!(set_status(&mut robin, &couple, "active").await, 200);
    assert_eq!(set_status(&mut robin, &couple, "paused").await, 200);
    assert_eq!(set_status(&mut robin, &couple, "closed").await, 200);
    let (_, page) = robin.visit(&format!("/cases/{couple}/partners")).await;
    assert!(page.body.contains("closed and read-only"));
    let kept = (chrono::Utc::now().date_naive() + chrono::Months::new(84))
        .format("%-d %B %Y")
        .to_string();
    assert!(page.body.contains(&kept), "kept seven years: {kept}");
    assert!(page.body.contains("Reopen the case"));
    assert!(
        !page.body.contains("Create an invitation link"),
        "no invitations on a closed case"
    );
    let (_, timeline) = robin.visit(&format!("/cases/{couple}/timeline")).await;
    assert!(timeline.body.contains("Status changed to Closed"));
    // Closing withdrew the open link, and no new one can be made.
    let mut jordan = app.browser();
    let (_, dead) = jordan.visit(&path_of(&link)).await;
    assert!(dead.body.contains("no longer valid"));
    let res = robin
        .call(
            "/api/invite_partner",
            &[("couple_id", couple.as_str()), ("position", "2")],
        )
        .await;
    assert_eq!(res.status, 409);
    assert!(res.body.contains("closed"));
    // Closed cases stay on the caseload, last.
    let (_, closed) = robin.visit("/?q=&status=closed").await;
    assert!(closed.body.contains("Jordan &amp; Casey"));
    // Reopening brings it back.
    assert_eq!(set_status(&mut robin, &couple, "active").await, 200);
    let (_, page) = robin.visit(&format!("/cases/{couple}/partners")).await;
    assert!(!page.body.contains("closed and read-only"));
    assert!(
        page.body
            .contains("Create a new invitation link for Jordan")
    );
}

async fn invitation_and_status_functions_obey_the_access_table(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let p = practice(&app).await;
    let id = p.couple.as_str();
    // Casey (partner B) has no account bound in this table's couple? She has: see practice().
    // invite_partner, revoke_partner_invitation, set_case_status, my_couples
    let expected: [(u16, u16, u16, u16); 7] = [
        (401, 401, 401, 401),
        (404, 404, 404, 200),
        (404, 404, 404, 200),
        (404, 404, 404, 200),
        (409, 409, 200, 403),
        (404, 404, 404, 403),
        (404, 404, 404, 403),
    ];
    for ((actor, email), (invite_s, revoke_s, status_s, mine_s)) in ACTORS.into_iter().zip(expected)
    {
        let mut b = as_actor(&app, email).await;
        // Both partners of this couple already joined, so even the counselor gets a 409.
        let res = b
            .call(
                "/api/invite_partner",
                &[("couple_id", id), ("position", "1")],
            )
            .await;
        assert_eq!(res.status, invite_s, "{actor}: invite_partner {}", res.body);
        let res = b
            .call(
                "/api/revoke_partner_invitation",
                &[("couple_id", id), ("position", "1")],
            )
            .await;
        assert_eq!(res.status, revoke_s, "{actor}: revoke_partner_invitation");
        let to = if status_s == 200 { "active" } else { "closed" };
        let res = b
            .call("/api/set_case_status", &[("couple_id", id), ("status", to)])
            .await;
        assert_eq!(res.status, status_s, "{actor}: set_case_status");
        let res = b.call("/api/my_couples", &[]).await;
        assert_eq!(res.status, mine_s, "{actor}: my_couples");
        if mine_s == 200 {
            // A partner sees exactly their own couple.
            let theirs = actor != "partner of another couple";
            assert_eq!(
                res.body.contains(id),
                theirs,
                "{actor}: my_couples is their own"
            );
            assert_eq!(
                res.body.contains(&p.other_couple),
                !theirs,
                "{actor}: never another couple"
            );
        }
    }
    let status: String = sqlx::query_scalar("select status from couple where couple_id = $1")
        .bind(id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "active", "only the assigned counselor changed it");

    // The public pieces: a token opens nothing but its own invitation.
    let mut anon = app.browser();
    let res = anon
        .call("/api/get_invitation", &[("token", "guess")])
        .await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("Unknown"));
    let res = anon
        .call(
            "/api/accept_invitation",
            &[
                ("token", "guess"),
                ("display_name", "X"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, 409);
}
