//! Administration: counselor invitations, deactivating and reactivating accounts,
//! reassigning couples, the retention setting and the audit log viewer, with the access
//! table for each server function and page, on both engines.

use crate::actions::{accept_invitation, links_on, path_of};
use crate::both_engines;
use crate::helpers::{Browser, Engine, PASSWORD, TestApp};
use crate::practice::{ACTORS, as_actor, practice};
use app::auth::Role;

both_engines!(
    an_administrator_invites_a_counselor_who_joins,
    deactivating_ends_every_session_and_reactivating_restores_access,
    reassigning_moves_a_couple_between_caseloads,
    the_audit_log_filters_by_person_case_and_date,
    retention_setting_is_checked_and_applied,
    administration_obeys_the_access_table,
);

async fn admin(app: &TestApp) -> Browser {
    app.create_user(Role::Admin, "Morgan Ellis", "morgan@example.org")
        .await;
    as_actor(app, Some("morgan@example.org")).await
}

async fn an_administrator_invites_a_counselor_who_joins(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut morgan = admin(&app).await;
    let res = morgan
        .submit(
            "/",
            "/api/invite_counselor",
            &[("display_name", "Dana Cruz"), ("email", "Dana@Example.org")],
        )
        .await;
    assert_eq!(res.status, 302);
    let (_, home) = morgan.visit("/").await;
    assert!(home.body.contains("Invitation link for Dana Cruz"));
    let link = links_on(&home.body).pop().expect("the link is shown");
    // An email that already has an account is refused with a clear message.
    let dup = morgan
        .submit(
            "/",
            "/api/invite_counselor",
            &[("display_name", "Morgan"), ("email", "morgan@example.org")],
        )
        .await;
    let page = morgan.get(&dup.location.unwrap()).await;
    assert!(page.body.contains("already exists"));

    let mut dana = app.browser();
    let (_, invitation) = dana.visit(&path_of(&link)).await;
    assert!(invitation.body.contains("as a counselor"));
    let res = accept_invitation(&mut dana, &link, "Dana Cruz", PASSWORD, PASSWORD).await;
    assert_eq!(res.location.as_deref(), Some("/?welcome=1"));
    let (_, home) = dana.visit("/").await;
    assert!(home.body.contains("Your caseload"), "a counselor's home");
    let (_, admin_home) = morgan.visit("/").await;
    assert!(admin_home.body.contains("dana@example.org"));
    assert!(!admin_home.body.contains("Invitations not yet accepted"));
}

