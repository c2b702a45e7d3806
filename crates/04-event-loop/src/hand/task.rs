//! A task: its future, its outcome and the waker of whoever awaits it, in one
//! `Rc` that the loop and the [`JoinHandle`] share. The loop polls it through
//! `Runnable`; the handle reads its outcome through `Joinable`. Its
//! `Header` is the part a waker carries, to any thread.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use tracing::error;

use super::contain::{self, Payload};
use super::remote::Remote;

/// A task's id: its number among its loop's spawns, from 1 (tokio's
/// `task::Id`). The `N` of the `Task-N` asyncio calls an unnamed task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskId(pub(crate) u64);

impl TaskId {
    /// The number itself.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

// ANCHOR: header
/// What a task's waker carries: which task to queue, whether it is queued
/// already, whether it was aborted or has ended, and the way into its loop
/// from any thread. `Send` and `Sync`, so a waker may go anywhere, even when
/// the task's future may not.
#[derive(Debug)]
pub(crate) struct Header {
    pub(crate) id: TaskId,
    /// The task's place in the loop's task table.
    pub(crate) slot: usize,
    /// Set while the task is in the ready queue: a second wake adds nothing.
    queued: AtomicBool,
    /// Set by `abort`: the loop drops the future instead of polling it.
    aborted: AtomicBool,
    /// Set once the task has its outcome.
    finished: AtomicBool,
    remote: Arc<Remote>,
}

impl Wake for Header {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // Queued once, however often it is woken before it runs.
        if !self.queued.swap(true, Ordering::AcqRel) {
            super::current::schedule(&self.remote, self.slot, self.id);
        }
    }
}
// ANCHOR_END: header

impl Header {
    /// A header for task `id` in `slot`, queued already: a new task starts
    /// at the loop's next turn.
    pub(crate) fn new(id: TaskId, slot: usize, remote: &Arc<Remote>) -> Header {
        Header {
            id,
            slot,
            queued: AtomicBool::new(true),
            aborted: AtomicBool::new(false),
            finished: AtomicBool::new(false),
            remote: Arc::clone(remote),
        }
    }

    /// Cleared just before each poll: a wake during the poll queues it again.
    pub(crate) fn take_queued(&self) {
        self.queued.store(false, Ordering::Release);
    }

    /// Set when the loop queues the task itself (the main future, at the
    /// start of a run).
    pub(crate) fn mark_queued(&self) {
        self.queued.store(true, Ordering::Release);
    }

    pub(crate) fn is_queued(&self) -> bool {
        self.queued.load(Ordering::Acquire)
    }

    pub(crate) fn is_aborted(&self) -> bool {
        self.aborted.load(Ordering::Acquire)
    }

    pub(crate) fn abort(self: &Arc<Self>) {
        if !self.finished.load(Ordering::Acquire) {
            self.aborted.store(true, Ordering::Release);
            self.wake_by_ref();
        }
    }
}

// ANCHOR: cell
/// One task: what the loop polls and what its handle awaits.
pub(crate) struct TaskCell<F: Future> {
    header: Arc<Header>,
    /// The task's waker, made once: a clone of it is a reference count.
    waker: Waker,
    name: Option<Box<str>>,
    /// The future while it runs. It never leaves this place: polled through
    /// a pin, and dropped here, in place, by assigning `None`.
    future: RefCell<Option<F>>,
    /// The outcome, from the moment the task ends until the handle takes it.
    outcome: Cell<Option<Result<F::Output, JoinError>>>,
    /// Whoever awaits the handle; woken when the task ends.
    joiner: Cell<Option<Waker>>,
    /// Set when the handle has taken the outcome.
    taken: Cell<bool>,
}
// ANCHOR_END: cell

