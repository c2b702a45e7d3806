//! Chapter 2 exercise: a one-shot promise pair, built by hand.
//!
//! `promise()` makes two halves that share one state: a `Completer`, which
//! settles the promise once (with a value, with an error, or by being dropped
//! unsettled), and a `Promise`, the future that waits for the outcome. The
//! state, the pair and the promise's `drop` are written; the places marked
//! `// TODO` are yours.
//!
//! Check your work with `cargo test -p ch2-promise`.
#![forbid(unsafe_code)]
// Quiets the warnings for what only your code will use (the `Settled` state,
// the completer's `shared`, `settle`); delete it once your code uses them.
#![allow(dead_code)]

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
    // Quiets the warning for the parameter the `todo!()` leaves unused; delete
    // it once your code uses it.
    #[allow(unused_variables)]
    pub fn complete(self, value: T) -> Result<(), T> {
        // TODO: settle with the outcome `Ok(value)` (see `settle` below).
        todo!()
    }

    /// Settles the promise with an error. If the promise was dropped, the
    /// error comes back as `Err(error)`.
    #[allow(unused_variables)]
    pub fn fail(self, error: E) -> Result<(), E> {
        // TODO: settle with the outcome `Err(PromiseError::Failed(error))`.
        todo!()
    }

    /// If the promise is still waiting, stores `outcome(given)`, wakes the
    /// waiting task and returns `Ok(())`; otherwise hands `given` back.
    #[allow(unused_variables)]
    fn settle<V>(&self, given: V, outcome: fn(V) -> Outcome<T, E>) -> Result<(), V> {
        // TODO: lock the state (with `lock`) and look at it.
        // - `Waiting`: take the waker out, store `State::Settled(outcome(given))`,
        //   then wake the waker, if there is one, and return `Ok(())`. Wake it
        //   after the lock is released: the woken task may poll at once.
        // - `Settled` or `Closed`: return `Err(given)`.
        todo!()
    }
}

impl<T, E> Drop for Completer<T, E> {
    fn drop(&mut self) {
        // TODO: settle with the outcome `Err(PromiseError::Cancelled)`, so that
        // the waiting task hears about it instead of waiting forever. (When
        // `complete` or `fail` ran first, the state is no longer `Waiting`, and
        // this must change nothing.)
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

    #[allow(unused_variables)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // TODO: lock the state and look at it.
        // - `Settled`: take the outcome out, leave `State::Closed` behind, and
        //   return it, ready. (`std::mem::replace` does both at once.)
        // - `Waiting`: keep a clone of `cx.waker()` in the state, in place of
        //   any older one, and return `Pending`: the completer will wake it.
        // - `Closed`: the outcome was taken already; panic with a message that
        //   contains "polled after it completed".
        todo!()
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
