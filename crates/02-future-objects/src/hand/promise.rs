//! A one-shot promise pair: a [`Completer`] that settles it once, and a
//! [`Promise`], the future that waits for it.
//!
//! asyncio puts both roles in one object: whoever holds the `Future` may call
//! `set_result`. Here they are two values, so the type system can say who may
//! do what: only the completer settles, only once (its methods take `self`),
//! and dropping it unsettled cancels the promise.
//!
//! Shortcut: the shared state sits behind a `Mutex`. tokio's oneshot packs it
//! into one atomic word and never blocks.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

use tracing::debug;

// ANCHOR: error
/// Why a promise has no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromiseError<E> {
    /// The completer called [`Completer::fail`]: asyncio's `set_exception`.
    Failed(E),
    /// The completer was dropped without settling the promise.
    Cancelled,
}
// ANCHOR_END: error

impl<E: fmt::Display> fmt::Display for PromiseError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PromiseError::Failed(error) => write!(f, "the promise failed: {error}"),
            PromiseError::Cancelled => {
                f.write_str("cancelled (the completer was dropped without completing)")
            }
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for PromiseError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PromiseError::Failed(error) => Some(error),
            PromiseError::Cancelled => None,
        }
    }
}

/// What a promise resolves to: the value, or why there is none.
pub type Outcome<T, E> = Result<T, PromiseError<E>>;

// ANCHOR: state
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
/// leaves it `Closed`, which is consistent, so a poisoned lock is used as is.
fn lock<T, E>(shared: &Shared<T, E>) -> MutexGuard<'_, State<T, E>> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Creates a promise pair: give the [`Completer`] to whoever produces the
/// value, and await the [`Promise`] where it is needed.
///
/// # Examples
///
/// ```
/// use future_objects::hand::{block_on, promise};
///
/// let (completer, promise) = promise::<u64, String>();
/// std::thread::spawn(move || completer.complete(42));
/// assert_eq!(block_on(promise), Ok(42));
/// ```
pub fn promise<T, E>() -> (Completer<T, E>, Promise<T, E>) {
    let shared = Arc::new(Mutex::new(State::Waiting(None)));
    let completer = Completer {
        shared: Arc::clone(&shared),
    };
    (completer, Promise { shared })
}
// ANCHOR_END: state

// ANCHOR: completer
/// The half that settles the promise, once: both methods take `self`.
///
/// Dropping it without settling cancels the promise, so the waiting side
/// hears [`PromiseError::Cancelled`] instead of waiting forever.
///
/// ```compile_fail
/// let (completer, _promise) = future_objects::hand::promise::<u64, String>();
/// let _ = completer.complete(1);
/// let _ = completer.complete(2); // error: `completer` was moved by the first call
/// ```
///
/// It goes to another thread only if its value and error can:
///
/// ```compile_fail
/// use std::rc::Rc;
///
/// let (completer, _promise) = future_objects::hand::promise::<Rc<u64>, String>();
/// std::thread::spawn(move || {
///     let _ = completer.complete(Rc::new(1)); // error: `Rc` is not `Send`
/// });
/// ```
#[must_use = "dropping the completer at once cancels the promise"]
pub struct Completer<T, E> {
    shared: Shared<T, E>,
}

impl<T, E> Completer<T, E> {
    /// Settles the promise with `value`: asyncio's `set_result`. If the
    /// promise was dropped, nobody is waiting, and the value comes back.
    pub fn complete(self, value: T) -> Result<(), T> {
        self.settle(value, Ok)
    }

    /// Settles the promise with an error: asyncio's `set_exception`. If the
    /// promise was dropped, the error comes back.
    pub fn fail(self, error: E) -> Result<(), E> {
        self.settle(error, |error| Err(PromiseError::Failed(error)))
    }

    /// Whether the promise has been dropped: nobody waits for the outcome any
    /// more, and a long computation may stop early. (asyncio's closest: the
    /// future was cancelled by the side that awaited it.)
    pub fn is_closed(&self) -> bool {
        matches!(*lock(&self.shared), State::Closed)
    }

    /// Stores the outcome and wakes the waiting task, if there is one.
    fn settle<V>(&self, given: V, outcome: fn(V) -> Outcome<T, E>) -> Result<(), V> {
        let waker = {
            let mut state = lock(&self.shared);
            let State::Waiting(waker) = &mut *state else {
                // `Closed`: the promise is gone. (`Settled` is only ever seen
                // by our own `drop`, right after `complete` or `fail`.)
                return Err(given);
            };
            let waker = waker.take();
            *state = State::Settled(outcome(given));
            waker
        };
        // Wake after unlocking: the waker may poll the promise at once, on
        // this thread, and that poll needs the lock.
        if let Some(waker) = waker {
            debug!("completer: waking the waiting task");
            waker.wake();
        }
        Ok(())
    }
}

impl<T, E> Drop for Completer<T, E> {
    fn drop(&mut self) {
        // After `complete` or `fail` the state is `Settled` or `Closed`, and
        // this does nothing. Otherwise the promise is cancelled.
        let _ = self.settle((), |()| Err(PromiseError::Cancelled));
    }
}
// ANCHOR_END: completer

// ANCHOR: promise
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
        match std::mem::replace(&mut *state, State::Closed) {
            State::Settled(outcome) => {
                debug!("promise: settled, ready");
                Poll::Ready(outcome)
            }
            State::Waiting(waker) => {
                // The contract: before returning `Pending`, make sure someone
                // will wake the task. The completer will, with the waker we
                // leave here. Keep only the latest: the task may have moved,
                // and an older waker would wake the wrong one.
                let waker = match waker {
                    Some(old) if old.will_wake(cx.waker()) => old,
                    _ => cx.waker().clone(),
                };
                *state = State::Waiting(Some(waker));
                debug!("promise: not settled yet, pending");
                Poll::Pending
            }
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
// ANCHOR_END: promise

// ANCHOR: send
// A completer can go to another thread whenever its value and error can: the
// compiler checks it here, for the types the scene uses.
const _: () = {
    const fn assert_send<S: Send>() {}
    assert_send::<Completer<u64, String>>();
    assert_send::<Promise<u64, String>>();
};
// ANCHOR_END: send

impl<T, E> State<T, E> {
    fn name(&self) -> &'static str {
        match self {
            State::Waiting(_) => "waiting",
            State::Settled(_) => "settled",
            State::Closed => "closed",
        }
    }
}

impl<T, E> fmt::Debug for Completer<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.shared).name();
        f.debug_struct("Completer").field("state", &state).finish()
    }
}

impl<T, E> fmt::Debug for Promise<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.shared).name();
        f.debug_struct("Promise").field("state", &state).finish()
    }
}
