//! The executor: the tasks it owns, a run queue of the ones ready to go, and the
//! loop that polls them on the current thread.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

use std::panic::{self, AssertUnwindSafe};

use tracing::{debug, error};

use super::task::{self, JoinHandle};

/// A task's number, unique within its executor.
type TaskId = u64;

// ANCHOR: run_queue
/// The ids of the tasks that are ready to be polled, in the order they became
/// ready. Wakers push onto it from any thread (a timer thread, say), so it is
/// behind a mutex, and a push unparks the executor's thread.
#[derive(Debug)]
struct RunQueue {
    ready: Mutex<VecDeque<TaskId>>,
    /// The thread that runs the executor; an `Executor` never leaves it.
    thread: Thread,
}

impl RunQueue {
    fn lock(&self) -> MutexGuard<'_, VecDeque<TaskId>> {
        // Nothing panics while holding the lock: a poisoned queue is whole.
        self.ready
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn push(&self, id: TaskId) {
        self.lock().push_back(id);
        self.thread.unpark();
    }

    fn pop(&self) -> Option<TaskId> {
        self.lock().pop_front()
    }

    /// Sleeps until something is queued. `park` returns at once if `unpark`
    /// came first, so a push between the check and the park is not lost; it
    /// may also return for no reason, hence the loop.
    fn wait(&self) {
        while self.lock().is_empty() {
            thread::park();
        }
    }
}
// ANCHOR_END: run_queue

// ANCHOR: header
/// What a task's waker knows: which task to queue, and whether it is queued
/// already or aborted. It holds no future, so it can be sent anywhere, even
/// when the task's future cannot.
#[derive(Debug)]
pub(crate) struct Header {
    id: TaskId,
    /// Set while the id is in the run queue: a second wake adds nothing.
    queued: AtomicBool,
    /// Set by `JoinHandle::abort`: drop the task instead of polling it.
    aborted: AtomicBool,
    queue: Arc<RunQueue>,
}

impl Wake for Header {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if self.queued.swap(true, Ordering::AcqRel) {
            debug!(task = self.id, "woken again before it ran: queued once");
            return;
        }
        debug!(task = self.id, "woken: queued");
        self.queue.push(self.id);
    }
}

impl Header {
    fn new(id: TaskId, queue: &Arc<RunQueue>) -> Header {
        Header {
            id,
            queued: AtomicBool::new(false),
            aborted: AtomicBool::new(false),
            queue: Arc::clone(queue),
        }
    }

    pub(crate) fn id(&self) -> TaskId {
        self.id
    }

    /// Marks the task aborted and queues it, so the executor gets to it.
    pub(crate) fn abort(self: &Arc<Self>) {
        debug!(task = self.id, "abort requested");
        self.aborted.store(true, Ordering::Release);
        self.wake_by_ref();
    }
}
// ANCHOR_END: header

/// A task as the executor owns it: its job, and the waker that queues it.
struct Task {
    job: Pin<Box<dyn Future<Output = ()>>>,
    header: Arc<Header>,
    waker: Waker,
}

// ANCHOR: executor
/// A single-threaded executor: it polls every task on the thread that created
/// it, so tasks need not be `Send`.
///
/// ```
/// use tasks::hand::Executor;
///
/// let executor = Executor::new();
/// let answer = executor.block_on(async {
///     let handle = tasks::hand::spawn(async { 40 + 2 });
///     handle.await
/// });
/// assert_eq!(answer, Ok(42));
/// ```
pub struct Executor {
    inner: Rc<Inner>,
}

struct Inner {
    queue: Arc<RunQueue>,
    /// Every task not yet finished, by id: in spawn order, so that the
    /// tasks left at the end are dropped in that order.
    tasks: RefCell<BTreeMap<TaskId, Task>>,
    next_id: Cell<TaskId>,
}
// ANCHOR_END: executor

thread_local! {
    /// The executor running on this thread (or being dropped on it), for the
    /// free function `spawn`.
    static CURRENT: RefCell<Option<Rc<Inner>>> = const { RefCell::new(None) };
    /// Whether a `block_on` or a `run` is under way on this thread.
    static RUNNING: Cell<bool> = const { Cell::new(false) };
}

