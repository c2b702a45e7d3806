//! Chapter 8 exercise: the unlock of a first-in, first-out async mutex.
//!
//! A mutex like chapter 8's: `lock` returns a future that takes a free lock
//! at once, or joins the line of waiters and returns `Pending`. What it
//! lacks is the other half: when the guard is dropped, the lock must go to
//! the first waiter in line (who is woken to collect it), and only with
//! nobody in line may it become free. And a lock future that was handed the
//! lock but dropped before it collected it must pass the lock on.
//!
//! Check your work with `cargo test -p ch8-fifo-unlock`.
#![forbid(unsafe_code)]

use std::collections::VecDeque;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::sync::{MutexGuard as StateGuard, PoisonError};
use std::task::{Context, Poll, Waker};

/// An async mutex whose waiters get the lock in the order they asked.
#[derive(Debug)]
pub struct Mutex<T> {
    state: std::sync::Mutex<State<T>>,
}

#[derive(Debug)]
struct State<T> {
    /// True while a guard holds the lock, or it has been handed to a waiter.
    locked: bool,
    /// The value, while no guard holds it.
    value: Option<T>,
    next_ticket: u64,
    /// Waiters in the order they came: ticket and waker.
    line: VecDeque<(u64, Waker)>,
    /// Tickets the lock has been handed to, not yet collected (one at most).
    granted: Option<u64>,
}

impl<T> Mutex<T> {
    /// A mutex guarding `value`, unlocked.
    pub fn new(value: T) -> Mutex<T> {
        let state = State {
            locked: false,
            value: Some(value),
            next_ticket: 0,
            line: VecDeque::new(),
            granted: None,
        };
        Mutex {
            state: std::sync::Mutex::new(state),
        }
    }

    /// Waits for the lock.
    pub fn lock(&self) -> Lock<'_, T> {
        Lock {
            mutex: self,
            ticket: None,
        }
    }

    /// The lock now, if it is free.
    pub fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
        let mut state = self.state();
        if state.locked {
            return None;
        }
        state.locked = true;
        Some(self.guard(&mut state))
    }

    /// How many wait in line.
    pub fn waiting(&self) -> usize {
        self.state().line.len()
    }

    fn state(&self) -> StateGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn guard(&self, state: &mut State<T>) -> MutexGuard<'_, T> {
        let value = state.value.take();
        MutexGuard { mutex: self, value }
    }
}

/// Hands the lock to the first in line and wakes it, or, with nobody in
/// line, sets the lock free. The state is unlocked before the wake.
fn pass_on<T>(mut state: StateGuard<'_, State<T>>) {
    // TODO: take the first waiter out of the line. If there is one, the lock
    // stays locked and is granted to its ticket; let go of the state, then
    // wake it. With nobody in line, the lock becomes free.
    let _ = &mut state;
    todo!("hand the lock to the first waiter, or set it free")
}

/// The future `Mutex::lock` returns.
#[must_use = "futures do nothing unless you .await or poll them"]
#[derive(Debug)]
pub struct Lock<'a, T> {
    mutex: &'a Mutex<T>,
    ticket: Option<u64>,
}

impl<'a, T> Future for Lock<'a, T> {
    type Output = MutexGuard<'a, T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mutex = self.mutex;
        let mut state = mutex.state();
        match self.ticket {
            None if !state.locked => state.locked = true,
            None => {
                let ticket = state.next_ticket;
                state.next_ticket += 1;
                state.line.push_back((ticket, cx.waker().clone()));
                self.ticket = Some(ticket);
                return Poll::Pending;
            }
            Some(ticket) if state.granted == Some(ticket) => state.granted = None,
            Some(ticket) => {
                if let Some((_, waker)) =
                    state.line.iter_mut().find(|(t, _)| *t == ticket)
                {
                    waker.clone_from(cx.waker());
                }
                return Poll::Pending;
            }
        }
        self.ticket = None;
        Poll::Ready(mutex.guard(&mut state))
    }
}

impl<T> Drop for Lock<'_, T> {
    /// Cancelled while waiting: leave the line, or pass on a lock that was
    /// handed to us.
    fn drop(&mut self) {
        let Some(ticket) = self.ticket else { return };
        let mut state = self.mutex.state();
        if state.granted == Some(ticket) {
            // TODO: the lock was handed to us, and we will never collect it.
            // Give it up, and pass it on as an unlock would.
            state.granted = None;
        } else {
            state.line.retain(|(t, _)| *t != ticket);
        }
    }
}

/// Access to the value while the lock is held; unlocks when dropped.
#[must_use = "the lock is released as soon as the guard is dropped"]
#[derive(Debug)]
pub struct MutexGuard<'a, T> {
    mutex: &'a Mutex<T>,
    value: Option<T>,
}

impl<T> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        let mut state = self.mutex.state();
        state.value = self.value.take();
        pass_on(state);
    }
}

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
