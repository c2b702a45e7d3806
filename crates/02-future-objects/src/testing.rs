//! Polling a future by hand, for tests and exercises: no executor, just the
//! calls an executor would make, counted.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use crate::hand::wakers::{WakeCounter, counting_waker};

// ANCHOR: poller
/// Holds a future and polls it when asked, with a waker that counts its wakes.
///
/// ```
/// use std::task::Poll;
/// use future_objects::hand::promise;
/// use future_objects::testing::Poller;
///
/// let (completer, promise) = promise::<u64, String>();
/// let mut poller = Poller::new(promise);
/// assert!(poller.poll().is_pending());
/// completer.complete(42).unwrap();
/// assert_eq!(poller.wakes(), 1, "the completer woke the task");
/// assert_eq!(poller.poll(), Poll::Ready(Ok(42)));
/// assert_eq!(poller.polls(), 2);
/// ```
pub struct Poller<F> {
    future: Pin<Box<F>>,
    waker: Waker,
    counter: Arc<WakeCounter>,
    polls: usize,
}

impl<F: Future> Poller<F> {
    /// Takes the future; nothing is polled yet.
    pub fn new(future: F) -> Poller<F> {
        let (waker, counter) = counting_waker();
        Poller {
            future: Box::pin(future),
            waker,
            counter,
            polls: 0,
        }
    }

    /// Polls once with the poller's own counting waker.
    pub fn poll(&mut self) -> Poll<F::Output> {
        let waker = self.waker.clone();
        self.poll_with(&waker)
    }

    /// Polls once with another waker, as if the task had moved.
    pub fn poll_with(&mut self, waker: &Waker) -> Poll<F::Output> {
        self.polls += 1;
        self.future.as_mut().poll(&mut Context::from_waker(waker))
    }

    /// How often the future has been polled.
    pub fn polls(&self) -> usize {
        self.polls
    }

    /// How often the poller's own waker has been woken.
    pub fn wakes(&self) -> usize {
        self.counter.wakes()
    }
}
// ANCHOR_END: poller

impl<F> fmt::Debug for Poller<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Poller")
            .field("polls", &self.polls)
            .field("wakes", &self.counter.wakes())
            .finish_non_exhaustive()
    }
}
