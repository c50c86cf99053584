//! OpenID Connect sign-in against a real provider (oidc-provider, in
//! tests/fixtures/oidc/provider.mjs): the browser is sent to the provider, signs in on its login
//! page, consents, and comes back to Trellis with a code that Trellis exchanges and validates.
//! Nothing is mocked: tokens are issued and signed by the provider.
//!
//! One provider process (of each kind, see `Claims`) serves every test in the run. Each test has
//! its own Trellis app and database and its own browsers (so its own provider sessions), and the
//! client accepts any 127.0.0.1 port for its registered callback, so tests share it safely. It
//! is started on first use and exits when this test binary does (its standard input closes).

use crate::both_engines;
use crate::helpers::{Browser, Engine, Options, Page, TestApp};
use app::auth::Role;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock, mpsc};
use std::time::Duration;

both_engines!(
    invited_account_signs_in_and_keeps_its_linked_identity,
    email_in_the_id_token_is_enough,
    unknown_email_is_refused_without_creating_an_account,
    unverified_email_is_refused,
    deactivated_account_is_refused,
    cancelling_at_the_provider_returns_to_sign_in,
    forged_or_mismatched_state_is_refused,
);

const CLIENT_ID: &str = "trellis-test";
const CLIENT_SECRET: &str = "trellis-test-secret-for-integration-tests";

// ---------------------------------------------------------------------------------------------
// The provider process

struct TestProvider {
    issuer: String,
    log: Arc<Mutex<String>>,
    // Never dropped (it lives in a static): the provider exits when this binary exits and the
    // kernel closes the pipe.
    _stdin: ChildStdin,
    _child: Child,
}

/// Where the provider puts the email claims.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Claims {
    /// Only at the userinfo endpoint: the strict reading of OpenID Connect Core 5.4 for the
    /// code flow (and oidc-provider's default).
    AtUserinfo,
    /// Only in the ID token (userinfo then returns just `sub`), as many providers do.
    InIdToken,
}

static PROVIDERS: [OnceLock<TestProvider>; 2] = [OnceLock::new(), OnceLock::new()];

/// The shared provider of that kind, started on first use.
async fn provider(claims: Claims) -> &'static TestProvider {
    let slot = &PROVIDERS[claims as usize];
    if let Some(p) = slot.get() {
        return p;
    }
    tokio::task::spawn_blocking(move || slot.get_or_init(|| start_provider(claims)))
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

fn start_provider(claims: Claims) -> TestProvider {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    let fixture = root.join("tests/fixtures/oidc");
    if !fixture.join("node_modules/oidc-provider").is_dir() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&fixture)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .status();
        match status {
            Ok(s) if s.success() => {}
            other => panic!(
                "the OIDC tests need the test provider's packages, and `npm ci` in {} failed \
                 ({other:?}): install Node.js 20+ and npm, then run \
                 `npm ci --prefix tests/fixtures/oidc`",
                fixture.display()
            ),
        }
    }
    let mut child = Command::new("node")
        .arg("tests/fixtures/oidc/provider.mjs")
        .arg("0")
        .current_dir(root)
        .env("OIDC_CLIENT_ID", CLIENT_ID)
        .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
        .env_remove("OIDC_REDIRECT_URIS")
        .env(
            "OIDC_EMAIL_IN_ID_TOKEN",
            if claims == Claims::InIdToken {
                "1"
            } else {
                "0"
            },
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("the OIDC tests run a test provider with `node`, which failed to start: {e}")
        });
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();

    // Keep reading both pipes for as long as the provider runs, so it never blocks on a full
    // one; what it says on stderr is kept for failure messages.
    let log = Arc::new(Mutex::new(String::new()));
    let sink = log.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = stderr.read(&mut buf) {
            let mut log = sink.lock().unwrap();
            if log.len() < 64 * 1024 {
                log.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        }
    });
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(issuer) = line.strip_prefix("OIDC_ISSUER=") {
                let _ = tx.send(issuer.trim().to_string());
            }
        }
    });
    match rx.recv_timeout(Duration::from_secs(30)) {
        Ok(issuer) => TestProvider {
            issuer,
            log,
            _stdin: stdin,
            _child: child,
        },
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            std::thread::sleep(Duration::from_millis(100));
            panic!(
                "the OIDC test provider did not start; it said:\n{}",
                log.lock().unwrap()
            );
        }
    }
}

async fn spawn_app(engine: Engine) -> TestApp {
    spawn_app_with(engine, Claims::AtUserinfo).await
}

