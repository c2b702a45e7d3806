//! The loop's core: what it owns, and the turn that drives it.
//!
//! One turn, as asyncio's `_run_once`:
//!
//! 1. wait for I/O: block in the poller when nothing is ready (until the next
//!    timer, a socket or a wake from another thread); when things are ready,
//!    only look, and only every [`POLLS_PER_CHECK`] items run;
//! 2. move what has come in into the one ready queue: the timers now due
//!    (a task to wake, a `call_later` callback to run) and the work other
//!    threads handed in;
//! 3. run what was ready when the turn began, each once, tasks and callbacks
//!    alike, in the order they became ready. What they make ready waits for
//!    the next turn, so nothing can keep the loop in one turn for ever.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::{Future, poll_fn};
use std::io;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use polling::Poller;
use tracing::{debug, warn};

use super::callback::{CallbackKey, Callbacks};
use super::contain;
use super::current::{self, Enter};
use super::introspect::{TaskInfo, TaskState, Wait};
use super::reactor::Reactor;
use super::remote::{Incoming, Remote};
use super::slab::Slab;
use super::task::{Header, JoinHandle, Runnable, TaskCell, TaskId};
use super::time::{Action, Clock, Timers};

/// How many tasks and callbacks the loop runs before it looks at the poller,
/// even when more are ready: sockets are never starved by a busy loop.
/// tokio's current-thread runtime uses 61 too (`event_interval`).
pub const POLLS_PER_CHECK: u32 = 61;

/// The slot of the future `run_until_complete` runs: none, really, since it
/// lives on the caller's stack; no task gets this slot.
const MAIN_SLOT: usize = usize::MAX;
const MAIN: TaskId = TaskId(0);

// ANCHOR: ready
/// What the ready queue holds: a task to poll or a callback to run. Keys
/// only: the task or callback itself stays in its table, so a cancelled
/// callback or an ended task leaves a key that finds nothing.
#[derive(Debug, Clone, Copy)]
enum Ready {
    Task { slot: usize, id: TaskId },
    Callback(CallbackKey),
}
// ANCHOR_END: ready

/// A live task, as the loop's task table holds it.
struct TaskEntry {
    task: Rc<dyn Runnable>,
    /// When it was spawned, on the loop's clock.
    spawned: Instant,
    /// What it waited on after its last poll.
    wait: Wait,
}

/// The sizes of the table entries, for [`part_sizes`](super::part_sizes).
pub(crate) fn entry_sizes() -> (usize, usize) {
    (size_of::<Option<TaskEntry>>(), size_of::<Ready>())
}

