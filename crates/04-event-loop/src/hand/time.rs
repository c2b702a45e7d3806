//! Timers: the loop's clock, a heap of deadlines, and the [`Sleep`] future
//! that waits on one of them.
//!
//! Chapter 1's `sleep` started a thread per sleep. Here a sleep is an entry in
//! a sorted map owned by the loop: the loop sleeps in the poller until the
//! earliest deadline, then wakes the tasks whose deadlines have passed. A
//! dropped `Sleep` removes its entry at once, so a loop that keeps starting
//! and abandoning timeouts does not grow.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use super::executor::{self, Core};

// ANCHOR: clock
/// The loop's clock: the real one, or a virtual one that stands still until
/// the loop moves it to the next deadline, because every task is waiting.
#[derive(Debug)]
pub(crate) struct Clock {
    /// When the loop was made; [`Clock::elapsed`] counts from here.
    start: Instant,
    /// `Some` for virtual time: how far the clock has been moved on.
    advanced: Option<Cell<Duration>>,
}

impl Clock {
    pub(crate) fn new(virtual_time: bool) -> Clock {
        Clock {
            start: Instant::now(),
            advanced: virtual_time.then(|| Cell::new(Duration::ZERO)),
        }
    }

    pub(crate) fn now(&self) -> Instant {
        match &self.advanced {
            None => Instant::now(),
            Some(advanced) => self.start + advanced.get(),
        }
    }

    pub(crate) fn elapsed(&self) -> Duration {
        self.now().saturating_duration_since(self.start)
    }

    pub(crate) fn start(&self) -> Instant {
        self.start
    }

    pub(crate) fn is_virtual(&self) -> bool {
        self.advanced.is_some()
    }

    /// Moves a virtual clock on to `to` (never back). A real clock ignores
    /// this: it moves by itself.
    pub(crate) fn advance_to(&self, to: Instant) {
        if let Some(advanced) = &self.advanced {
            let to = to.saturating_duration_since(self.start);
            if to > advanced.get() {
                advanced.set(to);
            }
        }
    }
}
// ANCHOR_END: clock

/// A timer's place in the heap: its deadline, as nanoseconds since the clock
/// started, then the order timers were made in, so two timers with the same
/// deadline fire in that order and every key is unique. Nanoseconds are as
/// exact as an `Instant`, in half its 16 bytes.
pub(crate) type TimerKey = (u64, u64);

/// What to do when a timer fires.
pub(crate) enum Action {
    /// Wake the task of a [`Sleep`].
    Wake(Waker),
    /// Run a callback from `call_later`. Boxed twice so that the pointer is
    /// thin and an `Action` takes no more room than a `Waker`.
    Call(Box<Callback>),
}

/// A `call_later` callback.
pub(crate) type Callback = Box<dyn FnOnce()>;

// ANCHOR: timers
/// Every pending timer, earliest first. A `BTreeMap` rather than a binary
/// heap: it finds the earliest deadline as fast, and it can also remove any
/// entry, which is what a dropped `Sleep` or a cancelled callback needs.
pub(crate) struct Timers {
    entries: BTreeMap<TimerKey, Action>,
    next_seq: u64,
    /// The loop clock's start, which deadlines count from.
    start: Instant,
}

impl Timers {
    pub(crate) fn new(start: Instant) -> Timers {
        Timers {
            entries: BTreeMap::new(),
            next_seq: 0,
            start,
        }
    }

    /// The key of timer `seq` with this deadline.
    pub(crate) fn key(&self, deadline: Instant, seq: u64) -> TimerKey {
        (self.nanos(deadline), seq)
    }

    fn nanos(&self, deadline: Instant) -> u64 {
        let since = deadline.saturating_duration_since(self.start);
        u64::try_from(since.as_nanos()).unwrap_or(u64::MAX)
    }

    pub(crate) fn insert(&mut self, deadline: Instant, action: Action) -> TimerKey {
        let key = (self.nanos(deadline), self.next_seq);
        self.next_seq += 1;
        self.entries.insert(key, action);
        key
    }

