//! The six cleanup paths, driven the same way on every runtime: the body
//! succeeds, fails, panics, is timed out, is aborted, or is cut short by the
//! end of the runtime. What differs between runtimes is [`Cancel`] (each
//! runtime's own timeout and abort) and what happens at the end, which each
//! runtime module drives itself.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use crate::db::{Database, DbError, Fate, Runtime};
use crate::patterns::{Ending, Pattern, catch_panic, use_connection};

/// When the timeout, the abort and the runtime's end cut the scene: during
/// the second query, 1.75 s after the connect began.
pub const CUT: Duration = Duration::from_millis(1750);

/// How long the program goes on after the body ends, so that a cleanup
/// handed to a task has time to run. Every path but the shutdown waits it.
pub const SETTLE: Duration = Duration::from_secs(1);

/// How the scene's body ends, as the caller sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CleanupPath {
    /// Both queries answer.
    Success,
    /// The body returns an error after the first query.
    Error,
    /// The body panics after the first query.
    Panic,
    /// The second query hangs; a timeout drops the body at 1.75 s.
    Timeout,
    /// The second query hangs; the task is aborted at 1.75 s.
    Abort,
    /// The body runs as a task; the main future returns at 1.75 s, and the
    /// runtime ends.
    Shutdown,
}

impl CleanupPath {
    /// Every path, in the order of the tables.
    pub const ALL: [CleanupPath; 6] = [
        CleanupPath::Success,
        CleanupPath::Error,
        CleanupPath::Panic,
        CleanupPath::Timeout,
        CleanupPath::Abort,
        CleanupPath::Shutdown,
    ];

    /// Its name in tables.
    pub fn name(self) -> &'static str {
        match self {
            CleanupPath::Success => "success",
            CleanupPath::Error => "error",
            CleanupPath::Panic => "panic",
            CleanupPath::Timeout => "timeout",
            CleanupPath::Abort => "abort",
            CleanupPath::Shutdown => "shutdown",
        }
    }
}

impl fmt::Display for CleanupPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

// ANCHOR: cancel
/// What the timeout and abort paths need from a runtime: its own ways to
/// drop a future at an `.await`.
pub trait Cancel: Runtime {
    /// The runtime's timeout: `None` if `future` took longer than `limit`
    /// (and was dropped).
    fn timeout<F: Future>(
        &self,
        limit: Duration,
        future: F,
    ) -> impl Future<Output = Option<F::Output>>;

    /// Spawns `future` as a task, aborts it after `after`, and awaits it:
    /// `true` if it was cancelled rather than finished.
    fn abort_after<F>(&self, after: Duration, future: F) -> impl Future<Output = bool>
    where
        F: Future<Output = ()> + Send + 'static;
}
// ANCHOR_END: cancel

/// What one run of a path gave: what the caller saw, and the connection's
/// fate once everything settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// What the main future saw, in a few words.
    pub caller: String,
    /// What became of the connection.
    pub fate: Fate,
}

// ANCHOR: drive
/// The main future of one path: runs the body through `pattern` and says
/// what the caller saw. On every path but the shutdown it then waits
/// [`SETTLE`], for any cleanup a task was handed; on the shutdown path it
/// starts the body as a task and returns at [`CUT`], and what happens next
/// is how the runtime ends (each runtime module drives that).
pub async fn drive<R: Cancel>(
    database: &Database,
    runtime: &R,
    pattern: Pattern,
    path: CleanupPath,
) -> String {
    let run = |ending| use_connection(database, runtime, pattern, ending);
    let in_a_task = || {
        let (database, runtime) = (database.clone(), runtime.clone());
        async move {
            let _ = use_connection(&database, &runtime, pattern, Ending::Hang).await;
        }
    };
    let caller = match path {
        CleanupPath::Success => said(catch_panic(run(Ending::Success)).await),
        CleanupPath::Error => said(catch_panic(run(Ending::Error)).await),
        CleanupPath::Panic => said(catch_panic(run(Ending::Panic)).await),
        CleanupPath::Timeout => match runtime.timeout(CUT, run(Ending::Hang)).await {
            Some(_) => "finished in time".to_string(),
            None => "timed out".to_string(),
        },
        CleanupPath::Abort => match runtime.abort_after(CUT, in_a_task()).await {
            true => "aborted".to_string(),
            false => "finished before the abort".to_string(),
        },
        CleanupPath::Shutdown => {
            let (database, runtime2) = (database.clone(), runtime.clone());
            runtime.spawn_detached(async move {
                let ending = Ending::Success;
                let _ = use_connection(&database, &runtime2, pattern, ending).await;
            });
            runtime.sleep(CUT).await;
            return "returned at 1.75 s".to_string();
        }
    };
    runtime.sleep(SETTLE).await;
    caller
}
// ANCHOR_END: drive

type Caught<T> = Result<Result<T, DbError>, Box<dyn std::any::Any + Send>>;

/// What the caller saw of a body that returned, failed or panicked.
fn said(outcome: Caught<Vec<String>>) -> String {
    match outcome {
        Ok(Ok(rows)) => format!("{} rows", rows.len()),
        Ok(Err(error)) => format!("{error}"),
        Err(panic) => format!("panicked: {}", tasks::panic_message(&*panic)),
    }
}

/// Waits, on the real clock, until the last connection's fate is no longer
/// [`Fate::Open`], or `limit` has passed: for the runtimes whose tasks run
/// on their own threads after `block_on` returns.
pub fn settled_fate(database: &Database, limit: Duration) -> Fate {
    let started = std::time::Instant::now();
    loop {
        let fate = database.last_fate().unwrap_or(Fate::Open);
        if fate != Fate::Open || started.elapsed() > limit {
            return fate;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}