impl Executor {
    /// Makes an executor that runs on the current thread.
    pub fn new() -> Executor {
        let queue = Arc::new(RunQueue {
            ready: Mutex::new(VecDeque::new()),
            thread: thread::current(),
        });
        let inner = Inner {
            queue,
            tasks: RefCell::new(BTreeMap::new()),
            next_id: Cell::new(1),
        };
        Executor {
            inner: Rc::new(inner),
        }
    }

    /// Starts `future` as a task; see the free function [`spawn`].
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        self.inner.spawn(future)
    }

    /// How many tasks the executor holds: spawned and not yet ended.
    pub fn tasks(&self) -> usize {
        self.inner.tasks.borrow().len()
    }

    // ANCHOR: block_on
    /// Runs the tasks and `future` until `future` is done, and returns its
    /// output. Tasks still running then stay with the executor: they run
    /// again at the next `block_on` or `run`, or are dropped with it.
    ///
    /// # Panics
    ///
    /// Inside a task or a future that an executor runs on this thread: there,
    /// `.await` the future instead.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        let _current = Enter::running(&self.inner, "block_on");
        let mut future = pin!(future);
        // The main future is queued like a task, under an id of its own, but
        // it lives here on the stack, not in the executor.
        let main = Arc::new(Header::new(self.inner.next_id(), &self.inner.queue));
        let waker = Waker::from(Arc::clone(&main));
        main.wake_by_ref();
        loop {
            let Some(id) = self.inner.queue.pop() else {
                self.inner.queue.wait();
                continue;
            };
            if id != main.id {
                self.inner.run_task(id);
                continue;
            }
            main.queued.store(false, Ordering::Release);
            let mut cx = Context::from_waker(&waker);
            if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                return output;
            }
        }
    }
    // ANCHOR_END: block_on

    /// Runs until every task has ended. A task that never ends keeps it
    /// running, like asyncio's `run_forever`.
    ///
    /// # Panics
    ///
    /// Inside a task or a future that an executor runs on this thread.
    pub fn run(&self) {
        let _current = Enter::running(&self.inner, "run");
        while self.tasks() > 0 {
            match self.inner.queue.pop() {
                Some(id) => self.inner.run_task(id),
                None => self.inner.queue.wait(),
            }
        }
    }
}

impl Inner {
    fn next_id(&self) -> TaskId {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        id
    }

    // ANCHOR: spawn
    fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let header = Arc::new(Header::new(self.next_id(), &self.queue));
        let (job, handle) = task::new(future, Arc::clone(&header));
        let task = Task {
            job: Box::pin(job),
            waker: Waker::from(Arc::clone(&header)),
            header: Arc::clone(&header),
        };
        self.tasks.borrow_mut().insert(header.id, task);
        debug!(task = header.id, "spawned");
        // Queued, not run: it starts at the executor's next turn, whether or
        // not anyone awaits the handle, like a task from `create_task`.
        header.wake_by_ref();
        handle
    }
    // ANCHOR_END: spawn

    // ANCHOR: run_task
    /// Polls the task `id` once, or drops it if it was aborted.
    fn run_task(&self, id: TaskId) {
        // The task leaves the map while it runs, so that it can spawn tasks
        // (which go into the map) without a double borrow.
        let Some(mut task) = self.tasks.borrow_mut().remove(&id) else {
            debug!(task = id, "woken after it ended: nothing to do");
            return;
        };
        // Cleared before the poll: a wake during the poll queues it again.
        task.header.queued.store(false, Ordering::Release);
        if task.header.aborted.load(Ordering::Acquire) {
            debug!(task = id, "aborted: dropped instead of polled");
            // Dropping the job drops the future, which runs its destructors,
            // and tells the handle `Cancelled` (or `Panicked`, if one of the
            // destructors panics: the job catches that too).
            return;
        }
        debug!(task = id, "polling");
        let mut cx = Context::from_waker(&task.waker);
        if task.job.as_mut().poll(&mut cx).is_pending() {
            self.tasks.borrow_mut().insert(id, task);
            return;
        }
        debug!(task = id, "finished");
        // A detached task's output goes with its job, and its destructor is
        // the user's: a panic there is caught and logged, like the others.
        if panic::catch_unwind(AssertUnwindSafe(|| drop(task))).is_err() {
            error!(task = id, "a detached task's output panicked when dropped");
        }
    }
    // ANCHOR_END: run_task
}

