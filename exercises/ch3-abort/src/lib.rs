//! Chapter 3 exercise: give a hand-rolled executor's join handle an `abort`.
//!
//! A small single-threaded executor, like chapter 3's: it owns its tasks, keeps
//! a run queue of the ids of those ready to be polled, and hands out a
//! `JoinHandle` future per task. What it lacks is a way to cancel a task.
//!
//! Check your work with `cargo test -p ch3-abort`.
#![forbid(unsafe_code)]

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

/// A task's number. The main future of `block_on` is number 0.
type TaskId = u64;

const MAIN: TaskId = 0;

/// What a handle resolves to when its task was aborted before it finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

/// The ids of the tasks ready to be polled, in the order they woke.
type RunQueue = Arc<Mutex<VecDeque<TaskId>>>;

/// A task's waker: waking it puts the task's id on the run queue.
#[derive(Debug)]
struct Header {
    id: TaskId,
    /// Set when the task's handle asks for it to be aborted.
    // Quiets the warning for a field nothing reads yet; delete it once your
    // code uses it.
    #[allow(dead_code)]
    aborted: AtomicBool,
    queue: RunQueue,
}

impl Wake for Header {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.queue.lock().unwrap().push_back(self.id);
    }
}

/// What a task and its handle share: the output once there is one, and the
/// waker of whoever awaits the handle.
struct Slot<T> {
    result: Option<Result<T, Cancelled>>,
    taken: bool,
    joiner: Option<Waker>,
}

impl<T> Slot<T> {
    /// Keeps the first result only, and wakes whoever awaits the handle.
    fn finish(&mut self, result: Result<T, Cancelled>) {
        if self.result.is_some() || self.taken {
            return;
        }
        self.result = Some(result);
        if let Some(joiner) = self.joiner.take() {
            joiner.wake();
        }
    }
}

/// A task as the executor owns it.
struct Task {
    /// The spawned future, which hands its output to the handle when done.
    future: Pin<Box<dyn Future<Output = ()>>>,
    header: Arc<Header>,
    /// Tells the handle `Cancelled`.
    tell_cancelled: Box<dyn FnOnce()>,
}

impl Task {
    /// Cancels the task: drops its future, which runs the destructors of
    /// everything it holds, then tells its handle.
    // Quiets the warning for a method nothing calls yet; delete it once your
    // code calls it.
    #[allow(dead_code)]
    fn cancel(self) {
        drop(self.future);
        (self.tell_cancelled)();
    }
}

/// The spawner's end of a task: a future of its output.
pub struct JoinHandle<T> {
    slot: Rc<RefCell<Slot<T>>>,
    /// The task's waker, shared with the executor.
    // Quiets the warning for a field nothing reads yet; delete it once your
    // code uses it.
    #[allow(dead_code)]
    header: Arc<Header>,
}

impl<T> JoinHandle<T> {
    /// Cancels the task, unless it has finished already: the handle then
    /// resolves to `Err(Cancelled)`, and the task's future is dropped without
    /// being polled again. The other tasks are not disturbed.
    pub fn abort(&self) {
        // TODO: the handle cannot reach the task's future: the executor owns
        // it. Ask the executor instead: mark the task aborted, and make sure
        // the executor gets to it soon.
        todo!()
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let finished = self.slot.borrow().result.is_some();
        f.debug_struct("JoinHandle")
            .field("finished", &finished)
            .finish_non_exhaustive()
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, Cancelled>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = self.slot.borrow_mut();
        match slot.result.take() {
            Some(result) => {
                slot.taken = true;
                Poll::Ready(result)
            }
            None => {
                slot.joiner = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// A single-threaded executor.
///
/// Shortcut: it never parks. When no task is ready and the main future is
/// not done, nothing could ever wake one (every waker here is called on this
/// thread), so it panics instead of waiting forever.
pub struct Executor {
    tasks: RefCell<BTreeMap<TaskId, Task>>,
    queue: RunQueue,
    next_id: Cell<TaskId>,
}

impl fmt::Debug for Executor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Executor")
            .field("tasks", &self.tasks())
            .finish_non_exhaustive()
    }
}

impl Default for Executor {
    fn default() -> Executor {
        Executor::new()
    }
}

impl Executor {
    /// An executor with no tasks.
    pub fn new() -> Executor {
        Executor {
            tasks: RefCell::new(BTreeMap::new()),
            queue: RunQueue::default(),
            next_id: Cell::new(MAIN + 1),
        }
    }

    /// How many tasks the executor holds: spawned, and not yet finished or
    /// cancelled.
    pub fn tasks(&self) -> usize {
        self.tasks.borrow().len()
    }

    /// Starts `future` as a task. It runs at the executor's next turn.
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        let header = Arc::new(Header {
            id,
            aborted: AtomicBool::new(false),
            queue: Arc::clone(&self.queue),
        });
        let slot = Rc::new(RefCell::new(Slot {
            result: None,
            taken: false,
            joiner: None,
        }));
        let (output_slot, cancel_slot) = (Rc::clone(&slot), Rc::clone(&slot));
        let task = Task {
            future: Box::pin(async move {
                let output = future.await;
                output_slot.borrow_mut().finish(Ok(output));
            }),
            header: Arc::clone(&header),
            tell_cancelled: Box::new(move || {
                cancel_slot.borrow_mut().finish(Err(Cancelled))
            }),
        };
        self.tasks.borrow_mut().insert(id, task);
        header.wake_by_ref();
        JoinHandle { slot, header }
    }

    /// Runs the tasks and `future` until `future` is done.
    ///
    /// # Panics
    ///
    /// When every task is waiting and nothing can wake any of them.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        let mut future = pin!(future);
        let main = Arc::new(Header {
            id: MAIN,
            aborted: AtomicBool::new(false),
            queue: Arc::clone(&self.queue),
        });
        let waker = Waker::from(Arc::clone(&main));
        main.wake_by_ref();
        loop {
            let next = self.queue.lock().unwrap().pop_front();
            let Some(id) = next else {
                panic!("deadlock: every task is waiting, and nothing can wake one");
            };
            if id != MAIN {
                self.run_task(id);
                continue;
            }
            if let Poll::Ready(output) =
                future.as_mut().poll(&mut Context::from_waker(&waker))
            {
                return output;
            }
        }
    }

    /// Polls the task `id` once.
    fn run_task(&self, id: TaskId) {
        // A task that has ended is no longer in the map: a late wake for it
        // finds nothing to do.
        let Some(mut task) = self.tasks.borrow_mut().remove(&id) else {
            return;
        };
        // TODO: a task whose handle asked for an abort is not polled again:
        // cancel it here instead (see `Task::cancel`), and leave it out of
        // the map.
        let waker = Waker::from(Arc::clone(&task.header));
        let polled = task.future.as_mut().poll(&mut Context::from_waker(&waker));
        if polled.is_pending() {
            self.tasks.borrow_mut().insert(id, task);
        }
    }
}

/// Pending once, then ready: lets every other ready task run first.
pub async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            return Poll::Ready(());
        }
        yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    })
    .await;
}
