//! A bounded queue with backpressure: asyncio's `Queue(maxsize)`.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{MutexGuard as StateGuard, PoisonError};
use std::task::{Context, Poll, Waker};

use super::wait_list::{Left, WaitList};

// ANCHOR: queue
/// A first-in, first-out queue of at most `capacity` items, shared by
/// reference: [`put`](Queue::put) waits while it is full (backpressure: a
/// fast producer is held to the consumers' pace), [`get`](Queue::get)
/// waits while it is empty.
///
/// As asyncio's `Queue` does, a taker (or putter) that is woken takes its
/// chance again from scratch: someone who came later may have taken the item
/// (or the room) first, and the woken one then waits at the back of the line.
///
/// ```
/// use locks::hand::Queue;
///
/// let jobs = Queue::bounded(1).expect("a capacity of one");
/// event_loop::hand::block_on(async {
///     jobs.put("first").await;
///     assert_eq!(jobs.try_put("second"), Err("second"), "full");
///     assert_eq!(jobs.get().await, "first");
/// });
/// ```
pub struct Queue<T> {
    state: std::sync::Mutex<State<T>>,
}

struct State<T> {
    items: VecDeque<T>,
    capacity: usize,
    /// Puts waiting for room.
    putters: WaitList,
    /// Gets waiting for an item.
    getters: WaitList,
}
// ANCHOR_END: queue

/// A queue of capacity 0 would make every `put` wait for ever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZeroCapacity;

impl fmt::Display for ZeroCapacity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a bounded queue needs a capacity of at least one item")
    }
}

impl std::error::Error for ZeroCapacity {}

impl<T> Queue<T> {
    /// An empty queue that holds at most `capacity` items. (asyncio reads a
    /// `maxsize` of 0 as "no limit"; here that is an error instead.)
    pub fn bounded(capacity: usize) -> Result<Queue<T>, ZeroCapacity> {
        if capacity == 0 {
            return Err(ZeroCapacity);
        }
        let state = State {
            items: VecDeque::with_capacity(capacity),
            capacity,
            putters: WaitList::default(),
            getters: WaitList::default(),
        };
        Ok(Queue {
            state: std::sync::Mutex::new(state),
        })
    }

    /// Puts `item` at the back, waiting for room while the queue is full.
    /// Dropped before it completes, the put did not happen: the item is
    /// dropped with the future.
    pub fn put(&self, item: T) -> Put<'_, T> {
        Put {
            queue: self,
            item: Some(item),
            ticket: None,
        }
    }

    /// Takes the item at the front, waiting while the queue is empty.
    pub fn get(&self) -> Get<'_, T> {
        Get {
            queue: self,
            ticket: None,
        }
    }

    /// Puts `item` now if there is room (asyncio's `put_nowait`), or gives
    /// it back.
    pub fn try_put(&self, item: T) -> Result<(), T> {
        let mut state = self.state();
        if state.items.len() == state.capacity {
            return Err(item);
        }
        let woken = state.push(item);
        drop(state);
        wake(woken);
        Ok(())
    }

    /// Takes an item now, if there is one (asyncio's `get_nowait`).
    pub fn try_get(&self) -> Option<T> {
        let mut state = self.state();
        let (item, woken) = state.pop()?;
        drop(state);
        wake(woken);
        Some(item)
    }

    /// How many items are in the queue.
    pub fn len(&self) -> usize {
        self.state().items.len()
    }

    /// Whether the queue holds no item.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many gets wait for an item.
    pub fn waiting_to_get(&self) -> usize {
        self.state().getters.len()
    }

    /// How many puts wait for room.
    pub fn waiting_to_put(&self) -> usize {
        self.state().putters.len()
    }

    /// The most items it holds.
    pub fn capacity(&self) -> usize {
        self.state().capacity
    }

    fn state(&self) -> StateGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

// ANCHOR: push_pop
impl<T> State<T> {
    /// Adds an item (there is room) and picks the taker to wake.
    fn push(&mut self, item: T) -> Option<Waker> {
        self.items.push_back(item);
        self.getters.grant_first()
    }

    /// Takes an item, if any, and picks the putter to wake: there is room.
    fn pop(&mut self) -> Option<(T, Option<Waker>)> {
        let item = self.items.pop_front()?;
        Some((item, self.putters.grant_first()))
    }
}
// ANCHOR_END: push_pop

/// Wakes outside the queue's state, so the woken task may run at once (on
/// another thread) without finding the state locked.
fn wake(waker: Option<Waker>) {
    if let Some(waker) = waker {
        waker.wake();
    }
}

impl<T> fmt::Debug for Queue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        f.debug_struct("Queue")
            .field("len", &state.items.len())
            .field("capacity", &state.capacity)
            .field("putters", &state.putters.len())
            .field("getters", &state.getters.len())
            .finish()
    }
}

// ANCHOR: put
/// The future [`Queue::put`] returns.
#[must_use = "futures do nothing unless you .await or poll them"]
pub struct Put<'a, T> {
    queue: &'a Queue<T>,
    item: Option<T>,
    ticket: Option<u64>,
}

// `Put` never pins its item (nothing borrows it in place), so it may move
// whatever the item is.
impl<T> Unpin for Put<'_, T> {}

impl<T> Future for Put<'_, T> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let mut state = this.queue.state();
        if let Some(id) = this.ticket {
            if !state.putters.collect(id, cx.waker()) {
                return Poll::Pending; // not woken yet: still in line
            }
            this.ticket = None;
        }
        if state.items.len() == state.capacity {
            this.ticket = Some(state.putters.join(cx.waker()));
            return Poll::Pending;
        }
        let item = this.item.take().expect("`Put` polled after it completed");
        let woken = state.push(item);
        drop(state);
        wake(woken);
        Poll::Ready(())
    }
}

impl<T> Drop for Put<'_, T> {
    /// Cancelled after being woken: the wake was meant for a put, so it goes
    /// to the next putter in line, who may find the room.
    fn drop(&mut self) {
        if let Some(id) = self.ticket {
            let mut state = self.queue.state();
            if state.putters.leave(id) == Left::WithGrant {
                let woken = state.putters.grant_first();
                drop(state);
                wake(woken);
            }
        }
    }
}
// ANCHOR_END: put

/// The future [`Queue::get`] returns.
#[must_use = "futures do nothing unless you .await or poll them"]
pub struct Get<'a, T> {
    queue: &'a Queue<T>,
    ticket: Option<u64>,
}

impl<T> Future for Get<'_, T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut state = self.queue.state();
        if let Some(id) = self.ticket {
            if !state.getters.collect(id, cx.waker()) {
                return Poll::Pending;
            }
            self.ticket = None;
        }
        match state.pop() {
            Some((item, woken)) => {
                drop(state);
                wake(woken);
                Poll::Ready(item)
            }
            None => {
                self.ticket = Some(state.getters.join(cx.waker()));
                Poll::Pending
            }
        }
    }
}

impl<T> Drop for Get<'_, T> {
    /// Cancelled after being woken: the item it was woken for is still in
    /// the queue, so the wake goes to the next taker in line.
    fn drop(&mut self) {
        if let Some(id) = self.ticket {
            let mut state = self.queue.state();
            if state.getters.leave(id) == Left::WithGrant {
                let woken = state.getters.grant_first();
                drop(state);
                wake(woken);
            }
        }
    }
}

impl<T> fmt::Debug for Put<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Put")
            .field("waiting", &self.ticket.is_some())
            .finish()
    }
}

impl<T> fmt::Debug for Get<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Get")
            .field("waiting", &self.ticket.is_some())
            .finish()
    }
}
