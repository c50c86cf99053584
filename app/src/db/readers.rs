//! The reading connections: a small pool of our own, because sqlx's pool tests every
//! connection on its way back (`ping` in `return_to_pool`, from a task spawned for each
//! statement). On SQLite that ping is one more hand-off to the connection's thread and
//! back for every statement a page runs; on PostgreSQL it is one more network round trip.
//! A connection here goes back to the pool at once when its statement has finished, and is
//! closed instead if the statement was abandoned half-way (its caller went away) or the
//! connection failed: the two cases the ping was there to catch.

use super::Engine;
use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use futures_util::{FutureExt, StreamExt, TryStreamExt};
use sqlx::AnyConnection;
use sqlx::any::{AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::{Any, Connection, Describe, Either, Execute, Executor};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a request waits for a free reading connection before it gives up.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);
/// A PostgreSQL connection idle for longer than this is tested before use (the server or
/// a proxy between may have closed it); a used one is not.
const TEST_IF_IDLE_FOR: Duration = Duration::from_secs(60);
/// Connections are replaced after this long, so none lives for ever (as sqlx's default).
const MAX_LIFETIME: Duration = Duration::from_secs(30 * 60);

#[derive(Clone)]
pub struct Readers(Arc<Inner>);

struct Inner {
    url: String,
    engine: Engine,
    idle: Mutex<Vec<Idle>>,
    permits: Arc<Semaphore>,
    /// Connections open now, lent or idle (for `size`).
    open: std::sync::atomic::AtomicUsize,
}

struct Idle {
    conn: AnyConnection,
    opened: Instant,
    since: Instant,
}

impl std::fmt::Debug for Readers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Readers")
            .field("engine", &self.0.engine)
            .field("open", &self.size())
            .finish()
    }
}

impl Readers {
    /// Opens the first connection at once, so a bad URL or file fails at start-up.
    pub(super) async fn open(url: &str, engine: Engine, max: u32) -> Result<Self, sqlx::Error> {
        let readers = Readers(Arc::new(Inner {
            url: url.to_string(),
            engine,
            idle: Mutex::new(Vec::new()),
            permits: Arc::new(Semaphore::new(max.max(1) as usize)),
            open: Default::default(),
        }));
        let first = readers.connect().await?;
        readers.put_back(first);
        Ok(readers)
    }

    /// How many reading connections are open.
    pub fn size(&self) -> usize {
        self.0.open.load(std::sync::atomic::Ordering::Relaxed)
    }

    async fn connect(&self) -> Result<Idle, sqlx::Error> {
        let mut conn = AnyConnection::connect(&self.0.url).await?;
        // Read-only on both engines, so a write sent here by mistake fails in every test
        // run. On SQLite it would also wait for the writer's lock while holding a
        // connection that readers (and that very writer) may need.
        let setup = match self.0.engine {
            Engine::Sqlite => {
                "pragma foreign_keys = on; pragma busy_timeout = 10000; pragma query_only = on;"
            }
            Engine::Postgres => "set default_transaction_read_only = on",
        };
        conn.execute(setup).await?;
        self.0
            .open
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let now = Instant::now();
        Ok(Idle {
            conn,
            opened: now,
            since: now,
        })
    }

    fn put_back(&self, mut idle: Idle) {
        // A statement that finished after `close` brings its connection back to a closed
        // pool: it is closed too.
        if self.0.permits.is_closed() {
            self.discard(idle.conn);
            return;
        }
        idle.since = Instant::now();
        self.0
            .idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(idle);
    }

    fn forget(&self) {
        self.0
            .open
            .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// A connection for one statement: an idle one if there is one, else a new one.
    async fn lease(&self) -> Result<Lease, sqlx::Error> {
        let permit = tokio::time::timeout(ACQUIRE_TIMEOUT, self.0.permits.clone().acquire_owned())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)?
            .map_err(|_| sqlx::Error::PoolClosed)?;
        // From here on the lease owns whatever connection it holds, so a caller that goes
        // away at any await below leaves nothing uncounted.
        let mut lease = Lease {
            readers: self.clone(),
            idle: None,
            _permit: permit,
        };
        loop {
            let popped = self.0.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
            let Some(idle) = popped else {
                let fresh = tokio::time::timeout(ACQUIRE_TIMEOUT, self.connect())
                    .await
                    .map_err(|_| sqlx::Error::PoolTimedOut)??;
                lease.idle = Some(fresh);
                return Ok(lease);
            };
            if idle.opened.elapsed() > MAX_LIFETIME {
                self.discard(idle.conn);
                continue;
            }
            let test = self.0.engine == Engine::Postgres && idle.since.elapsed() > TEST_IF_IDLE_FOR;
            lease.idle = Some(idle);
            if test && lease.conn().ping().await.is_err() {
                if let Some(dead) = lease.idle.take() {
                    self.discard(dead.conn);
                }
                continue;
            }
            return Ok(lease);
        }
    }

