//! Check-ins ask how each active agreement was kept; the counselor sees the follow-through,
//! and neither partner sees the other's answers.

use crate::actions::{CheckIn, new_agreement};
use crate::agreements::count;
use crate::both_engines;
use crate::helpers::{Browser, Engine, TestApp};
use crate::practice::{as_actor, practice};

both_engines!(check_ins_ask_how_each_active_agreement_was_kept);

/// A check-in form's fields, with the given agreement answers.
fn check_in_form(kept: &[(String, &'static str)]) -> Vec<(String, String)> {
    CheckIn {
        trust: "6",
        hope: "6",
        went_well: "KEEPING-TEXT",
        kept,
        ..CheckIn::PLAIN
    }
    .fields()
}

/// Sends a check-in as a non-browser client does, to read the function's own answer.
async fn submit_check_in(b: &mut Browser, form: &[(String, String)]) -> crate::helpers::Page {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.call("/api/submit_check_in", &pairs).await
}

async fn check_ins_ask_how_each_active_agreement_was_kept(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let a = new_agreement(&app, &mut p.robin, &couple, "KEEP-A We talk on Sundays.").await;
    let b = new_agreement(
        &app,
        &mut p.robin,
        &couple,
        "KEEP-B We walk together on Wednesdays.",
    )
    .await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let (_, form) = jordan.visit("/check-in").await;
    assert!(form.body.contains("Your agreements"));
    assert!(form.body.contains("KEEP-A We talk on Sundays."));
    assert!(form.body.contains(&format!("name=\"kept[agreement-{a}]\"")));
    assert!(form.body.contains(&format!("name=\"kept[agreement-{b}]\"")));
    assert!(form.body.contains("Partly kept"));

    // Leaving one out is explained, and nothing is saved.
    let missing = submit_check_in(&mut jordan, &check_in_form(&[(a.clone(), "kept")])).await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert!(
        missing
            .body
            .contains("Say how you kept each of your agreements")
    );
    let nonsense = submit_check_in(
        &mut jordan,
        &check_in_form(&[(a.clone(), "kept"), (b.clone(), "mostly")]),
    )
    .await;
    assert_eq!(nonsense.status, 422);
    assert_eq!(count(&app, "select count(*) from check_in").await, 0);
    assert_eq!(
        count(&app, "select count(*) from agreement_keeping").await,
        0
    );

    let ok = submit_check_in(
        &mut jordan,
        &check_in_form(&[(a.clone(), "kept"), (b.clone(), "partly")]),
    )
    .await;
    assert_eq!(ok.status, 200);
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let ok = submit_check_in(
        &mut casey,
        &check_in_form(&[(a.clone(), "not"), (b.clone(), "kept")]),
    )
    .await;
    assert_eq!(ok.status, 200);
    assert_eq!(
        count(&app, "select count(*) from agreement_keeping").await,
        4
    );
    // A form opened before agreement B existed (it lists only A as shown) still goes through.
    let mut before_b = check_in_form(&[(a.clone(), "kept")]);
    before_b.push(("kept[shown]".into(), a.clone()));
    let ok = submit_check_in(&mut jordan, &before_b).await;
    assert_eq!(ok.status, 200, "{}", ok.body);

    // The counselor sees both partners' follow-through, per agreement.
    let (_, page) = p.robin.visit(&format!("/cases/{couple}/agreements")).await;
    assert!(page.body.contains("Follow-through by week"));
    assert!(
        page.body
            .contains("Jordan Lee: kept 1 of 1 week answered, partly 0, not kept 0.")
    );
    assert!(
        page.body
            .contains("Casey Lee: kept 0 of 1 week answered, partly 0, not kept 1.")
    );
    assert!(
        page.body
            .contains("Jordan Lee: kept 0 of 1 week answered, partly 1, not kept 0.")
    );
    // Neither partner sees the other's answers: not on their pages, not in their export.
    let (_, casey_page) = casey.visit("/agreements").await;
    assert!(!casey_page.body.contains("Follow-through"));
    assert!(!casey_page.body.contains("partly 1"));
    let export = casey.get("/export/my-data.json").await;
    let json: serde_json::Value = serde_json::from_str(&export.body).unwrap();
    let kept: Vec<&serde_json::Value> = json["couples"][0]["agreements"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["kept"].as_array().unwrap())
        .collect();
    assert_eq!(kept.len(), 2, "only Casey's own two answers");
    assert!(kept.iter().all(|k| k["partner_position"] == 2));
    // The counselor's full export has all four.
    let full = p.robin.get(&format!("/cases/{couple}/export.json")).await;
    let json: serde_json::Value = serde_json::from_str(&full.body).unwrap();
    let all: usize = json["agreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kept"].as_array().unwrap().len())
        .sum();
    assert_eq!(all, 5);

    // An ended agreement is no longer asked about; an answer sent for it is let go.
    let res = p
        .robin
        .submit(
            &format!("/cases/{couple}/agreements"),
            "/api/end_agreement",
            &[("agreement_id", b.as_str())],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/cases/{couple}/agreements?agreement=ended#agreements").as_str())
    );
    let (_, form) = jordan.visit("/check-in").await;
    assert!(form.body.contains("KEEP-A We talk on Sundays."));
    assert!(!form.body.contains(&format!("kept[agreement-{b}]")));
    let ok = submit_check_in(
        &mut jordan,
        &check_in_form(&[(a.clone(), "kept"), (b.clone(), "kept")]),
    )
    .await;
    assert_eq!(ok.status, 200);
    assert_eq!(
        count(&app, "select count(*) from agreement_keeping").await,
        6
    );
    let (_, page) = p.robin.visit(&format!("/cases/{couple}/agreements")).await;
    assert!(page.body.contains("Ended agreements (1)"));
    let again = p
        .robin
        .call("/api/end_agreement", &[("agreement_id", b.as_str())])
        .await;
    assert_eq!(again.status, 409);
    // Rewording an ended agreement is refused.
    let reword = p
        .robin
        .call(
            "/api/write_agreement",
            &[
                ("couple_id", couple.as_str()),
                ("body", "KEEP-B again"),
                ("agreement_id", b.as_str()),
            ],
        )
        .await;
    assert_eq!(reword.status, 409);
}
