//! A small unbounded channel, hand-rolled for the lab: many senders, one
//! receiver, a queue and the receiver's waker behind a `Mutex`.
//!
//! Its `recv` is cancel-safe by construction: the value leaves the queue in
//! the same poll that returns it as `Ready`, so a `recv` dropped while
//! `Pending` has taken nothing. tokio's `mpsc::Receiver::recv` keeps the
//! same promise (its docs say so under "Cancel safety").

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

#[derive(Debug)]
struct Shared<T> {
    queue: VecDeque<T>,
    receiver: Option<Waker>,
    senders: usize,
}

/// The sending half; clone it for more senders.
#[derive(Debug)]
pub struct Sender<T>(Arc<Mutex<Shared<T>>>);

/// The receiving half.
#[derive(Debug)]
pub struct Receiver<T>(Arc<Mutex<Shared<T>>>);

/// A channel with no bound: `send` never waits.
///
/// # Examples
///
/// ```
/// let (sender, mut receiver) = gather_wait::channel::channel();
/// sender.send("hello");
/// drop(sender);
/// let got = event_loop::hand::block_on(async move {
///     (receiver.recv().await, receiver.recv().await)
/// });
/// assert_eq!(got, (Some("hello"), None));
/// ```
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Mutex::new(Shared {
        queue: VecDeque::new(),
        receiver: None,
        senders: 1,
    }));
    (Sender(Arc::clone(&shared)), Receiver(shared))
}

fn lock<T>(shared: &Mutex<Shared<T>>) -> MutexGuard<'_, Shared<T>> {
    // A panic while the lock is held leaves the queue whole: go on with it.
    shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl<T> Sender<T> {
    /// Queues `value` and wakes the receiver.
    pub fn send(&self, value: T) {
        let waker = {
            let mut shared = lock(&self.0);
            shared.queue.push_back(value);
            shared.receiver.take()
        };
        if let Some(waker) = waker {
            waker.wake(); // outside the lock: the wake may poll at once
        }
    }

    /// How many values wait in the queue: what the lab checks after a drop.
    pub fn len(&self) -> usize {
        lock(&self.0).queue.len()
    }

    /// True when no value waits in the queue.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A copy of the values waiting in the queue, oldest first.
    pub fn queued(&self) -> Vec<T>
    where
        T: Clone,
    {
        lock(&self.0).queue.iter().cloned().collect()
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Sender<T> {
        lock(&self.0).senders += 1;
        Sender(Arc::clone(&self.0))
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let waker = {
            let mut shared = lock(&self.0);
            shared.senders -= 1;
            if shared.senders > 0 {
                return;
            }
            shared.receiver.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl<T> Receiver<T> {
    /// Waits for the next value; `None` once every sender is gone and the
    /// queue is empty.
    pub fn recv(&mut self) -> Recv<'_, T> {
        Recv { receiver: self }
    }

    /// How many values wait in the queue.
    pub fn len(&self) -> usize {
        lock(&self.0).queue.len()
    }

    /// True when no value waits in the queue.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The future of [`Receiver::recv`].
#[derive(Debug)]
#[must_use = "futures do nothing unless you .await or poll them"]
pub struct Recv<'a, T> {
    receiver: &'a mut Receiver<T>,
}

// ANCHOR: recv
impl<T> Future for Recv<'_, T> {
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<T>> {
        let mut shared = lock(&self.receiver.0);
        if let Some(value) = shared.queue.pop_front() {
            return Poll::Ready(Some(value)); // taken only when handed over
        }
        if shared.senders == 0 {
            return Poll::Ready(None);
        }
        shared.receiver = Some(context.waker().clone());
        Poll::Pending
    }
}
// ANCHOR_END: recv