/// The future `run_until_complete` runs, as a poll function: it lives on the
/// caller's stack, so the loop borrows it instead of owning it.
pub(crate) type MainFuture<'a, T> = &'a mut dyn FnMut(&mut Context<'_>) -> Poll<T>;

// ANCHOR: core
/// Everything the loop owns. Only its thread touches it, through an `Rc`;
/// [`Remote`] is the part other threads may reach.
pub(crate) struct Core {
    pub(crate) remote: Arc<Remote>,
    /// The one ready queue: tasks woken and callbacks due, in order.
    ready: RefCell<VecDeque<Ready>>,
    /// Every task spawned and not yet ended.
    tasks: RefCell<Slab<TaskEntry>>,
    next_task: Cell<u64>,
    /// Every callback scheduled and not yet run.
    callbacks: RefCell<Callbacks>,
    pub(crate) timers: RefCell<Timers>,
    pub(crate) reactor: Reactor,
    pub(crate) clock: Clock,
    pub(crate) debug: Cell<bool>,
    pub(crate) slow_poll: Cell<Duration>,
    /// Set while `run_until_complete` or `run_forever` runs: they do not nest.
    running: Cell<bool>,
    /// The task being polled now, for [`Core::note_wait`].
    polling: Cell<Option<usize>>,
    /// Woken when the last task ends: a graceful shutdown waits for that.
    all_done: Cell<Option<Waker>>,
    /// The waker of the future `run_until_complete` runs, and its header.
    main: Arc<Header>,
    main_waker: Waker,
}
// ANCHOR_END: core

impl Core {
    pub(crate) fn new(
        virtual_time: bool,
        debug: bool,
        slow_poll: Duration,
        oneshot: bool,
    ) -> io::Result<Core> {
        let poller = Arc::new(Poller::new()?);
        let clock = Clock::new(virtual_time);
        let remote = Arc::new(Remote::new(Arc::clone(&poller), virtual_time));
        let main = Arc::new(Header::new(MAIN, MAIN_SLOT, &remote));
        Ok(Core {
            main_waker: Waker::from(Arc::clone(&main)),
            main,
            remote,
            ready: RefCell::new(VecDeque::new()),
            tasks: RefCell::new(Slab::new()),
            next_task: Cell::new(1),
            callbacks: RefCell::new(Callbacks::default()),
            timers: RefCell::new(Timers::new(clock.start())),
            reactor: Reactor::new(poller, oneshot),
            clock,
            debug: Cell::new(debug),
            slow_poll: Cell::new(slow_poll),
            running: Cell::new(false),
            polling: Cell::new(None),
            all_done: Cell::new(None),
        })
    }

    pub(crate) fn now(&self) -> Instant {
        self.clock.now()
    }

    /// Queues a task woken on the loop's own thread: no lock. `false` if the
    /// queue is busy (never, in practice: it is borrowed only for a moment).
    pub(crate) fn push_woken(&self, slot: usize, id: TaskId) -> bool {
        if self.is_closed() {
            return true; // nothing left to wake: the wake is dropped
        }
        match self.ready.try_borrow_mut() {
            Ok(mut ready) => {
                ready.push_back(Ready::Task { slot, id });
                true
            }
            Err(_) => false,
        }
    }

    pub(crate) fn tasks(&self) -> usize {
        self.tasks.borrow().len()
    }

    pub(crate) fn callbacks(&self) -> usize {
        self.callbacks.borrow().len()
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.remote.is_closed()
    }

    // ANCHOR: spawn
    pub(crate) fn spawn<F>(
        &self,
        name: Option<&str>,
        future: F,
    ) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let id = TaskId(self.next_task.get());
        self.next_task.set(id.0 + 1);
        if self.is_closed() {
            // As on tokio: a task spawned on a closed loop is cancelled at
            // once. Its future is dropped here, and its handle says so.
            warn!("task {id} spawned on a closed event loop: cancelled at once");
            let cell = Rc::new(TaskCell::new(
                future,
                Header::new(id, MAIN_SLOT, &self.remote),
                name,
            ));
            cell.cancel();
            return JoinHandle::new(cell);
        }
        let mut tasks = self.tasks.borrow_mut();
        let slot = tasks.vacant();
        let cell = Rc::new(TaskCell::new(
            future,
            Header::new(id, slot, &self.remote),
            name,
        ));
        tasks.insert(TaskEntry {
            task: Rc::clone(&cell) as Rc<dyn Runnable>,
            spawned: self.now(),
            wait: Wait::default(),
        });
        drop(tasks);
        // Queued, not run: it starts at the loop's next turn, like a task
        // from asyncio's `create_task`.
        self.ready.borrow_mut().push_back(Ready::Task { slot, id });
        JoinHandle::new(cell)
    }
    // ANCHOR_END: spawn

    // ANCHOR: run_task
    /// Polls task `id` once, or cancels it if it was aborted.
    fn run_task(&self, slot: usize, id: TaskId) {
        let task = match self.tasks.borrow_mut().get_mut(slot) {
            Some(entry) if entry.task.header().id == id => {
                entry.wait = Wait::default();
                Rc::clone(&entry.task)
            }
            _ => return, // woken after it ended
        };
        task.header().take_queued();
        let ended = if task.header().is_aborted() {
            debug!(task = %id, "aborted: dropped instead of polled");
            task.cancel();
            true
        } else {
            self.polling.set(Some(slot));
            let started = self.debug.get().then(|| Stopwatch::start(self));
            let ended = task.run();
            self.polling.set(None);
            if let Some(started) = started {
                self.check_slow(started.took(self), || describe(&*task));
            }
            ended
        };
        if ended {
            self.remove_task(slot);
        }
        // The last reference, if the handle is gone: the output is dropped
        // here, with its panic contained.
        contain::drop_logged(|| format!("the output of task {id}"), task);
    }
    // ANCHOR_END: run_task

    fn remove_task(&self, slot: usize) {
        let removed = self.tasks.borrow_mut().remove(slot);
        if self.tasks.borrow().is_empty() {
            if let Some(waker) = self.all_done.take() {
                waker.wake();
            }
        }
        // Dropped after the borrow: an output's destructor may use the loop.
        contain::drop_logged(|| "an ended task".to_string(), removed);
    }

    /// Notes what the task being polled waits on (a `Sleep` or a socket
    /// calls this when it returns `Pending`), for [`Core::all_tasks`].
    pub(crate) fn note_wait(&self, wait: Wait) {
        let Some(slot) = self.polling.get() else {
            return; // the main future, or a poll outside a task
        };
        if let Ok(mut tasks) = self.tasks.try_borrow_mut() {
            if let Some(entry) = tasks.get_mut(slot) {
                entry.wait.timer |= wait.timer;
                entry.wait.socket |= wait.socket;
            }
        }
    }

    // ANCHOR: debug
    /// Debug mode's check, after each poll and callback: one that ran past
    /// the threshold kept every other task waiting, most likely in a blocking
    /// call. asyncio logs "Executing <Task ...> took 0.2 seconds".
    fn check_slow(&self, took: Duration, name: impl FnOnce() -> String) {
        if took >= self.slow_poll.get() {
            let name = name();
            warn!(
                "slow poll: {name} ran {:.3} s without yielding; \
                 look for a blocking call",
                took.as_secs_f64()
            );
        }
    }
    // ANCHOR_END: debug

    // ANCHOR: callbacks
    /// Queues a callback for the next turn (`call_soon`); `None` if the loop
    /// is closed, and then the callback is dropped at once.
    pub(crate) fn call_soon(
        &self,
        kind: &'static str,
        callback: Box<dyn FnOnce()>,
    ) -> Option<CallbackKey> {
        let callback = self.accept_callback(kind, callback)?;
        let key = self.callbacks.borrow_mut().insert(kind, callback);
        self.ready.borrow_mut().push_back(Ready::Callback(key));
        Some(key)
    }

    /// Sets a timer that queues the callback when it fires (`call_later`).
    pub(crate) fn call_at(
        &self,
        when: Instant,
        callback: Box<dyn FnOnce()>,
    ) -> Option<CallbackKey> {
        let callback = self.accept_callback("call_later", callback)?;
        let key = self.callbacks.borrow_mut().insert("call_later", callback);
        let timer = self.timers.borrow_mut().insert(when, Action::Call(key));
        self.callbacks.borrow_mut().set_timer(key, timer);
        Some(key)
    }
    // ANCHOR_END: callbacks

    /// Runs a callback, with its panic caught and logged, as asyncio logs
    /// "Exception in callback".
    fn run_callback(&self, key: CallbackKey) {
        let Some(entry) = self.callbacks.borrow_mut().remove(key) else {
            return; // cancelled
        };
        let name = || format!("{} callback {}", entry.kind, entry.id);
        let started = self.debug.get().then(|| Stopwatch::start(self));
        if let Err(payload) = contain::catch(entry.callback) {
            contain::log(&name(), "panicked", payload);
        }
        if let Some(started) = started {
            self.check_slow(started.took(self), name);
        }
    }

    /// Takes a callback back: `true` if it had not run yet. It is dropped
    /// after every borrow ends, so whatever it captured may use the loop.
    pub(crate) fn cancel_callback(&self, key: CallbackKey) -> bool {
        let removed = self.callbacks.borrow_mut().remove(key);
        let Some(entry) = removed else {
            return false;
        };
        let timer = entry
            .timer
            .and_then(|timer| self.timers.borrow_mut().remove(&timer));
        drop(timer);
        contain::drop_logged(
            || format!("{} callback {}", entry.kind, entry.id),
            entry.callback,
        );
        true
    }

    /// On a closed loop a callback is dropped at once, never run (asyncio
    /// raises "Event loop is closed"); otherwise it is given back.
    fn accept_callback(
        &self,
        kind: &'static str,
        callback: Box<dyn FnOnce()>,
    ) -> Option<Box<dyn FnOnce()>> {
        if !self.is_closed() {
            return Some(callback);
        }
        warn!("{kind} on a closed event loop: the callback is dropped, never run");
        contain::drop_logged(|| format!("a refused {kind} callback"), callback);
        None
    }

    fn is_idle(&self) -> bool {
        self.ready.borrow().is_empty() && !self.remote.has_pending()
    }

    // ANCHOR: run
    /// Runs turns of the loop until `main` (if any) is ready or `stop` is
    /// called. `main` is polled like a task, when its waker queues it.
    pub(crate) fn run<T>(
        self: &Rc<Core>,
        mut main: Option<MainFuture<'_, T>>,
    ) -> Option<T> {
        self.start_running();
        let _running = Running(self);
        let _enter = Enter::new(self);
        if main.is_some() {
            self.main.mark_queued();
            self.ready.borrow_mut().push_back(Ready::Task {
                slot: MAIN_SLOT,
                id: MAIN,
            });
        }
        let mut since_check = 0;
        loop {
            // 1. Wait for I/O, or only look.
            let stopping = self.remote.stop.load(Ordering::Acquire);
            let idle = self.is_idle();
            if idle {
                self.shrink();
            }
            if idle || since_check >= POLLS_PER_CHECK {
                since_check = 0;
                self.wait_for_io(idle && !stopping);
            }
            // 2. What has come in joins the ready queue.
            self.take_incoming();
            self.queue_due_timers();
            // 3. What is ready now runs, each once.
            let ready_now = self.ready.borrow().len();
            for _ in 0..ready_now {
                let Some(ready) = self.ready.borrow_mut().pop_front() else {
                    break;
                };
                since_check += 1;
                match ready {
                    Ready::Callback(key) => self.run_callback(key),
                    Ready::Task { slot, id } if slot != MAIN_SLOT => {
                        self.run_task(slot, id);
                    }
                    Ready::Task { .. } => {
                        self.main.take_queued();
                        let polled = main.as_mut().map(|main| self.poll_main(main));
                        if let Some(Poll::Ready(output)) = polled {
                            return Some(output);
                        }
                    }
                }
            }
            if self.remote.stop.load(Ordering::Acquire) {
                return None;
            }
        }
    }
    // ANCHOR_END: run

    /// Gives back most of the room a burst (ten thousand spawns at once,
    /// say) left behind, when the loop is about to wait anyway.
    fn shrink(&self) {
        let mut ready = self.ready.borrow_mut();
        if ready.capacity() > 1024 {
            ready.shrink_to(64);
        }
        self.tasks.borrow_mut().shrink_if_empty();
    }

    fn start_running(&self) {
        assert!(
            !current::is_set() && !self.running.get(),
            "the event loop is already running: `block_on`, `run_until_complete` \
             and `run_forever` cannot be called from inside it"
        );
        assert!(
            !self.is_closed(),
            "the event loop is closed: a closed loop cannot run again"
        );
        self.running.set(true);
    }

    fn poll_main<T>(&self, main: &mut MainFuture<'_, T>) -> Poll<T> {
        let mut cx = Context::from_waker(&self.main_waker);
        let started = self.debug.get().then(|| Stopwatch::start(self));
        let polled = main(&mut cx);
        if let Some(started) = started {
            self.check_slow(started.took(self), || "the main future".to_string());
        }
        polled
    }

    // ANCHOR: wait_for_io
    /// Waits for something to happen: I/O, a wake from another thread, or
    /// the next timer. With `block` false it only looks, without waiting.
    fn wait_for_io(&self, block: bool) {
        let next = self.timers.borrow().next_deadline();
        let held = self.remote.is_clock_held();
        let timeout = if !block {
            Some(Duration::ZERO)
        } else if self.clock.is_virtual() {
            // Virtual time never waits on a timer: if nothing else happens,
            // the clock jumps to the next deadline below. While work is out
            // on another thread (a clock hold), it waits for that instead.
            if held {
                None
            } else {
                next.map(|_| Duration::ZERO)
            }
        } else {
            next.map(|deadline| deadline.saturating_duration_since(self.now()))
        };
        // A look without waiting, with no socket registered, would only cost
        // system calls: work from other threads comes in through `Remote`,
        // which every turn checks.
        // Before blocking, tell other threads to interrupt the poller when
        // they hand work in; if some came in meanwhile, only look.
        let blocking = block && timeout != Some(Duration::ZERO);
        let timeout = if blocking && !self.remote.start_waiting() {
            Some(Duration::ZERO)
        } else {
            timeout
        };
        let events = if block || self.reactor.sources() > 0 {
            self.reactor.wait(timeout).unwrap_or_else(|error| {
                tracing::error!("waiting for I/O failed: {error}");
                0
            })
        } else {
            0
        };
        if blocking {
            self.remote.stop_waiting();
        }
        if block && !held && events == 0 && self.is_idle() {
            if let Some(deadline) = next {
                self.clock.advance_to(deadline);
            }
        }
    }

    /// Moves the timers now due into the ready queue: a sleeping task is
    /// woken, a `call_later` callback is queued. Their actions run after the
    /// borrow of the heap ends: a waker is not ours.
    fn queue_due_timers(&self) {
        let mut due = Vec::new();
        self.timers.borrow_mut().take_due(self.now(), &mut due);
        for action in due {
            match action {
                Action::Wake(waker) => waker.wake(),
                Action::Call(key) => {
                    self.ready.borrow_mut().push_back(Ready::Callback(key))
                }
            }
        }
    }
    // ANCHOR_END: wait_for_io

    /// Moves the work other threads handed in into the ready queue.
    fn take_incoming(&self) {
        for incoming in self.remote.take() {
            let ready = match incoming {
                Incoming::Wake { slot, id } => Ready::Task { slot, id },
                Incoming::Call(callback) => {
                    let key = self
                        .callbacks
                        .borrow_mut()
                        .insert("call_soon_threadsafe", callback);
                    Ready::Callback(key)
                }
            };
            self.ready.borrow_mut().push_back(ready);
        }
    }

    // ANCHOR: close
    /// Ends the loop: refuses new work from now on, then drops every task
    /// still pending (running its destructors, their panics contained), every
    /// callback and every timer. Returns how many of each it dropped.
    pub(crate) fn close(self: &Rc<Core>) -> (usize, usize, usize) {
        if self.remote.closed.swap(true, Ordering::AcqRel) {
            return (0, 0, 0);
        }
        // Destructors may call `spawn` or `sleep`: they find this loop,
        // which refuses them now.
        let _enter = Enter::new(self);
        if self.debug.get() {
            for task in self.all_tasks() {
                warn!(
                    "task {} destroyed while pending ({}, {:.3} s old)",
                    task.name,
                    task.state,
                    task.age.as_secs_f64()
                );
            }
        }
        self.ready.borrow_mut().clear();
        let tasks = self.tasks.borrow_mut().take_all();
        let callbacks = self.callbacks.borrow_mut().take_all();
        let timers = self.timers.borrow_mut().take_all();
        let incoming = self.remote.take();
        let counts = (tasks.len(), callbacks.len() + incoming.len(), timers.len());
        // Every borrow is released: now the user's code may run.
        for entry in tasks {
            entry.task.cancel();
            contain::drop_logged(|| "a cancelled task".to_string(), entry);
        }
        for entry in callbacks {
            contain::drop_logged(
                || format!("{} callback {}", entry.kind, entry.id),
                entry.callback,
            );
        }
        contain::drop_logged(|| "work from another thread".to_string(), incoming);
        contain::drop_logged(|| "a timer".to_string(), timers);
        counts
    }
    // ANCHOR_END: close

    // ANCHOR: shutdown
    /// asyncio.run's ending: cancels every task left, then runs the loop
    /// until the cleanup that started has finished (tasks spawned by
    /// destructors included), for at most `grace` on the loop's clock.
    /// Returns how many tasks it cancelled and whether all ended in time.
    pub(crate) fn shut_down_gracefully(
        self: &Rc<Core>,
        grace: Duration,
    ) -> (usize, bool) {
        if self.is_closed() {
            return (0, true);
        }
        let headers: Vec<Arc<Header>> = self
            .tasks
            .borrow()
            .iter()
            .map(|(_, entry)| Arc::clone(entry.task.header()))
            .collect();
        for header in &headers {
            header.abort();
        }
        if headers.is_empty() {
            return (0, true);
        }
        let mut deadline = super::time::sleep_until(self.clock.deadline_after(grace));
        let mut all_ended = poll_fn(|cx| {
            if self.tasks.borrow().is_empty() {
                return Poll::Ready(true);
            }
            self.all_done.set(Some(cx.waker().clone()));
            std::pin::Pin::new(&mut deadline).poll(cx).map(|()| false)
        });
        let mut main =
            |cx: &mut Context<'_>| std::pin::Pin::new(&mut all_ended).poll(cx);
        let in_time = self.run(Some(&mut main)).unwrap_or(false);
        (headers.len(), in_time)
    }
    // ANCHOR_END: shutdown

    /// Every live task: asyncio's `all_tasks()`, with what each waits on.
    pub(crate) fn all_tasks(&self) -> Vec<TaskInfo> {
        let now = self.now();
        self.tasks
            .borrow()
            .iter()
            .map(|(_, entry)| {
                let header = entry.task.header();
                let state = if header.is_queued() {
                    TaskState::Ready
                } else {
                    match (entry.wait.timer, entry.wait.socket) {
                        (true, true) => TaskState::TimerOrSocket,
                        (true, false) => TaskState::Timer,
                        (false, true) => TaskState::Socket,
                        (false, false) => TaskState::Other,
                    }
                };
                TaskInfo {
                    id: header.id,
                    name: super::task::task_name(entry.task.name(), header.id),
                    state,
                    age: now.saturating_duration_since(entry.spawned),
                }
            })
            .collect()
    }
}

