//! Chapter 4 exercise: give a small event loop `call_later`, backed by a heap
//! of timers.
//!
//! The loop runs callbacks only, no tasks: `call_soon` queues one for the next
//! turn, and `call_later` sets a timer that runs one once a delay has passed
//! on the loop's clock. Each turn, the loop waits until the earliest timer is
//! due, moves every due timer's callback to the ready queue, and runs the
//! callbacks that are ready: asyncio's `_run_once`, in miniature.
//!
//! The clock is virtual. A real loop sleeps in the system's poller (epoll,
//! kqueue) until the next deadline; this one moves its clock straight there,
//! so the tests take no time and always see the same times.
//!
//! Check your work with `cargo test -p ch4-call-later`.
#![forbid(unsafe_code)]

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::time::Duration;

/// Work for the loop. It gets the loop, so it can schedule more work
/// (an asyncio callback reaches its loop with `get_running_loop()`).
pub type Callback = Box<dyn FnOnce(&EventLoop)>;

/// A timer's place in the heap: its deadline on the loop's clock, then the
/// timer's number. Numbers count up as timers are set, so two timers with the
/// same deadline keep the order they were set in, and no two keys are equal.
type TimerKey = (Duration, u64);

/// A timer set by [`EventLoop::call_later`]: asyncio's `TimerHandle`. Give it
/// to [`EventLoop::cancel`] to take the timer back before it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimerHandle {
    key: TimerKey,
}

impl TimerHandle {
    /// When the timer is due, on the loop's clock (asyncio's `when()`).
    pub fn when(&self) -> Duration {
        self.key.0
    }
}

/// A callback-only event loop with a virtual clock.
///
/// ```
/// use std::time::Duration;
/// use ch4_call_later::EventLoop;
///
/// let event_loop = EventLoop::new();
/// event_loop.call_later(Duration::from_secs(2), |event_loop| {
///     assert_eq!(event_loop.time(), Duration::from_secs(2));
/// });
/// event_loop.run();
/// assert_eq!(event_loop.timers(), 0);
/// ```
pub struct EventLoop {
    /// How long the loop has run, on its own clock. Only the loop moves it,
    /// when nothing is ready and a timer is pending.
    now: Cell<Duration>,
    /// The callbacks to run, first queued, first run.
    ready: RefCell<VecDeque<Callback>>,
    /// The pending timers, earliest first. A `BTreeMap` is kept sorted like a
    /// heap, finds the earliest as fast, and can also remove any timer: that
    /// is what `cancel` needs. (asyncio's heap cannot, so it marks a cancelled
    /// timer and skips it when it comes out.)
    timers: RefCell<BTreeMap<TimerKey, Callback>>,
    /// The number the next timer gets.
    next_timer: Cell<u64>,
}

impl EventLoop {
    /// A loop whose clock reads zero, with nothing to do.
    pub fn new() -> EventLoop {
        EventLoop {
            now: Cell::new(Duration::ZERO),
            ready: RefCell::new(VecDeque::new()),
            timers: RefCell::new(BTreeMap::new()),
            next_timer: Cell::new(0),
        }
    }

    /// The loop's clock: how long it has run (asyncio's `loop.time()`).
    pub fn time(&self) -> Duration {
        self.now.get()
    }

    /// Runs `callback` at the loop's next turn, after the ones queued before
    /// it (asyncio's `loop.call_soon`).
    pub fn call_soon(&self, callback: impl FnOnce(&EventLoop) + 'static) {
        self.ready.borrow_mut().push_back(Box::new(callback));
    }

