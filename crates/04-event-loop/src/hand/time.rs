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
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use super::callback::CallbackKey;
use super::current;
use super::introspect::Wait;
use super::remote::Remote;

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

    /// The deadline `delay` from now, clamped to about thirty years ahead
    /// as tokio clamps it: `Duration::MAX` (the usual "never") would
    /// overflow an `Instant`.
    pub(crate) fn deadline_after(&self, delay: Duration) -> Instant {
        deadline_after(self.now(), delay)
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

/// How far ahead a deadline may be: about thirty years, tokio's limit too.
pub const FAR_FUTURE: Duration = Duration::from_secs(86_400 * 365 * 30);

fn deadline_after(now: Instant, delay: Duration) -> Instant {
    now + delay.min(FAR_FUTURE)
}

/// A timer's place in the heap: its deadline, as nanoseconds since the clock
/// started, then the order timers were made in, so two timers with the same
/// deadline fire in that order and every key is unique. Nanoseconds are as
/// exact as an `Instant`, in half its 16 bytes.
pub(crate) type TimerKey = (u64, u64);

/// What to do when a timer fires.
pub(crate) enum Action {
    /// Wake the task of a [`Sleep`].
    Wake(Waker),
    /// Queue a `call_later` callback, which waits in the loop's callbacks.
    Call(CallbackKey),
}

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
    pub(crate) fn insert(&mut self, deadline: Instant, action: Action) -> TimerKey {
        let key = (self.nanos(deadline), self.next_seq);
        self.next_seq += 1;
        self.entries.insert(key, action);
        key
    }

    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        let ((nanos, _), _) = self.entries.first_key_value()?;
        Some(self.start + Duration::from_nanos(*nanos))
    }

    /// Takes every timer whose deadline is at or before `now`, earliest
    /// first. Only these: a timer set by what they do is due next turn at
    /// the earliest, so a callback that keeps setting timers already due
    /// cannot hold the loop in one turn.
    pub(crate) fn take_due(&mut self, now: Instant, due: &mut Vec<Action>) {
        let now = self.nanos(now);
        while let Some(entry) = self.entries.first_entry() {
            if entry.key().0 > now {
                return;
            }
            due.push(entry.remove());
        }
    }
}
// ANCHOR_END: timers

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

    /// Removes a timer, giving back its action (`None` if it had fired or
    /// was removed already). The caller drops it once its borrow of the
    /// timers has ended: a waker's `Drop` is not ours.
    #[must_use = "drop the action after the borrow of the timers ends"]
    pub(crate) fn remove(&mut self, key: &TimerKey) -> Option<Action> {
        self.entries.remove(key)
    }

    /// Moves a pending timer to a new deadline; `false` if it has fired.
    fn reset(&mut self, old: TimerKey, deadline: Instant) -> Option<TimerKey> {
        let action = self.entries.remove(&old)?;
        Some(self.insert(deadline, action))
    }

    /// Whether the pending sleep `key` would wake `waker` already; `None`
    /// if its timer has fired.
    fn wakes(&self, key: TimerKey, waker: &Waker) -> Option<bool> {
        match self.entries.get(&key)? {
            Action::Wake(kept) => Some(kept.will_wake(waker)),
            Action::Call(_) => None,
        }
    }

    /// Replaces the waker of a pending sleep, giving back the old one (or
    /// the new one, if the timer has fired), to be dropped after the borrow.
    fn set_waker(&mut self, key: TimerKey, new: Waker) -> Waker {
        match self.entries.get_mut(&key) {
            Some(Action::Wake(old)) => std::mem::replace(old, new),
            _ => new,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Empties the heap, for the loop's shutdown.
    #[must_use = "drop the actions after the borrow of the timers ends"]
    pub(crate) fn take_all(&mut self) -> BTreeMap<TimerKey, Action> {
        std::mem::take(&mut self.entries)
    }
}

// ANCHOR: sleep
/// A future that is ready once the loop's clock reaches its deadline.
///
/// Its timer goes into the loop's heap at the first poll, and comes out
/// when it fires or when the `Sleep` is dropped, whichever is first. Like
/// `asyncio.sleep`, it always lets the other tasks run first: a sleep whose
/// deadline has passed, `sleep(Duration::ZERO)` among them, yields once.
#[must_use = "a sleep does nothing unless it is awaited"]
pub struct Sleep {
    deadline: Instant,
    /// The loop it is registered with and the timer's number: with the
    /// deadline, its key in the heap. The loop is named by its `Remote`, the
    /// `Send` part, so that a future that sleeps can be `Send` (and started
    /// from another thread by `RemoteHandle::spawn`); the loop itself is
    /// found through the thread it runs on.
    timer: Option<(Arc<Remote>, u64)>,
    /// Set at the first poll, so that an expired sleep yields only once.
    polled: bool,
}

/// Waits for `duration` on the loop's clock (asyncio's `asyncio.sleep`).
///
/// The deadline is counted from the loop's clock when `sleep` is called
/// inside a loop, and from the real clock otherwise. A `duration` too long
/// to count (`Duration::MAX`) waits about thirty years, as on tokio.
pub fn sleep(duration: Duration) -> Sleep {
    sleep_until(deadline_after(now(), duration))
}

/// Waits until the loop's clock reaches `deadline`.
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep {
        deadline,
        timer: None,
        polled: false,
    }
}
// ANCHOR_END: sleep

