//! What the two-factor tests share: an authenticator app of their own (RFC 6238 written
//! again here, not borrowed from the app), and setting up two-factor through the pages.

use crate::helpers::{Browser, Page, TestApp};
use hmac::{Hmac, Mac};
use std::path::{Path, PathBuf};

/// The secret's bytes from its base32 text (RFC 4648 alphabet, spaces ignored).
pub fn decode_base32(text: &str) -> Vec<u8> {
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits = String::new();
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        let v = ALPHABET.find(c.to_ascii_uppercase()).expect("base32");
        bits.push_str(&format!("{v:05b}"));
    }
    bits.as_bytes()
        .chunks(8)
        .filter(|c| c.len() == 8)
        .map(|c| u8::from_str_radix(std::str::from_utf8(c).unwrap(), 2).unwrap())
        .collect()
}

/// The six-digit code of a 30-second step, as an authenticator app computes it.
pub fn code(secret: &str, step: u64) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&decode_base32(secret)).unwrap();
    mac.update(&step.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let at = (h[19] & 0xf) as usize;
    let n = (u32::from(h[at] & 0x7f) << 24)
        | (u32::from(h[at + 1]) << 16)
        | (u32::from(h[at + 2]) << 8)
        | u32::from(h[at + 3]);
    format!("{:06}", n % 1_000_000)
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The code of the earliest step after `last_used` that the server accepts now (the current
/// step or the next), waiting for the clock when both are used up. Never an earlier step, so
/// a step ending between here and the server does not make it too old.
pub async fn next_code(secret: &str, last_used: &mut u64) -> String {
    loop {
        let now = unix_now() / 30;
        let step = now.max(*last_used + 1);
        if step <= now + 1 {
            *last_used = step;
            return code(secret, step);
        }
        tokio::time::sleep(std::time::Duration::from_secs(30 - unix_now() % 30)).await;
    }
}

/// The current step, at least 12 seconds before it ends (waiting for the next one if
/// needed), so a test can use the previous step's code too without racing the clock.
pub async fn steady_step() -> u64 {
    if unix_now() % 30 >= 18 {
        let wait = 30 - unix_now() % 30;
        tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
    }
    unix_now() / 30
}

#[test]
fn this_authenticator_matches_rfc_6238() {
    // The RFC's SHA-1 secret "12345678901234567890", in base32; its codes' last six digits.
    let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    assert_eq!(code(secret, 59 / 30), "287082");
    assert_eq!(code(secret, 1111111109 / 30), "081804");
    assert_eq!(code(secret, 1111111111 / 30), "050471");
    assert_eq!(code(secret, 1234567890 / 30), "005924");
    assert_eq!(code(secret, 2000000000 / 30), "279037");
    assert_eq!(code(secret, 20000000000 / 30), "353130");
}

/// The text between `start` and the next `end` in `html`, without HTML comments.
pub fn between(html: &str, start: &str, end: &str) -> Option<String> {
    let from = html.find(start)? + start.len();
    let to = from + html[from..].find(end)?;
    let mut text = html[from..to].to_string();
    while let Some(a) = text.find("<!--") {
        let b = text[a..]
            .find("-->")
            .map(|b| a + b + 3)
            .unwrap_or(text.len());
        text.replace_range(a..b, "");
    }
    Some(text)
}

/// The recovery codes shown on a page (`xxxx-xxxx-xxxx-xxxx`).
pub fn recovery_codes(html: &str) -> Vec<String> {
    html.split("<code>")
        .skip(1)
        .filter_map(|rest| rest.split("</code>").next())
        .filter(|c| {
            c.len() == 19
                && c.split('-').count() == 4
                && c.chars()
                    .all(|ch| ch == '-' || ch.is_ascii_lowercase() || ('2'..='7').contains(&ch))
        })
        .map(str::to_string)
        .collect()
}

/// What setting up two-factor gave the person.
pub struct Enrolled {
    pub secret: String,
    pub recovery_codes: Vec<String>,
    /// The step whose code switched it on (so later codes must come after it).
    pub step: u64,
}

/// Starts the set-up on the two-factor page and returns the key it shows.
pub async fn start_setup(b: &mut Browser) -> (String, Page) {
    let res = b
        .submit("/account/two-factor", "/api/start_mfa_setup", &[])
        .await;
    assert_eq!(res.status, 302, "{}", res.body);
    let (at, page) = b.visit("/account/two-factor").await;
    assert_eq!(at, "/account/two-factor");
    let secret = between(&page.body, "data-testid=\"mfa-secret\"", "</code>")
        .and_then(|tag| tag.split_once('>').map(|(_, text)| text.to_string()))
        .unwrap_or_else(|| panic!("the key is shown: {}", page.body))
        .replace(' ', "");
    assert_eq!(secret.len(), 32, "160 bits in base32: {secret}");
    (secret, page)
}

/// Sets up two-factor for the signed-in person with the previous step's code (leaving the
/// current and next steps' codes for the test) and returns the secret and recovery codes.
pub async fn enrol(b: &mut Browser) -> Enrolled {
    let (secret, _) = start_setup(b).await;
    let step = steady_step().await - 1;
    let res = b
        .submit(
            "/account/two-factor",
            "/api/confirm_mfa_setup",
            &[("code", &code(&secret, step))],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/account/two-factor?enabled=1#recovery-codes"),
        "{}",
        res.body
    );
    let page = b.get("/account/two-factor?enabled=1").await;
    let recovery_codes = recovery_codes(&page.body);
    assert_eq!(recovery_codes.len(), 10, "{}", page.body);
    Enrolled {
        secret,
        recovery_codes,
        step,
    }
}

/// Signs in with the password and returns the answer (a redirect to the code page when
/// two-factor is on).
pub async fn password_step(app: &TestApp, email: &str) -> (Browser, Page) {
    let mut b = app.browser();
    let res = b.sign_in(email, crate::helpers::PASSWORD).await;
    (b, res)
}

/// Sends the second step's form and returns the answer.
pub async fn send_code(b: &mut Browser, code: &str) -> Page {
    b.submit(
        "/login/two-factor",
        "/api/verify_sign_in_code",
        &[("code", code)],
    )
    .await
}

/// The message a form shows after a failed post (JS off: back to the form's page).
pub async fn shown_error(b: &mut Browser, res: &Page) -> String {
    assert_eq!(res.status, 302, "{}", res.body);
    let back = res.location.clone().expect("back to the form");
    b.get(&back).await.body
}

/// Audit rows: (action, actor, subject, detail), newest first.
pub async fn audit(app: &TestApp) -> Vec<(String, Option<String>, Option<String>, Option<String>)> {
    app::audit::repo::latest(app.state.db.pool(), 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.action, r.actor_user_id, r.subject_user_id, r.detail))
        .collect()
}

/// A six-digit code that is none of the codes of the steps around `step`.
pub fn wrong_code(secret: &str, step: u64) -> String {
    let right: Vec<String> = (step.saturating_sub(2)..=step + 2)
        .map(|s| code(secret, s))
        .collect();
    (0..)
        .map(|n: u32| format!("{:06}", (123_456 + n * 7_919) % 1_000_000))
        .find(|c| !right.contains(c))
        .unwrap()
}

/// A real server process (as `server` runs, with the keys of its own data directory), its
/// log kept in a file.
pub struct Process {
    child: tokio::process::Child,
    pub base: String,
    log: PathBuf,
}

impl Process {
    pub async fn start(database_url: &str, data_dir: &Path) -> Process {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = data_dir.join("server.log");
        let out = std::fs::File::create(&log).unwrap();
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_trellis-under-test"));
        command
            .env("DATABASE_URL", database_url)
            .env("TRELLIS_DATA_DIR", data_dir)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", data_dir.join("site"))
            .env("TRELLIS_DEMO", "false")
            .env("RUST_LOG", "info")
            .env_remove("TRELLIS_SESSION_SECRET")
            .env_remove("TRELLIS_ENCRYPTION_KEY")
            .env_remove("TRELLIS_ENCRYPTION_KEY_PREVIOUS")
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .kill_on_drop(true);
        let mut child = command.spawn().expect("the server starts");
        let base = format!("http://127.0.0.1:{port}");
        let started = std::time::Instant::now();
        loop {
            if reqwest::get(format!("{base}/healthz"))
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return Process { child, base, log };
            }
            let exited = child.try_wait().unwrap();
            assert!(
                exited.is_none() && started.elapsed().as_secs() < 60,
                "the server did not start: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// Stops the server and returns everything it logged.
    pub async fn stop(mut self) -> String {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap();
        std::fs::read_to_string(&self.log).unwrap()
    }
}
