//! Crash safety: a real server process takes concurrent small-win posts and is killed with
//! SIGKILL at random moments, 20 times. Every post that was answered with success is in the
//! database afterwards, SQLite's integrity check passes, and the server starts again cleanly.

use crate::helpers::{Browser, Engine, TestApp};
use crate::practice::{as_actor, practice};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CYCLES: usize = 20;
const WRITERS: usize = 4;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A small deterministic-per-run pseudo-random sequence (xorshift), seeded from the clock.
struct Moments(u64);
impl Moments {
    fn next_ms(&mut self, from: u64, to: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        from + self.0 % (to - from)
    }
}

/// Starts a server process on the test's database and waits until it answers.
async fn start_server(app: &TestApp, cycle: usize) -> (tokio::process::Child, String) {
    let port = free_port();
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_trellis-under-test"))
        .env("DATABASE_URL", app.config.database_url())
        .env("TRELLIS_DATA_DIR", &app.config.data_dir)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", app.config.data_dir.join("site"))
        .env("TRELLIS_DEMO", "false")
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the server starts");
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    loop {
        let up = reqwest::get(format!("{base}/healthz"))
            .await
            .is_ok_and(|r| r.status().is_success());
        if up {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "cycle {cycle}: the server did not start again after being killed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (child, base)
}

/// The test's database file, opened read-only and checked sound.
async fn sound_database(app: &TestApp, cycle: usize) -> sqlx::SqliteConnection {
    use sqlx::Connection;
    let path = app.config.data_dir.join("trellis.db");
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=ro", path.display()))
        .await
        .unwrap();
    let integrity: String = sqlx::query_scalar("pragma integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(integrity, "ok", "cycle {cycle}");
    conn
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_posts_survive_sigkill() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    practice(&app).await;
    crate::actions::open_wins_walls(&app).await;
    // Jordan's session (kept in the database, signed with the data directory's key) serves
    // every server process in turn.
    let jordan = as_actor(&app, Some("jordan@example.org")).await;
    let cookie = format!(
        "{}={}",
        app::auth::session::SESSION_COOKIE,
        jordan.session_cookie().expect("signed in")
    );
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut moments = Moments(seed);
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    for cycle in 0..CYCLES {
        let (mut child, base) = start_server(&app, cycle).await;
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                let client = Browser::new(&base).client;
                let cookie = cookie.clone();
                let acknowledged = acknowledged.clone();
                let base = base.clone();
                tokio::spawn(async move {
                    for n in 0.. {
                        let body = format!("CRASH-{cycle:02}-{w}-{n:05}");
                        let res = client
                            .post(format!("{base}/api/post_win"))
                            .header("cookie", &cookie)
                            .form(&[("body", body.as_str())])
                            .send()
                            .await;
                        match res {
                            Ok(r) if r.status().is_success() => {
                                acknowledged.lock().unwrap().push(body)
                            }
                            Ok(r) => panic!("cycle {cycle}: {} for {body}", r.status()),
                            // The server is gone: this post was never acknowledged.
                            Err(_) => break,
                        }
                    }
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(moments.next_ms(100, 700))).await;
        child.start_kill().expect("SIGKILL");
        child.wait().await.unwrap();
        for w in writers {
            w.await.unwrap();
        }

        // Everything acknowledged so far is there, and the file is sound.
        let mut conn = sound_database(&app, cycle).await;
        let stored: BTreeSet<String> =
            sqlx::query_scalar("select body from small_win where body like 'CRASH-%'")
                .fetch_all(&mut conn)
                .await
                .unwrap()
                .into_iter()
                .collect();
        let acknowledged = acknowledged.lock().unwrap().clone();
        let lost: Vec<&String> = acknowledged
            .iter()
            .filter(|b| !stored.contains(*b))
            .collect();
        assert!(lost.is_empty(), "cycle {cycle}: lost {lost:?}");
    }
    let total = acknowledged.lock().unwrap().len();
    println!("{total} acknowledged posts, all kept, over {CYCLES} kills");
    assert!(
        total >= CYCLES * 5,
        "only {total} posts were acknowledged: the test did not exercise the server"
    );
}

/// Reading a case is audited through group commits (many readers' entries in one
/// transaction): every read that was answered has its entry after a SIGKILL, because a
/// reader is answered only once its group has committed.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_case_reads_keep_their_audit_entries_through_sigkill() {
    const READERS: usize = 8;
    let app = TestApp::spawn(Engine::Sqlite).await;
    let practice = practice(&app).await;
    let cookie = format!(
        "{}={}",
        app::auth::session::SESSION_COOKIE,
        practice.robin.session_cookie().expect("signed in")
    );
    let couple = practice.couple.clone();
    let mut moments = Moments(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
            | 1,
    );
    let mut answered = 0usize;
    for cycle in 0..CYCLES / 2 {
        let (mut child, base) = start_server(&app, cycle).await;
        let readers: Vec<_> = (0..READERS)
            .map(|_| {
                let client = Browser::new(&base).client;
                let (cookie, couple, base) = (cookie.clone(), couple.clone(), base.clone());
                tokio::spawn(async move {
                    let mut answered = 0usize;
                    loop {
                        let res = client
                            .post(format!("{base}/api/get_case_section"))
                            .header("cookie", &cookie)
                            .form(&[("couple_id", couple.as_str())])
                            .send()
                            .await;
                        let body = match res {
                            Ok(r) if r.status().is_success() => r.text().await,
                            Ok(r) => panic!("cycle {cycle}: {}", r.status()),
                            Err(_) => break,
                        };
                        // Answered in full: the case, read after its entry committed.
                        match body {
                            Ok(body) if body.contains("Jordan & Casey") => answered += 1,
                            Ok(body) => panic!("cycle {cycle}: not the case: {body}"),
                            Err(_) => break,
                        }
                    }
                    answered
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(moments.next_ms(100, 700))).await;
        child.start_kill().expect("SIGKILL");
        child.wait().await.unwrap();
        for r in readers {
            answered += r.await.unwrap();
        }
        let mut conn = sound_database(&app, cycle).await;
        let recorded: i64 = sqlx::query_scalar(
            "select count(*) from audit_event a join app_user u on u.app_user_id = a.actor_user_id \
             where a.action = 'case_viewed' and a.couple_id = $1 and u.email = 'robin@example.org'",
        )
        .bind(&couple)
        .fetch_one(&mut conn)
        .await
        .unwrap();
        assert!(
            recorded as usize >= answered,
            "cycle {cycle}: {answered} reads answered, only {recorded} in the audit trail"
        );
    }
    println!(
        "{answered} case reads answered, each with its audit entry, over {} kills",
        CYCLES / 2
    );
    assert!(
        answered >= CYCLES * 5,
        "only {answered} reads were answered: the test did not exercise the server"
    );
}
