//! Two-factor secrets at rest: sealed in the database, bound to their account, still working
//! after a restart, sealed again when the key changes, sealed at start-up when an earlier
//! version stored them in plain text; and a copy of the database opened with another key
//! gives no working code (the person is told what to do, the log says why, without secrets).

use super::support::*;
use crate::both_engines;
use crate::helpers::{Browser, Engine, Options, PASSWORD, TempDir, TestApp, temp_dir};
use app::auth::Role;
use base64::Engine as _;

both_engines!(
    secrets_are_sealed_and_codes_work_after_a_restart,
    a_copy_opened_with_another_key_gives_no_working_code,
    a_key_change_seals_rows_again_and_old_ones_open_meanwhile,
    secrets_stored_in_plain_text_are_sealed_at_start_up,
);

const KEY_A: &str = "the first encryption key of these tests (32+)";
const KEY_B: &str = "the second encryption key of these tests (32+)";

async fn stored(app: &TestApp, user_id: &str) -> String {
    sqlx::query_scalar("select secret from user_mfa where app_user_id = $1")
        .bind(user_id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

/// The stored secret is sealed under `key_id`, and holds neither the secret as shown (base32)
/// nor its bytes, whether read as text, as hex, or with its parts decoded.
fn assert_sealed(stored: &str, secret: &str, key_id: &str) {
    assert!(stored.starts_with(&format!("v1:{key_id}:")), "{stored}");
    let bytes = decode_base32(secret);
    assert_eq!(bytes.len(), 20);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    assert!(!stored.to_uppercase().contains(secret), "{stored}");
    assert!(!stored.to_lowercase().contains(&hex), "{stored}");
    let mut views = vec![stored.as_bytes().to_vec()];
    views.extend(stored.split(':').filter_map(|part| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part)
            .ok()
    }));
    // Nonce (24 bytes), the 20 encrypted bytes, and the tag (16 bytes).
    assert_eq!(views.last().unwrap().len(), 24 + 20 + 16, "{stored}");
    for view in views {
        assert!(!view.windows(20).any(|w| w == bytes.as_slice()), "{stored}");
    }
}

/// Another server on the same database: with `app`'s generated keys (as after a restart), or
/// with a data directory of its own (where a new random key is made).
async fn restarted(app: &TestApp, engine: Engine, keep_keys: bool, options: Options) -> TestApp {
    let dir = temp_dir();
    for file in ["session.key", "encryption.key"] {
        let kept = app.config.data_dir.join(file);
        if keep_keys && kept.exists() {
            std::fs::copy(kept, dir.0.join(file)).unwrap();
        }
    }
    TestApp::spawn_on(engine, dir, app.config.database_url(), options).await
}

/// Signs in with the password and the next code from the app; true when signed in.
async fn signs_in_with_a_code(app: &TestApp, email: &str, secret: &str, used: &mut u64) -> bool {
    let (mut b, res) = password_step(app, email).await;
    assert_eq!(res.location.as_deref(), Some("/login/two-factor"));
    let res = send_code(&mut b, &next_code(secret, used).await).await;
    res.location.as_deref() == Some("/") && b.session_cookie().is_some()
}

/// The key the set-up page shows, without starting a new set-up.
async fn key_shown(b: &mut Browser) -> Option<String> {
    let page = b.get("/account/two-factor").await;
    between(&page.body, "data-testid=\"mfa-secret\"", "</code>")
        .and_then(|tag| tag.split_once('>').map(|(_, text)| text.replace(' ', "")))
}

async fn secrets_are_sealed_and_codes_work_after_a_restart(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let robin_id = app
        .create_user(Role::Counselor, "Robin Hale", "robin@example.org")
        .await;
    let sam_id = app
        .create_user(Role::Admin, "Sam Okafor", "sam@example.org")
        .await;
    let key_id = app.state.auth.mfa_keys.current_id().to_string();

    // A set-up waiting for its first code is sealed too.
    let mut sam = app.browser();
    sam.sign_in("sam@example.org", PASSWORD).await;
    let (waiting, _) = start_setup(&mut sam).await;
    assert_sealed(&stored(&app, &sam_id).await, &waiting, &key_id);

    let mut robin = app.browser();
    robin.sign_in("robin@example.org", PASSWORD).await;
    let enrolled = enrol(&mut robin).await;
    let row = stored(&app, &robin_id).await;
    assert_sealed(&row, &enrolled.secret, &key_id);

    // A restart on the same database and data directory: nothing to do at start-up, and the
    // codes and the waiting set-up work as before.
    let again = restarted(&app, engine, true, Options::default()).await;
    assert_eq!(again.state.auth.mfa_keys.current_id(), key_id);
    assert_eq!(stored(&again, &robin_id).await, row, "left as it was");
    let mut used = enrolled.step;
    assert!(signs_in_with_a_code(&again, "robin@example.org", &enrolled.secret, &mut used).await);
    let mut sam = again.browser();
    sam.sign_in("sam@example.org", PASSWORD).await;
    assert_eq!(key_shown(&mut sam).await.as_deref(), Some(waiting.as_str()));

    // Bound to its account: Robin's sealed secret copied onto Sam's row does not open there.
    sqlx::query("update user_mfa set secret = $1 where app_user_id = $2")
        .bind(&row)
        .bind(&sam_id)
        .execute(again.state.db.writer())
        .await
        .unwrap();
    assert_eq!(
        key_shown(&mut sam).await,
        None,
        "neither Robin's key nor Sam's"
    );
    let page = sam.get("/account/two-factor").await;
    assert!(
        page.body.contains("Set up two-factor sign-in"),
        "a fresh start"
    );
    let res = sam
        .submit(
            "/account/two-factor",
            "/api/confirm_mfa_setup",
            &[("code", &next_code(&enrolled.secret, &mut used).await)],
        )
        .await;
    let body = shown_error(&mut sam, &res).await;
    assert!(
        body.contains("Your set-up can no longer be checked."),
        "{body}"
    );
}