async fn deactivating_ends_every_session_and_reactivating_restores_access(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut morgan = admin(&app).await;
    let robin_id = app
        .create_user(Role::Counselor, "Robin Hale", "robin@example.org")
        .await;
    let mut robin = as_actor(&app, Some("robin@example.org")).await;
    let mut robin_phone = as_actor(&app, Some("robin@example.org")).await;
    assert_eq!(robin.get("/").await.status, 200);
    // A note Robin sent after a sign-in lapsed waits, sealed, for Robin's next sign-in.
    let now = app::db::now_ms();
    sqlx::query(
        "insert into held_form (held_form_id, token_hash, app_user_id, endpoint, sealed, \
         created_at, expires_at) values ('kept-1', 'hash', $1, '/api/save_note', 'sealed', $2, $3)",
    )
    .bind(&robin_id)
    .bind(now)
    .bind(now + 3_600_000)
    .execute(app.state.db.writer())
    .await
    .unwrap();

    let res = morgan
        .submit(
            "/",
            "/api/set_account_active",
            &[("user_id", robin_id.as_str()), ("active", "false")],
        )
        .await;
    assert_eq!(res.status, 302);
    // Nobody will sign in to send it now: it goes with the sessions.
    let kept: i64 = sqlx::query_scalar("select count(*) from held_form where app_user_id = $1")
        .bind(&robin_id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(kept, 0, "a deactivated account's kept forms are dropped");
    for b in [&mut robin, &mut robin_phone] {
        let page = b.get("/").await;
        assert_eq!(
            page.location.as_deref(),
            Some("/login"),
            "signed out everywhere"
        );
    }
    let refused = robin.sign_in("robin@example.org", PASSWORD).await;
    let page = robin.get(&refused.location.unwrap()).await;
    assert!(page.body.contains("deactivated"));
    let (_, list) = morgan.visit("/").await;
    assert!(list.body.contains("Reactivate Robin Hale"));

    morgan
        .submit(
            "/",
            "/api/set_account_active",
            &[("user_id", robin_id.as_str()), ("active", "true")],
        )
        .await;
    let ok = robin.sign_in("robin@example.org", PASSWORD).await;
    assert_eq!(ok.location.as_deref(), Some("/"));

    // Nobody deactivates themselves (a practice always keeps a way in).
    let me = app.user_id("morgan@example.org").await;
    let res = morgan
        .call(
            "/api/set_account_active",
            &[("user_id", me.as_str()), ("active", "false")],
        )
        .await;
    assert_eq!(res.status, 409);
    let actions = app.audit_actions().await;
    assert!(actions.contains(&"account_deactivated".into()));
    assert!(actions.contains(&"account_reactivated".into()));
}

async fn reassigning_moves_a_couple_between_caseloads(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let mut morgan = as_actor(&app, Some("admin@example.org")).await;
    let dana_id = app.user_id("dana@example.org").await;
    // Jordan writes to Robin, who reads it: nothing unread on Robin's caseload.
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    crate::messages::write(&mut jordan, "/messages", &[("body", "Before the move")]).await;
    p.robin
        .visit(&format!("/cases/{}/messages/1", p.couple))
        .await;
    let (_, home) = p.robin.visit("/").await;
    assert!(!home.body.contains("unread message"), "{}", home.body);
    let (_, couples) = morgan.visit("/admin/couples").await;
    assert!(couples.body.contains("Jordan &amp; Casey"));
    assert!(couples.body.contains("Pat &amp; Kim"));
    assert!(
        !couples.body.contains("Affair disclosed"),
        "no clinical content"
    );
    let res = morgan
        .submit(
            "/admin/couples",
            "/api/reassign_couple",
            &[
                ("couple_id", p.couple.as_str()),
                ("counselor_id", dana_id.as_str()),
            ],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/admin/couples?reassigned=1"));
    assert_eq!(
        p.robin.get(&format!("/cases/{}", p.couple)).await.status,
        404
    );
    let mut dana = as_actor(&app, Some("dana@example.org")).await;
    // Robin read Jordan's message; Dana has not, so her caseload counts it.
    let (_, home) = dana.visit("/").await;
    assert!(home.body.contains("1 unread message"), "{}", home.body);
    assert_eq!(app.assert_caseload_counts_current().await, 1);
    let (_, page) = dana.visit(&format!("/cases/{}/partners", p.couple)).await;
    assert!(page.body.contains("Affair disclosed"));
    let (_, page) = dana.visit(&format!("/cases/{}/timeline", p.couple)).await;
    assert!(page.body.contains("Case reassigned to another counselor"));
    // Only to an active counselor.
    let jordan = app.user_id("jordan@example.org").await;
    let res = morgan
        .call(
            "/api/reassign_couple",
            &[
                ("couple_id", p.couple.as_str()),
                ("counselor_id", jordan.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
}

async fn the_audit_log_filters_by_person_case_and_date(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    p.robin.visit(&format!("/cases/{}", p.couple)).await;
    let mut morgan = as_actor(&app, Some("admin@example.org")).await;
    let (_, all) = morgan.visit("/admin/audit").await;
    assert!(all.body.contains("Case page viewed"));
    assert!(all.body.contains("Case opened"));
    assert!(all.body.contains("127.0.0.1"), "the address is shown");

    let robin_id = app.user_id("robin@example.org").await;
    let (_, by_case) = morgan
        .visit(&format!(
            "/admin/audit?person=&couple={}&from=&to=",
            p.other_couple
        ))
        .await;
    assert!(by_case.body.contains("Case opened"));
    assert!(
        !by_case.body.contains("Case page viewed"),
        "Robin read a different case"
    );
    let (_, by_person) = morgan
        .visit(&format!("/admin/audit?person={robin_id}&couple=&from=&to="))
        .await;
    assert!(by_person.body.contains("Case page viewed"));
    assert!(
        !by_person.body.contains("Pat &amp; Kim</td>"),
        "Dana's case is not Robin's doing"
    );
    let today = chrono::Utc::now().date_naive();
    let (_, today_only) = morgan
        .visit(&format!(
            "/admin/audit?person=&couple=&from={today}&to={today}"
        ))
        .await;
    assert!(today_only.body.contains("Case page viewed"));
    let yesterday = today.pred_opt().unwrap();
    let (_, before) = morgan
        .visit(&format!(
            "/admin/audit?person=&couple=&from=&to={yesterday}"
        ))
        .await;
    assert!(before.body.contains("No events match"));
    let (_, bad) = morgan
        .visit("/admin/audit?person=&couple=&from=last+week&to=")
        .await;
    assert!(bad.body.contains("YYYY-MM-DD"));
}

async fn retention_setting_is_checked_and_applied(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let mut morgan = as_actor(&app, Some("admin@example.org")).await;
    let (_, home) = morgan.visit("/").await;
    assert!(home.body.contains("value=\"7\""), "seven years by default");
    for bad in ["0", "ten", "101"] {
        let res = morgan
            .submit("/", "/api/set_retention_years", &[("retention_years", bad)])
            .await;
        let page = morgan.get(&res.location.unwrap()).await;
        assert!(page.body.contains("between 1 and 100"), "{bad} refused");
    }
    let res = morgan
        .submit(
            "/",
            "/api/set_retention_years",
            &[("retention_years", "10")],
        )
        .await;
    let (_, saved) = morgan.visit(&res.location.unwrap()).await;
    assert!(saved.body.contains("Settings saved"));
    assert!(saved.body.contains("value=\"10\""));
    p.robin
        .call(
            "/api/set_case_status",
            &[("couple_id", p.couple.as_str()), ("status", "closed")],
        )
        .await;
    let (_, page) = p.robin.visit(&format!("/cases/{}", p.couple)).await;
    let kept = (chrono::Utc::now().date_naive() + chrono::Months::new(120))
        .format("%-d %B %Y")
        .to_string();
    assert!(page.body.contains(&kept), "kept ten years: {kept}");
}

async fn administration_obeys_the_access_table(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let p = practice(&app).await;
    let robin_id = app.user_id("robin@example.org").await;
    let dana_id = app.user_id("dana@example.org").await;
    let calls: [(&str, Vec<(&str, &str)>); 10] = [
        ("/api/list_accounts", vec![]),
        ("/api/list_counselor_invitations", vec![]),
        (
            "/api/invite_counselor",
            vec![("display_name", "Lee"), ("email", "lee@example.org")],
        ),
        (
            "/api/revoke_counselor_invitation",
            vec![("invitation_id", "none")],
        ),
        (
            "/api/set_account_active",
            vec![("user_id", robin_id.as_str()), ("active", "true")],
        ),
        ("/api/list_couples", vec![("page", "1")]),
        (
            "/api/reassign_couple",
            vec![
                ("couple_id", p.couple.as_str()),
                ("counselor_id", dana_id.as_str()),
            ],
        ),
        (
            "/api/audit_log",
            vec![
                ("person", ""),
                ("couple", ""),
                ("from", ""),
                ("to", ""),
                ("page", "1"),
            ],
        ),
        ("/api/get_practice_settings", vec![]),
        ("/api/set_retention_years", vec![("retention_years", "7")]),
    ];
    for (actor, email) in ACTORS {
        let mut b = as_actor(&app, email).await;
        for (path, form) in &calls {
            let res = b.call(path, form).await;
            let expected = match actor {
                "anonymous" => 401,
                "admin" => 0,
                _ => 403,
            };
            if expected == 0 {
                assert!(
                    matches!(res.status, 200 | 409),
                    "admin: {path} gave {} {}",
                    res.status,
                    res.body
                );
            } else {
                assert_eq!(res.status, expected, "{actor}: {path}");
                assert!(
                    !res.body.contains("Jordan"),
                    "{actor}: {path} leaks nothing"
                );
            }
        }
        let new_case = b.get("/cases/new").await;
        let expected = match actor {
            "anonymous" => 303,
            a if a.contains("counselor") => 200,
            _ => 404,
        };
        assert_eq!(new_case.status, expected, "{actor}: /cases/new");
        for page in ["/admin/couples", "/admin/audit"] {
            let res = b.get(page).await;
            let expected = match actor {
                "anonymous" => 303,
                "admin" => 200,
                _ => 404,
            };
            assert_eq!(res.status, expected, "{actor}: {page}");
            assert_eq!(
                res.body.contains("Jordan &amp; Casey"),
                actor == "admin",
                "{actor}: {page} content"
            );
        }
    }
    // The admin's calls above really ran: Lee was invited and the couple moved to Dana.
    let moved: String = sqlx::query_scalar("select counselor_id from couple where couple_id = $1")
        .bind(&p.couple)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(moved, dana_id);
}
