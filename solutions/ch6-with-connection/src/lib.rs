//! Chapter 6 exercise: write `with_connection`, asyncio's `async with` as a
//! function, so that the close is awaited however the body ends.
//!
//! A [`Server`] hands out connections and counts them; a [`Connection`]
//! closes with `close().await`, which takes 0.5 s on the loop's clock. Its
//! `Drop` cannot await: a connection dropped open is counted as leaked.
//! The tests run on chapter 4's loop with virtual time, so they take no
//! real time and every time is exact.
//!
//! Check your work with `cargo test -p ch6-with-connection`.
#![forbid(unsafe_code)]

use std::any::Any;
use std::cell::Cell;
use std::fmt;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use event_loop::hand::sleep;

/// How long a connect takes.
pub const CONNECT: Duration = Duration::from_secs(1);
/// How long a query takes.
pub const QUERY: Duration = Duration::from_millis(500);
/// How long a close takes.
pub const CLOSE: Duration = Duration::from_millis(500);

/// A query that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbError(pub String);

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "database error: {}", self.0)
    }
}

impl std::error::Error for DbError {}

#[derive(Debug, Default)]
struct Counts {
    opened: Cell<u32>,
    closed: Cell<u32>,
    leaked: Cell<u32>,
}

/// The database server: it hands out connections and counts them.
#[derive(Debug, Clone, Default)]
pub struct Server {
    counts: Rc<Counts>,
}

impl Server {
    /// A server with no connection yet.
    pub fn new() -> Server {
        Server::default()
    }

    /// Connects: takes [`CONNECT`].
    pub async fn connect(&self) -> Connection {
        sleep(CONNECT).await;
        let counts = &self.counts;
        counts.opened.set(counts.opened.get() + 1);
        Connection {
            server: self.clone(),
            open: true,
        }
    }

    /// Connections closed with `close().await`.
    pub fn closed(&self) -> u32 {
        self.counts.closed.get()
    }

    /// Connections dropped while open.
    pub fn leaked(&self) -> u32 {
        self.counts.leaked.get()
    }

    /// Connections open now.
    pub fn open_now(&self) -> u32 {
        let counts = &self.counts;
        counts.opened.get() - counts.closed.get() - counts.leaked.get()
    }
}

/// An open connection. Close it with [`Connection::close`].
#[derive(Debug)]
pub struct Connection {
    server: Server,
    open: bool,
}

impl Connection {
    /// Runs a query: takes [`QUERY`]. A query that contains `FAIL` fails.
    pub async fn query(&mut self, sql: &str) -> Result<String, DbError> {
        sleep(QUERY).await;
        if sql.contains("FAIL") {
            return Err(DbError(format!("cannot run {sql:?}")));
        }
        Ok(format!("rows of {sql:?}"))
    }

    /// Closes the connection: takes [`CLOSE`].
    pub async fn close(mut self) {
        sleep(CLOSE).await;
        self.open = false;
        let counts = &self.server.counts;
        counts.closed.set(counts.closed.get() + 1);
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        if self.open {
            // No `.await` here: a destructor can only count the leak.
            let counts = &self.server.counts;
            counts.leaked.set(counts.leaked.get() + 1);
        }
    }
}

/// A future that catches a panic of the future inside it: the async form
/// of `std::panic::catch_unwind`. Given: you will need it.
#[must_use = "futures do nothing unless you .await or poll them"]
pub struct CatchPanic<F> {
    future: Pin<Box<F>>,
}

impl<F> fmt::Debug for CatchPanic<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CatchPanic")
    }
}

/// Runs `future`, catching its panic: `Err(payload)` if it panicked. Carry
/// the panic on later with `std::panic::resume_unwind(payload)`.
pub fn catch_panic<F: Future>(future: F) -> CatchPanic<F> {
    CatchPanic {
        future: Box::pin(future),
    }
}

impl<F: Future> Future for CatchPanic<F> {
    type Output = Result<F::Output, Box<dyn Any + Send>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let future = self.future.as_mut();
        // `AssertUnwindSafe`: a future that panicked is never polled again.
        match panic::catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Err(payload) => Poll::Ready(Err(payload)),
        }
    }
}

/// Connects to `server`, runs `body` on the connection, and then awaits
/// the close, whether the body returned `Ok`, returned `Err`, or panicked.
/// Returns what the body returned; if the body panicked, the panic goes on
/// once the connection is closed.
pub async fn with_connection<T, F>(server: &Server, body: F) -> Result<T, DbError>
where
    F: AsyncFnOnce(&mut Connection) -> Result<T, DbError>,
{
    let mut conn = server.connect().await;
    // The body's `Result` as it is: a `?` here would return before the
    // close. Its panic is caught, so that the close still runs.
    let outcome = catch_panic(body(&mut conn)).await;
    // The body's future is done, so its borrow of `conn` has ended and
    // `close` can take the connection by value.
    conn.close().await;
    match outcome {
        Ok(result) => result,
        // The same panic, carried on once the connection is closed, as
        // `__aexit__` returning `False` lets the exception go on.
        Err(payload) => std::panic::resume_unwind(payload),
    }
}
