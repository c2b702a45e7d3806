//! The patterns on tokio. The connection and the patterns are the same code
//! as on our loop; what differs is the end. A tokio runtime that is dropped
//! (or shut down with `shutdown_timeout`) drops every task that has not
//! finished, at its next `.await`: a cleanup a guard spawned from its `Drop`
//! is dropped with them. `shutdown_timeout` waits only for `spawn_blocking`
//! work already started. To give async cleanup its time, the program must
//! await it before it leaves `block_on`: here, a
//! [`JoinSet`](tokio::task::JoinSet) of the cleanups.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::runtime::{Builder, Runtime as TokioRuntime};
use tokio::task::JoinSet;

use crate::db::{Database, Fate, Runtime};
use crate::paths::{Cancel, CleanupPath, Outcome, drive};
use crate::patterns::Pattern;

// ANCHOR: runtime
/// The tokio runtime this code runs in.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tokio;

impl Runtime for Tokio {
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send + 'static {
        tokio::time::sleep(duration)
    }

    fn now(&self) -> Instant {
        tokio::time::Instant::now().into_std()
    }

    fn spawn_detached(&self, future: impl Future<Output = ()> + Send + 'static) {
        // Dropping the join handle detaches the task.
        drop(tokio::spawn(future));
    }
}

impl Cancel for Tokio {
    async fn timeout<F: Future>(
        &self,
        limit: Duration,
        future: F,
    ) -> Option<F::Output> {
        tokio::time::timeout(limit, future).await.ok()
    }

    async fn abort_after<F>(&self, after: Duration, future: F) -> bool
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let task = tokio::spawn(future);
        tokio::time::sleep(after).await;
        task.abort();
        task.await.is_err_and(|error| error.is_cancelled())
    }
}
// ANCHOR_END: runtime

/// A current-thread runtime for the scene, its clock paused (tests: it
/// jumps to the next timer whenever every task waits) or real (demo).
pub fn new_runtime(paused: bool) -> TokioRuntime {
    Builder::new_current_thread()
        .enable_all()
        .start_paused(paused)
        .build()
        .expect("the system's timer and I/O drivers")
}

/// How the shutdown path ends the runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// `drop(runtime)`, as leaving `#[tokio::main]` does.
    Drop,
    /// `runtime.shutdown_timeout(5 s)`.
    ShutdownTimeout,
}

// ANCHOR: run_path
/// Runs one path of the scene through `pattern` on a new runtime, then
/// ends the runtime as `end` says.
pub fn run_path(
    paused: bool,
    pattern: Pattern,
    path: CleanupPath,
    end: End,
) -> Outcome {
    let database = Database::new();
    let runtime = new_runtime(paused);
    let caller = runtime.block_on(drive(&database, &Tokio, pattern, path));
    match end {
        End::Drop => drop(runtime),
        End::ShutdownTimeout => runtime.shutdown_timeout(Duration::from_secs(5)),
    }
    Outcome {
        caller,
        fate: database.last_fate().unwrap_or(Fate::Open),
    }
}
// ANCHOR_END: run_path

// ANCHOR: tracked
/// A runtime handle that keeps every cleanup it spawns in a `JoinSet`, so
/// that the program can await them all before it leaves `block_on`: the
/// graceful shutdown tokio leaves to the program (tokio-util's
/// `TaskTracker` does the same).
#[derive(Debug, Clone, Default)]
pub struct Tracked {
    cleanups: Arc<Mutex<JoinSet<()>>>,
}

impl Tracked {
    /// Awaits every cleanup spawned so far, and those they spawn.
    pub async fn wait(&self) {
        loop {
            // Taken out of the mutex, so that no lock is held across the
            // await; cleanups spawned meanwhile land in the new, empty set.
            let mut set =
                std::mem::take(&mut *self.cleanups.lock().expect("never poisoned"));
            if set.is_empty() {
                return;
            }
            while set.join_next().await.is_some() {}
        }
    }
}

