//! The loop's core: chapter 3's executor (tasks, a run queue, wakers) joined
//! to a reactor (timers and I/O), and the turn that drives them.
//!
//! One turn of the loop, as in asyncio's `_run_once`:
//!
//! 1. run the callbacks that `call_soon` queued;
//! 2. poll each task that is ready, once;
//! 3. when nothing is ready, block in the poller until the next timer's
//!    deadline, an I/O event or a wake from another thread; even when tasks
//!    are ready, look at the poller every [`POLLS_PER_CHECK`] polls, so that
//!    timers and sockets are never starved;
//! 4. wake the tasks whose timers are due.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::future::Future;
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use polling::Poller;
use tracing::{debug, error, warn};

use super::reactor::Reactor;
use super::task::{JoinHandle, Runnable, TaskCell};
use super::time::{Action, Clock, Timers};

/// A task's id: its slot (low 32 bits) and its number among the loop's spawns
/// (high bits, which wrap after a billion), so a wake for a task that has
/// ended never reaches the next task to use its slot.
pub(crate) type TaskId = u64;

/// The slot of the future `block_on` runs: none, really, since it lives on
/// `block_on`'s stack; tasks never get this slot.
const MAIN_SLOT: u32 = u32::MAX;

/// The id of the future `block_on` runs.
const MAIN: TaskId = MAIN_SLOT as TaskId;

/// How many polls the loop makes before it checks timers and sockets, even
/// when tasks are still ready. tokio's current-thread runtime uses 61 too.
pub const POLLS_PER_CHECK: u32 = 61;

// ANCHOR: shared
/// The part of the loop other threads may touch: wakes from other threads
/// queue here and interrupt the poller; `stop` may come from anywhere.
#[derive(Debug)]
pub(crate) struct Shared {
    remote: Mutex<Vec<TaskId>>,
    /// Set when `remote` may hold ids: the loop looks at it without locking.
    remote_pending: AtomicBool,
    pub(crate) poller: Arc<Poller>,
    pub(crate) stop: AtomicBool,
}

impl Shared {
    fn lock_remote(&self) -> MutexGuard<'_, Vec<TaskId>> {
        // Nothing panics while holding the lock; a poisoned queue is whole.
        self.remote
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues a task woken on another thread, and interrupts the poller in
    /// case the loop is blocked in it.
    fn push_remote(&self, id: TaskId) {
        self.lock_remote().push(id);
        self.remote_pending.store(true, Ordering::Release);
        self.notify();
    }

    pub(crate) fn notify(&self) {
        if let Err(error) = self.poller.notify() {
            error!("could not interrupt the poller: {error}");
        }
    }
}
// ANCHOR_END: shared

// ANCHOR: header
/// What a task's waker carries: which task to queue, whether it is queued
/// already or aborted, and the way back to its loop. `Send` and `Sync`, so
/// a waker may go to any thread, even when the task's future may not.
#[derive(Debug)]
pub(crate) struct Header {
    slot: u32,
    /// Two flags (queued, aborted) in the low bits, the task's number above
    /// them: one atomic word, so the header takes 32 bytes, not 40.
    state: AtomicU32,
    shared: Arc<Shared>,
}

const QUEUED: u32 = 0b01;
const ABORTED: u32 = 0b10;
const NUMBER_SHIFT: u32 = 2;

impl Wake for Header {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // Queued once, however often it is woken before it runs.
        if self.state.fetch_or(QUEUED, Ordering::AcqRel) & QUEUED != 0 {
            return;
        }
        schedule(&self.shared, self.id());
    }
}

impl Header {
    /// A header for task `number` in `slot`, queued already: a new task
    /// starts at the loop's next turn.
    fn new(slot: u32, number: u32, shared: &Arc<Shared>) -> Header {
        Header {
            slot,
            state: AtomicU32::new((number << NUMBER_SHIFT) | QUEUED),
            shared: Arc::clone(shared),
        }
    }

    pub(crate) fn id(&self) -> TaskId {
        (u64::from(self.number()) << 32) | u64::from(self.slot)
    }

