//! Relationship agreements: the counselor writes and rewords them, a partner proposes and the
//! counselor decides; both partners acknowledge every wording; check-ins ask how each active
//! agreement was kept, and the counselor sees the follow-through. A partner's proposal and a
//! partner's answers never reach the other partner. How check-ins record keeping them:
//! `agreement_keeping.rs`.

use crate::actions::{new_agreement, propose_agreement, write_agreement};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::practice::{ACTORS, all_at_once, as_actor, practice};

both_engines!(
    an_agreement_is_acknowledged_by_both_and_again_after_a_change,
    a_proposal_stays_with_the_counselor_until_approved,
    agreements_obey_the_access_table,
    changes_made_at_the_same_moment_each_get_a_version,
);

async fn scalar(app: &TestApp, sql: &str) -> String {
    sqlx::query_scalar(sql)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

pub(crate) async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

/// The current wording's version id of the agreement whose wording contains `marker`.
async fn version_of(app: &TestApp, marker: &str) -> String {
    sqlx::query_scalar(
        "select agreement_version_id from agreement_version where body like $1 \
         and approved_at is not null order by version desc limit 1",
    )
    .bind(format!("%{marker}%"))
    .fetch_one(app.state.db.pool())
    .await
    .unwrap()
}

async fn an_agreement_is_acknowledged_by_both_and_again_after_a_change(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    // Bad wording is explained and nothing is written.
    let empty = p
        .robin
        .call(
            "/api/write_agreement",
            &[("couple_id", couple.as_str()), ("body", "   ")],
        )
        .await;
    assert_eq!(empty.status, 422);
    assert!(
        empty
            .body
            .contains("Write the agreement in 1 to 1000 characters")
    );
    let long = "x".repeat(1001);
    let res = p
        .robin
        .call(
            "/api/write_agreement",
            &[("couple_id", couple.as_str()), ("body", long.as_str())],
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(count(&app, "select count(*) from agreement").await, 0);

    let agreement = new_agreement(
        &app,
        &mut p.robin,
        &couple,
        "AGREE-1 We talk every Sunday evening.",
    )
    .await;
    let (_, page) = p.robin.visit(&format!("/cases/{couple}/agreements")).await;
    assert!(page.body.contains("AGREE-1 We talk every Sunday evening."));
    assert!(
        page.body
            .contains("Jordan Lee has not acknowledged this wording yet.")
    );
    assert!(
        page.body
            .contains("Casey Lee has not acknowledged this wording yet.")
    );

    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let (_, home) = jordan.visit("/").await;
    assert!(
        home.body
            .contains("1 agreement is waiting for your acknowledgement.")
    );
    // The home counts; the wording is on the agreements page.
    assert!(!home.body.contains("AGREE-1"));
    let (_, mine) = jordan.visit("/agreements").await;
    assert!(mine.body.contains("AGREE-1 We talk every Sunday evening."));
    assert!(mine.body.contains("I acknowledge this agreement"));
    let v1 = version_of(&app, "AGREE-1").await;
    let res = jordan
        .submit(
            "/agreements",
            "/api/acknowledge_agreement",
            &[("version_id", v1.as_str())],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/agreements?acknowledged=1"));
    // Acknowledging twice changes nothing.
    let again = jordan
        .call("/api/acknowledge_agreement", &[("version_id", v1.as_str())])
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(count(&app, "select count(*) from agreement_ack").await, 1);
    let (_, home) = jordan.visit("/").await;
    assert!(
        home.body.contains("You have acknowledged your agreement."),
        "{}",
        home.body
    );
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let (_, casey_page) = casey.visit("/agreements").await;
    assert!(
        casey_page
            .body
            .contains("Jordan Lee acknowledged this wording on")
    );
    casey
        .call("/api/acknowledge_agreement", &[("version_id", v1.as_str())])
        .await;
    let (_, page) = p.robin.visit(&format!("/cases/{couple}/agreements")).await;
    assert!(
        page.body
            .contains("Jordan Lee acknowledged this wording on")
    );
    assert!(page.body.contains("Casey Lee acknowledged this wording on"));

    // A new wording is a new version both acknowledge again; the old one stays readable.
    let res = write_agreement(
        &mut p.robin,
        &couple,
        "AGREE-1b We talk every Sunday evening for half an hour.",
        Some(&agreement),
    )
    .await;
    assert!(res.location.is_some_and(|l| l.contains("agreement=saved")));
    let (_, mine) = jordan.visit("/agreements").await;
    assert!(
        mine.body
            .contains("AGREE-1b We talk every Sunday evening for half an hour.")
    );
    assert!(mine.body.contains("This agreement was reworded."));
    let (_, home) = jordan.visit("/").await;
    assert!(
        home.body
            .contains("1 agreement is waiting for your acknowledgement."),
        "a new wording waits again"
    );
    assert!(mine.body.contains("Version 2"));
    assert!(mine.body.contains("Earlier wording (1)"));
    assert!(
        mine.body
            .contains("Casey Lee has not acknowledged this wording yet.")
    );
    let stale = jordan
        .call("/api/acknowledge_agreement", &[("version_id", v1.as_str())])
        .await;
    assert_eq!(
        stale.status, 409,
        "the old wording can no longer be acknowledged"
    );
    assert!(stale.body.contains("changed or ended"));
    let v2 = version_of(&app, "AGREE-1b").await;
    let ok = jordan
        .call("/api/acknowledge_agreement", &[("version_id", v2.as_str())])
        .await;
    assert_eq!(ok.status, 200);
    let actions = app.audit_actions().await;
    for action in ["agreement_written", "agreement_changed"] {
        assert_eq!(
            actions.iter().filter(|a| *a == action).count(),
            1,
            "{action}"
        );
    }
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "agreement_acknowledged")
            .count(),
        3
    );
    // The case timeline tells the story in words.
    let (_, page) = p.robin.visit(&format!("/cases/{couple}/timeline")).await;
    assert!(
        page.body
            .contains("Agreement reworded (both partners acknowledge it again)")
    );
    assert!(page.body.contains("Agreement acknowledged by Jordan Lee"));
}

async fn a_proposal_stays_with_the_counselor_until_approved(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let first = propose_agreement(
        &app,
        &mut casey,
        "CASEY-PROPOSAL-1 No phones at dinner.",
        None,
    )
    .await;
    let (_, casey_page) = casey.visit("/agreements").await;
    assert!(casey_page.body.contains("CASEY-PROPOSAL-1"));
    assert!(casey_page.body.contains("waiting for your counselor"));
    // The other partner sees nothing of it: not on any page, not through the API, not in
    // their own data export.
    for path in ["/agreements", "/", "/check-in", "/export/my-data.json"] {
        let page = jordan.get(path).await;
        assert!(!page.body.contains("CASEY-PROPOSAL"), "{path}");
    }
    let api = jordan.call("/api/my_agreements", &[]).await;
    assert!(!api.body.contains("CASEY-PROPOSAL"));
    let (_, page) = p.robin.visit(&format!("/cases/{couple}/agreements")).await;
    assert!(page.body.contains("Casey Lee proposes a new agreement"));
    assert!(page.body.contains("CASEY-PROPOSAL-1 No phones at dinner."));

    // Declined with a reason Casey reads (and Jordan never does).
    let res = p
        .robin
        .submit(
            &format!("/cases/{couple}/agreements"),
            "/api/decide_agreement",
            &[
                ("version_id", first.as_str()),
                ("decision", "decline"),
                (
                    "reason",
                    "DECLINE-REASON let us talk about dinners in session first",
                ),
            ],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/cases/{couple}/agreements?agreement=decided#agreements").as_str())
    );
    let (_, casey_page) = casey.visit("/agreements").await;
    assert!(
        casey_page
            .body
            .contains("did not take it up: DECLINE-REASON")
    );
    let (_, jordan_page) = jordan.visit("/agreements").await;
    assert!(!jordan_page.body.contains("DECLINE-REASON"));
    let twice = p
        .robin
        .call(
            "/api/decide_agreement",
            &[("version_id", first.as_str()), ("decision", "approve")],
        )
        .await;
    assert_eq!(twice.status, 409);

    // Approved: now both see it, and both are asked to acknowledge it.
    let second = propose_agreement(
        &app,
        &mut casey,
        "CASEY-PROPOSAL-2 We say goodnight even after a hard day.",
        None,
    )
    .await;
    let ok = p
        .robin
        .call(
            "/api/decide_agreement",
            &[("version_id", second.as_str()), ("decision", "approve")],
        )
        .await;
    assert_eq!(ok.status, 200);
    let (_, jordan_page) = jordan.visit("/agreements").await;
    assert!(
        jordan_page
            .body
            .contains("CASEY-PROPOSAL-2 We say goodnight")
    );
    assert!(jordan_page.body.contains("I acknowledge this agreement"));
    assert!(!jordan_page.body.contains("CASEY-PROPOSAL-1"));

    // Jordan suggests a new wording; approving it makes version 2.
    let agreement = scalar(
        &app,
        "select agreement_id from agreement_version where version = 1",
    )
    .await;
    let change = propose_agreement(
        &app,
        &mut jordan,
        "JORDAN-CHANGE We say goodnight and one kind thing.",
        Some(&agreement),
    )
    .await;
    let (_, page) = p.robin.visit(&format!("/cases/{couple}/agreements")).await;
    assert!(page.body.contains("Jordan Lee proposes a new wording"));
    p.robin
        .call(
            "/api/decide_agreement",
            &[("version_id", change.as_str()), ("decision", "approve")],
        )
        .await;
    let (_, casey_page) = casey.visit("/agreements").await;
    assert!(
        casey_page
            .body
            .contains("JORDAN-CHANGE We say goodnight and one kind thing.")
    );
    assert!(casey_page.body.contains("Version 2"));
    // A proposal for an agreement of another couple, or a bad decision, is refused.
    let bogus = jordan
        .call(
            "/api/propose_agreement",
            &[("body", "x"), ("agreement_id", "no-such-agreement")],
        )
        .await;
    assert_eq!(bogus.status, 404);
    let bad = p
        .robin
        .call(
            "/api/decide_agreement",
            &[("version_id", change.as_str()), ("decision", "maybe")],
        )
        .await;
    assert_eq!(bad.status, 400);
}

async fn agreements_obey_the_access_table(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let agreement = new_agreement(&app, &mut p.robin, &couple, "ACCESS-AGREEMENT").await;
    let version = version_of(&app, "ACCESS-AGREEMENT").await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    for (actor, email) in ACTORS {
        // A fresh proposal for each actor to decide on.
        let pending = propose_agreement(&app, &mut jordan, "ACCESS-PROPOSAL", None).await;
        let mut b = as_actor(&app, email).await;
        let mine = b.call("/api/my_agreements", &[]).await;
        let got = [
            mine.status,
            b.call(
                "/api/write_agreement",
                &[("couple_id", couple.as_str()), ("body", "ACCESS-WRITE")],
            )
            .await
            .status,
            b.call("/api/propose_agreement", &[("body", "ACCESS-OWN-PROPOSAL")])
                .await
                .status,
            b.call(
                "/api/decide_agreement",
                &[("version_id", pending.as_str()), ("decision", "decline")],
            )
            .await
            .status,
            b.call(
                "/api/acknowledge_agreement",
                &[("version_id", version.as_str())],
            )
            .await
            .status,
        ];
        let want = match actor {
            "anonymous" => [401, 401, 401, 401, 401],
            "partner A" | "partner B" => [200, 404, 200, 404, 200],
            "partner of another couple" => [200, 404, 200, 404, 404],
            "assigned counselor" => [403, 200, 403, 200, 403],
            _ => [403, 404, 403, 404, 403],
        };
        assert_eq!(
            got, want,
            "{actor}: mine, write, propose, decide, acknowledge"
        );
        // The page of a partner holds their own couple's agreements only.
        assert_eq!(
            mine.body.contains("ACCESS-AGREEMENT"),
            actor == "partner A" || actor == "partner B",
            "{actor}"
        );
        assert!(
            !mine.body.contains("ACCESS-PROPOSAL") || actor == "partner A",
            "{actor}"
        );
        let case_page = b.get(&format!("/cases/{couple}/agreements")).await;
        assert_eq!(
            case_page.body.contains("ACCESS-AGREEMENT"),
            actor == "assigned counselor",
            "{actor}: the case page"
        );
    }
    // Ending comes last: only the couple's counselor may.
    for (actor, email) in ACTORS {
        let mut b = as_actor(&app, email).await;
        let got = b
            .call(
                "/api/end_agreement",
                &[("agreement_id", agreement.as_str())],
            )
            .await
            .status;
        let want = match actor {
            "anonymous" => 401,
            "assigned counselor" => 200,
            _ => 404,
        };
        assert_eq!(got, want, "{actor}: end");
    }
}

/// Two changes to one agreement at the same moment (two tabs, a double tap) are both kept,
/// each as its own version, on both engines.
async fn changes_made_at_the_same_moment_each_get_a_version(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let agreement = new_agreement(&app, &mut p.robin, &couple, "SAME-MOMENT first wording.").await;
    let answers = all_at_once(&app, "robin@example.org", 8, |n, mut tab| {
        let (couple, agreement) = (couple.clone(), agreement.clone());
        async move {
            let body = format!("SAME-MOMENT wording {n}.");
            write_agreement(&mut tab, &couple, &body, Some(&agreement)).await
        }
    })
    .await;
    for res in answers {
        assert_eq!(
            res.location.as_deref(),
            Some(format!("/cases/{couple}/agreements?agreement=saved#agreements").as_str()),
            "every change is accepted: {}",
            res.body
        );
    }
    assert_eq!(
        count(
            &app,
            "select count(distinct version) from agreement_version"
        )
        .await,
        9,
        "the first wording and eight changes, each its own version"
    );
}