    /// Runs `callback` once `delay` has passed on the loop's clock (asyncio's
    /// `loop.call_later`). Timers with the same deadline run in the order
    /// they were set. A delay too long for the clock is cut to the end of
    /// time, rather than overflowing.
    pub fn call_later(
        &self,
        delay: Duration,
        callback: impl FnOnce(&EventLoop) + 'static,
    ) -> TimerHandle {
        // The deadline counts from the loop's clock, not from the real one.
        // `saturating_add`: `Duration::MAX` means "never, in practice", and a
        // plain `+` would panic instead.
        let deadline = self.time().saturating_add(delay);
        // The number breaks ties: of two timers due at once, the one set
        // first has the smaller key, so it comes out of the map first.
        let number = self.next_timer.get();
        self.next_timer.set(number + 1);
        let key = (deadline, number);
        self.timers.borrow_mut().insert(key, Box::new(callback));
        TimerHandle { key }
    }

    /// Takes a timer back before it fires: `true` if it was pending, `false`
    /// if it had fired or was cancelled already. It leaves the heap at once.
    pub fn cancel(&self, timer: TimerHandle) -> bool {
        // The handle holds the timer's key, so the map finds it directly.
        // Dropping the callback drops whatever it had captured.
        self.timers.borrow_mut().remove(&timer.key).is_some()
    }

    /// How many timers are pending.
    pub fn timers(&self) -> usize {
        self.timers.borrow().len()
    }

    /// One turn of the loop: wait for the earliest timer if nothing is
    /// ready, move the due timers' callbacks to the ready queue, then run the
    /// callbacks that were ready. Callbacks queued while they run wait for
    /// the next turn. Returns how many callbacks ran.
    pub fn run_once(&self) -> usize {
        self.move_due_timers();
        let ready_now = self.ready.borrow().len();
        for _ in 0..ready_now {
            // The borrow ends before the callback runs: it may queue more.
            let Some(callback) = self.ready.borrow_mut().pop_front() else {
                break;
            };
            callback(self);
        }
        ready_now
    }

    /// Runs turns until no callback is ready and no timer is pending.
    ///
    /// # Panics
    ///
    /// If a turn runs nothing while timers are pending: the loop would spin
    /// for ever. That means the timers are not moved to the ready queue.
    pub fn run(&self) {
        while !self.ready.borrow().is_empty() || self.timers() > 0 {
            let ran = self.run_once();
            assert!(
                ran > 0,
                "stuck: {} timer(s) pending at {:?}, but this turn ran nothing; \
                 does `move_due_timers` move the clock to the earliest deadline \
                 and the due callbacks to the ready queue?",
                self.timers(),
                self.time(),
            );
        }
    }

    /// The timer half of a turn: when no callback is ready, wait until the
    /// earliest deadline (here: move the clock there); then move every timer
    /// whose deadline has come to the back of the ready queue, earliest
    /// first.
    fn move_due_timers(&self) {
        let mut timers = self.timers.borrow_mut();
        // Wait only when there is nothing else to do: a real loop would
        // block in the poller with the time left until this deadline as its
        // timeout (asyncio's `select(timeout)`), and with callbacks ready its
        // timeout would be zero.
        let earliest = timers.keys().next().map(|&(deadline, _)| deadline);
        if let Some(deadline) = earliest {
            if self.ready.borrow().is_empty() {
                // Never backwards: a timer set with no delay is due now.
                self.now.set(self.now.get().max(deadline));
            }
        }
        // Everything due, not just the earliest: timers that came due while
        // the loop waited all run this turn. Moved, not run, so the callbacks
        // run outside this borrow (they may set timers), after the ones
        // queued before them, and a callback that sets a zero-delay timer
        // cannot keep this loop busy for ever.
        let now = self.now.get();
        let mut ready = self.ready.borrow_mut();
        while let Some(entry) = timers.first_entry() {
            if entry.key().0 > now {
                break; // the earliest is not due, so none of the rest is
            }
            ready.push_back(entry.remove());
        }
    }
}

impl Default for EventLoop {
    fn default() -> EventLoop {
        EventLoop::new()
    }
}

impl fmt::Debug for EventLoop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventLoop")
            .field("time", &self.time())
            .field("ready", &self.ready.borrow().len())
            .field("timers", &self.timers())
            .finish()
    }
}
