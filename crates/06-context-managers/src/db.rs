//! The scene's database: a simulated connection whose connect, queries and
//! close each take time on the runtime's clock, and a [`Database`] that keeps
//! the record of every connection's fate, so that a test can ask what became
//! of it: closed (and how), still open, or dropped while open.
//!
//! The connection is the same on every runtime: what it needs from one (a
//! sleep, a clock, a way to spawn) comes through the [`Runtime`] trait.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tracing::{info, warn};

use crate::{CLOSE, CONNECT, QUERY};

// ANCHOR: runtime
/// What the connection and the patterns need from a runtime. Each runtime
/// module implements it with that runtime's own functions.
pub trait Runtime: Clone + Send + Sync + 'static {
    /// Waits for `duration` on the runtime's clock.
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send + 'static;

    /// The runtime's clock (virtual in tests, where the runtime has one).
    fn now(&self) -> Instant;

    /// Starts `future` as a task nobody awaits: what a guard's `Drop` can do
    /// with an async cleanup, since it cannot await it.
    fn spawn_detached(&self, future: impl Future<Output = ()> + Send + 'static);
}
// ANCHOR_END: runtime

/// A query that failed: what the scene's body returns on its error path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbError(pub String);

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "database error: {}", self.0)
    }
}

impl std::error::Error for DbError {}

/// Who closed a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedBy {
    /// Someone awaited `close()`.
    Awaited,
    /// A task that a guard's `Drop` spawned.
    SpawnedTask,
    /// A `Drop` that closed it synchronously, blocking its thread.
    BlockingDrop,
}

/// What became of a connection, as the database saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Connected and neither closed nor dropped (yet).
    Open,
    /// Closed, `after` its connect began (on the runtime's clock).
    Closed {
        /// Who closed it.
        by: ClosedBy,
        /// When, counted from the start of its connect.
        after: Duration,
    },
    /// Dropped while still open: nobody closed it. The server side would
    /// keep it until its own timeout.
    Dropped {
        /// When, counted from the start of its connect.
        after: Duration,
    },
}

impl Fate {
    /// Whether the connection was closed politely, by anyone.
    pub fn is_closed(self) -> bool {
        matches!(self, Fate::Closed { .. })
    }

    /// A few words for a table, without the time (real-time runtimes give
    /// other times on every run).
    pub fn words(self) -> &'static str {
        match self {
            Fate::Open => "still open",
            Fate::Closed {
                by: ClosedBy::Awaited,
                ..
            } => "closed",
            Fate::Closed {
                by: ClosedBy::SpawnedTask,
                ..
            } => "closed by its task",
            Fate::Closed {
                by: ClosedBy::BlockingDrop,
                ..
            } => "closed, blocking",
            Fate::Dropped { .. } => "**dropped open**",
        }
    }
}

#[derive(Debug, Default)]
struct Record {
    next_id: u32,
    fates: BTreeMap<u32, Fate>,
    panic_in_close: bool,
}

/// The simulated database server: it hands out connections and remembers
/// what became of each. Cheap to clone; clones share the record.
#[derive(Debug, Clone, Default)]
pub struct Database {
    record: Arc<Mutex<Record>>,
}

impl Database {
    /// A database whose connections close normally.
    pub fn new() -> Database {
        Database::default()
    }

    /// A database whose `close` panics (after its 0.5 s), for the tests of a
    /// panic in cleanup.
    pub fn with_panicking_close() -> Database {
        let database = Database::new();
        database.lock().panic_in_close = true;
        database
    }

    fn lock(&self) -> MutexGuard<'_, Record> {
        // A panic never happens while the lock is held; a poisoned lock
        // still holds a whole record.
        self.record
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    // ANCHOR: connect
    /// Connects: takes [`CONNECT`] on the runtime's clock.
    pub async fn connect<R: Runtime>(&self, runtime: &R) -> Connection<R> {
        let started = runtime.now();
        let id = {
            let mut record = self.lock();
            record.next_id += 1;
            record.next_id
        };
        info!("connection {id}: connecting");
        runtime.sleep(CONNECT).await;
        self.lock().fates.insert(id, Fate::Open);
        info!("connection {id}: open");
        Connection {
            database: self.clone(),
            runtime: runtime.clone(),
            id,
            started,
            open: true,
        }
    }
    // ANCHOR_END: connect