/// The loop's view of a task, whatever its future's type.
pub(crate) trait Runnable {
    /// Polls the future once. `true` when the task has ended: finished, or
    /// panicked (in `poll`, or in `Drop` once finished); the panic is caught
    /// and becomes the task's outcome.
    fn run(&self) -> bool;
    /// Drops the future, if it is still there, and tells the joiner
    /// `Cancelled` (or the panic, if its `Drop` panicked).
    fn cancel(&self);
    fn header(&self) -> &Arc<Header>;
    fn name(&self) -> Option<&str>;
}

/// The handle's view of a task: its outcome, typed.
trait Joinable<T> {
    fn poll_join(&self, cx: &mut Context<'_>) -> Poll<Result<T, JoinError>>;
    fn header(&self) -> &Arc<Header>;
    fn name(&self) -> Option<&str>;
}

impl<F: Future> TaskCell<F> {
    pub(crate) fn new(future: F, header: Header, name: Option<&str>) -> TaskCell<F> {
        let header = Arc::new(header);
        TaskCell {
            waker: Waker::from(Arc::clone(&header)),
            header,
            name: name.map(Box::from),
            future: RefCell::new(Some(future)),
            outcome: Cell::new(None),
            joiner: Cell::new(None),
            taken: Cell::new(false),
        }
    }

    /// Drops the future where it lies, catching a panic from its `Drop`.
    /// Assigning `None` runs the future's destructor in place, which is what
    /// `Pin` asks: a pinned value is dropped before its memory is reused, and
    /// never moved. (`Option::take` would move it out first: never that.)
    /// If the destructor panics, the assignment still completes.
    fn drop_future(&self) -> Result<(), Payload> {
        let mut future = self.future.borrow_mut();
        contain::catch(|| *future = None)
    }

    /// Records the outcome and wakes the joiner. The first outcome wins.
    fn finish(&self, outcome: Result<F::Output, JoinError>) {
        if self.header.finished.swap(true, Ordering::AcqRel) {
            return;
        }
        self.outcome.set(Some(outcome));
        if let Some(joiner) = self.joiner.take() {
            joiner.wake();
        }
    }

    fn error(&self, repr: Repr) -> JoinError {
        JoinError::new(self.header.id, self.name.as_deref(), repr)
    }
}

// ANCHOR: never_retrieved
/// asyncio logs "Task exception was never retrieved" when a task that raised
/// is destroyed and nobody looked at its exception. The same here: a task
/// that panicked and whose handle never took the outcome says so when the
/// last of the loop and the handle lets go of it. (tokio says nothing: only
/// the panic hook's line on stderr tells.)
impl<F: Future> Drop for TaskCell<F> {
    fn drop(&mut self) {
        if let Some(Err(error)) = self.outcome.get_mut() {
            if error.is_panic() {
                error!("{error}, and nothing awaited it: the panic is dropped unread");
            }
        }
    }
}
// ANCHOR_END: never_retrieved

impl<F: Future> Runnable for TaskCell<F> {
    // ANCHOR: run
    fn run(&self) -> bool {
        let mut cx = Context::from_waker(&self.waker);
        let polled = {
            let mut future = self.future.borrow_mut();
            let Some(future) = future.as_mut() else {
                return true;
            };
            // SAFETY: the future is pinned for as long as it lives. It sits
            // in this cell, inside an `Rc`, which never moves its contents;
            // it is only ever reached through this `RefCell`, and it leaves
            // the cell only by being dropped in place (`drop_future`).
            // Nothing else hands out a `&mut F`, and nothing moves it out
            // and back: the handle reads `outcome`, a field of its own.
            let future = unsafe { Pin::new_unchecked(future) };
            // A panic stops here instead of unwinding through the loop.
            contain::catch(|| future.poll(&mut cx))
        };
        let outcome = match polled {
            Ok(Poll::Pending) => return false,
            // The future goes as soon as it is done, as in tokio; if its
            // destructor panics, the output is lost and the handle gets
            // the panic.
            Ok(Poll::Ready(output)) => match self.drop_future() {
                Ok(()) => Ok(output),
                Err(payload) => {
                    contain::drop_logged(|| "a task's output".into(), output);
                    Err(self.error(Repr::panic(payload)))
                }
            },
            Err(payload) => {
                // Dropped now, never polled again. A second panic, from its
                // destructor, is logged: the handle reports the first.
                if let Err(second) = self.drop_future() {
                    contain::log(
                        "a task's future",
                        "panicked in Drop after a panic in poll",
                        second,
                    );
                }
                Err(self.error(Repr::panic(payload)))
            }
        };
        self.finish(outcome);
        true
    }
    // ANCHOR_END: run