    fn discard(&self, conn: AnyConnection) {
        self.forget();
        // Closing politely is a round trip; it happens off the request's path. Without a
        // runtime (the server is stopping) the connection is simply dropped.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let _ = conn.close().await;
            });
        }
    }

    /// Closes every idle connection and refuses new leases.
    pub async fn close(&self) {
        self.0.permits.close();
        let idle: Vec<Idle> =
            std::mem::take(&mut *self.0.idle.lock().unwrap_or_else(|e| e.into_inner()));
        for idle in idle {
            self.forget();
            let _ = idle.conn.close().await;
        }
    }
}

/// One connection lent for one statement. It goes back to the pool only through `finish`;
/// dropped any other way (the statement's future was dropped while it ran), the connection
/// may be half-way through an answer, so it is closed instead.
struct Lease {
    readers: Readers,
    idle: Option<Idle>,
    _permit: OwnedSemaphorePermit,
}

impl Lease {
    fn conn(&mut self) -> &mut AnyConnection {
        &mut self
            .idle
            .as_mut()
            .expect("a lease holds its connection until it ends")
            .conn
    }

    /// The statement has run to its end. A connection that failed below SQL (its socket,
    /// its thread) or was left inside a transaction is not lent again.
    fn finish<T>(self, outcome: &Result<T, sqlx::Error>) {
        self.finish_all(outcome.as_ref().err().into_iter());
    }

    fn finish_all<'a>(mut self, mut errors: impl Iterator<Item = &'a sqlx::Error>) {
        let Some(idle) = self.idle.take() else { return };
        let healthy = errors.all(|e| {
            // Errors in what was asked, or in reading its answer: the connection is fine.
            matches!(
                e,
                sqlx::Error::Database(_)
                    | sqlx::Error::RowNotFound
                    | sqlx::Error::ColumnNotFound(_)
                    | sqlx::Error::ColumnIndexOutOfBounds { .. }
                    | sqlx::Error::ColumnDecode { .. }
                    | sqlx::Error::TypeNotFound { .. }
                    | sqlx::Error::Encode(_)
                    | sqlx::Error::Decode(_)
            )
        });
        if healthy && !idle.conn.is_in_transaction() {
            self.readers.put_back(idle);
        } else {
            self.readers.discard(idle.conn);
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(idle) = self.idle.take() {
            self.readers.discard(idle.conn);
        }
    }
}

impl<'p> Executor<'p> for &'_ Readers {
    type Database = Any;

    /// Runs the statement to its end on one connection and then hands back its results:
    /// nothing in Trellis streams rows, and a connection goes back to the pool sooner.
    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<'e, Result<Either<AnyQueryResult, AnyRow>, sqlx::Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Any>,
    {
        let readers = self.clone();
        futures_util::stream::once(async move {
            let mut lease = readers.lease().await?;
            let results: Vec<_> = lease.conn().fetch_many(query).collect().await;
            lease.finish_all(results.iter().filter_map(|r| r.as_ref().err()));
            Ok::<_, sqlx::Error>(futures_util::stream::iter(results))
        })
        .try_flatten()
        .boxed()
    }

    fn fetch_optional<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxFuture<'e, Result<Option<AnyRow>, sqlx::Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Any>,
    {
        let readers = self.clone();
        async move {
            let mut lease = readers.lease().await?;
            let row = lease.conn().fetch_optional(query).await;
            lease.finish(&row);
            row
        }
        .boxed()
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [AnyTypeInfo],
    ) -> BoxFuture<'e, Result<AnyStatement<'q>, sqlx::Error>>
    where
        'p: 'e,
    {
        let readers = self.clone();
        async move {
            let mut lease = readers.lease().await?;
            let statement = lease.conn().prepare_with(sql, parameters).await;
            lease.finish(&statement);
            statement
        }
        .boxed()
    }

    fn describe<'e, 'q: 'e>(self, sql: &'q str) -> BoxFuture<'e, Result<Describe<Any>, sqlx::Error>>
    where
        'p: 'e,
    {
        let readers = self.clone();
        async move {
            let mut lease = readers.lease().await?;
            let described = lease.conn().describe(sql).await;
            lease.finish(&described);
            described
        }
        .boxed()
    }
}
