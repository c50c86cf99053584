//! Platform guarantees: health check, cross-site refusal, POST-only mutations, the
//! append-only audit log, unguessable ids and security headers.

use crate::both_engines;
use crate::helpers::{Engine, Options, PASSWORD, TestApp};
use app::auth::Role;

both_engines!(
    health_check_reflects_the_database,
    cross_site_posts_are_refused,
    the_audit_log_is_append_only,
    account_ids_are_not_sequential,
    unknown_pages_are_not_found,
    malformed_calls_are_client_errors,
    pages_allow_only_their_own_nonced_scripts,
    every_response_carries_the_security_headers,
    a_refused_form_goes_back_to_its_page_without_a_referer,
    no_way_back_leads_to_another_site,
);

async fn health_check_reflects_the_database(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut b = app.browser();
    let res = b.get("/healthz").await;
    assert_eq!((res.status, res.body.as_str()), (200, "ok"));
    app.state.db.close().await;
    let res = b.get("/healthz").await;
    assert_eq!(res.status, 503);
}

async fn cross_site_posts_are_refused(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Partner, "Alex", "alex@example.org")
        .await;
    let mut b = app.browser();
    b.sign_in("alex@example.org", PASSWORD).await;
    let cookie = b.session_cookie().unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let send = |headers: Vec<(&'static str, &'static str)>| {
        let mut req = client
            .post(format!("{}/api/sign_out", app.base))
            .header("cookie", format!("trellis_session={cookie}"))
            .header("accept", "text/html");
        for (k, v) in headers {
            req = req.header(k, v);
        }
        req.send()
    };
    // A form on another site posting here with the person's cookie.
    let res = send(vec![
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.example"),
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), 403);
    let res = send(vec![("sec-fetch-site", "same-site")]).await.unwrap();
    assert_eq!(res.status(), 403);
    // An older browser that sends only Origin.
    let res = send(vec![("origin", "https://evil.example")])
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = send(vec![("origin", "null")]).await.unwrap();
    assert_eq!(res.status(), 403);
    // The session survived all of that.
    assert_eq!(b.visit("/").await.0, "/");

    // Mutations are POST only.
    let res = client
        .get(format!("{}/api/sign_out", app.base))
        .header(
            "cookie",
            format!("trellis_session={}", b.session_cookie().unwrap()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
    assert_eq!(b.visit("/").await.0, "/");
}

async fn the_audit_log_is_append_only(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Partner, "Alex", "alex@example.org")
        .await;
    app.browser().sign_in("alex@example.org", PASSWORD).await;
    let pool = app.state.db.writer();
    let before: i64 = sqlx::query_scalar("select count(*) from audit_event")
        .fetch_one(pool)
        .await
        .unwrap();
    assert!(before >= 2, "account creation and sign-in are recorded");
    let update = sqlx::query("update audit_event set action = 'nothing'")
        .execute(pool)
        .await;
    assert!(update.is_err(), "UPDATE refused");
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("delete from audit_event").execute(pool).await;
    assert!(delete.is_err(), "DELETE refused");
    let after: i64 = sqlx::query_scalar("select count(*) from audit_event")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(before, after);
    // The trail holds who and where, never passwords.
    let rows: Vec<(Option<String>, Option<String>)> =
        sqlx::query_as("select ip, detail from audit_event where action = 'sign_in'")
            .fetch_all(pool)
            .await
            .unwrap();
    assert_eq!(rows[0].0.as_deref(), Some("127.0.0.1"));
    let everything: Vec<(String, Option<String>)> =
        sqlx::query_as("select action, detail from audit_event")
            .fetch_all(pool)
            .await
            .unwrap();
    assert!(!format!("{everything:?}").contains(PASSWORD));
}

async fn account_ids_are_not_sequential(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let a = app.create_user(Role::Partner, "A", "a@example.org").await;
    let b = app.create_user(Role::Partner, "B", "b@example.org").await;
    let ua = uuid::Uuid::parse_str(&a).unwrap();
    let ub = uuid::Uuid::parse_str(&b).unwrap();
    assert_eq!(ua.get_version_num(), 7);
    assert_ne!(ua, ub);
    // The random tail differs: the next id cannot be computed from the last.
    assert_ne!(&a[24..], &b[24..]);
}

async fn unknown_pages_are_not_found(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Partner, "Alex", "alex@example.org")
        .await;
    let mut b = app.browser();
    // Signed out: every page but sign-in leads to sign-in, revealing nothing.
    assert_eq!(b.visit("/no/such/page").await.0, "/login");
    b.sign_in("alex@example.org", PASSWORD).await;
    let page = b.get("/no/such/page").await;
    assert_eq!(page.status, 404);
    assert!(page.body.contains("Page not found"));
}

async fn malformed_calls_are_client_errors(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Partner, "Alex", "alex@example.org")
        .await;
    let mut b = app.browser();
    b.sign_in("alex@example.org", PASSWORD).await;
    // A missing argument, a map where text belongs, and a body that is not a form at all:
    // each is the caller's mistake, said as such, never a server error.
    for form in [vec![], vec![("body[nested]", "x")], vec![("trust[", "5")]] {
        let res = b.call("/api/post_win", &form).await;
        assert_eq!(res.status, 400, "{form:?}: {}", res.body);
        assert!(res.body.contains("BadRequest"), "{}", res.body);
    }
    let res = b.call("/api/no_such_function", &[]).await;
    assert!((400..500).contains(&res.status), "{}", res.status);
}