/// A task's name for the log: `task NAME`.
fn describe(task: &dyn Runnable) -> String {
    format!(
        "task {}",
        super::task::task_name(task.name(), task.header().id)
    )
}

/// Ends a run, even by a panic: the loop is no longer running, a `stop` from
/// this run does not reach the next one (asyncio clears it too), and the
/// main future's queued wakes are forgotten with it.
struct Running<'a>(&'a Core);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.running.set(false);
        self.0.remote.stop.store(false, Ordering::Release);
        if let Ok(mut ready) = self.0.ready.try_borrow_mut() {
            ready.retain(|ready| {
                !matches!(
                    ready,
                    Ready::Task {
                        slot: MAIN_SLOT,
                        ..
                    }
                )
            });
        }
    }
}

/// How long a poll or a callback ran, for debug mode, on the loop's clock.
/// On a real clock that is the time it held the thread. A virtual clock
/// moves during a poll only when a task stands in for a blocking call with
/// `blocking_sleep`: so a test's run is reported the same on every machine,
/// however loaded, and a real `std::thread::sleep` on a virtual loop goes
/// unreported.
struct Stopwatch {
    started: Instant,
}

impl Stopwatch {
    fn start(core: &Core) -> Stopwatch {
        Stopwatch {
            started: core.now(),
        }
    }

    fn took(&self, core: &Core) -> Duration {
        core.now().saturating_duration_since(self.started)
    }
}
