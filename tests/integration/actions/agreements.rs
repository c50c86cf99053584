//! Relationship agreements: the counselor writes and rewords them, a partner proposes one.

use super::lands_on;
use crate::helpers::{Browser, Page, TestApp};

/// The agreement form on the case page: a new agreement, or a new wording of `agreement`.
/// Returns the response to the form post.
pub async fn write_agreement(
    b: &mut Browser,
    couple: &str,
    body: &str,
    agreement: Option<&str>,
) -> Page {
    b.submit(
        &format!("/cases/{couple}/agreements"),
        "/api/write_agreement",
        &[
            ("couple_id", couple),
            ("body", body),
            ("agreement_id", agreement.unwrap_or("")),
        ],
    )
    .await
}

/// The counselor writes a new agreement worded `body` on the case page; returns its id.
pub async fn new_agreement(app: &TestApp, b: &mut Browser, couple: &str, body: &str) -> String {
    let res = write_agreement(b, couple, body, None).await;
    lands_on(
        &res,
        &format!("/cases/{couple}/agreements?agreement=saved#agreements"),
    );
    sqlx::query_scalar(
        "select a.agreement_id from agreement a join agreement_version v \
         on v.agreement_id = a.agreement_id where a.couple_id = $1 and v.body = $2",
    )
    .bind(couple)
    .bind(body)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap()
}

/// A partner proposes an agreement worded `body` (or a new wording of `agreement`) on their
/// agreements page; returns the id of the proposed wording, which waits for the counselor.
pub async fn propose_agreement(
    app: &TestApp,
    b: &mut Browser,
    body: &str,
    agreement: Option<&str>,
) -> String {
    let mut form = vec![("body", body)];
    if let Some(agreement) = agreement {
        form.push(("agreement_id", agreement));
    }
    let res = b
        .submit("/agreements", "/api/propose_agreement", &form)
        .await;
    lands_on(&res, "/agreements?proposed=1#proposals");
    sqlx::query_scalar(
        "select agreement_version_id from agreement_version where body = $1 \
         and approved_at is null and declined_at is null order by written_at desc limit 1",
    )
    .bind(body)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap()
}