async fn pages_allow_only_their_own_nonced_scripts(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut b = app.browser();
    let mut nonces = Vec::new();
    for _ in 0..2 {
        // The first-run page, as nobody has an account yet.
        let (_, page) = b.visit("/login").await;
        let csp = page.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            csp.contains("'strict-dynamic'") && csp.contains("'wasm-unsafe-eval'"),
            "{csp}"
        );
        assert!(
            csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap()
            .to_string();
        // Every inline script on the page carries this response's nonce.
        let scripts = page.body.matches("<script").count();
        assert!(scripts > 0);
        assert_eq!(
            page.body.matches(&format!("nonce=\"{nonce}\"")).count(),
            scripts,
            "{}",
            page.body
        );
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a fresh nonce for every response");
    // Other responses allow nothing at all.
    let health = b.get("/healthz").await;
    assert!(
        health.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .starts_with("default-src 'none'")
    );
}

async fn every_response_carries_the_security_headers(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut b = app.browser();
    let mut responses = vec![
        ("/login", b.get("/login").await),
        ("/healthz", b.get("/healthz").await),
        ("/pkg/missing.js", b.get("/pkg/missing.js").await),
        ("/no/such/page", b.get("/no/such/page").await),
    ];
    responses.push(("/api/current_user", b.call("/api/current_user", &[]).await));
    for (path, res) in &responses {
        let header = |name: &str| {
            res.headers
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        };
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header("referrer-policy"), "no-referrer", "{path}");
        assert!(
            header("content-security-policy").contains("frame-ancestors 'none'"),
            "{path}"
        );
        // Served over plain http here: no HSTS (it would lock browsers out of this address).
        assert_eq!(header("strict-transport-security"), "", "{path}");
    }
    // Served over https, browsers are told to use nothing else.
    let options = Options {
        public_url: Some("https://trellis.practice.test/".into()),
        ..Default::default()
    };
    let secure = TestApp::spawn_with(engine, options).await;
    let page = secure.browser().get("/healthz").await;
    assert!(
        page.headers["strict-transport-security"]
            .to_str()
            .unwrap()
            .starts_with("max-age=31536000"),
    );
}

/// Browsers send no Referer to Trellis, so a form posted with JavaScript off says which page
/// it was on; a refused form sends the browser back there with the message, and only ever to
/// a page of this site.
async fn a_refused_form_goes_back_to_its_page_without_a_referer(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.create_user(Role::Counselor, "Dana Cho", "dana@practice.test")
        .await;
    let mut b = app.browser();
    let form = [
        ("email", "dana@practice.test"),
        ("password", "not the password"),
    ];
    let res = b
        .submit("/login?next=%2Fagenda", "/api/sign_in", &form)
        .await;
    assert!((300..400).contains(&res.status), "{}", res.status);
    let location = res.location.clone().unwrap();
    assert!(
        location.starts_with("/login?next=%2Fagenda&__path="),
        "{location}"
    );
    let (_, page) = b.visit(&location).await;
    assert!(
        page.body.contains("Email or password is incorrect."),
        "the message is on the sign-in page"
    );
    // A way back that leaves the site is ignored: the browser goes home instead.
    for elsewhere in ["https://evil.example/", "//evil.example/x"] {
        let mut fields = form.to_vec();
        fields.push(("return_to", elsewhere));
        let res = b
            .client
            .post(format!("{}/api/sign_in", app.base))
            .header("accept", "text/html")
            .header("sec-fetch-site", "same-origin")
            .form(&fields)
            .send()
            .await
            .unwrap();
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert!(
            location.starts_with('/') && !location.starts_with("//"),
            "{location}"
        );
        assert!(!location.contains("evil"), "{location}");
    }
}

/// Ways back that a browser's URL parser (tabs and newlines dropped, dot segments resolved,
/// backslashes read as slashes) could read as `//evil.example`, another site.
const HOSTILE_WAYS_BACK: &[&str] = &[
    "/\t/evil.example",
    "/.//evil.example",
    "/..//evil.example",
    "/x/../..//evil.example",
    "/%2e%2e//evil.example",
    "/.\t//evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\\evil.example",
    "/\t\\evil.example",
    "\\\\evil.example",
    "///evil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "/\u{b}/evil.example",
    "/\u{3000}/evil.example",
    "/\u{ff0f}evil.example",
    " //evil.example",
    "javascript:alert(1)",
];

/// Every form post a browser makes with JavaScript off (it accepts HTML) ends in a redirect
/// that the browser reads as a page of this site, whatever the way back it carried: refused
/// forms (the error added to the way back) and accepted ones (sent back as it is).
async fn no_way_back_leads_to_another_site(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let site = url::Url::parse(&app.base).unwrap();
    let mut b = app.browser();
    for way_back in HOSTILE_WAYS_BACK {
        let forms: [(&str, &[(&str, &str)]); 2] = [
            // Refused (no email): back with the message.
            ("/api/sign_in", &[("email", ""), ("password", "")]),
            // Accepted, with no page of its own to go to: back as it was.
            ("/api/current_user", &[]),
        ];
        for (action, form) in forms {
            let res = b.submit(way_back, action, form).await;
            let what = format!("{action} with return_to {way_back:?}");
            assert!((300..400).contains(&res.status), "{what}: {}", res.status);
            let location = res
                .location
                .unwrap_or_else(|| panic!("{what}: no Location"));
            // As the browser reads it: joined onto the page's address.
            let read = site.join(&location).unwrap();
            assert_eq!(read.origin(), site.origin(), "{what}: {location:?}");
            assert!(
                location.starts_with('/') && !location.starts_with("//"),
                "{what}: {location:?}"
            );
            assert!(!location.contains('\\'), "{what}: {location:?}");
            if ["/\t/evil.example", "/.//evil.example"].contains(way_back) {
                assert_eq!(read.path(), "/", "{what}: home instead");
            }
        }
    }
}
