//! A small practice for access tests: two counselors with a couple each, the partners of
//! both couples with accounts, and an administrator. Every actor of the access tables.

use crate::actions::{Partner, open_case};
use crate::helpers::{Browser, PASSWORD, TestApp};
use app::auth::Role;

pub const NEW_COUPLE: [(&str, &str); 9] = [
    ("couple[case_name]", "Jordan & Casey"),
    ("couple[partner1_name]", "Jordan Lee"),
    ("couple[partner1_email]", "jordan@example.org"),
    ("couple[partner1_role]", "broke_trust"),
    ("couple[partner2_name]", "Casey Lee"),
    ("couple[partner2_email]", "casey@example.org"),
    ("couple[partner2_role]", "hurt"),
    ("couple[rupture_date]", "2026-05-01"),
    ("couple[presenting_concerns]", "Affair disclosed in May."),
];

pub const OTHER_COUPLE: [(&str, &str); 5] = [
    ("couple[case_name]", "Pat & Kim"),
    ("couple[partner1_name]", "Pat"),
    ("couple[partner1_email]", "pat@example.org"),
    ("couple[partner2_name]", "Kim"),
    ("couple[partner2_email]", "kim@example.org"),
];

/// Signs in a new counselor.
pub async fn counselor(app: &TestApp, email: &str) -> Browser {
    app.create_user(Role::Counselor, "Robin Hale", email).await;
    let mut b = app.browser();
    b.sign_in(email, PASSWORD).await;
    b
}

pub struct Practice {
    /// Robin's couple (Jordan & Casey) and Dana's (Pat & Kim).
    pub couple: String,
    pub other_couple: String,
    pub robin: Browser,
}

/// The seven actors of every access table, by the email they sign in with.
pub const ACTORS: [(&str, Option<&str>); 7] = [
    ("anonymous", None),
    ("partner A", Some("jordan@example.org")),
    ("partner B", Some("casey@example.org")),
    ("partner of another couple", Some("pat@example.org")),
    ("assigned counselor", Some("robin@example.org")),
    ("another counselor", Some("dana@example.org")),
    ("admin", Some("admin@example.org")),
];

/// Robin and Dana open their cases through the form; the partners' accounts are made and
/// bound to their couples directly (see `bind_partner`); and an administrator.
pub async fn practice(app: &TestApp) -> Practice {
    let mut robin = counselor(app, "robin@example.org").await;
    let couple = open_case(&mut robin, &NEW_COUPLE).await;
    let other_couple = {
        let mut dana = counselor(app, "dana@example.org").await;
        open_case(&mut dana, &OTHER_COUPLE).await
    };
    for (email, couple, partner) in [
        ("jordan@example.org", &couple, Partner::First),
        ("casey@example.org", &couple, Partner::Second),
        ("pat@example.org", &other_couple, Partner::First),
    ] {
        let user = app.create_user(Role::Partner, email, email).await;
        bind_partner(app, couple, partner, &user).await;
    }
    app.create_user(Role::Admin, "Morgan", "admin@example.org")
        .await;
    Practice {
        couple,
        other_couple,
        robin,
    }
}

/// Makes `user_id` the account of that partner of the couple, as accepting an invitation
/// does, without the journey itself: an invitation, its email, the counselor reading the
/// link on the case page. That journey would change the state every access test starts
/// from (the audit trail, the outbox); it is tested on its own (`invitations.rs`,
/// `actions::invite_partner` and `actions::join`).
async fn bind_partner(app: &TestApp, couple: &str, partner: Partner, user_id: &str) {
    let bound =
        sqlx::query("update partner set app_user_id = $1 where couple_id = $2 and position = $3")
            .bind(user_id)
            .bind(couple)
            .bind(partner.position())
            .execute(app.state.db.writer())
            .await
            .unwrap();
    assert_eq!(bound.rows_affected(), 1, "{couple} has that partner");
}

/// One person signed in `tabs` times (each tab its own session) doing `send` in every tab
/// at the same moment: a double tap, or the same form sent from several tabs. The answers
/// come back in tab order.
pub async fn all_at_once<F, Fut>(
    app: &TestApp,
    email: &str,
    tabs: usize,
    send: F,
) -> Vec<crate::helpers::Page>
where
    F: Fn(usize, Browser) -> Fut,
    Fut: std::future::Future<Output = crate::helpers::Page> + Send + 'static,
{
    let mut signed_in = Vec::new();
    for _ in 0..tabs {
        signed_in.push(as_actor(app, Some(email)).await);
    }
    let sends: Vec<_> = signed_in
        .into_iter()
        .enumerate()
        .map(|(n, tab)| tokio::spawn(send(n, tab)))
        .collect();
    let mut answers = Vec::new();
    for sent in sends {
        answers.push(sent.await.unwrap());
    }
    answers
}

/// A browser signed in as the actor (or not signed in at all).
pub async fn as_actor(app: &TestApp, email: Option<&str>) -> Browser {
    let mut b = app.browser();
    if let Some(email) = email {
        b.sign_in(email, PASSWORD).await;
    }
    b
}