impl Runtime for Tracked {
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send + 'static {
        tokio::time::sleep(duration)
    }

    fn now(&self) -> Instant {
        tokio::time::Instant::now().into_std()
    }

    fn spawn_detached(&self, future: impl Future<Output = ()> + Send + 'static) {
        let mut set = self.cleanups.lock().expect("never poisoned");
        set.spawn(future);
    }
}
// ANCHOR_END: tracked

/// The shutdown path with the spawning guard on [`Tracked`]: the main
/// future awaits the cleanups before it returns.
pub fn shutdown_path_tracked(paused: bool) -> Outcome {
    let database = Database::new();
    let runtime = new_runtime(paused);
    let tracked = Tracked::default();
    let caller = runtime.block_on(async {
        let (db, rt) = (database.clone(), tracked.clone());
        let body = tokio::spawn(async move {
            let ending = crate::patterns::Ending::Success;
            let _ =
                crate::patterns::use_connection(&db, &rt, Pattern::SpawnOnDrop, ending)
                    .await;
        });
        tokio::time::sleep(crate::paths::CUT).await;
        // The program ends here: abort the body, as a runtime's end would,
        // and give the cleanup its guard spawned the time to run.
        body.abort();
        let _ = body.await;
        tracked.wait().await;
        "aborted the body, awaited the cleanups".to_string()
    });
    drop(runtime);
    Outcome {
        caller,
        fate: database.last_fate().unwrap_or(Fate::Open),
    }
}

/// The blocking guard's close on tokio's blocking pool instead of the
/// runtime's thread: `spawn_blocking` from `Drop`. Dropping the runtime
/// drops its tasks first, then waits for the pool, so the close runs;
/// `shutdown_timeout` shuts the pool first and the current-thread runtime
/// drops its tasks after, so the guard's `spawn_blocking` is refused.
#[derive(Debug)]
pub struct CloseOnBlockingPool {
    conn: Option<crate::db::Connection<Tokio>>,
}

impl CloseOnBlockingPool {
    /// Guards `conn`.
    pub fn new(conn: crate::db::Connection<Tokio>) -> CloseOnBlockingPool {
        CloseOnBlockingPool { conn: Some(conn) }
    }
}

impl Drop for CloseOnBlockingPool {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            tokio::task::spawn_blocking(move || conn.close_blocking());
        }
    }
}

/// The shutdown path with [`CloseOnBlockingPool`], ended as `end` says.
pub fn shutdown_path_blocking_pool(end: End) -> Outcome {
    let database = Database::new();
    let runtime = new_runtime(true);
    let caller = runtime.block_on(async {
        let db = database.clone();
        tokio::spawn(async move {
            let mut guard = CloseOnBlockingPool::new(db.connect(&Tokio).await);
            let conn = guard.conn.as_mut().expect("only `Drop` takes it");
            let _ =
                crate::patterns::session(conn, crate::patterns::Ending::Success).await;
        });
        tokio::time::sleep(crate::paths::CUT).await;
        "returned at 1.75 s".to_string()
    });
    match end {
        End::Drop => drop(runtime),
        End::ShutdownTimeout => runtime.shutdown_timeout(Duration::from_secs(5)),
    }
    Outcome {
        caller,
        fate: database.last_fate().unwrap_or(Fate::Open),
    }
}

// ANCHOR: mutex
/// tokio's `Mutex` guard needs no async cleanup: unlocking is synchronous,
/// so its `Drop` does it on every path, a timeout included. Returns whether
/// the lock was free again after a holder was timed out while holding it.
pub async fn mutex_guard_released_on_timeout() -> bool {
    let lock = Arc::new(tokio::sync::Mutex::new(0));
    let holder = {
        let lock = Arc::clone(&lock);
        async move {
            let mut count = lock.lock().await;
            *count += 1;
            std::future::pending::<()>().await; // holds it across an await
        }
    };
    let timed_out = tokio::time::timeout(Duration::from_millis(100), holder).await;
    timed_out.is_err() && lock.try_lock().is_ok()
}
// ANCHOR_END: mutex
