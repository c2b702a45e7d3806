//! An async mutex with a first-in, first-out line of waiters: asyncio's
//! `Lock`, holding the value it guards as Rust's locks do.

use std::fmt;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::sync::{MutexGuard as StateGuard, PoisonError};
use std::task::{Context, Poll};

use super::wait_list::{Left, WaitList};

// ANCHOR: mutex
/// An async mutex: [`lock`](Mutex::lock) waits, without blocking the thread,
/// until the value is free, and the [`MutexGuard`] it gives unlocks when
/// dropped. Waiters get the lock in the order they asked for it: the guard
/// hands it straight to the first in line, so nobody can cut in.
///
/// It needs nothing from a runtime but wakers: the same type works on our
/// loop, tokio and smol. It is `Send` and `Sync` when `T` is `Send`, and so
/// is a future holding its guard across an `.await`.
///
/// ```
/// use locks::hand::Mutex;
///
/// let counter = Mutex::new(0);
/// event_loop::hand::block_on(async {
///     let mut value = counter.lock().await;
///     *value += 1;
/// });
/// assert_eq!(counter.into_inner(), 1);
/// ```
pub struct Mutex<T> {
    state: std::sync::Mutex<State<T>>,
}

struct State<T> {
    /// True from a lock until the last guard goes with nobody in line.
    locked: bool,
    /// The value, while no guard holds it.
    value: Option<T>,
    waiters: WaitList,
}
// ANCHOR_END: mutex

impl<T> Mutex<T> {
    /// A mutex guarding `value`, unlocked.
    pub fn new(value: T) -> Mutex<T> {
        let state = State {
            locked: false,
            value: Some(value),
            waiters: WaitList::default(),
        };
        Mutex {
            state: std::sync::Mutex::new(state),
        }
    }

    /// Waits for the lock. Cancel-safe: dropped while in line, the future
    /// leaves the line; dropped after the lock was handed to it but before
    /// it was polled again, it hands the lock on to the next in line.
    pub fn lock(&self) -> Lock<'_, T> {
        Lock {
            mutex: self,
            stage: Stage::Start,
        }
    }

    /// The lock now, if it is free and nobody waits for it.
    pub fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
        let mut state = self.state();
        if state.locked {
            return None;
        }
        state.locked = true;
        Some(self.guard(&mut state))
    }

    /// Whether a guard holds the lock (or it has been handed to a waiter).
    pub fn is_locked(&self) -> bool {
        self.state().locked
    }

    /// How many wait in line for the lock.
    pub fn waiting(&self) -> usize {
        self.state().waiters.len()
    }

    /// The value, taken out of the mutex.
    pub fn into_inner(self) -> T {
        let state = self
            .state
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        state.value.expect("no guard outlives its mutex")
    }

    /// The state, locked for a moment. It is never held across user code
    /// or a wake, so a panic cannot leave it half-changed: poisoning (a
    /// panic elsewhere while it was held) is ignored.
    fn state(&self) -> StateGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn guard(&self, state: &mut State<T>) -> MutexGuard<'_, T> {
        let value = state.value.take();
        MutexGuard { mutex: self, value }
    }

    // ANCHOR: unlock
    /// The guard gives the value back and unlocks: the lock goes straight
    /// to the first in line, who is woken to collect it. Only with nobody
    /// in line does the mutex become free.
    fn unlock(&self, value: T) {
        let mut state = self.state();
        state.value = Some(value);
        Self::pass_on(state);
    }

    fn pass_on(mut state: StateGuard<'_, State<T>>) {
        match state.waiters.grant_first() {
            Some(next) => {
                drop(state); // wake with the state unlocked
                next.wake();
            }
            None => state.locked = false,
        }
    }
    // ANCHOR_END: unlock
}

impl<T: Default> Default for Mutex<T> {
    fn default() -> Mutex<T> {
        Mutex::new(T::default())
    }
}

impl<T> fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        f.debug_struct("Mutex")
            .field("locked", &state.locked)
            .field("waiting", &state.waiters.len())
            .finish_non_exhaustive()
    }
}

// ANCHOR: lock
/// The future [`Mutex::lock`] returns.
#[must_use = "futures do nothing unless you .await or poll them"]
pub struct Lock<'a, T> {
    mutex: &'a Mutex<T>,
    stage: Stage,
}

enum Stage {
    /// Not polled yet.
    Start,
    /// In line, with this ticket.
    Waiting(u64),
    /// Ready was returned.
    Done,
}

impl<'a, T> Future for Lock<'a, T> {
    type Output = MutexGuard<'a, T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mutex = self.mutex;
        let mut state = mutex.state();
        match self.stage {
            // Free (so nobody is in line: a release hands the lock on
            // while anyone waits): take it.
            Stage::Start if !state.locked => state.locked = true,
            Stage::Start => {
                self.stage = Stage::Waiting(state.waiters.join(cx.waker()));
                return Poll::Pending;
            }
            // Handed to us by the guard before: collect it.
            Stage::Waiting(id) if state.waiters.collect(id, cx.waker()) => {}
            Stage::Waiting(_) => return Poll::Pending, // still in line
            Stage::Done => panic!("`Lock` polled after it completed"),
        }
        self.stage = Stage::Done;
        Poll::Ready(mutex.guard(&mut state))
    }
}

impl<T> Drop for Lock<'_, T> {
    /// Cancelled: leave the line, or pass on a lock handed to us.
    fn drop(&mut self) {
        if let Stage::Waiting(id) = self.stage {
            let mut state = self.mutex.state();
            if state.waiters.leave(id) == Left::WithGrant {
                Mutex::pass_on(state);
            }
        }
    }
}
// ANCHOR_END: lock

impl<T> fmt::Debug for Lock<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let stage = match self.stage {
            Stage::Start => "start",
            Stage::Waiting(_) => "waiting",
            Stage::Done => "done",
        };
        f.debug_struct("Lock").field("stage", &stage).finish()
    }
}

// ANCHOR: guard
/// Access to the value while the lock is held; unlocks when dropped.
///
/// Shortcut: the value moves out of the mutex into the guard, and back when
/// the guard goes, so the crate needs no `unsafe`. tokio keeps it in place
/// in an `UnsafeCell` and hands out references to it.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct MutexGuard<'a, T> {
    mutex: &'a Mutex<T>,
    value: Option<T>,
}

impl<T> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        if let Some(value) = self.value.take() {
            self.mutex.unlock(value);
        }
    }
}
// ANCHOR_END: guard

impl<T> Deref for MutexGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.value
            .as_ref()
            .expect("a guard holds the value until dropped")
    }
}

impl<T> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.value
            .as_mut()
            .expect("a guard holds the value until dropped")
    }
}

impl<T: fmt::Debug> fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("MutexGuard").field(&**self).finish()
    }
}
