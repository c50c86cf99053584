//! Asking for a reset link by email, and the forgot page when email is off.

use super::*;
use crate::both_engines;
use crate::practice::{as_actor, practice};

both_engines!(
    asking_for_a_link_answers_the_same_and_mails_only_accounts,
    without_email_the_forgot_page_says_whom_to_ask,
    a_link_used_or_expired_before_its_email_goes_is_never_sent,
);

async fn asking_for_a_link_answers_the_same_and_mails_only_accounts(engine: Engine) {
    let smtp = SmtpServer::start().await;
    let app = app_with_mail(engine, &smtp).await;
    let _p = practice(&app).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let mut anon = app.browser();
    anon.forwarded_for = Some("10.1.1.1".into());
    let login = anon.get("/login").await;
    assert!(
        login.body.contains("href=\"/forgot\""),
        "the sign-in page links to it"
    );

    let known = ask(&mut anon, "Jordan@Example.org").await;
    let unknown = ask(&mut anon, "nobody@example.org").await;
    assert_eq!(known.status, unknown.status);
    assert_eq!(known.location, unknown.location);
    assert_eq!(known.location.as_deref(), Some("/forgot?sent=1"));
    let page_known = anon.get(known.location.as_deref().unwrap()).await;
    assert!(page_known.body.contains("If an account uses that address"));
    // The same answer to a script as to a browser.
    let a = anon
        .call("/api/forgot_password", &[("email", "casey@example.org")])
        .await;
    let b = anon
        .call("/api/forgot_password", &[("email", "nobody2@example.org")])
        .await;
    assert_eq!((a.status, &a.body), (b.status, &b.body));

    send_mail(&app).await;
    let mails = smtp.messages();
    assert_eq!(
        mails.len(),
        2,
        "one to Jordan, one to Casey, none to unknown addresses"
    );
    assert_eq!(smtp.to("nobody@example.org").len(), 0);
    let mail = smtp.to("jordan@example.org").pop().expect("Jordan's link");
    assert_eq!(mail.subject, "Reset your Trellis password");
    for clinical in ["Affair", "Jordan & Casey", "homework", "counsel", "Robin"] {
        assert!(
            !mail.body.contains(clinical),
            "no {clinical} in {}",
            mail.body
        );
    }
    let link = mail
        .body
        .split_whitespace()
        .find(|w| w.contains("/reset/"))
        .expect("the link")
        .to_string();
    let token = link.rsplit('/').next().unwrap().to_string();

    // Only the hash is stored; the email's text is erased once sent.
    let hash = app::crypto::token::keyed_hash(&app.state.auth.session_key, &token);
    assert_eq!(
        count(
            &app,
            "select count(*) from password_reset where token_hash = $1",
            &hash
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from password_reset where token_hash = $1 or password_reset_id = $1",
            &token
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from email_outbox where body like '%' || $1 || '%'",
            &token
        )
        .await,
        0
    );

    // The link from the email works, and ends Jordan's session elsewhere.
    let mut anon2 = app.browser();
    let res = use_link(&mut anon2, &link, NEW).await;
    assert_eq!(
        res.location.as_deref(),
        Some("/login?reset=1"),
        "{}",
        res.body
    );
    assert!(!signed_in(&mut jordan).await);
    assert!(can_sign_in(&app, "jordan@example.org", NEW).await);

    // Asking again and again for one address is paused, known or not.
    let mut last = 0;
    for _ in 0..4 {
        last = anon
            .call("/api/forgot_password", &[("email", "nobody@example.org")])
            .await
            .status;
    }
    assert_eq!(last, 429);
    // And so is one client asking for address after address.
    let mut statuses = Vec::new();
    for i in 0..6 {
        let email = format!("someone-{i}@example.org");
        let res = anon
            .call("/api/forgot_password", &[("email", &email)])
            .await;
        statuses.push(res.status);
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    let mut elsewhere = app.browser();
    elsewhere.forwarded_for = Some("10.2.2.2".into());
    let res = elsewhere
        .call(
            "/api/forgot_password",
            &[("email", "someone-9@example.org")],
        )
        .await;
    assert_eq!(
        res.status, 200,
        "another client is not paused: {}",
        res.body
    );
    let actions = app.audit_actions().await;
    assert!(
        actions
            .iter()
            .filter(|a| *a == "password_reset_asked")
            .count()
            >= 4
    );
    assert!(actions.contains(&"password_reset_used".to_string()));
}

async fn without_email_the_forgot_page_says_whom_to_ask(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let _p = practice(&app).await;
    let mut anon = app.browser();
    let page = anon.get("/forgot").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Ask your counselor"), "{}", page.body);
    assert!(!page.body.contains("Send me a link"));
    let res = anon
        .call("/api/forgot_password", &[("email", "jordan@example.org")])
        .await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert_eq!(resets(&app).await, 0);
}

async fn a_link_used_or_expired_before_its_email_goes_is_never_sent(engine: Engine) {
    let smtp = SmtpServer::start().await;
    let app = app_with_mail(engine, &smtp).await;
    let _p = practice(&app).await;
    let mut anon = app.browser();
    for email in ["jordan@example.org", "casey@example.org", "pat@example.org"] {
        let res = anon.call("/api/forgot_password", &[("email", email)]).await;
        assert_eq!(res.status, 200, "{}", res.body);
    }
    // Before the background task sends them: Jordan's link is used (say, a link their
    // counselor made closed it), Casey's expires.
    for (email, column) in [
        ("jordan@example.org", "used_at = 1"),
        ("casey@example.org", "expires_at = 1"),
    ] {
        sqlx::query(&format!(
            "update password_reset set {column} where app_user_id = \
             (select app_user_id from app_user where email = $1)"
        ))
        .bind(email)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    }
    send_mail(&app).await;
    let mails = smtp.messages();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(smtp.to("pat@example.org").len(), 1, "{mails:?}");
}
