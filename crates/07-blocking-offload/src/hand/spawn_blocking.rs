//! `spawn_blocking`: a job for the pool, and a future for its result.
//!
//! The future is chapter 2's promise. The job's thread settles it; settling
//! wakes the waker of the task that awaits it, and on our loop that waker
//! is the cross-thread one: it goes through the loop's [`RemoteHandle`]
//! queue and interrupts the poller. Nothing here is specific to our loop
//! except the clock hold: the same handle can be awaited on tokio or smol.
//!
//! [`RemoteHandle`]: event_loop::hand::RemoteHandle

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll, ready};

use event_loop::hand::ClockHold;
use future_objects::hand::{Promise, PromiseError, promise};

use super::pool::ThreadPool;

// ANCHOR: error
/// Why a blocking job has no result.
pub enum JobError {
    /// The job panicked; this is what it panicked with.
    Panicked(Box<dyn Any + Send>),
    /// The job never ran: the pool shut down first.
    Cancelled,
}
// ANCHOR_END: error

impl JobError {
    /// The panic's message, if the job panicked with a string.
    pub fn panic_message(&self) -> Option<&str> {
        match self {
            JobError::Panicked(payload) => payload
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| payload.downcast_ref::<String>().map(String::as_str)),
            JobError::Cancelled => None,
        }
    }

    /// Whether the job panicked.
    pub fn is_panic(&self) -> bool {
        matches!(self, JobError::Panicked(_))
    }
}

impl fmt::Debug for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobError::Panicked(_) => f
                .debug_tuple("Panicked")
                .field(&self.panic_message().unwrap_or("a non-string payload"))
                .finish(),
            JobError::Cancelled => f.write_str("Cancelled"),
        }
    }
}

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self, self.panic_message()) {
            (JobError::Panicked(_), Some(message)) => {
                write!(f, "the blocking job panicked: {message}")
            }
            (JobError::Panicked(_), None) => f.write_str("the blocking job panicked"),
            (JobError::Cancelled, _) => {
                f.write_str("the blocking job never ran: its pool shut down")
            }
        }
    }
}

impl std::error::Error for JobError {}

// ANCHOR: handle
/// The result of a blocking job, to await on any runtime.
///
/// Dropping it does not stop the job: a thread cannot be interrupted. The
/// job runs to its end and its result is dropped. tokio's `abort` on a
/// started `spawn_blocking` does nothing either.
#[must_use = "futures do nothing unless you .await or poll them"]
pub struct BlockingHandle<T> {
    promise: Promise<T, JobError>,
}

impl<T> Future for BlockingHandle<T> {
    type Output = Result<T, JobError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let outcome = ready!(Pin::new(&mut self.promise).poll(cx));
        Poll::Ready(outcome.map_err(|error| match error {
            PromiseError::Failed(error) => error,
            // The completer was dropped unused: the job was dropped unrun.
            PromiseError::Cancelled => JobError::Cancelled,
        }))
    }
}
// ANCHOR_END: handle

impl<T> fmt::Debug for BlockingHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BlockingHandle")
    }
}

// ANCHOR: spawn
impl ThreadPool {
    /// Runs `job` on one of the pool's threads; await the handle for its
    /// result, or for its panic. Works under any runtime, or none.
    pub fn spawn_blocking<F, T>(&self, job: F) -> BlockingHandle<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        self.spawn_holding(None, job)
    }

    /// [`ThreadPool::spawn_blocking`], keeping a loop's virtual clock still
    /// until the job has settled its promise: `hold` is dropped after that.
    pub fn spawn_holding<F, T>(
        &self,
        hold: Option<ClockHold>,
        job: F,
    ) -> BlockingHandle<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let (completer, promise) = promise();
        let wrapped = move || {
            let outcome = panic::catch_unwind(AssertUnwindSafe(job));
            // Whoever awaits is woken here, before the hold goes: the loop
            // sees the wake before its clock may move.
            let _ = match outcome {
                Ok(value) => completer.complete(value).map_err(drop),
                Err(payload) => {
                    completer.fail(JobError::Panicked(payload)).map_err(drop)
                }
            };
            drop(hold);
        };
        // Refused (shut down): the job is dropped with its completer, and
        // the handle says cancelled.
        let _ = self.submit(Box::new(wrapped));
        BlockingHandle { promise }
    }
}
// ANCHOR_END: spawn

// ANCHOR: free_function
/// The process's pool, made at first use with tokio's defaults, and never
/// shut down (like smol's): jobs still running when `main` returns die with
/// the process.
pub fn default_pool() -> &'static ThreadPool {
    static POOL: OnceLock<ThreadPool> = OnceLock::new();
    POOL.get_or_init(ThreadPool::new)
}

/// Runs `job` on the default pool, holding the clock of the loop running on
/// this thread until it is done: on a virtual clock, the job takes no time.
/// tokio's `spawn_blocking` (and its paused clock) does the same.
///
/// # Panics
///
/// Outside a running loop, as `tokio::task::spawn_blocking` panics outside
/// a runtime; [`ThreadPool::spawn_blocking`] needs no loop.
pub fn spawn_blocking<F, T>(job: F) -> BlockingHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let hold = event_loop::hand::handle().hold_clock();
    default_pool().spawn_holding(Some(hold), job)
}
// ANCHOR_END: free_function

/// asyncio's `loop.run_in_executor(executor, func)`: the same job handed to a
/// pool the caller names, holding this loop's clock.
///
/// # Panics
///
/// Outside a running loop.
pub fn run_in_executor<F, T>(pool: &ThreadPool, job: F) -> BlockingHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let hold = event_loop::hand::handle().hold_clock();
    pool.spawn_holding(Some(hold), job)
}
