//! Informed consent: a partner signs the practice's current consent before any other page
//! opens to them (pages send them to it, server functions refuse); the signature keeps the
//! time, address, version and SHA-256 of the exact text; a new version asks again; the
//! counselor sees both partners' status and a printable record of each signature.

use crate::actions::consent_version_on;
use crate::both_engines;
use crate::helpers::{Browser, Engine, Options, PASSWORD, TestApp};
use crate::practice::{as_actor, practice};
use sha2::{Digest, Sha256};

both_engines!(
    a_partner_signs_before_any_other_page_opens_to_them,
    a_new_version_asks_every_partner_again_and_keeps_the_old_one,
    the_counselor_sees_each_partner_status_and_a_printable_record,
    staff_are_never_asked_and_bad_consent_input_is_refused_clearly,
);

/// A browser signed in as `email` that does not sign the consent by itself.
async fn unsigned(app: &TestApp, email: &str, address: &str) -> Browser {
    let mut b = app.browser();
    b.auto_consent = false;
    b.forwarded_for = Some(address.into());
    b.sign_in(email, PASSWORD).await;
    assert!(b.session_cookie().is_some(), "{email} signs in");
    b
}

async fn sign(b: &mut Browser, name: &str) -> crate::helpers::Page {
    let (_, page) = b.visit("/consent").await;
    let version = consent_version_on(&page.body);
    b.submit(
        "/consent",
        "/api/sign_consent",
        &[("version", &version), ("agree", "on"), ("full_name", name)],
    )
    .await
}

fn trusting_proxy() -> Options {
    Options {
        trust_proxy: true,
        ..Default::default()
    }
}

