//! A task's two ends: the job the executor polls, and the join handle the
//! spawner keeps. They share the task's outcome, once there is one.

use std::fmt;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use tracing::error;

use super::executor::Header;

// ANCHOR: join_error
/// Why a task ended without its output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinError {
    /// The task panicked; this is the panic's message.
    ///
    /// Shortcut: only the message is kept. tokio keeps the panic's value
    /// itself (`JoinError::into_panic`), so the joiner can resume the panic.
    Panicked(String),
    /// The task was aborted, or its executor ended before it finished.
    Cancelled,
}

impl JoinError {
    /// Whether the task panicked.
    pub fn is_panic(&self) -> bool {
        matches!(self, JoinError::Panicked(_))
    }

    /// Whether the task was cancelled.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, JoinError::Cancelled)
    }
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JoinError::Panicked(message) => write!(f, "task panicked: {message}"),
            JoinError::Cancelled => f.write_str("task was cancelled"),
        }
    }
}

impl std::error::Error for JoinError {}
// ANCHOR_END: join_error

/// What the job and the handle share.
struct Shared<T> {
    outcome: Mutex<Outcome<T>>,
}

enum Outcome<T> {
    /// Not finished; the waker of whoever awaits the handle, if anyone does.
    Running(Option<Waker>),
    /// Finished, with its output or the reason there is none.
    Finished(Result<T, JoinError>),
    /// The handle has taken the result.
    Taken,
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, Outcome<T>> {
        // Nothing panics while holding the lock, but if something did, the
        // outcome is still whole: go on with it.
        self.outcome
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Records the outcome and wakes the joiner; the first outcome wins.
    fn finish(&self, result: Result<T, JoinError>) {
        let mut outcome = self.lock();
        let Outcome::Running(joiner) = &mut *outcome else {
            return;
        };
        let joiner = joiner.take();
        *outcome = Outcome::Finished(result);
        drop(outcome);
        if let Some(joiner) = joiner {
            joiner.wake();
        }
    }
}

/// Makes both ends of a task for `future`.
pub(crate) fn new<F: Future>(
    future: F,
    header: Arc<Header>,
) -> (Job<F>, JoinHandle<F::Output>) {
    let shared = Arc::new(Shared {
        outcome: Mutex::new(Outcome::Running(None)),
    });
    let job = Job {
        future: Some(Box::pin(future)),
        shared: Arc::clone(&shared),
        id: header.id(),
    };
    (job, JoinHandle { shared, header })
}

// ANCHOR: job
/// What the executor polls for a task: the spawned future, with its panics
/// caught (in `poll` and in its destructors) and its output handed to the
/// join handle.
///
/// Shortcut: the future gets a box of its own inside the task's box. tokio
/// allocates a task once, with its header, future and output side by side.
pub(crate) struct Job<F: Future> {
    /// `None` once the future is done or dropped.
    future: Option<Pin<Box<F>>>,
    shared: Arc<Shared<F::Output>>,
    /// The task's number, for the log when no handle is left to tell.
    id: u64,
}

impl<F: Future> Future for Job<F> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let Some(future) = self.future.as_mut() else {
            return Poll::Ready(());
        };
        let result = match catch_panic(|| future.as_mut().poll(cx)) {
            Ok(Poll::Pending) => return Poll::Pending,
            Ok(Poll::Ready(output)) => Ok(output),
            Err(panicked) => Err(panicked),
        };
        // Done: the future is dropped now, and its destructors may panic too.
        // Then the output is lost and the handle hears of the panic, as in
        // tokio, whose `Core::poll` drops a finished future inside the
        // `catch_unwind` of `poll_future`. A panic in `poll` came first: it
        // is the one the handle hears of.
        let result = match (result, self.drop_future()) {
            // The output is lost; its own destructor may panic as well.
            (Ok(output), Err(panicked)) => {
                let _ = catch_panic(|| drop(output));
                Err(panicked)
            }
            (result, _) => result,
        };
        self.finish(result);
        Poll::Ready(())
    }
}