    fn cancel(&self) {
        let outcome = match self.drop_future() {
            Ok(()) => Repr::Cancelled,
            Err(payload) => Repr::panic(payload),
        };
        self.finish(Err(self.error(outcome)));
    }

    fn header(&self) -> &Arc<Header> {
        &self.header
    }

    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

impl<F: Future> Joinable<F::Output> for TaskCell<F> {
    fn poll_join(&self, cx: &mut Context<'_>) -> Poll<Result<F::Output, JoinError>> {
        // Only `outcome` is touched: never the future, which may be running
        // (a task awaiting its own handle stays pending for ever, as in
        // tokio) or hold its own address (an intrusive waiter).
        if let Some(outcome) = self.outcome.take() {
            self.taken.set(true);
            return Poll::Ready(outcome);
        }
        assert!(!self.taken.get(), "`JoinHandle` polled after it completed");
        // Keep the newest waker: the handle may have moved to another task.
        let previous = self.joiner.replace(Some(cx.waker().clone()));
        drop(previous);
        Poll::Pending
    }

    fn header(&self) -> &Arc<Header> {
        &self.header
    }

    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

// ANCHOR: join_handle
/// The spawner's end of a task: a future of its output, and the way to
/// abort it. Dropping the handle detaches the task, which runs on.
///
/// Unlike tokio's, this handle is not `Send`: the loop runs on one thread, and
/// so do its tasks and their handles. Its [`AbortHandle`] is `Send`.
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
    /// of polling it, and the handle gives a [`JoinError`] that
    /// [`is_cancelled`](JoinError::is_cancelled). A task that has already
    /// ended keeps its outcome.
    pub fn abort(&self) {
        self.cell.header().abort();
    }

    /// A handle that can only abort the task, from any thread: what `gather`
    /// and task groups keep to cancel the rest.
    pub fn abort_handle(&self) -> AbortHandle {
        AbortHandle {
            header: Arc::clone(self.cell.header()),
        }
    }

    /// Whether the task has ended, with an output or an error.
    pub fn is_finished(&self) -> bool {
        self.cell.header().finished.load(Ordering::Acquire)
    }

    /// The task's id.
    pub fn id(&self) -> TaskId {
        self.cell.header().id
    }

    /// The task's name: the spawner's, or `Task-N` as asyncio names it.
    pub fn name(&self) -> String {
        task_name(self.cell.name(), self.id())
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.cell.poll_join(cx)
    }
}
// ANCHOR_END: join_handle

/// A task's name as asyncio gives it: the spawner's, or `Task-N`.
pub(crate) fn task_name(name: Option<&str>, id: TaskId) -> String {
    match name {
        Some(name) => name.to_string(),
        None => format!("Task-{id}"),
    }
}

/// Aborts a task from anywhere (tokio's `AbortHandle`). Dropping it does
/// nothing to the task.
#[derive(Clone)]
pub struct AbortHandle {
    header: Arc<Header>,
}

impl AbortHandle {
    /// Cancels the task, as [`JoinHandle::abort`] does; from another thread,
    /// the loop is interrupted to do it.
    pub fn abort(&self) {
        self.header.abort();
    }

    /// Whether the task has ended.
    pub fn is_finished(&self) -> bool {
        self.header.finished.load(Ordering::Acquire)
    }

