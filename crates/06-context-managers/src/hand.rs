//! The patterns on chapter 4's loop. The connection and the patterns are the
//! runtime-agnostic ones of [`patterns`](crate::patterns); what this module
//! adds is the loop's side: its sleep, clock and spawn, a timeout written by
//! hand, and the end of the loop, where [`EventLoop::shutdown`] gives the
//! cleanup a guard spawned from its `Drop` the time to run.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use event_loop::hand::{self as ev, Closed, EventLoop, SHUTDOWN_GRACE, Sleep};
use pin_project_lite::pin_project;

use crate::db::{Database, Runtime};
use crate::paths::{Cancel, CleanupPath, Outcome, drive};
use crate::patterns::Pattern;

// ANCHOR: runtime
/// Chapter 4's loop, the one running on this thread.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hand;

impl Runtime for Hand {
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send + 'static {
        ev::sleep(duration)
    }

    fn now(&self) -> Instant {
        ev::now()
    }

    fn spawn_detached(&self, future: impl Future<Output = ()> + Send + 'static) {
        // Dropping the join handle detaches the task: it runs on.
        drop(ev::spawn(future));
    }
}
// ANCHOR_END: runtime

// ANCHOR: timeout
pin_project! {
    /// The loop's timeout, by hand: the future raced against a sleep. When
    /// the sleep wins, the future is dropped where it waits, as asyncio's
    /// `timeout` cancels the task at its `await`; a Rust future gets no
    /// `CancelledError` to clean up with, only its destructors.
    #[must_use = "futures do nothing unless you .await or poll them"]
    pub struct Timeout<F> {
        #[pin]
        future: F,
        #[pin]
        sleep: Sleep,
    }
}

/// Runs `future` for at most `limit` on the loop's clock.
pub fn timeout<F: Future>(limit: Duration, future: F) -> Timeout<F> {
    Timeout {
        future,
        sleep: ev::sleep(limit),
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Option<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Poll::Ready(output) = this.future.poll(cx) {
            return Poll::Ready(Some(output));
        }
        this.sleep.poll(cx).map(|()| None)
    }
}
// ANCHOR_END: timeout

impl Cancel for Hand {
    fn timeout<F: Future>(
        &self,
        limit: Duration,
        future: F,
    ) -> impl Future<Output = Option<F::Output>> {
        timeout(limit, future)
    }

    async fn abort_after<F>(&self, after: Duration, future: F) -> bool
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let task = ev::spawn(future);
        ev::sleep(after).await;
        task.abort();
        task.await.is_err_and(|error| error.is_cancelled())
    }
}

/// A loop for the scene: on virtual time (tests), or the real clock (demo).
pub fn new_loop(virtual_time: bool) -> EventLoop {
    let builder = EventLoop::builder();
    let builder = if virtual_time {
        builder.virtual_time()
    } else {
        builder
    };
    builder.build().expect("the system's poller")
}

// ANCHOR: run_path
/// Runs one path of the scene through `pattern` on a new loop, ended as
/// `block_on` ends it: [`EventLoop::shutdown`], which cancels what is left
/// and runs the loop until the cleanup it started has finished.
pub fn run_path(virtual_time: bool, pattern: Pattern, path: CleanupPath) -> Outcome {
    let database = Database::new();
    let event_loop = new_loop(virtual_time);
    let caller = event_loop.block_on(drive(&database, &Hand, pattern, path));
    event_loop.shutdown(SHUTDOWN_GRACE);
    Outcome {
        caller,
        fate: database.last_fate().unwrap_or(crate::db::Fate::Open),
    }
}
// ANCHOR_END: run_path

/// What the loop's end did with the shutdown path's task, beside the fate:
/// for the tests of `shutdown` and `close`.
pub fn shutdown_path(pattern: Pattern, graceful: bool) -> (Outcome, Closed) {
    let database = Database::new();
    let event_loop = new_loop(true);
    let path = CleanupPath::Shutdown;
    let caller = event_loop.block_on(drive(&database, &Hand, pattern, path));
    let closed = if graceful {
        event_loop.shutdown(SHUTDOWN_GRACE)
    } else {
        event_loop.close()
    };
    let fate = database.last_fate().unwrap_or(crate::db::Fate::Open);
    (Outcome { caller, fate }, closed)
}
