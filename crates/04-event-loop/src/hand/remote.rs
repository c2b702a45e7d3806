//! The way into the loop from other threads. Everything else about the loop
//! belongs to its own thread; this part is `Send` and `Sync`: wakes from
//! other threads, asyncio's `call_soon_threadsafe`, `stop`, and the holds that
//! keep a virtual clock still while work is out on another thread.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, ready};

use future_objects::hand::{Promise, PromiseError};
use polling::Poller;
use tracing::{error, warn};

use super::task::{JoinError, TaskId};

/// Work handed in from another thread, taken by the loop at its next turn.
pub(crate) enum Incoming {
    /// Wake the task in this slot, if it is still this task.
    Wake { slot: usize, id: TaskId },
    /// Run this callback (`call_soon_threadsafe`).
    Call(Box<dyn FnOnce() + Send>),
}

// ANCHOR: remote
/// The part of the loop other threads may touch.
pub(crate) struct Remote {
    incoming: Mutex<Vec<Incoming>>,
    /// Set when `incoming` may hold work: the loop looks without locking.
    pending: AtomicBool,
    pub(crate) poller: Arc<Poller>,
    pub(crate) stop: AtomicBool,
    pub(crate) closed: AtomicBool,
    /// How many [`ClockHold`]s are out: while any is, a virtual clock does
    /// not jump ahead.
    holds: AtomicUsize,
    /// Whether the loop's clock is virtual: only then does it wait for the
    /// holds to go.
    virtual_clock: bool,
    /// Set while the loop blocks in the poller (or is about to): only then
    /// does new work need to interrupt it with a system call.
    waiting: AtomicBool,
    /// How many times another thread interrupted the poller.
    interrupts: AtomicU64,
}
// ANCHOR_END: remote