    /// Removes a timer; `false` if it had fired or was removed already.
    pub(crate) fn remove(&mut self, key: &TimerKey) -> bool {
        self.entries.remove(key).is_some()
    }

    /// Replaces the waker of a pending sleep; `false` if it has fired.
    fn set_waker(&mut self, deadline: Instant, seq: u64, waker: &Waker) -> bool {
        let key = self.key(deadline, seq);
        match self.entries.get_mut(&key) {
            Some(Action::Wake(old)) => {
                if !old.will_wake(waker) {
                    old.clone_from(waker);
                }
                true
            }
            _ => false,
        }
    }

    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        let ((nanos, _), _) = self.entries.first_key_value()?;
        Some(self.start + Duration::from_nanos(*nanos))
    }

    /// Takes the earliest timer if its deadline is at or before `now`.
    pub(crate) fn pop_due(&mut self, now: Instant) -> Option<Action> {
        let now = self.nanos(now);
        let entry = self.entries.first_entry()?;
        if entry.key().0 > now {
            return None;
        }
        Some(entry.remove())
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Empties the heap, for the loop's shutdown.
    pub(crate) fn take_all(&mut self) -> BTreeMap<TimerKey, Action> {
        std::mem::take(&mut self.entries)
    }
}
// ANCHOR_END: timers

// ANCHOR: sleep
/// A future that is ready once the loop's clock reaches its deadline.
///
/// Its timer goes into the loop's heap at the first poll, and comes out
/// when it fires or when the `Sleep` is dropped, whichever is first.
#[must_use = "a sleep does nothing unless it is awaited"]
pub struct Sleep {
    deadline: Instant,
    /// The loop and the timer's number, once registered: with the deadline,
    /// its key in the heap.
    timer: Option<(Rc<Core>, u64)>,
}

/// Waits for `duration` on the loop's clock (asyncio's `asyncio.sleep`).
///
/// The deadline is counted from the loop's clock when `sleep` is called
/// inside a loop, and from the real clock otherwise.
pub fn sleep(duration: Duration) -> Sleep {
    sleep_until(now() + duration)
}

/// The clock of the loop running on this thread (virtual or real), or the
/// real clock outside a loop. A `fn() -> Instant`, so a recorder can read it.
pub fn now() -> Instant {
    executor::try_current().map_or_else(Instant::now, |core| core.now())
}

/// Waits until the loop's clock reaches `deadline`.
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep {
        deadline,
        timer: None,
    }
}

impl Sleep {
    /// When this sleep ends.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        let core = match &this.timer {
            Some((core, _)) => Rc::clone(core),
            None => executor::current("`sleep` awaited"),
        };
        if core.now() >= this.deadline {
            if let Some((core, seq)) = this.timer.take() {
                let mut timers = core.timers.borrow_mut();
                let key = timers.key(this.deadline, seq);
                timers.remove(&key);
            }
            return Poll::Ready(());
        }
        let mut timers = core.timers.borrow_mut();
        match &this.timer {
            Some((_, seq)) if timers.set_waker(this.deadline, *seq, cx.waker()) => {}
            _ => {
                let (_, seq) =
                    timers.insert(this.deadline, Action::Wake(cx.waker().clone()));
                drop(timers);
                this.timer = Some((core, seq));
            }
        }
        Poll::Pending
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if let Some((core, seq)) = self.timer.take() {
            // `try_borrow_mut`: when the loop shuts down it drops tasks while
            // it empties the heap, and then there is nothing left to remove.
            if let Ok(mut timers) = core.timers.try_borrow_mut() {
                let key = timers.key(self.deadline, seq);
                timers.remove(&key);
            }
        }
    }
}
// ANCHOR_END: sleep

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sleep")
            .field("deadline", &self.deadline)
            .field("registered", &self.timer.is_some())
            .finish()
    }
}
