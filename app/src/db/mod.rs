//! The database handle over SQLite (embedded default) or PostgreSQL: reading connections
//! (`readers.rs`, read-only) and writing ones (sqlx's pool; one connection on SQLite).
//! Repository modules write one SQL text with `$N` placeholders that both engines accept.

use crate::error::AppError;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyPool, Connection, Executor, Transaction};
use std::time::Duration;

pub type Tx = Transaction<'static, Any>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn from_url(url: &str) -> Result<Self, AppError> {
        if url.starts_with("sqlite:") {
            Ok(Engine::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Engine::Postgres)
        } else {
            Err(AppError::Config(
                "DATABASE_URL must start with sqlite: or postgres:".into(),
            ))
        }
    }
}

#[derive(Clone, Debug)]
pub struct Db {
    /// For reading (see `readers.rs`).
    readers: Readers,
    /// For writing. On SQLite one connection: SQLite lets one transaction write at a time;
    /// writers that raced for its lock would back off in sleeps of up to 100 ms (the busy
    /// handler), so they queue for this connection in order instead.
    writer: AnyPool,
    engine: Engine,
    /// This server's copy of the practice's settings (see `setting`).
    settings: std::sync::Arc<SettingsCopy>,
    /// Small writes that many requests make (a record that someone read something) and that
    /// must be durable before the request answers, committed together (see `group_commit`).
    group: Option<GroupCommit>,
}

