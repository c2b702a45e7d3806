//! The four ways a Rust program closes a connection that needs an `.await`
//! to close, all runtime-agnostic (they ask the [`Runtime`] trait for what
//! they need):
//!
//! 1. [`explicit`]: `close().await` at the end, skipped by a `?` or a panic;
//! 2. [`with_connection`]: a scope that runs the close on success, error and
//!    panic, but not when its own future is dropped (timeout, abort);
//! 3. [`CloseOnDrop`]: a guard whose `Drop` spawns the close, which then
//!    runs only if the runtime lives long enough;
//! 4. [`BlockOnDrop`]: a guard whose `Drop` closes synchronously, blocking
//!    the thread and every task on it.
//!
//! The scope on our loop, on virtual time:
//!
//! ```
//! use context_managers::db::Database;
//! use context_managers::hand::{Hand, new_loop};
//! use context_managers::patterns::with_connection;
//!
//! let database = Database::new();
//! let rows = new_loop(true).block_on(with_connection(&database, &Hand, async |conn| {
//!     conn.query("SELECT * FROM users").await
//! }));
//! assert!(rows.is_ok());
//! assert_eq!(database.open_now(), 0, "closed before it returned");
//! ```

use std::any::Any;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll};

use pin_project_lite::pin_project;
use tracing::error;

use crate::QUERIES;
use crate::db::{ClosedBy, Connection, Database, DbError, Runtime};

/// How the scene's body ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ending {
    /// Both queries answer.
    Success,
    /// The second query is never sent: the body returns an error after the
    /// first.
    Error,
    /// The body panics after the first query.
    Panic,
    /// The second query hangs; the caller's timeout drops the body.
    Hang,
}

/// The error the body returns on its error path.
pub fn body_error() -> DbError {
    DbError("relation \"orders\" does not exist".into())
}

/// What the body panics with on its panic path.
pub const BODY_PANIC: &str = "the body panicked after the first query";

// ANCHOR: session
/// The body of the scene: two queries on an open connection.
pub async fn session<R: Runtime>(
    conn: &mut Connection<R>,
    ending: Ending,
) -> Result<Vec<String>, DbError> {
    let first = conn.query(QUERIES[0]).await?;
    let second = match ending {
        Ending::Success => conn.query(QUERIES[1]).await?,
        Ending::Error => return Err(body_error()),
        Ending::Panic => panic!("{BODY_PANIC}"),
        Ending::Hang => conn.query_that_hangs(QUERIES[1]).await?,
    };
    Ok(vec![first, second])
}
// ANCHOR_END: session

/// The four patterns, to run the same scene through each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pattern {
    /// `close().await` at the end of the body.
    Explicit,
    /// `with_connection(|conn| ...)`.
    Scoped,
    /// A guard whose `Drop` spawns the close.
    SpawnOnDrop,
    /// A guard whose `Drop` closes synchronously.
    BlockOnDrop,
}

impl Pattern {
    /// Every pattern, in the order the book shows them.
    pub const ALL: [Pattern; 4] = [
        Pattern::Explicit,
        Pattern::Scoped,
        Pattern::SpawnOnDrop,
        Pattern::BlockOnDrop,
    ];

    /// Its name in tables.
    pub fn name(self) -> &'static str {
        match self {
            Pattern::Explicit => "explicit close().await",
            Pattern::Scoped => "with_connection",
            Pattern::SpawnOnDrop => "guard: Drop spawns close",
            Pattern::BlockOnDrop => "guard: Drop blocks",
        }
    }
}

/// Connects, runs the body as `pattern` says, and closes as it can.
pub async fn use_connection<R: Runtime>(
    database: &Database,
    runtime: &R,
    pattern: Pattern,
    ending: Ending,
) -> Result<Vec<String>, DbError> {
    match pattern {
        Pattern::Explicit => explicit(database, runtime, ending).await,
        Pattern::Scoped => {
            with_connection(database, runtime, async |conn| session(conn, ending).await)
                .await
        }
        Pattern::SpawnOnDrop => {
            let mut conn = CloseOnDrop::new(database.connect(runtime).await);
            session(&mut conn, ending).await
        }
        Pattern::BlockOnDrop => {
            let mut conn = BlockOnDrop::new(database.connect(runtime).await);
            session(&mut conn, ending).await
        }
    }
}

// ANCHOR: explicit
/// Pattern 1: close at the end. The `?` returns early on an error, and a
/// panic unwinds past the close: on both paths the connection is dropped
/// open, and its `Drop` cannot await the close.
pub async fn explicit<R: Runtime>(
    database: &Database,
    runtime: &R,
    ending: Ending,
) -> Result<Vec<String>, DbError> {
    let mut conn = database.connect(runtime).await;
    let rows = session(&mut conn, ending).await?;
    conn.close().await;
    Ok(rows)
}
// ANCHOR_END: explicit