async fn a_partner_signs_before_any_other_page_opens_to_them(engine: Engine) {
    let app = TestApp::spawn_with(engine, trusting_proxy()).await;
    let _practice = practice(&app).await;
    let mut jordan = unsigned(&app, "jordan@example.org", "198.51.100.7").await;
    // Every partner page sends them to the consent, which says why.
    for page in [
        "/",
        "/check-in",
        "/agreements",
        "/settings",
        "/export/my-data.json",
    ] {
        let (at, p) = jordan.visit(page).await;
        assert_eq!(at, "/consent", "{page} opens before the consent is signed");
        assert!(p.body.contains("Before you start, please read"));
        assert!(p.body.contains("I have read and agree"));
        assert!(p.body.contains("What your counselor sees"));
    }
    // Server functions are refused with a clear message; crisis help stays open.
    for endpoint in ["/api/my_reminder_settings", "/api/submit_check_in"] {
        let res = jordan.call(endpoint, &[]).await;
        assert_eq!(res.status, 403, "{endpoint}: {}", res.body);
        let err: app::error::AppError = serde_json::from_str(&res.body).unwrap();
        assert_eq!(err, app::error::AppError::ConsentRequired);
        assert!(err.to_string().contains("sign your practice's consent"));
    }
    let (at, _) = jordan.visit("/help").await;
    assert_eq!(at, "/help");
    assert_eq!(jordan.call("/api/crisis_help", &[]).await.status, 200);

    // Signing needs the tick and a typed name, each refused in words.
    let (_, page) = jordan.visit("/consent").await;
    let version = consent_version_on(&page.body);
    let res = jordan
        .call(
            "/api/sign_consent",
            &[("version", &version), ("full_name", "Jordan Lee")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("I have read and agree"));
    let res = jordan
        .call(
            "/api/sign_consent",
            &[("version", &version), ("agree", "on"), ("full_name", "  ")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("Type your full name"));
    let (at, _) = jordan.visit("/").await;
    assert_eq!(at, "/consent", "nothing was signed");

    let res = sign(&mut jordan, "Jordan Lee").await;
    assert_eq!(res.location.as_deref(), Some("/?consented=1"));
    let (at, _) = jordan.visit("/check-in").await;
    assert_eq!(at, "/check-in", "everything opens once signed");
    assert_eq!(
        jordan.call("/api/my_reminder_settings", &[]).await.status,
        200
    );

    // What was kept: the typed name, the address, the version, the text's fingerprint.
    let (name, ip, version, sha, body): (String, Option<String>, i64, String, String) =
        sqlx::query_as(
            "select s.typed_name, s.ip, s.version, s.body_sha256, v.body from consent_signature s \
             join consent_version v on v.consent_version_id = s.consent_version_id \
             join app_user u on u.app_user_id = s.app_user_id where u.email = $1",
        )
        .bind("jordan@example.org")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(name, "Jordan Lee");
    assert_eq!(ip.as_deref(), Some("198.51.100.7"));
    assert_eq!(version, 1);
    assert_eq!(sha, format!("{:x}", Sha256::digest(body.as_bytes())));
    assert!(
        app.audit_actions()
            .await
            .contains(&"consent_signed".to_string())
    );
    // Casey has not signed: still gated.
    let mut casey = unsigned(&app, "casey@example.org", "198.51.100.8").await;
    let (at, _) = casey.visit("/agreements").await;
    assert_eq!(at, "/consent");
}

async fn a_new_version_asks_every_partner_again_and_keeps_the_old_one(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let p = practice(&app).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let (at, _) = jordan.visit("/").await;
    assert_eq!(at, "/", "the test browser signed version 1");
    let mut admin = as_actor(&app, Some("admin@example.org")).await;
    let (_, page) = admin.visit("/admin/consent").await;
    assert!(
        page.body.contains("Trellis&#x27;s default text")
            || page.body.contains("Trellis's default text")
    );
    let res = admin
        .submit(
            "/admin/consent",
            "/api/publish_consent",
            &[("body", "Our consent\nWe changed how long we keep records.")],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/admin/consent?saved=1"));
    // Publishing the same text again makes no new version.
    admin
        .submit(
            "/admin/consent",
            "/api/publish_consent",
            &[("body", "Our consent\nWe changed how long we keep records.")],
        )
        .await;
    let versions: i64 = sqlx::query_scalar("select count(*) from consent_version")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(versions, 2);

    // Jordan, already signed in, is asked again at the next page.
    jordan.auto_consent = false;
    let (at, page) = jordan.visit("/check-in").await;
    assert_eq!(at, "/consent");
    assert!(page.body.contains("Your practice has updated its consent"));
    assert!(page.body.contains("We changed how long we keep records."));
    // A form still showing version 1 signs nothing.
    let res = jordan
        .call(
            "/api/sign_consent",
            &[
                ("version", "1"),
                ("agree", "on"),
                ("full_name", "Jordan Lee"),
            ],
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert!(res.body.contains("updated its consent"));
    // The counselor sees that version 2 waits for Jordan.
    let mut robin = p.robin;
    let (_, case) = robin.visit(&format!("/cases/{}/partners", p.couple)).await;
    assert!(
        case.body.contains("Jordan Lee signed version 1 on"),
        "{}",
        case.body
    );
    assert!(
        case.body
            .contains("version 2 is waiting for their signature")
    );
    sign(&mut jordan, "Jordan Lee").await;
    let (at, _) = jordan.visit("/check-in").await;
    assert_eq!(at, "/check-in");
    // Both signatures are kept, and the database refuses to change either.
    let signed: Vec<i64> = sqlx::query_scalar(
        "select s.version from consent_signature s join app_user u on u.app_user_id = s.app_user_id \
         where u.email = 'jordan@example.org' order by s.version",
    )
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(signed, vec![1, 2]);
    for sql in [
        "update consent_version set body = 'changed'",
        "delete from consent_version",
        "update consent_signature set typed_name = 'someone else'",
        "delete from consent_signature",
    ] {
        assert!(
            sqlx::query(sql)
                .execute(app.state.db.writer())
                .await
                .is_err(),
            "{sql} was allowed"
        );
    }
}

async fn the_counselor_sees_each_partner_status_and_a_printable_record(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let p = practice(&app).await;
    let mut jordan = unsigned(&app, "jordan@example.org", "127.0.0.1").await;
    sign(&mut jordan, "Jordan Q. Lee").await;
    let mut robin = p.robin;
    let (_, case) = robin.visit(&format!("/cases/{}/partners", p.couple)).await;
    assert!(
        case.body.contains("Jordan Lee signed version 1 on"),
        "{}",
        case.body
    );
    assert!(case.body.contains("Casey Lee has not signed yet"));
    let record: String = sqlx::query_scalar("select consent_signature_id from consent_signature")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let address = format!("/consent/records/{record}");
    assert!(
        case.body.contains(&address),
        "the case page links the record"
    );
    let sha: String = sqlx::query_scalar("select body_sha256 from consent_signature")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    for who in [&mut robin, &mut jordan] {
        let (at, page) = who.visit(&address).await;
        assert_eq!(at, address);
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Jordan Q. Lee"));
        assert!(page.body.contains(&sha));
        assert!(
            page.body.contains("Secrets between sessions"),
            "the full text"
        );
        assert!(page.body.contains(" UTC"));
    }
    // Jordan's own download holds the signature (right of access).
    let export = jordan.get("/export/my-data.json").await;
    let export: serde_json::Value = serde_json::from_str(&export.body).unwrap();
    let signed = &export["consent_signatures"][0];
    assert_eq!(signed["name_typed"], "Jordan Q. Lee");
    assert_eq!(signed["text_sha256"], sha.as_str());
    assert_eq!(signed["version"], 1);
    // Nobody else: Casey, a partner of another couple, another counselor, the administrator.
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let mut pat = as_actor(&app, Some("pat@example.org")).await;
    let mut admin = as_actor(&app, Some("admin@example.org")).await;
    app.create_user(app::auth::Role::Counselor, "Dana", "dana2@example.org")
        .await;
    let mut dana = as_actor(&app, Some("dana2@example.org")).await;
    for (who, b) in [
        ("Casey", &mut casey),
        ("Pat", &mut pat),
        ("admin", &mut admin),
        ("Dana", &mut dana),
    ] {
        let page = b.get(&address).await;
        assert_eq!(page.status, 404, "{who}");
        assert!(!page.body.contains("Jordan Q. Lee"), "{who}");
        let res = b
            .call("/api/consent_record", &[("signature_id", &record)])
            .await;
        assert_eq!(res.status, 404, "{who}");
    }
}

async fn staff_are_never_asked_and_bad_consent_input_is_refused_clearly(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let p = practice(&app).await;
    let mut robin = p.robin;
    let (at, page) = robin.visit(&format!("/cases/{}/partners", p.couple)).await;
    assert_eq!(at, format!("/cases/{}/partners", p.couple));
    assert!(page.body.contains("Consent"));
    let mut admin = unsigned(&app, "admin@example.org", "127.0.0.1").await;
    let (at, page) = admin.visit("/").await;
    assert_eq!(at, "/");
    assert!(
        page.body.contains(r#"href="/admin/consent""#),
        "the admin nav links it"
    );
    // Staff read the consent but have nothing to sign.
    let (_, page) = admin.visit("/consent").await;
    assert!(!page.body.contains("name=\"full_name\""));
    let res = admin
        .call(
            "/api/sign_consent",
            &[("version", "1"), ("agree", "on"), ("full_name", "Morgan")],
        )
        .await;
    assert_eq!(res.status, 403);
    // Too long, empty, or a control character: a clear message, never a 500.
    let long = "a".repeat(app::features::consent::MAX_BODY + 1);
    for (body, says) in [
        (long.as_str(), "up to 20000 characters"),
        ("   ", "Write the consent text"),
        ("Consent\u{7}", "control character"),
    ] {
        let res = admin.call("/api/publish_consent", &[("body", body)]).await;
        assert_eq!(res.status, 422, "{says}: {}", res.body);
        assert!(res.body.contains(says), "{}", res.body);
    }
    let long_name = "n".repeat(200);
    let mut jordan = unsigned(&app, "jordan@example.org", "127.0.0.1").await;
    let res = jordan
        .call(
            "/api/sign_consent",
            &[("version", "1"), ("agree", "on"), ("full_name", &long_name)],
        )
        .await;
    assert_eq!(res.status, 422);
    // Partners cannot publish.
    let res = jordan
        .call("/api/publish_consent", &[("body", "Mine")])
        .await;
    assert_eq!(res.status, 403);
}
