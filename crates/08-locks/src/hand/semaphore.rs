//! A counting semaphore: asyncio's `Semaphore`, with permits as guards.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{MutexGuard as StateGuard, PoisonError};
use std::task::{Context, Poll};

use super::wait_list::{Left, WaitList};

// ANCHOR: semaphore
/// A semaphore: at most `permits` holders of a [`Permit`] at once, the
/// others waiting in line, first come first served. A dropped permit goes
/// straight to the first in line, as the [`Mutex`](super::Mutex)'s lock
/// does (a mutex is a semaphore of one permit, plus the value).
///
/// ```
/// use locks::hand::Semaphore;
///
/// let downloads = Semaphore::new(2);
/// event_loop::hand::block_on(async {
///     let _first = downloads.acquire().await;
///     let _second = downloads.acquire().await;
///     assert!(downloads.try_acquire().is_none(), "two at most");
/// });
/// assert_eq!(downloads.available_permits(), 2);
/// ```
pub struct Semaphore {
    state: std::sync::Mutex<State>,
}

struct State {
    permits: usize,
    waiters: WaitList,
}
// ANCHOR_END: semaphore

impl Semaphore {
    /// A semaphore with `permits` permits to hand out (0 is allowed: then
    /// nobody gets one until [`add_permits`](Semaphore::add_permits)).
    pub fn new(permits: usize) -> Semaphore {
        let state = State {
            permits,
            waiters: WaitList::default(),
        };
        Semaphore {
            state: std::sync::Mutex::new(state),
        }
    }

    /// Waits for a permit. Cancel-safe, as [`Mutex::lock`](super::Mutex::lock)
    /// is: a waiter dropped in line leaves it, and one dropped with a permit
    /// handed to it passes the permit on.
    pub fn acquire(&self) -> Acquire<'_> {
        Acquire {
            semaphore: self,
            stage: Stage::Start,
        }
    }

    /// A permit now, if one is free and nobody waits.
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        let mut state = self.state();
        if state.permits == 0 || !state.waiters.is_empty() {
            return None;
        }
        state.permits -= 1;
        Some(Permit { semaphore: self })
    }

    /// How many permits are free.
    pub fn available_permits(&self) -> usize {
        self.state().permits
    }

    /// How many wait in line for a permit.
    pub fn waiting(&self) -> usize {
        self.state().waiters.len()
    }

    /// Adds `n` permits, handed first to whoever waits.
    pub fn add_permits(&self, n: usize) {
        for _ in 0..n {
            self.release();
        }
    }

    fn state(&self) -> StateGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    // ANCHOR: release
    /// One permit back: to the first in line, or to the pool.
    fn release(&self) {
        let mut state = self.state();
        match state.waiters.grant_first() {
            Some(next) => {
                drop(state);
                next.wake();
            }
            None => state.permits += 1,
        }
    }
    // ANCHOR_END: release
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        f.debug_struct("Semaphore")
            .field("permits", &state.permits)
            .field("waiting", &state.waiters.len())
            .finish()
    }
}

/// The future [`Semaphore::acquire`] returns.
#[must_use = "futures do nothing unless you .await or poll them"]
#[derive(Debug)]
pub struct Acquire<'a> {
    semaphore: &'a Semaphore,
    stage: Stage,
}

#[derive(Debug, Clone, Copy)]
enum Stage {
    Start,
    Waiting(u64),
    Done,
}

impl<'a> Future for Acquire<'a> {
    type Output = Permit<'a>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Permit<'a>> {
        let semaphore = self.semaphore;
        let mut state = semaphore.state();
        match self.stage {
            // Free permits and nobody in line before us: take one.
            Stage::Start if state.permits > 0 && state.waiters.is_empty() => {
                state.permits -= 1;
            }
            Stage::Start => {
                self.stage = Stage::Waiting(state.waiters.join(cx.waker()));
                return Poll::Pending;
            }
            Stage::Waiting(id) if state.waiters.collect(id, cx.waker()) => {}
            Stage::Waiting(_) => return Poll::Pending,
            Stage::Done => panic!("`Acquire` polled after it completed"),
        }
        self.stage = Stage::Done;
        Poll::Ready(Permit { semaphore })
    }
}

impl Drop for Acquire<'_> {
    fn drop(&mut self) {
        if let Stage::Waiting(id) = self.stage {
            let left = self.semaphore.state().waiters.leave(id);
            if left == Left::WithGrant {
                self.semaphore.release();
            }
        }
    }
}

/// One permit of a [`Semaphore`]; given back when dropped.
#[must_use = "the permit is given back as soon as it is dropped"]
#[derive(Debug)]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.semaphore.release();
    }
}