    /// The task's id.
    pub fn id(&self) -> TaskId {
        self.header.id
    }
}

// ANCHOR: join_error
/// Why a task ended without its output: it was cancelled, or it panicked.
/// It says which task, and keeps the panic's value, so that whoever awaits
/// the task can carry the panic on ([`JoinError::into_panic`] and
/// `std::panic::resume_unwind`), as with tokio's.
pub struct JoinError {
    /// Boxed: errors are rare, and every task keeps room for its outcome,
    /// so a small error keeps every task small.
    inner: Box<Inner>,
}

struct Inner {
    id: TaskId,
    name: Option<String>,
    repr: Repr,
}

enum Repr {
    Cancelled,
    /// In a `Mutex` only so that the error is `Sync` (a panic's value is
    /// `Send` only), as tokio's is; it is never locked while shared.
    Panicked(Mutex<Payload>),
}
// ANCHOR_END: join_error

impl Repr {
    fn panic(payload: Payload) -> Repr {
        Repr::Panicked(Mutex::new(payload))
    }
}

impl JoinError {
    fn new(id: TaskId, name: Option<&str>, repr: Repr) -> JoinError {
        JoinError {
            inner: Box::new(Inner {
                id,
                name: name.map(String::from),
                repr,
            }),
        }
    }

    pub(crate) fn cancelled(id: TaskId, name: Option<&str>) -> JoinError {
        JoinError::new(id, name, Repr::Cancelled)
    }

    /// Whether the task was cancelled: aborted, or dropped when its loop
    /// closed.
    pub fn is_cancelled(&self) -> bool {
        matches!(self.inner.repr, Repr::Cancelled)
    }

    /// Whether the task panicked.
    pub fn is_panic(&self) -> bool {
        matches!(self.inner.repr, Repr::Panicked(_))
    }

    /// The id of the task.
    pub fn id(&self) -> TaskId {
        self.inner.id
    }

    /// The task's name: the spawner's, or `Task-N`.
    pub fn name(&self) -> String {
        task_name(self.inner.name.as_deref(), self.inner.id)
    }

    /// The panic's message, if the task panicked with one.
    pub fn panic_message(&self) -> Option<String> {
        match &self.inner.repr {
            Repr::Cancelled => None,
            Repr::Panicked(payload) => {
                let payload = payload
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                Some(contain::message(&**payload))
            }
        }
    }

    /// The panic's value, to carry the panic on with `resume_unwind`.
    ///
    /// # Panics
    ///
    /// If the task was cancelled rather than panicked, as tokio's does; see
    /// [`JoinError::try_into_panic`].
    pub fn into_panic(self) -> Payload {
        self.try_into_panic().unwrap_or_else(|error| {
            panic!("`into_panic` on a JoinError that is not a panic: {error}")
        })
    }

    /// The panic's value, or the error back if the task was cancelled.
    pub fn try_into_panic(self) -> Result<Payload, JoinError> {
        let Inner { id, name, repr } = *self.inner;
        match repr {
            Repr::Panicked(payload) => Ok(payload
                .into_inner()
                .unwrap_or_else(|poisoned| poisoned.into_inner())),
            Repr::Cancelled => Err(JoinError::cancelled(id, name.as_deref())),
        }
    }
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name();
        match self.panic_message() {
            None => write!(f, "task {name} was cancelled"),
            Some(message) => write!(f, "task {name} panicked: {message}"),
        }
    }
}

impl fmt::Debug for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct(if self.is_panic() {
            "JoinError::Panicked"
        } else {
            "JoinError::Cancelled"
        });
        debug
            .field("id", &self.inner.id.0)
            .field("name", &self.name());
        if let Some(message) = self.panic_message() {
            debug.field("message", &message);
        }
        debug.finish()
    }
}

impl std::error::Error for JoinError {}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("id", &self.id().0)
            .field("finished", &self.is_finished())
            .finish()
    }
}

impl fmt::Debug for AbortHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AbortHandle")
            .field("id", &self.id().0)
            .field("finished", &self.is_finished())
            .finish()
    }
}