async fn a_copy_opened_with_another_key_gives_no_working_code(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let robin_id = app
        .create_user(Role::Counselor, "Robin Hale", "robin@example.org")
        .await;
    let mut robin = app.browser();
    robin.sign_in("robin@example.org", PASSWORD).await;
    let enrolled = enrol(&mut robin).await;
    let key_id = app.state.auth.mfa_keys.current_id().to_string();

    // The copy: a `server backup` file on SQLite; on PostgreSQL the database itself, opened by
    // a server with another key (what a pg_dump restored elsewhere would give).
    let elsewhere: TempDir = temp_dir();
    let url = match engine {
        Engine::Sqlite => {
            let copy = elsewhere.0.join("copy.db");
            server::cli::backup(&app.config, &copy).await.unwrap();
            format!("sqlite://{}?mode=rwc", copy.display())
        }
        Engine::Postgres => app.config.database_url(),
    };
    let other = Process::start(&url, &elsewhere.0).await;

    let mut used = enrolled.step;
    let mut b = Browser::new(&other.base);
    let res = b.sign_in("robin@example.org", PASSWORD).await;
    assert_eq!(res.location.as_deref(), Some("/login/two-factor"));
    let right = next_code(&enrolled.secret, &mut used).await;
    let res = send_code(&mut b, &right).await;
    let body = shown_error(&mut b, &res).await;
    assert!(
        body.contains("Trellis cannot check codes from your authenticator app right now.")
            && body.contains("Sign in with one of your recovery codes instead"),
        "{body}"
    );
    assert!(b.session_cookie().is_none());
    let res = b
        .call("/api/verify_sign_in_code", &[("code", &right)])
        .await;
    assert_eq!(
        res.status, 409,
        "a clear refusal, not a failure: {}",
        res.body
    );
    // The recovery codes (which only Robin has; the database keeps their hashes) still work.
    let res = send_code(&mut b, &enrolled.recovery_codes[0]).await;
    assert_eq!(res.location.as_deref(), Some("/"), "{}", res.body);
    let unreadable: i64 = {
        use sqlx::Connection;
        let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
        sqlx::query_scalar(
            "select count(*) from audit_event \
             where action = 'mfa_code_refused' and detail = 'secret_unreadable'",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap()
    };
    assert_eq!(unreadable, 2);

    // The log names the missing key's id at start-up and says what happened at sign-in;
    // it holds no secret, no key and not even the sealed secret.
    let log = other.stop().await;
    assert!(
        log.contains(&format!("key id {key_id}, which this server was not given"))
            && log.contains("TRELLIS_ENCRYPTION_KEY_PREVIOUS"),
        "{log}"
    );
    assert!(
        log.contains("a two-factor secret cannot be opened"),
        "{log}"
    );
    assert!(log.contains(&robin_id), "the log says whose: {log}");
    let keys = [
        std::fs::read_to_string(app.config.data_dir.join("encryption.key")).unwrap(),
        std::fs::read_to_string(elsewhere.0.join("encryption.key")).unwrap(),
    ];
    let sealed = stored(&app, &robin_id).await;
    let sealed_part = sealed.rsplit(':').next().unwrap().to_string();
    for secret in [&enrolled.secret, &keys[0], &keys[1], &sealed_part] {
        assert!(!log.contains(secret.trim()), "a secret in the log: {log}");
    }

    // The other server left Robin's row as it was: the practice's own server still reads it.
    assert!(signs_in_with_a_code(&app, "robin@example.org", &enrolled.secret, &mut used).await);
}

async fn a_key_change_seals_rows_again_and_old_ones_open_meanwhile(engine: Engine) {
    let with_keys = |current: &str, previous: Option<&str>| Options {
        encryption_key: Some(current.into()),
        encryption_key_previous: previous.map(str::to_string),
        ..Default::default()
    };
    let app = TestApp::spawn_with(engine, with_keys(KEY_A, None)).await;
    let robin_id = app
        .create_user(Role::Counselor, "Robin Hale", "robin@example.org")
        .await;
    let sam_id = app
        .create_user(Role::Admin, "Sam Okafor", "sam@example.org")
        .await;
    let mut robin = app.browser();
    robin.sign_in("robin@example.org", PASSWORD).await;
    let robin_key = enrol(&mut robin).await;
    let id_a = app.state.auth.mfa_keys.current_id().to_string();
    assert_sealed(&stored(&app, &robin_id).await, &robin_key.secret, &id_a);

    // The new key seals, the old one is kept as an earlier key: start-up seals Robin's row
    // again under the new key, and Robin's codes work.
    let rotated = restarted(&app, engine, false, with_keys(KEY_B, Some(KEY_A))).await;
    let id_b = rotated.state.auth.mfa_keys.current_id().to_string();
    assert_ne!(id_a, id_b);
    assert_sealed(&stored(&rotated, &robin_id).await, &robin_key.secret, &id_b);
    let mut robin_used = robin_key.step;
    let robin_in = signs_in_with_a_code(
        &rotated,
        "robin@example.org",
        &robin_key.secret,
        &mut robin_used,
    );
    assert!(robin_in.await);

    // Meanwhile a server still on the old key seals Sam's new set-up with it: the new server
    // opens it all the same, and seals it again at its next start.
    let mut sam = app.browser();
    sam.sign_in("sam@example.org", PASSWORD).await;
    let sam_key = enrol(&mut sam).await;
    assert_sealed(&stored(&app, &sam_id).await, &sam_key.secret, &id_a);
    let mut sam_used = sam_key.step;
    assert!(
        signs_in_with_a_code(&rotated, "sam@example.org", &sam_key.secret, &mut sam_used).await
    );
    assert!(
        stored(&rotated, &sam_id)
            .await
            .starts_with(&format!("v1:{id_a}:"))
    );
    let again = restarted(&app, engine, false, with_keys(KEY_B, Some(KEY_A))).await;
    assert_sealed(&stored(&again, &sam_id).await, &sam_key.secret, &id_b);

    // Every row is under the new key now, so the old one can go.
    let done = restarted(&app, engine, false, with_keys(KEY_B, None)).await;
    assert!(done.state.auth.mfa_keys.previous_ids().is_empty());
    assert!(
        signs_in_with_a_code(
            &done,
            "robin@example.org",
            &robin_key.secret,
            &mut robin_used
        )
        .await
    );
    assert!(signs_in_with_a_code(&done, "sam@example.org", &sam_key.secret, &mut sam_used).await);
}

async fn secrets_stored_in_plain_text_are_sealed_at_start_up(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let robin_id = app
        .create_user(Role::Counselor, "Robin Hale", "robin@example.org")
        .await;
    let sam_id = app
        .create_user(Role::Admin, "Sam Okafor", "sam@example.org")
        .await;
    let mut robin = app.browser();
    robin.sign_in("robin@example.org", PASSWORD).await;
    let enrolled = enrol(&mut robin).await;
    let mut sam = app.browser();
    sam.sign_in("sam@example.org", PASSWORD).await;
    let (waiting, _) = start_setup(&mut sam).await;

    // As the version before sealing stored them: the base32 secret itself.
    for (id, secret) in [(&robin_id, &enrolled.secret), (&sam_id, &waiting)] {
        sqlx::query("update user_mfa set secret = $1 where app_user_id = $2")
            .bind(secret)
            .bind(id)
            .execute(app.state.db.writer())
            .await
            .unwrap();
    }

    let again = restarted(&app, engine, true, Options::default()).await;
    let key_id = again.state.auth.mfa_keys.current_id().to_string();
    let robin_row = stored(&again, &robin_id).await;
    assert_sealed(&robin_row, &enrolled.secret, &key_id);
    assert_sealed(&stored(&again, &sam_id).await, &waiting, &key_id);
    let mut used = enrolled.step;
    assert!(signs_in_with_a_code(&again, "robin@example.org", &enrolled.secret, &mut used).await);
    // Sam's waiting set-up shows the same key, and its code switches two-factor on.
    let mut sam = again.browser();
    sam.sign_in("sam@example.org", PASSWORD).await;
    assert_eq!(key_shown(&mut sam).await.as_deref(), Some(waiting.as_str()));
    let mut sam_used = 0;
    let res = sam
        .submit(
            "/account/two-factor",
            "/api/confirm_mfa_setup",
            &[("code", &next_code(&waiting, &mut sam_used).await)],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/account/two-factor?enabled=1#recovery-codes"),
        "{}",
        res.body
    );

    // Once sealed, a later start leaves the rows as they are.
    let third = restarted(&app, engine, true, Options::default()).await;
    assert_eq!(stored(&third, &robin_id).await, robin_row);
}
