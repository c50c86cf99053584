//! Backups: `server backup` copies the SQLite database while Trellis serves and takes writes;
//! `server restore` puts a backup in place, keeping the database it replaces; the restored
//! practice serves the same data. On PostgreSQL both point to pg_dump and pg_restore.

use crate::both_engines;
use crate::helpers::{Engine, Options, TestApp, temp_dir};
use crate::practice::{as_actor, practice};

both_engines!(a_backup_taken_while_serving_restores_the_same_practice);

async fn a_backup_taken_while_serving_restores_the_same_practice(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let out = temp_dir();
    let first = out.0.join("during-load.db");
    if engine == Engine::Postgres {
        let err = server::cli::backup(&app.config, &first).await.unwrap_err();
        assert!(err.to_string().contains("pg_dump"), "{err}");
        let err = server::cli::restore(&app.config, &first).await.unwrap_err();
        assert!(err.to_string().contains("pg_restore"), "{err}");
        return;
    }
    p.robin
        .call(
            "/api/write_agreement",
            &[("couple_id", couple.as_str()), ("body", "BACKUP-AGREEMENT")],
        )
        .await;

    // Jordan posts numbered wins one after another while the backup is taken.
    crate::actions::open_wins_walls(&app).await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                n += 1;
                let res = jordan
                    .call("/api/post_win", &[("body", &format!("WIN-{n:04}"))])
                    .await;
                assert_eq!(res.status, 200);
            }
            n
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    let said = server::cli::backup(&app.config, &first).await.unwrap();
    assert!(said.contains("integrity ok"), "{said}");
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let posted = writer.await.unwrap();
    assert!(posted > 1, "wins were posted during the backup");
    // A second backup never overwrites the first.
    let again = server::cli::backup(&app.config, &first).await.unwrap_err();
    assert!(again.to_string().contains("already exists"));

    // One snapshot: the wins in the backup are 1..k with no gap.
    let mut copy = {
        use sqlx::Connection;
        sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=ro", first.display()))
            .await
            .unwrap()
    };
    let wins: Vec<String> = sqlx::query_scalar("select body from small_win order by body")
        .fetch_all(&mut copy)
        .await
        .unwrap();
    assert!(!wins.is_empty() && wins.len() <= posted);
    for (i, body) in wins.iter().enumerate() {
        assert_eq!(
            body,
            &format!("WIN-{:04}", i + 1),
            "no gaps in the snapshot"
        );
    }

    // Quiet now: back up, restore into a new data directory (over a database that already
    // exists there), and serve it.
    let quiet = out.0.join("quiet.db");
    server::cli::backup(&app.config, &quiet).await.unwrap();
    let dir = temp_dir();
    let url = crate::helpers::fresh_database(Engine::Sqlite, &dir.0).await;
    let mut config = app.config.clone();
    config.database_url = Some(server::config::Secret::from_str_lossy(&url));
    config.data_dir = dir.0.clone();
    config.site_addr = "127.0.0.1:0".parse().unwrap();
    std::fs::write(dir.0.join("trellis.db"), b"an older database").unwrap();
    let said = server::cli::restore(&config, &quiet).await.unwrap();
    assert!(said.contains("is kept as"), "{said}");
    let kept: Vec<_> = std::fs::read_dir(&dir.0)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("before-restore"))
        .collect();
    assert_eq!(kept.len(), 1, "the replaced database is kept");
    // Restoring onto a running server's address is refused.
    let refused = server::cli::restore(&app.config, &quiet).await.unwrap_err();
    assert!(refused.to_string().contains("stop Trellis"), "{refused}");

    let restored = TestApp::spawn_on(Engine::Sqlite, dir, url, Options::default()).await;
    let mut robin_again = as_actor(&restored, Some("robin@example.org")).await;
    let mut robin_now = as_actor(&app, Some("robin@example.org")).await;
    // Every section of the case page reads the same.
    for section in crate::helpers::CASE_SECTIONS {
        let args = [("couple_id", couple.as_str()), ("section", section)];
        let before = robin_now.call("/api/get_case_section", &args).await;
        let after = robin_again.call("/api/get_case_section", &args).await;
        assert_eq!(after.status, 200);
        if section == "agreements" {
            assert!(after.body.contains("BACKUP-AGREEMENT"));
        }
        assert_eq!(
            after.body, before.body,
            "the restored case is the same case ({section})"
        );
    }
    let args = [("couple_id", couple.as_str())];
    let after = robin_again.call("/api/get_case_section", &args).await;
    assert_eq!(after.status, 200, "the restored case opens");
    let mut jordan_again = as_actor(&restored, Some("jordan@example.org")).await;
    let wall = jordan_again.call("/api/my_wins", &[]).await;
    assert_eq!(wall.body.matches("WIN-").count(), posted.min(50));
}
