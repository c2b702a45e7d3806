//! Chapter 2 exercise: a one-shot promise pair, built by hand.
//!
//! `promise()` makes two halves that share one state: a `Completer`, which
//! settles the promise once (with a value, with an error, or by being dropped
//! unsettled), and a `Promise`, the future that waits for the outcome. The
//! state, the pair and the promise's `drop` are written; the places the
//! exercise marks for you are solved here, each with a comment on why.
//!
//! Check your work with `cargo test -p ch2-promise`.
#![forbid(unsafe_code)]

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

/// Why a promise has no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromiseError<E> {
    /// The completer called [`Completer::fail`].
    Failed(E),
    /// The completer was dropped without settling the promise.
    Cancelled,
}

/// What a promise resolves to: the value, or why there is none.
pub type Outcome<T, E> = Result<T, PromiseError<E>>;

/// The state both halves share.
enum State<T, E> {
    /// Not settled yet. Holds the waker of the latest poll, if there was one.
    Waiting(Option<Waker>),
    /// Settled; the outcome waits for the promise to take it.
    Settled(Outcome<T, E>),
    /// The promise took the outcome, or was dropped: nobody looks again.
    Closed,
}

type Shared<T, E> = Arc<Mutex<State<T, E>>>;

/// Locks the state. A panic while it is locked (polling a finished promise)
/// must leave it consistent, so a poisoned lock is used as is.
fn lock<T, E>(shared: &Shared<T, E>) -> MutexGuard<'_, State<T, E>> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Creates a promise pair, waiting and with no waker yet.
pub fn promise<T, E>() -> (Completer<T, E>, Promise<T, E>) {
    let shared = Arc::new(Mutex::new(State::Waiting(None)));
    let completer = Completer {
        shared: Arc::clone(&shared),
    };
    (completer, Promise { shared })
}

/// The half that settles the promise, once: both methods take `self`.
#[must_use = "dropping the completer at once cancels the promise"]
pub struct Completer<T, E> {
    shared: Shared<T, E>,
}

impl<T, E> Completer<T, E> {
    /// Settles the promise with `value`. If the promise was dropped, nobody
    /// is waiting: the value comes back as `Err(value)`.
    pub fn complete(self, value: T) -> Result<(), T> {
        // `Ok` is the function that makes the outcome from the value; `self`
        // is dropped as this returns, and its `drop` then finds the promise
        // settled and changes nothing.
        self.settle(value, Ok)
    }

    /// Settles the promise with an error. If the promise was dropped, the
    /// error comes back as `Err(error)`.
    pub fn fail(self, error: E) -> Result<(), E> {
        // The same, with the error wrapped as the outcome.
        self.settle(error, |error| Err(PromiseError::Failed(error)))
    }

    /// If the promise is still waiting, stores `outcome(given)`, wakes the
    /// waiting task and returns `Ok(())`; otherwise hands `given` back.
    fn settle<V>(&self, given: V, outcome: fn(V) -> Outcome<T, E>) -> Result<(), V> {
        // The block ends the lock's guard before the wake: a waker may poll
        // the promise at once, on this thread, and that poll locks again.
        let waker = {
            let mut state = lock(&self.shared);
            let State::Waiting(waker) = &mut *state else {
                // Settled already (only `drop` gets here, after `complete` or
                // `fail`) or closed (the promise is gone): hand it back.
                return Err(given);
            };
            let waker = waker.take();
            *state = State::Settled(outcome(given));
            waker
        };
        // No waker means nobody has polled yet: the first poll will find the
        // outcome without one.
        if let Some(waker) = waker {
            waker.wake();
        }
        Ok(())
    }
}

impl<T, E> Drop for Completer<T, E> {
    fn drop(&mut self) {
        // `settle` does nothing unless the promise still waits, so this only
        // cancels a promise nobody settled. `()` stands for "no value", and
        // the `Err(())` that `settle` hands back otherwise means nothing here.
        let _ = self.settle((), |()| Err(PromiseError::Cancelled));
    }
}

/// The half that waits: a future that resolves to the value, the error, or
/// [`PromiseError::Cancelled`].
#[must_use = "futures do nothing unless you .await or poll them"]
pub struct Promise<T, E> {
    shared: Shared<T, E>,
}

impl<T, E> Future for Promise<T, E> {
    type Output = Outcome<T, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut state = lock(&self.shared);
        // Take the state out and leave `Closed`; each arm puts back what it
        // must.
        match std::mem::replace(&mut *state, State::Closed) {
            // The outcome leaves with this poll; `Closed` stays behind.
            State::Settled(outcome) => Poll::Ready(outcome),
            // The waker contract: `Pending` only once someone will wake us.
            // The completer will, with the waker left here; the latest one,
            // since the task may have moved since an earlier poll. (`will_wake`
            // saves a clone when it has not.)
            State::Waiting(waker) => {
                let waker = match waker {
                    Some(old) if old.will_wake(cx.waker()) => old,
                    _ => cx.waker().clone(),
                };
                *state = State::Waiting(Some(waker));
                Poll::Pending
            }
            // Panicking leaves `Closed`, a consistent state, behind.
            State::Closed => panic!("`Promise` polled after it completed"),
        }
    }
}

impl<T, E> Drop for Promise<T, E> {
    fn drop(&mut self) {
        // Nobody will look again: a later `complete` hands its value back.
        *lock(&self.shared) = State::Closed;
    }
}

impl<T, E> fmt::Debug for Completer<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Completer").finish_non_exhaustive()
    }
}

impl<T, E> fmt::Debug for Promise<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Promise").finish_non_exhaustive()
    }
}