// ANCHOR: with_connection
/// Pattern 2: `async with` as a function. Connects, runs `body` on the
/// connection, then always awaits the close: after a success, an error, or
/// a panic (caught, the close awaited, then the panic resumed). What it
/// cannot do: if this future is dropped (a timeout, an abort), nothing of
/// it runs again, so no close can be awaited.
pub async fn with_connection<R, T, F>(
    database: &Database,
    runtime: &R,
    body: F,
) -> Result<T, DbError>
where
    R: Runtime,
    F: AsyncFnOnce(&mut Connection<R>) -> Result<T, DbError>,
{
    let mut conn = database.connect(runtime).await;
    let outcome = catch_panic(body(&mut conn)).await;
    // A panic in the close is caught too: if the body panicked first, its
    // panic is the one that goes on, and the close's is logged.
    let closed = catch_panic(conn.close()).await;
    match (outcome, closed) {
        (Ok(result), Ok(())) => result,
        (Ok(_), Err(close_panic)) => panic::resume_unwind(close_panic),
        (Err(body_panic), closed) => {
            if let Err(close_panic) = closed {
                let message = tasks::panic_message(&*close_panic);
                error!("the close panicked too, after the body: {message}");
            }
            panic::resume_unwind(body_panic)
        }
    }
}
// ANCHOR_END: with_connection

// ANCHOR: catch_panic
pin_project! {
    /// A future that catches a panic of the future inside it, so that the
    /// code after it still runs: the async form of `catch_unwind`.
    #[must_use = "futures do nothing unless you .await or poll them"]
    pub struct CatchPanic<F> {
        #[pin]
        future: F,
    }
}

/// Catches a panic of `future`, as `catch_unwind` does for a closure.
///
/// `AssertUnwindSafe`: once it has panicked, the future is never polled
/// again (the caller gets the panic, and drops the future).
pub fn catch_panic<F: Future>(future: F) -> CatchPanic<F> {
    CatchPanic { future }
}

impl<F: Future> Future for CatchPanic<F> {
    type Output = Result<F::Output, Box<dyn Any + Send>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let future = self.project().future;
        match panic::catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Err(payload) => Poll::Ready(Err(payload)),
        }
    }
}
// ANCHOR_END: catch_panic

// ANCHOR: close_on_drop
/// Pattern 3: a guard whose `Drop` hands the close to the runtime as a new
/// task. It works on every path that drops the guard, cancellation
/// included, but the close runs later, in a task nobody awaits: only if
/// the runtime lives long enough, and with nobody to hear if it fails.
#[derive(Debug)]
pub struct CloseOnDrop<R: Runtime> {
    conn: Option<Connection<R>>,
}

impl<R: Runtime> CloseOnDrop<R> {
    /// Guards `conn`.
    pub fn new(conn: Connection<R>) -> CloseOnDrop<R> {
        CloseOnDrop { conn: Some(conn) }
    }

    /// Closes now, awaiting it: the path to take when one can.
    pub async fn close(mut self) {
        if let Some(conn) = self.conn.take() {
            conn.close().await;
        }
    }
}

impl<R: Runtime> Drop for CloseOnDrop<R> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            let runtime = conn.runtime().clone();
            runtime.spawn_detached(conn.close_as(ClosedBy::SpawnedTask));
        }
    }
}
// ANCHOR_END: close_on_drop

// ANCHOR: block_on_drop
/// Pattern 4: a guard whose `Drop` closes synchronously, for when nothing
/// else is possible. It always runs, at once, but it blocks the thread for
/// the whole close: on a one-thread runtime, every other task waits too.
#[derive(Debug)]
pub struct BlockOnDrop<R: Runtime> {
    conn: Option<Connection<R>>,
}

impl<R: Runtime> BlockOnDrop<R> {
    /// Guards `conn`.
    pub fn new(conn: Connection<R>) -> BlockOnDrop<R> {
        BlockOnDrop { conn: Some(conn) }
    }
}

impl<R: Runtime> Drop for BlockOnDrop<R> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            conn.close_blocking();
        }
    }
}
// ANCHOR_END: block_on_drop

macro_rules! deref_to_connection {
    ($guard:ident) => {
        impl<R: Runtime> Deref for $guard<R> {
            type Target = Connection<R>;

            fn deref(&self) -> &Connection<R> {
                self.conn.as_ref().expect("only `Drop` takes it")
            }
        }

        impl<R: Runtime> DerefMut for $guard<R> {
            fn deref_mut(&mut self) -> &mut Connection<R> {
                self.conn.as_mut().expect("only `Drop` takes it")
            }
        }
    };
}

deref_to_connection!(CloseOnDrop);
deref_to_connection!(BlockOnDrop);