impl Sleep {
    /// When this sleep ends.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// Whether the loop's clock has reached the deadline.
    pub fn is_elapsed(&self) -> bool {
        now() >= self.deadline
    }

    /// Moves the deadline, as a timeout or an interval does between rounds
    /// (tokio's `Sleep::reset`). A registered timer moves with its waker, so
    /// the task waiting on it is woken at the new deadline.
    pub fn reset(&mut self, deadline: Instant) {
        let old = std::mem::replace(&mut self.deadline, deadline);
        let Some((remote, seq)) = self.timer.take() else {
            return;
        };
        let moved = current::with(|core| {
            let core = core.filter(|core| Arc::ptr_eq(&core.remote, &remote))?;
            let mut timers = core.timers.borrow_mut();
            let old = timers.key(old, seq);
            timers.reset(old, deadline)
        });
        // Moved with its waker; or it had fired (or its loop is not here):
        // then it registers again at the next poll.
        if let Some((_, seq)) = moved {
            self.timer = Some((remote, seq));
        }
    }

    /// Takes the timer out of its loop's heap, if it is still there and the
    /// loop runs on this thread. (A sleep dropped on another thread leaves
    /// its timer to fire for nothing.)
    fn unregister(&mut self) {
        let Some((remote, seq)) = self.timer.take() else {
            return;
        };
        let removed = current::with(|core| {
            let core = core.filter(|core| Arc::ptr_eq(&core.remote, &remote))?;
            // `try_borrow_mut`: at close the heap is emptied first, and
            // then there is nothing left to remove.
            let mut timers = core.timers.try_borrow_mut().ok()?;
            let key = timers.key(self.deadline, seq);
            timers.remove(&key)
        });
        drop(removed); // a waker, dropped after every borrow
    }
}

// ANCHOR: sleep_poll
impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        let core = current::current("`sleep` awaited");
        let first_poll = !std::mem::replace(&mut this.polled, true);
        if core.now() >= this.deadline {
            if first_poll {
                // asyncio's `sleep(0)`: let the others run, then be ready.
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            this.unregister();
            return Poll::Ready(());
        }
        core.note_wait(Wait::TIMER);
        // A waker is cloned and dropped only outside the borrow of the
        // heap: its `clone` and `drop` are not ours to trust.
        if let Some((remote, seq)) = &this.timer {
            if Arc::ptr_eq(remote, &core.remote) {
                let timers = core.timers.borrow();
                let key = timers.key(this.deadline, *seq);
                let wakes = timers.wakes(key, cx.waker());
                drop(timers);
                match wakes {
                    Some(true) => return Poll::Pending,
                    Some(false) => {
                        let new = cx.waker().clone();
                        let old = core.timers.borrow_mut().set_waker(key, new);
                        drop(old);
                        return Poll::Pending;
                    }
                    None => {} // fired, and polled before its deadline: again
                }
            }
        }
        let waker = cx.waker().clone();
        let (_, seq) = core
            .timers
            .borrow_mut()
            .insert(this.deadline, Action::Wake(waker));
        this.timer = Some((Arc::clone(&core.remote), seq));
        Poll::Pending
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        self.unregister();
    }
}
// ANCHOR_END: sleep_poll

/// The clock of the loop running on this thread (virtual or real), or the
/// real clock outside a loop. A `fn() -> Instant`, so a recorder can read it.
pub fn now() -> Instant {
    current::try_current().map_or_else(Instant::now, |core| core.now())
}

// ANCHOR: blocking_sleep
/// A blocking sleep, as the loop's clock sees it: what a test or a recorded
/// picture uses for the classic bug, a blocking call inside a task.
///
/// On a real clock, and outside a loop, it is `std::thread::sleep`: the
/// thread stops, and with it the loop. On a virtual clock it moves the clock
/// on by `duration`, at once and without yielding: the loop runs nothing
/// meanwhile, just as under a real blocking call, so every timer due in
/// between comes late, by the same amount, on every machine. (tokio's
/// `time::advance`, for its paused clock, is another thing: it is async,
/// and lets the timers that come due fire on time.)
pub fn blocking_sleep(duration: Duration) {
    match current::try_current() {
        Some(core) if core.clock.is_virtual() => {
            core.clock.advance_to(core.clock.deadline_after(duration));
        }
        _ => std::thread::sleep(duration),
    }
}
// ANCHOR_END: blocking_sleep

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sleep")
            .field("deadline", &self.deadline)
            .field("registered", &self.timer.is_some())
            .finish()
    }
}
