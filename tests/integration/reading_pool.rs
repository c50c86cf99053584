//! The reading connections (`app::db::Readers`): a connection goes back to the pool when
//! its statement has finished, never while a statement abandoned half-way may still be
//! running on it; reads never write; the pool never opens more than it may.

use crate::both_engines;
use crate::helpers::{Engine, fresh_database, temp_dir};
use app::db::Db;
use std::time::Duration;

both_engines!(
    an_abandoned_read_is_closed_and_the_next_reads_get_their_own_answers,
    a_failing_statement_keeps_its_connection,
    reading_connections_refuse_to_write,
    concurrent_reads_share_at_most_the_pool_size,
);

/// A read that runs for many seconds on either engine.
fn slow_read(engine: Engine) -> &'static str {
    match engine {
        Engine::Sqlite => {
            "with recursive n(i) as (select 1 union all select i + 1 from n where i < 200000000) \
             select count(*) from n"
        }
        Engine::Postgres => "select 1 from (select pg_sleep(30)) as s",
    }
}

async fn open(engine: Engine, dir: &std::path::Path, connections: u32) -> Db {
    let url = fresh_database(engine, dir).await;
    Db::connect(&url, connections).await.unwrap()
}

async fn echo(db: &Db, n: i64) -> i64 {
    sqlx::query_scalar::<_, i64>("select $1")
        .bind(n)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

async fn an_abandoned_read_is_closed_and_the_next_reads_get_their_own_answers(engine: Engine) {
    let dir = temp_dir();
    let db = open(engine, &dir.0, 2).await;
    // Nothing else uses this handle: the one connection opened at start is idle.
    assert_eq!(echo(&db, 7).await, 7);
    assert_eq!(db.pool().size(), 1);

    // The caller goes away while the statement runs (a client hanging up mid-page).
    let abandoned = tokio::time::timeout(
        Duration::from_millis(300),
        sqlx::query_scalar::<_, i64>(slow_read(engine)).fetch_one(db.pool()),
    )
    .await;
    assert!(abandoned.is_err(), "the slow read was still running");
    assert_eq!(
        db.pool().size(),
        0,
        "the connection still busy with the abandoned statement is closed, not lent again"
    );

    // Later reads run on fresh connections and each gets its own answer.
    for n in 0..6 {
        assert_eq!(echo(&db, n).await, n);
    }
    assert_eq!(db.pool().size(), 1);
    db.close().await;
}

async fn a_failing_statement_keeps_its_connection(engine: Engine) {
    let dir = temp_dir();
    let db = open(engine, &dir.0, 2).await;
    assert_eq!(echo(&db, 1).await, 1);
    let missing = sqlx::query("select * from no_such_table")
        .fetch_all(db.pool())
        .await;
    assert!(matches!(missing, Err(sqlx::Error::Database(_))));
    let none = sqlx::query_scalar::<_, i64>("select 1 where 1 = 0")
        .fetch_one(db.pool())
        .await;
    assert!(matches!(none, Err(sqlx::Error::RowNotFound)));
    // An error in what was asked says nothing about the connection: it is lent again.
    assert_eq!(db.pool().size(), 1);
    assert_eq!(echo(&db, 2).await, 2);
    assert_eq!(db.pool().size(), 1);
    db.close().await;
}

async fn reading_connections_refuse_to_write(engine: Engine) {
    let dir = temp_dir();
    let db = open(engine, &dir.0, 2).await;
    let write = "update app_setting set value = value where 1 = 0";
    let refused = sqlx::query(write).execute(db.pool()).await;
    assert!(
        matches!(refused, Err(sqlx::Error::Database(_))),
        "a write on a reading connection fails on both engines: {refused:?}"
    );
    // The same statement on the writing side runs.
    sqlx::query(write).execute(db.writer()).await.unwrap();
    // And the reading connection that refused is still good for reading.
    assert_eq!(echo(&db, 3).await, 3);
    db.close().await;
}

async fn concurrent_reads_share_at_most_the_pool_size(engine: Engine) {
    let dir = temp_dir();
    let db = open(engine, &dir.0, 3).await;
    let reads = (0..24).map(|n| {
        let db = db.clone();
        tokio::spawn(async move {
            let n = sqlx::query_scalar::<_, i64>(match engine {
                Engine::Sqlite => "select $1 from (select count(*) from app_setting)",
                Engine::Postgres => "select $1 from (select pg_sleep(0.02)) as s",
            })
            .bind(n)
            .fetch_one(db.pool())
            .await
            .unwrap();
            (n, db.pool().size())
        })
    });
    let mut answers = Vec::new();
    for read in reads.collect::<Vec<_>>() {
        let (n, open) = read.await.unwrap();
        assert!(
            open <= 3,
            "{open} reading connections open; the pool allows 3"
        );
        answers.push(n);
    }
    assert_eq!(answers, (0..24).collect::<Vec<_>>());
    db.close().await;
    assert_eq!(db.pool().size(), 0, "closing closes every idle connection");
    assert!(!db.ping().await, "a closed pool lends nothing");
}