impl Default for Executor {
    fn default() -> Executor {
        Executor::new()
    }
}

// ANCHOR: drop
impl Drop for Executor {
    /// The tasks still running are dropped, each telling its handle
    /// `Cancelled` (or `Panicked`, if a destructor panics): none is leaked.
    /// (asyncio's `run` cancels them and lets them handle it; Rust has no
    /// async drop, so they are just dropped.)
    fn drop(&mut self) {
        // Current meanwhile, so that a destructor may `spawn`.
        let _current = Enter::current(&self.inner);
        // Taken out of the map first, so that their destructors may use the
        // executor. What they spawn lands in the map again, and is dropped,
        // unpolled, in the next round: until no task is left. (A destructor
        // that spawns every time keeps this going for ever.)
        loop {
            let left = std::mem::take(&mut *self.inner.tasks.borrow_mut());
            if left.is_empty() {
                return;
            }
            debug!(
                tasks = left.len(),
                "dropping the executor's unfinished tasks"
            );
            drop(left);
        }
    }
}
// ANCHOR_END: drop

impl fmt::Debug for Executor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Executor")
            .field("tasks", &self.tasks())
            .finish()
    }
}

/// Makes an executor current on this thread until dropped, and then restores
/// whichever was current before.
struct Enter {
    previous: Option<Rc<Inner>>,
    /// Whether this one marked the thread running, to unmark it at the end.
    running: bool,
}

impl Enter {
    /// For `block_on` and `run`, the loops that poll tasks: one at a time on
    /// a thread. A loop inside a task of another would take that executor's
    /// wakes and lose them (on the same executor) or stall its tasks until it
    /// returned (on another), so it is refused before it starts, as tokio
    /// refuses to start a runtime within a runtime.
    fn running(inner: &Rc<Inner>, what: &str) -> Enter {
        if RUNNING.get() {
            panic!(
                "`{what}` cannot be nested: an executor is already running on \
                 this thread; inside a task, `.await` the future instead"
            );
        }
        RUNNING.set(true);
        let mut enter = Enter::current(inner);
        enter.running = true;
        enter
    }

    /// Only makes `inner` current, for `spawn`: for an executor being
    /// dropped, which runs no loop. (tokio's `Runtime::drop` sets its
    /// context the same way.)
    fn current(inner: &Rc<Inner>) -> Enter {
        let previous = CURRENT.with(|current| current.replace(Some(Rc::clone(inner))));
        Enter {
            previous,
            running: false,
        }
    }
}

impl Drop for Enter {
    fn drop(&mut self) {
        let previous = self.previous.take();
        CURRENT.with(|current| current.replace(previous));
        if self.running {
            RUNNING.set(false);
        }
    }
}

// ANCHOR: free_functions
/// Starts `future` as a task on the executor running on this thread, and
/// returns its handle. The task starts at the executor's next turn, whether or
/// not the handle is awaited.
///
/// # Panics
///
/// Outside a future that an executor runs (through [`block_on`],
/// [`Executor::block_on`] or [`Executor::run`]) or a destructor that its drop
/// runs; `tokio::spawn` panics there too.
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let current = CURRENT.with(|current| current.borrow().clone());
    let Some(inner) = current else {
        panic!("`spawn` called outside an executor: call it inside `block_on`");
    };
    inner.spawn(future)
}

/// Runs `future` to completion on a new executor, with the tasks it spawns,
/// like `asyncio.run`. Tasks still running when `future` is done are dropped.
///
/// # Panics
///
/// Inside a task, like [`Executor::block_on`]; `asyncio.run` refuses too.
pub fn block_on<F: Future>(future: F) -> F::Output {
    Executor::new().block_on(future)
}
// ANCHOR_END: free_functions