impl Remote {
    pub(crate) fn new(poller: Arc<Poller>, virtual_clock: bool) -> Remote {
        Remote {
            incoming: Mutex::new(Vec::new()),
            pending: AtomicBool::new(false),
            poller,
            stop: AtomicBool::new(false),
            closed: AtomicBool::new(false),
            holds: AtomicUsize::new(0),
            virtual_clock,
            waiting: AtomicBool::new(false),
            interrupts: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Incoming>> {
        // Nothing runs user code while holding the lock, so it is never
        // poisoned halfway; if it were, the queue would still be whole.
        self.incoming
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    // ANCHOR: push
    /// Queues work for the loop, and interrupts the poller if the loop is
    /// blocked in it. Refused once the loop is closed: the work is given
    /// back, for the caller to drop.
    ///
    /// The loop sets `waiting` and then looks at `pending`; this sets
    /// `pending` and then looks at `waiting`, all four `SeqCst`: so either
    /// the loop sees the work before it blocks, or this sees the loop
    /// blocking and wakes it. A busy loop, which takes the work at its next
    /// turn anyway, costs no system call (tokio unparks its driver only when
    /// it is parked, too).
    pub(crate) fn push(&self, work: Incoming) -> Result<(), Incoming> {
        if self.is_closed() {
            return Err(work);
        }
        self.lock().push(work);
        self.pending.store(true, Ordering::SeqCst);
        if self.waiting.load(Ordering::SeqCst) {
            self.notify();
        }
        Ok(())
    }

    /// Says the loop is about to block in the poller; `false` if work came
    /// in already, and then it must not block.
    pub(crate) fn start_waiting(&self) -> bool {
        self.waiting.store(true, Ordering::SeqCst);
        !self.pending.load(Ordering::SeqCst)
    }

    /// Says the loop is back from the poller.
    pub(crate) fn stop_waiting(&self) {
        self.waiting.store(false, Ordering::SeqCst);
    }
    // ANCHOR_END: push

    /// Everything queued so far, oldest first.
    pub(crate) fn take(&self) -> Vec<Incoming> {
        if !self.pending.swap(false, Ordering::AcqRel) {
            return Vec::new();
        }
        std::mem::take(&mut *self.lock())
    }

    pub(crate) fn has_pending(&self) -> bool {
        self.pending.load(Ordering::Acquire)
    }

    pub(crate) fn interrupts(&self) -> u64 {
        self.interrupts.load(Ordering::Relaxed)
    }

    pub(crate) fn notify(&self) {
        self.interrupts.fetch_add(1, Ordering::Relaxed);
        if let Err(error) = self.poller.notify() {
            error!("could not interrupt the poller: {error}");
        }
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    pub(crate) fn is_clock_held(&self) -> bool {
        self.holds.load(Ordering::Acquire) > 0
    }
}

impl fmt::Debug for Remote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Remote")
            .field("pending", &self.has_pending())
            .field("closed", &self.is_closed())
            .finish()
    }
}

// ANCHOR: remote_handle
/// A handle to the loop for other threads: `Send`, `Sync` and cheap to clone.
/// asyncio's `call_soon_threadsafe` and `run_coroutine_threadsafe`, and
/// `stop` from anywhere.
#[derive(Clone)]
pub struct RemoteHandle {
    pub(crate) remote: Arc<Remote>,
}

impl RemoteHandle {
    /// Runs `callback` on the loop's thread at its next turn (asyncio's
    /// `call_soon_threadsafe`), waking the loop if it waits. `false` if the
    /// loop is closed: the callback is dropped, here, and never runs.
    pub fn call_soon_threadsafe(
        &self,
        callback: impl FnOnce() + Send + 'static,
    ) -> bool {
        match self.remote.push(Incoming::Call(Box::new(callback))) {
            Ok(()) => true,
            Err(refused) => {
                warn!("call_soon_threadsafe on a closed loop: callback dropped");
                drop(refused);
                false
            }
        }
    }

    /// Starts `future` as a task on the loop, from any thread (asyncio's
    /// `run_coroutine_threadsafe`). The future must be `Send` to get there;
    /// once there it stays on the loop's thread. Await the returned handle
    /// anywhere, on any runtime, or block on it.
    pub fn spawn<F>(&self, future: F) -> RemoteJoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        // Chapter 2's promise carries the outcome back: its completer is
        // `Send`, and dropped unused (the loop closed before the task could
        // end) it cancels the promise.
        let (completer, promise) = future_objects::hand::promise();
        self.call_soon_threadsafe(move || {
            let task = super::spawn(future);
            // A second task hands the outcome over.
            super::spawn(async move {
                // Given back if nobody awaits the handle: dropped here.
                match task.await {
                    Ok(output) => {
                        let _ = completer.complete(output);
                    }
                    Err(error) => {
                        let _ = completer.fail(error);
                    }
                }
            });
        });
        RemoteJoinHandle { promise }
    }

    /// Ends the loop's `run_forever` once its current turn is over.
    pub fn stop(&self) {
        self.remote.stop.store(true, Ordering::Release);
        self.remote.notify();
    }

    /// Keeps a virtual clock from jumping ahead until the hold is dropped;
    /// see [`Handle::hold_clock`](super::Handle::hold_clock).
    pub fn hold_clock(&self) -> ClockHold {
        self.remote.holds.fetch_add(1, Ordering::AcqRel);
        ClockHold {
            remote: Arc::clone(&self.remote),
        }
    }

    /// Whether the loop has been closed.
    pub fn is_closed(&self) -> bool {
        self.remote.is_closed()
    }
}
// ANCHOR_END: remote_handle

impl fmt::Debug for RemoteHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteHandle")
            .field("closed", &self.is_closed())
            .finish()
    }
}

// ANCHOR: clock_hold
/// While it lives, a virtual clock stands still even when every task waits
/// on a timer: work is out on another thread (chapter 7's pool takes one per
/// job), and its result may come before the next deadline. tokio's paused
/// clock does the same while a `spawn_blocking` job runs. Dropping it, on any
/// thread, lets the clock go on.
#[must_use = "the clock is held only while this lives"]
pub struct ClockHold {
    remote: Arc<Remote>,
}

impl Drop for ClockHold {
    fn drop(&mut self) {
        let last = self.remote.holds.fetch_sub(1, Ordering::AcqRel) == 1;
        // A virtual clock's loop may be waiting for exactly this: the last
        // hold to go. (A real clock moves by itself, and while another hold
        // is out the loop would only wait again: no system call for those.)
        if last && self.remote.virtual_clock {
            self.remote.notify();
        }
    }
}
// ANCHOR_END: clock_hold

impl fmt::Debug for ClockHold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClockHold")
    }
}

/// The outcome of a task started by [`RemoteHandle::spawn`]: a `Send` future,
/// awaitable from any thread or runtime.
pub struct RemoteJoinHandle<T> {
    promise: Promise<T, JoinError>,
}

impl<T> Future for RemoteJoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let outcome = ready!(Pin::new(&mut self.promise).poll(cx));
        Poll::Ready(outcome.map_err(|error| match error {
            PromiseError::Failed(error) => error,
            // The completer went unused: the loop closed before the task ended.
            PromiseError::Cancelled => {
                JoinError::cancelled(TaskId(0), Some("remote task"))
            }
        }))
    }
}

impl<T> fmt::Debug for RemoteJoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RemoteJoinHandle")
    }
}