    /// What became of connection `id` (numbered from 1), if it ever opened.
    pub fn fate(&self, id: u32) -> Option<Fate> {
        self.lock().fates.get(&id).copied()
    }

    /// What became of the last connection that opened.
    pub fn last_fate(&self) -> Option<Fate> {
        self.lock().fates.values().last().copied()
    }

    /// How many connections are open now: the leak counter.
    pub fn open_now(&self) -> usize {
        let record = self.lock();
        record
            .fates
            .values()
            .filter(|fate| **fate == Fate::Open)
            .count()
    }

    fn set_fate(&self, id: u32, fate: Fate) {
        self.lock().fates.insert(id, fate);
    }
}

// ANCHOR: connection
/// An open connection. Close it with [`Connection::close`], which awaits;
/// its `Drop` cannot await, so a connection dropped while open is only
/// recorded (and logged) as never closed.
#[must_use = "a connection should be closed with `close().await`"]
pub struct Connection<R: Runtime> {
    database: Database,
    runtime: R,
    id: u32,
    started: Instant,
    open: bool,
}

impl<R: Runtime> Connection<R> {
    /// Runs a query: takes [`QUERY`], answers with a line of text.
    pub async fn query(&mut self, sql: &str) -> Result<String, DbError> {
        info!("connection {}: {sql}", self.id);
        self.runtime.sleep(QUERY).await;
        Ok(format!("rows of {sql:?}"))
    }

    /// A query that never answers: a stuck server, for the timeout, abort
    /// and shutdown paths.
    pub async fn query_that_hangs(&mut self, sql: &str) -> Result<String, DbError> {
        info!("connection {}: {sql} (the server hangs)", self.id);
        std::future::pending().await
    }

    /// Closes the connection politely: takes [`CLOSE`], on the runtime.
    pub async fn close(self) {
        self.close_as(ClosedBy::Awaited).await;
    }

    /// [`Connection::close`], recorded as done by `by`.
    pub(crate) async fn close_as(mut self, by: ClosedBy) {
        info!("connection {}: closing", self.id);
        self.runtime.sleep(CLOSE).await;
        self.finish_close(by);
    }

    /// Closes the connection without a runtime: sleeps the thread for
    /// [`CLOSE`], as a blocking client library would wait for the server.
    /// Every task on this thread waits too.
    pub fn close_blocking(mut self) {
        info!("connection {}: closing, blocking the thread", self.id);
        std::thread::sleep(CLOSE);
        self.finish_close(ClosedBy::BlockingDrop);
    }

    fn finish_close(&mut self, by: ClosedBy) {
        if self.database.lock().panic_in_close {
            panic!("connection {}: close failed: connection reset", self.id);
        }
        self.open = false;
        let after = self.runtime.now() - self.started;
        self.database.set_fate(self.id, Fate::Closed { by, after });
        info!("connection {}: closed", self.id);
    }

    /// The connection's number, from 1.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// The runtime it sleeps on.
    pub fn runtime(&self) -> &R {
        &self.runtime
    }
}

impl<R: Runtime> Drop for Connection<R> {
    fn drop(&mut self) {
        if self.open {
            // No `.await` is possible here: all a destructor can do is note
            // the leak (or block, or spawn: see the patterns).
            let after = self.runtime.now() - self.started;
            self.database.set_fate(self.id, Fate::Dropped { after });
            warn!("connection {}: dropped while open, never closed", self.id);
        }
    }
}
// ANCHOR_END: connection

impl<R: Runtime> fmt::Debug for Connection<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("id", &self.id)
            .field("open", &self.open)
            .finish()
    }
}