impl<F: Future> Job<F> {
    /// Drops the future, if it is still here, with a panic in its destructors
    /// caught as one in `poll` is. Only the box moves: the future is dropped
    /// where it was pinned.
    fn drop_future(&mut self) -> Result<(), JoinError> {
        let future = self.future.take();
        catch_panic(|| drop(future))
    }

    /// Hands the outcome to the handle. A panic that no handle will hear of
    /// (it was dropped: the task is detached) is logged instead, so that it
    /// does not pass unseen. (The handle may be dropped on another thread at
    /// this very moment: then the panic goes unlogged, a log line's limit.)
    fn finish(&self, result: Result<F::Output, JoinError>) {
        if let Err(JoinError::Panicked(message)) = &result {
            if Arc::strong_count(&self.shared) == 1 {
                error!(task = self.id, "a detached task panicked: {message}");
            }
        }
        self.shared.finish(result);
    }
}

impl<F: Future> Drop for Job<F> {
    /// Dropped before it finished: aborted, or its executor ended. The future
    /// goes first, so that its destructors have run by the time the joiner
    /// hears `Cancelled`; or `Panicked`, if one of them panics, as tokio's
    /// `cancel_task` reports it. Caught here, such a panic cannot unwind
    /// through the executor, and cannot become a second panic while the
    /// executor drops its tasks, which would abort the process. (A finished
    /// job has nothing left to drop, and its outcome is already set: `finish`
    /// keeps the first.)
    fn drop(&mut self) {
        let error = match self.drop_future() {
            Ok(()) => JoinError::Cancelled,
            Err(panicked) => panicked,
        };
        self.finish(Err(error));
    }
}

/// Runs `work`, and turns a panic in it into [`JoinError::Panicked`].
///
/// `catch_unwind` stops a panic here instead of letting it unwind through the
/// executor, which would end every task. It asks for a closure that is
/// `UnwindSafe`: a promise that no one will see what the panic left
/// half-changed. A `&mut` to the future is not that by default.
/// `AssertUnwindSafe` makes the promise, and the job keeps it: a future that
/// panicked is dropped and never polled again.
fn catch_panic<T>(work: impl FnOnce() -> T) -> Result<T, JoinError> {
    panic::catch_unwind(AssertUnwindSafe(work))
        .map_err(|payload| JoinError::Panicked(crate::panic_message(&*payload)))
}
// ANCHOR_END: job

// ANCHOR: join_handle
/// The spawner's end of a task: a future of the task's output, and the way to
/// abort it.
///
/// Not `#[must_use]`: the task runs whether or not its handle is awaited.
/// Dropping the handle detaches the task, which goes on running (as in tokio
/// and async-std; smol's `Task` cancels instead).
pub struct JoinHandle<T> {
    shared: Arc<Shared<T>>,
    header: Arc<Header>,
}

impl<T> JoinHandle<T> {
    /// Cancels the task: the executor drops its future at its next turn,
    /// instead of polling it, and the handle resolves to
    /// [`JoinError::Cancelled`]. A task that has already finished keeps its
    /// output. Like tokio's `abort`, this only asks: the task stops at its
    /// next `.await`, never in the middle of a poll.
    pub fn abort(&self) {
        self.header.abort();
    }

    /// Whether the task has ended, with an output or an error.
    pub fn is_finished(&self) -> bool {
        !matches!(*self.shared.lock(), Outcome::Running(_))
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut outcome = self.shared.lock();
        match std::mem::replace(&mut *outcome, Outcome::Taken) {
            Outcome::Finished(result) => Poll::Ready(result),
            Outcome::Running(_) => {
                // The job wakes this waker when it finishes: keep the newest.
                *outcome = Outcome::Running(Some(cx.waker().clone()));
                Poll::Pending
            }
            Outcome::Taken => panic!("`JoinHandle` polled after it completed"),
        }
    }
}
// ANCHOR_END: join_handle

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("task", &self.header.id())
            .field("finished", &self.is_finished())
            .finish()
    }
}