impl Db {
    /// Opens the pool and applies the migrations of the engine the URL names.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, AppError> {
        install_default_drivers();
        let engine = Engine::from_url(url)?;
        let open = |connections: u32| {
            let options = AnyPoolOptions::new()
                .max_connections(connections)
                .acquire_timeout(Duration::from_secs(10))
                .before_acquire(|conn, _meta| {
                    Box::pin(async move {
                        // A request abandoned at an unlucky moment (its client hung up) can
                        // leave its connection counted as inside a transaction nobody holds;
                        // every later transaction on it would fail. Such a connection is
                        // closed (which also ends any transaction it really had open) and
                        // a fresh one takes its place.
                        if conn.is_in_transaction() {
                            tracing::warn!("closing a database connection left in a transaction");
                            return Ok(false);
                        }
                        Ok(true)
                    })
                });
            let options = if engine == Engine::Sqlite {
                // No ping before each use: a connection to a local file does not go stale,
                // and each ping was one more round trip to the connection's thread for
                // every statement (measured on the partner's home, 10,000 couples: 1,070
                // pages a second with the pings, 1,140 without).
                options
                    .test_before_acquire(false)
                    .after_connect(move |conn, _meta| {
                        Box::pin(async move {
                            // Clinical data: durable commits (FULL), enforced references, and a
                            // generous busy timeout so writers queue instead of failing.
                            conn.execute(
                                "pragma journal_mode = wal; pragma synchronous = full; \
                             pragma foreign_keys = on; pragma busy_timeout = 10000;",
                            )
                            .await?;
                            // No memory map (`mmap_size`): measured on the 10,000-couple
                            // benchmark, it took the server from 60 MiB to 154 MiB resident
                            // under load for no gain in pages per second.
                            Ok(())
                        })
                    })
            } else {
                options
            };
            async move {
                options.connect(url).await.map_err(|e| {
                    AppError::Config(format!("cannot open the database at DATABASE_URL: {e}"))
                })
            }
        };
        // On SQLite the writing connection opens first: it creates the file and switches
        // it to write-ahead logging before any reader looks at it.
        let writer = match engine {
            Engine::Sqlite => open(1).await?,
            Engine::Postgres => open(max_connections).await?,
        };
        let readers = Readers::open(url, engine, max_connections)
            .await
            .map_err(|e| {
                AppError::Config(format!("cannot open the database at DATABASE_URL: {e}"))
            })?;
        let db = Db {
            readers,
            writer,
            engine,
            settings: Default::default(),
            group: None,
        };
        db.migrate().await?;
        let (queue, waiting) = tokio::sync::mpsc::unbounded_channel();
        // The committing task holds a handle without the queue, so the queue (and the task)
        // ends when the last handle the server holds is dropped.
        tokio::spawn(commit_in_groups(db.clone(), waiting));
        Ok(Db {
            group: Some(GroupCommit { queue }),
            ..db
        })
    }

    async fn migrate(&self) -> Result<(), AppError> {
        let migrator = match self.engine {
            Engine::Sqlite => sqlx::migrate!("../migrations/sqlite"),
            Engine::Postgres => sqlx::migrate!("../migrations/postgres"),
        };
        migrator
            .run(self.writer())
            .await
            .map_err(|e| AppError::Config(format!("database migration failed: {e}")))
    }

    /// For reading. Its connections refuse to write on both engines (see `readers.rs`).
    pub fn pool(&self) -> &Readers {
        &self.readers
    }

    /// For a single statement that writes (inserts, updates, deletes outside a
    /// transaction): SQLite's one writing connection; PostgreSQL's writing pool.
    pub fn writer(&self) -> &AnyPool {
        &self.writer
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`) on its one writing connection, so a transaction that reads first
    /// can never fail half-way with "database is locked", and concurrent writers wait their
    /// turn for that connection, first come first served.
    pub async fn begin_write(&self) -> Result<Tx, AppError> {
        let tx = match self.engine {
            Engine::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await?,
            Engine::Postgres => self.writer.begin().await?,
        };
        Ok(tx)
    }

    /// Runs `write` in a transaction shared with the other group writes queued at the same
    /// moment, and returns once that transaction has committed: durable when this returns
    /// `Ok`, one commit (one fsync on SQLite) for the whole group. If the group's
    /// transaction fails, each write is tried again in a transaction of its own, so one bad
    /// write never takes the others down with it. `write` may run more than once (only ever
    /// in a transaction that rolled back), so it must not consume what it writes.
    pub async fn group_commit(&self, write: GroupWrite) -> Result<(), AppError> {
        let Some(group) = &self.group else {
            // A handle from before the queue started (the migrations, the committing task).
            let mut tx = self.begin_write().await?;
            write(&mut tx).await?;
            tx.commit().await?;
            return Ok(());
        };
        let (done, committed) = tokio::sync::oneshot::channel();
        group
            .queue
            .send(Queued { write, done })
            .map_err(|_| AppError::internal("group commit", "the committing task has stopped"))?;
        match committed.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(message)) => Err(AppError::internal("group commit", message)),
            Err(_) => Err(AppError::internal(
                "group commit",
                "the committing task stopped before committing",
            )),
        }
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query_scalar::<_, i64>("select 1")
            .fetch_one(&self.readers)
            .await
            .is_ok()
    }

    pub async fn close(&self) {
        self.readers.close().await;
        self.writer.close().await;
    }
}

/// One write for `Db::group_commit`: given the group's transaction, adds its rows.
pub type GroupWrite = Box<
    dyn for<'t> Fn(
            &'t mut Tx,
        ) -> std::pin::Pin<
            Box<dyn std::future::Future<Output = Result<(), sqlx::Error>> + Send + 't>,
        > + Send
        + Sync,
>;

/// The most writes one group transaction carries.
const GROUP_MAX: usize = 256;

#[derive(Clone, Debug)]
struct GroupCommit {
    queue: tokio::sync::mpsc::UnboundedSender<Queued>,
}

struct Queued {
    write: GroupWrite,
    done: tokio::sync::oneshot::Sender<Result<(), String>>,
}

/// Commits queued writes in groups: whatever queued while the previous group was
/// committing goes into the next transaction (no waiting added when the queue is quiet, so
/// a lone write commits at once; under load each commit carries many).
async fn commit_in_groups(db: Db, mut waiting: tokio::sync::mpsc::UnboundedReceiver<Queued>) {
    let mut group = Vec::with_capacity(GROUP_MAX);
    while waiting.recv_many(&mut group, GROUP_MAX).await > 0 {
        match commit_together(&db, &group).await {
            Ok(()) => {
                for queued in group.drain(..) {
                    let _ = queued.done.send(Ok(()));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, writes = group.len(), "a group commit failed; committing its writes one by one");
                for queued in group.drain(..) {
                    let one = commit_together(&db, std::slice::from_ref(&queued)).await;
                    let _ = queued.done.send(one.map_err(|e| e.to_string()));
                }
            }
        }
    }
}

async fn commit_together(db: &Db, group: &[Queued]) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    for queued in group {
        (queued.write)(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

tokio::task_local! {
    /// Shifts the clock of one task (see `as_of`).
    static CLOCK_SHIFT_MS: i64;
}

/// Now, as stored: unix epoch milliseconds.
/// `$from, $from+1, …`: `n` numbered placeholders for an `in (…)` list (both engines read
/// `$N`). A list of ids is bound one by one after them.
pub fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis() + CLOCK_SHIFT_MS.try_with(|s| *s).unwrap_or(0)
}

/// Runs `work` as if it were `days_ago` days (and `hours_ago` hours) in the past: every
/// `now_ms()` inside it is shifted. Only the demo practice uses this, to give itself a
/// history through the same code paths real use takes.
pub async fn as_of<F: std::future::Future>(days_ago: i64, hours_ago: i64, work: F) -> F::Output {
    CLOCK_SHIFT_MS
        .scope(-(days_ago * 24 + hours_ago) * 3600 * 1000, work)
        .await
}

/// A fresh time-ordered id (UUIDv7) as stored.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

mod people;
mod readers;
mod settings;
pub use people::{changing_people, people_changed, people_generation};
pub use readers::Readers;
use settings::SettingsCopy;
pub use settings::{RequestSettings, SETTINGS_FRESH_FOR, get_setting, put_setting, setting};