    pub(crate) fn abort(self: &Arc<Self>) {
        self.state.fetch_or(ABORTED, Ordering::AcqRel);
        self.wake_by_ref();
    }

    /// The task's number among its loop's spawns: the `N` of `Task-N`.
    pub(crate) fn number(&self) -> u32 {
        self.state.load(Ordering::Relaxed) >> NUMBER_SHIFT
    }

    fn take_queued(&self) -> u32 {
        self.state.fetch_and(!QUEUED, Ordering::AcqRel)
    }
}

/// Puts a woken task on its loop's queue: the local queue when the wake
/// comes from the loop's own thread while it runs (no lock), the shared one
/// otherwise.
fn schedule(shared: &Arc<Shared>, id: TaskId) {
    let local = CURRENT.with(|current| match &*current.borrow() {
        Some(core) if Arc::ptr_eq(&core.shared, shared) => {
            core.ready.borrow_mut().push_back(id);
            true
        }
        _ => false,
    });
    if !local {
        shared.push_remote(id);
    }
}
// ANCHOR_END: header

fn slot_of(id: TaskId) -> usize {
    (id & u64::from(u32::MAX)) as usize
}

/// A task slot: empty, or the task that holds it.
type Slot = Option<Rc<dyn Runnable>>;

/// The future `block_on` runs, as a poll function: it lives on `block_on`'s
/// stack, so the loop borrows it instead of owning it.
pub(crate) type MainFuture<'a, T> = &'a mut dyn FnMut(&mut Context<'_>) -> Poll<T>;

// ANCHOR: core
/// Everything the loop owns. Only its thread touches it, through an `Rc`.
pub(crate) struct Core {
    pub(crate) shared: Arc<Shared>,
    /// Tasks woken on this thread, in the order they were woken.
    ready: RefCell<VecDeque<TaskId>>,
    slots: RefCell<Vec<Slot>>,
    free_slots: RefCell<Vec<u32>>,
    live_tasks: Cell<usize>,
    /// The names spawners gave, by task: kept here rather than in every
    /// task, since few tasks have one.
    names: RefCell<HashMap<TaskId, Box<str>>>,
    /// The next task's number; 30 bits of it are kept.
    next_task_number: Cell<u32>,
    /// Callbacks from `call_soon`, by number: first queued, first run.
    pub(crate) soon: RefCell<BTreeMap<u64, Box<dyn FnOnce()>>>,
    pub(crate) next_callback: Cell<u64>,
    pub(crate) timers: RefCell<Timers>,
    pub(crate) reactor: Reactor,
    pub(crate) clock: Clock,
    pub(crate) debug: Cell<bool>,
    pub(crate) slow_poll: Cell<Duration>,
    /// Set while a `block_on` or `run_forever` runs: they do not nest.
    running: Cell<bool>,
}
// ANCHOR_END: core

thread_local! {
    /// The loop running on this thread, for `spawn`, `sleep` and the wakers.
    static CURRENT: RefCell<Option<Rc<Core>>> = const { RefCell::new(None) };
}

/// The loop running on this thread, if any.
pub(crate) fn try_current() -> Option<Rc<Core>> {
    CURRENT.with(|current| current.borrow().clone())
}

/// The loop running on this thread.
///
/// # Panics
///
/// Outside a running loop, naming `what` was tried.
pub(crate) fn current(what: &str) -> Rc<Core> {
    try_current().unwrap_or_else(|| {
        panic!("{what} outside an event loop: run it inside `block_on` or a task")
    })
}

/// Makes a loop current on this thread until dropped, then restores
/// whichever was current before.
pub(crate) struct Enter {
    previous: Option<Rc<Core>>,
}

impl Enter {
    pub(crate) fn new(core: &Rc<Core>) -> Enter {
        let previous = CURRENT.with(|current| current.replace(Some(Rc::clone(core))));
        Enter { previous }
    }
}

impl Drop for Enter {
    fn drop(&mut self) {
        let previous = self.previous.take();
        CURRENT.with(|current| current.replace(previous));
    }
}

impl Core {
    pub(crate) fn new(
        virtual_time: bool,
        debug: bool,
        slow_poll: Duration,
        oneshot_polling: bool,
    ) -> io::Result<Core> {
        let poller = Arc::new(Poller::new()?);
        let clock = Clock::new(virtual_time);
        Ok(Core {
            shared: Arc::new(Shared {
                remote: Mutex::new(Vec::new()),
                remote_pending: AtomicBool::new(false),
                poller: Arc::clone(&poller),
                stop: AtomicBool::new(false),
            }),
            ready: RefCell::new(VecDeque::new()),
            slots: RefCell::new(Vec::new()),
            free_slots: RefCell::new(Vec::new()),
            live_tasks: Cell::new(0),
            names: RefCell::new(HashMap::new()),
            next_task_number: Cell::new(1),
            soon: RefCell::new(BTreeMap::new()),
            next_callback: Cell::new(1),
            timers: RefCell::new(Timers::new(clock.start())),
            reactor: Reactor::new(poller, oneshot_polling),
            clock,
            debug: Cell::new(debug),
            slow_poll: Cell::new(slow_poll),
            running: Cell::new(false),
        })
    }

    pub(crate) fn now(&self) -> Instant {
        self.clock.now()
    }

    pub(crate) fn tasks(&self) -> usize {
        self.live_tasks.get()
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
        let number = self.next_task_number.get();
        self.next_task_number
            .set((number + 1) & (u32::MAX >> NUMBER_SHIFT));
        let mut slots = self.slots.borrow_mut();
        let index = self.free_slots.borrow_mut().pop().unwrap_or_else(|| {
            slots.push(None);
            u32::try_from(slots.len() - 1)
                .ok()
                .filter(|slot| *slot != MAIN_SLOT)
                .expect("fewer than 2^32 - 1 tasks at once")
        });
        let header = Arc::new(Header::new(index, number, &self.shared));
        let id = header.id();
        if let Some(name) = name {
            self.names.borrow_mut().insert(id, name.into());
        }
        let cell = Rc::new(TaskCell::new(future, header));
        slots[index as usize] = Some(Rc::clone(&cell) as Rc<dyn Runnable>);
        drop(slots);
        self.live_tasks.set(self.live_tasks.get() + 1);
        // Queued, not run: it starts at the loop's next turn, like a task
        // from asyncio's `create_task`.
        self.ready.borrow_mut().push_back(id);
        JoinHandle::new(cell)
    }
    // ANCHOR_END: spawn

    fn task(&self, id: TaskId) -> Option<Rc<dyn Runnable>> {
        let slots = self.slots.borrow();
        let task = slots.get(slot_of(id))?.as_ref()?;
        // The slot may hold a later task by now.
        (task.header().id() == id).then(|| Rc::clone(task))
    }

    fn remove_task(&self, id: TaskId) {
        let removed = self.slots.borrow_mut()[slot_of(id)].take();
        if removed.is_some() {
            self.free_slots.borrow_mut().push(slot_of(id) as u32);
            self.live_tasks.set(self.live_tasks.get() - 1);
            let mut names = self.names.borrow_mut();
            if !names.is_empty() {
                names.remove(&id);
            }
        }
        // The task is dropped here, after the borrow: its destructors may
        // spawn or cancel tasks.
        drop(removed);
    }

    // ANCHOR: run_task
    /// Polls task `id` once, or cancels it if it was aborted.
    fn run_task(&self, id: TaskId) {
        let Some(task) = self.task(id) else {
            return; // woken after it ended
        };
        let state = task.header().take_queued();
        if state & ABORTED != 0 {
            debug!(task = %self.name_of(id), "aborted: dropped instead of polled");
            self.remove_task(id);
            task.cancel();
            return;
        }
        let ended = if self.debug.get() {
            let started = Instant::now();
            let ended = task.run();
            self.check_slow(started.elapsed(), || self.name_of(id));
            ended
        } else {
            task.run()
        };
        if ended {
            self.remove_task(id);
        }
    }
    // ANCHOR_END: run_task

    /// A task's name, as asyncio gives it: the spawner's, or `Task-N`.
    fn name_of(&self, id: TaskId) -> String {
        match self.names.borrow().get(&id) {
            Some(name) => name.to_string(),
            None => format!("Task-{}", id >> 32),
        }
    }

    // ANCHOR: debug
    /// Debug mode's check, after each poll: a poll that ran past the
    /// threshold kept every other task waiting, most likely in a blocking
    /// call. asyncio logs "Executing <Task ...> took 0.2 seconds".
    fn check_slow(&self, took: Duration, name: impl FnOnce() -> String) {
        if took >= self.slow_poll.get() {
            let name = name();
            warn!(
                "slow poll: task {name} ran {:.3} s without yielding; look for a blocking call",
                took.as_secs_f64()
            );
        }
    }
    // ANCHOR_END: debug

    /// Runs the callbacks queued by `call_soon` before this turn began; the
    /// ones they queue run next turn.
    fn run_soon(&self) {
        let Some(last) = self.soon.borrow().last_key_value().map(|(key, _)| *key)
        else {
            return;
        };
        loop {
            let next = {
                let mut soon = self.soon.borrow_mut();
                match soon.first_entry() {
                    Some(entry) if *entry.key() <= last => Some(entry.remove_entry()),
                    _ => None,
                }
            };
            let Some((number, callback)) = next else {
                return;
            };
            self.run_callback(|| format!("callback {number}"), callback);
        }
    }

    /// Runs a callback with its panic caught and logged, as asyncio logs
    /// "Exception in callback".
    ///
    /// `name` says which callback it was, for the log: only called if
    /// something is logged.
    pub(crate) fn run_callback(
        &self,
        name: impl Fn() -> String,
        callback: Box<dyn FnOnce()>,
    ) {
        let started = self.debug.get().then(Instant::now);
        if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(callback)) {
            error!("{} panicked: {}", name(), tasks::panic_message(&*payload));
        }
        if let Some(started) = started {
            self.check_slow(started.elapsed(), name);
        }
    }

    fn take_remote(&self) {
        if !self.shared.remote_pending.swap(false, Ordering::AcqRel) {
            return;
        }
        let remote = std::mem::take(&mut *self.shared.lock_remote());
        self.ready.borrow_mut().extend(remote);
    }

    fn is_idle(&self) -> bool {
        self.ready.borrow().is_empty()
            && self.soon.borrow().is_empty()
            && !self.shared.remote_pending.load(Ordering::Acquire)
    }

    /// Gives back most of the run queue's room when a burst of wakes (ten
    /// thousand spawns at once, say) has left it far bigger than it is now.
    /// Only when the loop is about to wait anyway, so no turn pays for it.
    fn shrink_ready_queue(&self) {
        let mut ready = self.ready.borrow_mut();
        if ready.capacity() > 1024 {
            ready.shrink_to(64);
        }
    }

    // ANCHOR: park
    /// Waits for something to do: I/O, a wake from another thread, or the
    /// next timer. With `block` false it only looks, without waiting. Then
    /// wakes the tasks whose timers are due.
    fn park(&self, block: bool) {
        let next = self.timers.borrow().next_deadline();
        let timeout = if !block {
            Some(Duration::ZERO)
        } else if self.clock.is_virtual() {
            // Virtual time never waits on a timer: if nothing else is
            // ready, the clock jumps to the next deadline below.
            next.map(|_| Duration::ZERO)
        } else {
            next.map(|deadline| deadline.saturating_duration_since(self.now()))
        };
        // A look without waiting, with no socket registered, would only
        // cost system calls: wakes from other threads come in through the
        // shared queue, which every turn checks.
        let look = block || self.reactor.sources() > 0;
        let events = match look.then(|| self.reactor.wait(timeout)) {
            None => 0,
            Some(Ok(events)) => events,
            Some(Err(error)) => {
                error!("waiting for I/O failed: {error}");
                0
            }
        };
        if block && events == 0 && self.is_idle() {
            if let Some(deadline) = next {
                self.clock.advance_to(deadline);
            }
        }
        self.fire_timers();
    }

    fn fire_timers(&self) {
        let now = self.now();
        loop {
            // One at a time, the borrow released before the action runs: a
            // callback may set timers of its own.
            let Some(action) = self.timers.borrow_mut().pop_due(now) else {
                return;
            };
            match action {
                Action::Wake(waker) => waker.wake(),
                Action::Call(callback) => {
                    self.run_callback(
                        || "a call_later callback".to_string(),
                        *callback,
                    );
                }
            }
        }
    }
    // ANCHOR_END: park

    // ANCHOR: run
    /// Runs turns of the loop until `main` (if any) is ready or `stop` is
    /// called. `main` is polled like a task, when its waker queues `MAIN`.
    pub(crate) fn run<T>(
        self: &Rc<Core>,
        mut main: Option<MainFuture<'_, T>>,
    ) -> Option<T> {
        assert!(
            try_current().is_none() && !self.running.replace(true),
            "the event loop is already running: `block_on`, `run_until_complete` \
             and `run_forever` cannot be called from inside it"
        );
        let _running = Running(self);
        let _enter = Enter::new(self);
        let main_header = Arc::new(Header::new(MAIN_SLOT, 0, &self.shared));
        let main_waker = Waker::from(Arc::clone(&main_header));
        if main.is_some() {
            self.ready.borrow_mut().push_back(MAIN);
        }
        let mut polls = 0;
        loop {
            self.take_remote();
            self.run_soon();
            // The tasks ready when the turn began, each once: a task that
            // wakes itself goes to the back, behind the others.
            let ready_now = self.ready.borrow().len();
            for _ in 0..ready_now {
                let Some(id) = self.ready.borrow_mut().pop_front() else {
                    break;
                };
                polls += 1;
                if id != MAIN {
                    self.run_task(id);
                    continue;
                }
                main_header.take_queued();
                if let Some(main) = main.as_mut() {
                    let mut cx = Context::from_waker(&main_waker);
                    let polled = if self.debug.get() {
                        let started = Instant::now();
                        let polled = main(&mut cx);
                        self.check_slow(started.elapsed(), || "main".to_string());
                        polled
                    } else {
                        main(&mut cx)
                    };
                    if let Poll::Ready(output) = polled {
                        return Some(output);
                    }
                }
            }
            if self.shared.stop.swap(false, Ordering::AcqRel) {
                return None;
            }
            if self.is_idle() {
                polls = 0;
                self.shrink_ready_queue();
                self.park(true);
            } else if polls >= POLLS_PER_CHECK {
                polls = 0;
                self.park(false);
            }
        }
    }
    // ANCHOR_END: run

    /// Drops every task, callback and timer, for the loop's end. Taken out
    /// first, so destructors may use the loop; repeated, since they may spawn.
    pub(crate) fn shut_down(self: &Rc<Core>) -> (usize, usize, usize) {
        let _enter = Enter::new(self);
        let (mut tasks, mut callbacks, mut timers) = (0, 0, 0);
        loop {
            let slots: Vec<Slot> = std::mem::take(&mut *self.slots.borrow_mut());
            self.free_slots.borrow_mut().clear();
            self.live_tasks.set(0);
            self.names.borrow_mut().clear();
            let soon = std::mem::take(&mut *self.soon.borrow_mut());
            let pending = self.timers.borrow_mut().take_all();
            if slots.iter().all(Option::is_none)
                && soon.is_empty()
                && pending.is_empty()
            {
                return (tasks, callbacks, timers);
            }
            callbacks += soon.len();
            timers += pending.len();
            drop(soon);
            drop(pending);
            for task in slots.into_iter().flatten() {
                tasks += 1;
                task.cancel();
            }
        }
    }
}

/// Clears `running` when a run ends, even by a panic.
struct Running<'a>(&'a Core);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.running.set(false);
        self.0.ready.borrow_mut().retain(|id| *id != MAIN);
    }
}