async fn spawn_app_with(engine: Engine, claims: Claims) -> TestApp {
    let provider = provider(claims).await;
    TestApp::spawn_with(
        engine,
        Options {
            demo: false,
            oidc: Some((
                provider.issuer.clone(),
                CLIENT_ID.to_string(),
                CLIENT_SECRET.to_string(),
            )),
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Driving a browser through the provider

/// What the person does at the provider.
#[derive(Clone, Copy)]
enum AtProvider<'a> {
    /// Types this login (and any password) on the login page and consents.
    SignInAs(&'a str),
    /// Follows the login page's Cancel link.
    Cancel,
}

/// A trip to the provider and back.
struct Trip {
    /// The provider's redirect back to Trellis, not yet visited.
    callback: String,
    /// The provider's pages the person saw ("login", "consent").
    prompts: Vec<String>,
}

/// Presses "Sign in with …" on Trellis's sign-in page and acts at the provider until it sends
/// the browser back to Trellis. The browser keeps one cookie jar for both servers, as a browser
/// does for one host (cookies are not port-scoped); the names do not clash.
async fn to_provider_and_back(b: &mut Browser, act: AtProvider<'_>) -> Trip {
    let start = b.submit("/login", "/auth/oidc/start", &[]).await;
    assert_eq!(start.status, 303, "start: {}", start.body);
    assert!(
        b.cookies.contains_key("trellis_oidc"),
        "the flow is bound to the browser"
    );
    let mut url = start.location.expect("start redirects");
    let authorize = url::Url::parse(&url).unwrap();
    let issuer = &authorize.origin().ascii_serialization();
    assert!(
        PROVIDERS
            .iter()
            .any(|p| p.get().is_some_and(|p| &p.issuer == issuer)),
        "sent to the test provider: {url}"
    );
    let query: Vec<(String, String)> = authorize.query_pairs().into_owned().collect();
    let param = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(param("response_type"), Some("code"));
    assert_eq!(param("code_challenge_method"), Some("S256"));
    assert!(param("nonce").is_some() && param("state").is_some());
    assert_eq!(param("scope"), Some("openid email profile"));

    let callback = format!("{}/auth/oidc/callback", b.base);
    let mut prompts = Vec::new();
    for _ in 0..12 {
        if url.starts_with(&callback) {
            return Trip {
                callback: url,
                prompts,
            };
        }
        assert!(
            url.starts_with(&format!("{issuer}/")),
            "left for somewhere else: {url}"
        );
        let page = provider_request(b, &url, None).await;
        if (300..400).contains(&page.status) {
            url = resolve(&url, page.location.as_deref().unwrap());
            continue;
        }
        assert_eq!(
            page.status,
            200,
            "provider at {url}: {}\n{}",
            page.body,
            provider_log()
        );
        let form = Form::first_in(&page.body)
            .unwrap_or_else(|| panic!("no form on the provider's page {url}:\n{}", page.body));
        let prompt = form.value("prompt").unwrap_or_default().to_string();
        prompts.push(prompt.clone());
        let mut fields = form.fields.clone();
        match (prompt.as_str(), act) {
            ("login", AtProvider::Cancel) => {
                url = resolve(&url, &cancel_link(&page.body).expect("a Cancel link"));
                continue;
            }
            ("login", AtProvider::SignInAs(login)) => {
                for (name, value) in &mut fields {
                    match name.as_str() {
                        "login" => *value = login.to_string(),
                        "password" => *value = "any password will do".to_string(),
                        _ => {}
                    }
                }
            }
            ("consent", _) => {}
            (other, _) => panic!("unexpected provider prompt {other:?} at {url}"),
        }
        let action = resolve(&url, &form.action);
        let res = provider_request(b, &action, Some((&url, &fields))).await;
        assert!(
            (300..400).contains(&res.status),
            "posting the {prompt} form: {} {}",
            res.status,
            res.body
        );
        url = resolve(&action, res.location.as_deref().unwrap());
    }
    panic!("the provider never sent the browser back to Trellis (last at {url})");
}

/// A GET (or, with a form, a POST from `from`) to the provider, with the browser's cookies.
async fn provider_request(
    b: &mut Browser,
    url: &str,
    form: Option<(&str, &[(String, String)])>,
) -> Page {
    let cookie = b
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let req = match form {
        None => b.client.get(url),
        Some((from, fields)) => {
            let origin = url::Url::parse(url).unwrap().origin().ascii_serialization();
            b.client
                .post(url)
                .header("origin", origin)
                .header("sec-fetch-site", "same-origin")
                .header("referer", from)
                .form(fields)
        }
    };
    let res = req
        .header("accept", "text/html")
        .header("cookie", cookie)
        .send()
        .await
        .unwrap_or_else(|e| panic!("the OIDC provider at {url} did not answer: {e}"));
    for sc in res.headers().get_all(reqwest::header::SET_COOKIE) {
        let sc = sc.to_str().unwrap();
        let (pair, attrs) = sc.split_once(';').unwrap_or((sc, ""));
        let (name, value) = pair.split_once('=').unwrap();
        let name = name.trim();
        assert!(
            !name.starts_with("trellis_"),
            "provider cookie {name} would clash with Trellis's"
        );
        let attrs = attrs.to_ascii_lowercase();
        if value.is_empty()
            || attrs.contains("max-age=0")
            || attrs.contains("expires=thu, 01 jan 1970")
        {
            b.cookies.remove(name);
        } else {
            b.cookies.insert(name.to_string(), value.trim().to_string());
        }
    }
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get(reqwest::header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string());
    let headers = res.headers().clone();
    let body = res.text().await.unwrap_or_default();
    Page {
        status,
        location,
        headers,
        body,
    }
}

fn provider_log() -> String {
    PROVIDERS
        .iter()
        .filter_map(OnceLock::get)
        .map(|p| format!("{} said:\n{}", p.issuer, p.log.lock().unwrap()))
        .collect()
}

fn resolve(base: &str, location: &str) -> String {
    url::Url::parse(base)
        .unwrap()
        .join(location)
        .unwrap()
        .to_string()
}

/// The first HTML form on a page: its action and its inputs' names and values.
struct Form {
    action: String,
    fields: Vec<(String, String)>,
}

impl Form {
    fn first_in(html: &str) -> Option<Form> {
        let start = html.find("<form")?;
        let end = start + html[start..].find("</form>")?;
        let form = &html[start..end];
        let open = &form[..form.find('>')?];
        let action = attr(open, "action")?;
        let fields = form
            .match_indices("<input")
            .filter_map(|(i, _)| {
                let tag = &form[i..i + form[i..].find('>')?];
                Some((attr(tag, "name")?, attr(tag, "value").unwrap_or_default()))
            })
            .collect();
        Some(Form { action, fields })
    }

    fn value(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let len = tag[at..].find('"')?;
    Some(unescape(&tag[at..at + len]))
}

fn cancel_link(html: &str) -> Option<String> {
    let end = html.find("\">[ Cancel ]</a>")?;
    let start = html[..end].rfind("href=\"")? + "href=\"".len();
    Some(unescape(&html[start..end]))
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The whole sign-in: to the provider, back to Trellis's callback; returns the trip and
/// Trellis's answer to the callback.
async fn sign_in_with_provider(b: &mut Browser, act: AtProvider<'_>) -> (Trip, Page) {
    let trip = to_provider_and_back(b, act).await;
    let answer = b.get(&trip.callback).await;
    assert!(
        !b.cookies.contains_key("trellis_oidc"),
        "the callback always ends the flow"
    );
    (trip, answer)
}

/// Asserts Trellis refused the sign-in with `code`, and returns the sign-in page shown.
async fn assert_refused(b: &mut Browser, answer: &Page, code: &str) -> String {
    assert_eq!(answer.status, 303, "{}", answer.body);
    let location = answer.location.clone().unwrap();
    assert_eq!(location, format!("/login?oidc_error={code}"));
    assert!(b.session_cookie().is_none(), "no session after a refusal");
    let (at, page) = b.visit(&location).await;
    assert_eq!(at, location);
    assert_eq!(page.status, 200);
    page.body
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

async fn audit(app: &TestApp) -> Vec<(String, Option<String>)> {
    app::audit::repo::latest(app.state.db.pool(), 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.action, r.detail))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The tests

async fn invited_account_signs_in_and_keeps_its_linked_identity(engine: Engine) {
    let app = spawn_app(engine).await;
    let issuer = &provider(Claims::AtUserinfo).await.issuer;
    let id = app
        .create_user(Role::Partner, "Jordan Reyes", "jordan@example.org")
        .await;
    let mut b = app.browser();
    let (_, login) = b.visit("/login").await;
    assert!(login.body.contains("Sign in with Test ID"));

    let (trip, answer) =
        sign_in_with_provider(&mut b, AtProvider::SignInAs("jordan@example.org")).await;
    assert_eq!(
        trip.prompts,
        ["login", "consent"],
        "the provider's real pages"
    );
    let callback = url::Url::parse(&trip.callback).unwrap();
    assert_eq!(callback.path(), "/auth/oidc/callback");
    assert!(callback.query_pairs().any(|(k, _)| k == "code"));
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert_eq!(answer.location.as_deref(), Some("/"));
    let first_session = b.session_cookie().expect("a session");
    let (at, home) = b.visit("/").await;
    assert_eq!(at, "/");
    assert!(home.body.contains("Jordan Reyes"));
    assert!(home.body.contains("Sign out"));

    let identities: Vec<(String, String, String)> =
        sqlx::query_as("select issuer, subject, app_user_id from oidc_identity")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(
        identities,
        [(issuer.clone(), "jordan@example.org".into(), id.clone())],
        "the provider's identity is linked to the invited account"
    );
    let events = audit(&app).await;
    assert_eq!(events[0].0, "oidc_sign_in");

    // The link, not the email, decides from now on: with the account's email changed, the
    // same identity still signs in as the same account, on a new device.
    sqlx::query("update app_user set email = $1 where app_user_id = $2")
        .bind("jordan.reyes@example.org")
        .bind(&id)
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let mut other = app.browser();
    let (trip, answer) =
        sign_in_with_provider(&mut other, AtProvider::SignInAs("jordan@example.org")).await;
    assert_eq!(trip.prompts, ["login", "consent"]);
    assert_eq!(answer.location.as_deref(), Some("/"), "{}", answer.body);
    let second_session = other.session_cookie().expect("a session");
    assert_ne!(second_session, first_session);
    let (at, home) = other.visit("/").await;
    assert_eq!(at, "/");
    assert!(home.body.contains("Jordan Reyes"));
    assert_eq!(count(&app, "select count(*) from oidc_identity").await, 1);
    assert_eq!(count(&app, "select count(*) from app_user").await, 1);
    let signed_in = audit(&app)
        .await
        .iter()
        .filter(|(a, _)| a == "oidc_sign_in")
        .count();
    assert_eq!(signed_in, 2);

    // Back in the first browser the provider remembers the person and the consent: the
    // round trip needs no pages at all.
    let (trip, answer) = sign_in_with_provider(&mut b, AtProvider::SignInAs("unused")).await;
    assert!(trip.prompts.is_empty(), "{:?}", trip.prompts);
    assert_eq!(answer.location.as_deref(), Some("/"), "{}", answer.body);
    assert_ne!(b.session_cookie().unwrap(), first_session, "a new session");
}

async fn email_in_the_id_token_is_enough(engine: Engine) {
    // This provider's userinfo returns no email, so only the ID token's claims can sign in.
    let app = spawn_app_with(engine, Claims::InIdToken).await;
    app.create_user(Role::Counselor, "Robin Hale", "robin@example.org")
        .await;
    let mut b = app.browser();
    let (_, answer) =
        sign_in_with_provider(&mut b, AtProvider::SignInAs("robin@example.org")).await;
    assert_eq!(answer.location.as_deref(), Some("/"), "{}", answer.body);
    let (at, home) = b.visit("/").await;
    assert_eq!(at, "/");
    assert!(home.body.contains("Robin Hale"));

    // An unverified email in the ID token is refused just the same.
    app.create_user(Role::Partner, "Sam", "unverified-sam@example.org")
        .await;
    let mut other = app.browser();
    let (_, answer) = sign_in_with_provider(
        &mut other,
        AtProvider::SignInAs("unverified-sam@example.org"),
    )
    .await;
    assert_refused(&mut other, &answer, "unverified").await;
}

async fn unknown_email_is_refused_without_creating_an_account(engine: Engine) {
    let app = spawn_app(engine).await;
    app.create_user(Role::Partner, "Jordan Reyes", "jordan@example.org")
        .await;
    let accounts = count(&app, "select count(*) from app_user").await;
    let mut b = app.browser();

    let (trip, answer) =
        sign_in_with_provider(&mut b, AtProvider::SignInAs("stranger@example.org")).await;
    assert_eq!(trip.prompts, ["login", "consent"]);
    let page = assert_refused(&mut b, &answer, "not_invited").await;
    assert!(page.contains("No Trellis account uses the email address"));

    assert_eq!(count(&app, "select count(*) from app_user").await, accounts);
    assert_eq!(count(&app, "select count(*) from oidc_identity").await, 0);
    assert_eq!(count(&app, "select count(*) from user_session").await, 0);
    assert_eq!(
        audit(&app).await[0],
        ("oidc_sign_in_refused".into(), Some("not_invited".into()))
    );
    assert!(b.visit("/").await.0.starts_with("/login"));
}

async fn unverified_email_is_refused(engine: Engine) {
    let app = spawn_app(engine).await;
    app.create_user(Role::Partner, "Sam", "unverified-sam@example.org")
        .await;
    let mut b = app.browser();

    let (_, answer) =
        sign_in_with_provider(&mut b, AtProvider::SignInAs("unverified-sam@example.org")).await;
    let page = assert_refused(&mut b, &answer, "unverified").await;
    assert!(page.contains("has not verified your email address"));
    assert_eq!(count(&app, "select count(*) from oidc_identity").await, 0);
    assert_eq!(count(&app, "select count(*) from user_session").await, 0);
    assert_eq!(
        audit(&app).await[0],
        ("oidc_sign_in_refused".into(), Some("unverified".into()))
    );
}

async fn deactivated_account_is_refused(engine: Engine) {
    let app = spawn_app(engine).await;
    let id = app
        .create_user(Role::Counselor, "Robin", "robin@example.org")
        .await;
    app::auth::repo::set_status(app.state.db.pool(), &id, "deactivated")
        .await
        .unwrap();
    let mut b = app.browser();

    let (_, answer) =
        sign_in_with_provider(&mut b, AtProvider::SignInAs("robin@example.org")).await;
    let page = assert_refused(&mut b, &answer, "deactivated").await;
    assert!(page.contains("This account has been deactivated."));
    assert_eq!(count(&app, "select count(*) from user_session").await, 0);
    assert_eq!(
        audit(&app).await[0],
        ("oidc_sign_in_refused".into(), Some("deactivated".into()))
    );
}

async fn cancelling_at_the_provider_returns_to_sign_in(engine: Engine) {
    let app = spawn_app(engine).await;
    app.create_user(Role::Partner, "Jordan Reyes", "jordan@example.org")
        .await;
    let mut b = app.browser();

    let (trip, answer) = sign_in_with_provider(&mut b, AtProvider::Cancel).await;
    assert_eq!(trip.prompts, ["login"]);
    let callback = url::Url::parse(&trip.callback).unwrap();
    assert!(
        callback
            .query_pairs()
            .any(|(k, v)| k == "error" && v == "access_denied"),
        "{callback}"
    );
    let page = assert_refused(&mut b, &answer, "cancelled").await;
    assert!(page.contains("Single sign-on did not complete."));
    assert_eq!(
        audit(&app).await[0],
        ("oidc_sign_in_refused".into(), Some("cancelled".into()))
    );
}

async fn forged_or_mismatched_state_is_refused(engine: Engine) {
    let app = spawn_app(engine).await;
    app.create_user(Role::Partner, "Jordan Reyes", "jordan@example.org")
        .await;
    let mut b = app.browser();
    let trip = to_provider_and_back(&mut b, AtProvider::SignInAs("jordan@example.org")).await;

    // The callback, with a valid code, replayed by a browser that never started a sign-in.
    let mut stranger = app.browser();
    let answer = stranger.get(&trip.callback).await;
    assert_refused(&mut stranger, &answer, "failed").await;

    // Login CSRF: a browser that started its own sign-in is handed someone else's code.
    let mut victim = app.browser();
    let start = victim.submit("/login", "/auth/oidc/start", &[]).await;
    assert_eq!(start.status, 303);
    assert!(victim.cookies.contains_key("trellis_oidc"));
    let answer = victim.get(&trip.callback).await;
    assert_refused(&mut victim, &answer, "failed").await;

    // A browser whose state cookie was tampered with.
    let mut tampered = app.browser();
    tampered
        .cookies
        .insert("trellis_oidc".into(), "forged-state".into());
    let answer = tampered.get(&trip.callback).await;
    assert_refused(&mut tampered, &answer, "failed").await;

    assert_eq!(count(&app, "select count(*) from user_session").await, 0);
    assert_eq!(count(&app, "select count(*) from oidc_identity").await, 0);
    let refused = audit(&app)
        .await
        .into_iter()
        .filter(|e| *e == ("oidc_sign_in_refused".into(), Some("failed".into())))
        .count();
    assert_eq!(refused, 3);

    // None of that spent the real browser's sign-in, which still completes...
    let answer = b.get(&trip.callback).await;
    assert_eq!(answer.location.as_deref(), Some("/"), "{}", answer.body);
    assert!(b.session_cookie().is_some());

    // ...once: the same callback again is refused (the flow and the code are used up).
    let session = b.session_cookie();
    let again = b.get(&trip.callback).await;
    assert_eq!(
        again.location.as_deref(),
        Some("/login?oidc_error=failed"),
        "{}",
        again.body
    );
    assert_eq!(
        b.session_cookie(),
        session,
        "the refusal leaves no new session"
    );
    assert_eq!(count(&app, "select count(*) from user_session").await, 1);
}
