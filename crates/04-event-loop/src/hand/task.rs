//! A task in one allocation: its future, its outcome and the waker of whoever
//! awaits it, side by side in one `Rc`. The loop polls it through
//! `Runnable`; the [`JoinHandle`] reads its outcome through `Joinable`.
//!
//! Chapter 3 gave each task three allocations (the job, its boxed future, and
//! the state shared with the handle). Here the loop and the handle hold two
//! views of the same cell, so a spawn costs two: this cell, and the `Arc`
//! `Header` that wakers carry to other threads.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

pub use tasks::hand::JoinError;

use super::executor::Header;

// ANCHOR: cell
/// Where a task's future is in its life.
enum Stage<F: Future> {
    /// Still running: the future itself, polled in place.
    Running(F),
    /// Ended, with its output or the reason there is none.
    Finished(Result<F::Output, JoinError>),
    /// The handle has taken the outcome.
    Taken,
}

/// One task: what the loop polls and what its handle awaits.
pub(crate) struct TaskCell<F: Future> {
    /// What the task's wakers point to: made into a `Waker` at each poll.
    header: Arc<Header>,
    stage: RefCell<Stage<F>>,
    /// Whoever awaits the handle; woken when the task ends.
    joiner: Cell<Option<Waker>>,
}
// ANCHOR_END: cell

/// The loop's view of a task, whatever its future's type.
pub(crate) trait Runnable {
    /// Polls the future once. `true` when the task has ended (finished or
    /// panicked); a panic is caught and becomes the task's outcome.
    fn run(&self) -> bool;
    /// Drops the future, if it is still running, and tells the joiner
    /// `Cancelled`. Its destructors run here, on the loop's thread.
    fn cancel(&self);
    fn header(&self) -> &Arc<Header>;
}

/// The handle's view of a task: its outcome, typed.
trait Joinable<T> {
    fn poll_join(&self, cx: &mut Context<'_>) -> Poll<Result<T, JoinError>>;
    fn is_finished(&self) -> bool;
    fn header(&self) -> &Arc<Header>;
}

impl<F: Future> TaskCell<F> {
    pub(crate) fn new(future: F, header: Arc<Header>) -> TaskCell<F> {
        TaskCell {
            header,
            stage: RefCell::new(Stage::Running(future)),
            joiner: Cell::new(None),
        }
    }

    /// Records the outcome, dropping the future in place, and wakes the
    /// joiner. The first outcome wins.
    fn finish(&self, outcome: Result<F::Output, JoinError>) {
        {
            let mut stage = self.stage.borrow_mut();
            if !matches!(*stage, Stage::Running(_)) {
                return;
            }
            // Assigning drops the future where it lies: allowed for a pinned
            // value, which must be dropped before its memory is reused.
            *stage = Stage::Finished(outcome);
        }
        if let Some(joiner) = self.joiner.take() {
            joiner.wake();
        }
    }
}

impl<F: Future> Runnable for TaskCell<F> {
    // ANCHOR: run
    fn run(&self) -> bool {
        // Made for this poll, and dropped after it unless the future kept a
        // clone: a reference count up and down, where keeping a `Waker` in
        // the cell would cost 16 bytes for as long as the task lives.
        let waker = Waker::from(Arc::clone(&self.header));
        let mut cx = Context::from_waker(&waker);
        let polled = {
            let mut stage = self.stage.borrow_mut();
            let Stage::Running(future) = &mut *stage else {
                return true;
            };
            // SAFETY: the future is pinned for as long as it lives: it sits
            // inside an `Rc` that never moves its contents, and it leaves the
            // cell only by being dropped in place (`finish`, or the cell's own
            // drop). Nothing hands out a `&mut F` except this line.
            let future = unsafe { Pin::new_unchecked(future) };
            // A panic stops here instead of unwinding through the loop; the
            // future that panicked is dropped below, never polled again.
            panic::catch_unwind(AssertUnwindSafe(|| future.poll(&mut cx)))
        };
        let outcome = match polled {
            Ok(Poll::Pending) => return false,
            Ok(Poll::Ready(output)) => Ok(output),
            Err(payload) => Err(JoinError::Panicked(tasks::panic_message(&*payload))),
        };
        self.finish(outcome);
        true
    }
    // ANCHOR_END: run

    fn cancel(&self) {
        self.finish(Err(JoinError::Cancelled));
    }

    fn header(&self) -> &Arc<Header> {
        &self.header
    }
}

impl<F: Future> Joinable<F::Output> for TaskCell<F> {
    fn poll_join(&self, cx: &mut Context<'_>) -> Poll<Result<F::Output, JoinError>> {
        // Borrowed only while the task polls itself: a task awaiting its own
        // handle. It can never end, so it stays pending, as in tokio.
        let Ok(mut stage) = self.stage.try_borrow_mut() else {
            return Poll::Pending;
        };
        match std::mem::replace(&mut *stage, Stage::Taken) {
            Stage::Finished(outcome) => Poll::Ready(outcome),
            Stage::Running(future) => {
                *stage = Stage::Running(future);
                drop(stage);
                // Keep the newest waker: the handle may have moved to
                // another task since it was last polled.
                self.joiner.set(Some(cx.waker().clone()));
                Poll::Pending
            }
            Stage::Taken => panic!("`JoinHandle` polled after it completed"),
        }
    }

    fn is_finished(&self) -> bool {
        match self.stage.try_borrow() {
            Ok(stage) => !matches!(*stage, Stage::Running(_)),
            Err(_) => false,
        }
    }

    fn header(&self) -> &Arc<Header> {
        &self.header
    }
}

// ANCHOR: join_handle
/// The spawner's end of a task: a future of its output, and the way to
/// abort it. Dropping the handle detaches the task, which runs on.
///
/// Unlike tokio's, this handle is not `Send`: the loop runs on one thread, and
/// so do its tasks and their handles.
pub struct JoinHandle<T> {
    cell: Rc<dyn Joinable<T>>,
}

impl<T> JoinHandle<T> {
    pub(crate) fn new<F>(cell: Rc<TaskCell<F>>) -> JoinHandle<T>
    where
        F: Future<Output = T> + 'static,
    {
        JoinHandle { cell }
    }

    /// Cancels the task: the loop drops its future at its next turn instead
    /// of polling it, and the handle gives [`JoinError::Cancelled`]. A task
    /// that has already ended keeps its outcome.
    pub fn abort(&self) {
        self.cell.header().abort();
    }

    /// Whether the task has ended, with an output or an error.
    pub fn is_finished(&self) -> bool {
        self.cell.is_finished()
    }

    /// The task's number among its loop's spawns: the `N` of the `Task-N`
    /// that debug mode calls an unnamed task.
    pub fn number(&self) -> u32 {
        self.cell.header().number()
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.cell.poll_join(cx)
    }
}
// ANCHOR_END: join_handle

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("task", &self.number())
            .field("finished", &self.is_finished())
            .finish()
    }
}
