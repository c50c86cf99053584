//! The OIDC test provider process (tests/fixtures/oidc/provider.mjs), shared by every test.

use crate::helpers::{Engine, Options, TestApp};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock, mpsc};
use std::time::Duration;

pub(super) const CLIENT_ID: &str = "trellis-test";
pub(super) const CLIENT_SECRET: &str = "trellis-test-secret-for-integration-tests";

pub(super) struct TestProvider {
    pub(super) issuer: String,
    pub(super) log: Arc<Mutex<String>>,
    // Never dropped (it lives in a static): the provider exits when this binary exits and the
    // kernel closes the pipe.
    _stdin: ChildStdin,
    _child: Child,
}

/// Where the provider puts the email claims.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Claims {
    /// Only at the userinfo endpoint: the strict reading of OpenID Connect Core 5.4 for the
    /// code flow (and oidc-provider's default).
    AtUserinfo,
    /// Only in the ID token (userinfo then returns just `sub`), as many providers do.
    InIdToken,
}

pub(super) static PROVIDERS: [OnceLock<TestProvider>; 2] = [OnceLock::new(), OnceLock::new()];

/// The shared provider of that kind, started on first use.
pub(super) async fn provider(claims: Claims) -> &'static TestProvider {
    let slot = &PROVIDERS[claims as usize];
    if let Some(p) = slot.get() {
        return p;
    }
    tokio::task::spawn_blocking(move || slot.get_or_init(|| start_provider(claims)))
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

pub(super) fn start_provider(claims: Claims) -> TestProvider {
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

/// Single sign-on settings (issuer, client id, secret) for an app that uses the shared
/// provider, for tests that need other options too.
pub(crate) async fn settings() -> (String, String, String) {
    let provider = provider(Claims::AtUserinfo).await;
    (
        provider.issuer.clone(),
        CLIENT_ID.to_string(),
        CLIENT_SECRET.to_string(),
    )
}

pub(crate) async fn spawn_app(engine: Engine) -> TestApp {
    spawn_app_with(engine, Claims::AtUserinfo).await
}

pub(super) async fn spawn_app_with(engine: Engine, claims: Claims) -> TestApp {
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
            ..Default::default()
        },
    )
    .await
}
