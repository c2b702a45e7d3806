//! Chapter 8 built by hand: the primitives, on wakers alone, and the scene
//! on chapter 4's loop.
//!
//! | type | asyncio | what it does |
//! |---|---|---|
//! | [`Mutex`] | `Lock` | one holder at a time, waiters served in order |
//! | [`Semaphore`] | `Semaphore` | at most N holders of a [`Permit`] at once |
//! | [`Event`] | `Event` | a flag to wait on; stays set until cleared |
//! | [`Queue`] | `Queue(maxsize)` | bounded: `put` waits while it is full |
//!
//! None of them needs a runtime: each keeps its waiters' wakers and wakes
//! them, so the same types run on our loop, tokio and smol (the tests run
//! each on all three). Each keeps its state in a `std::sync::Mutex` held for
//! a few instructions and never across an `.await` or a wake: the right use
//! of a blocking lock in async code.

mod event;
mod mutex;
mod queue;
mod semaphore;
mod wait_list;

pub use event::{Event, Wait};
pub use mutex::{Lock, Mutex, MutexGuard};
pub use queue::{Get, Put, Queue, ZeroCapacity};
pub use semaphore::{Acquire, Permit, Semaphore};

use std::sync::Arc;
use std::time::Duration;

use event_loop::hand::{EventLoop, sleep, spawn};

use crate::{Counter, Io, Tally};

// ANCHOR: scene
/// One task of the scene without a lock: read, wait for the (simulated)
/// I/O, write back what was read plus one.
pub async fn increment(task: usize, counter: Arc<Counter>, io: Duration) {
    let value = counter.read(task);
    sleep(io).await; // every other task runs meanwhile
    counter.write(task, value + 1);
}

/// The same under our [`Mutex`]: nobody else reads until we have written.
pub async fn increment_locked(task: usize, counter: Arc<Mutex<Counter>>, io: Duration) {
    let counter = counter.lock().await;
    let value = counter.read(task);
    sleep(io).await; // the others wait in line for the lock
    counter.write(task, value + 1);
}
// ANCHOR_END: scene

/// The scene on a loop: `tasks` tasks, without the lock then with it.
pub fn lost_updates_on(event_loop: &EventLoop, tasks: usize, io: Io) -> Tally {
    let counter = Arc::new(Counter::default());
    let shared = Arc::clone(&counter);
    event_loop.block_on(async move {
        let handles: Vec<_> = (1..=tasks)
            .map(|task| spawn(increment(task, Arc::clone(&shared), io.unlocked)))
            .collect();
        for handle in handles {
            handle.await.expect("an increment does not panic");
        }
    });
    let locked = Arc::new(Mutex::new(Counter::default()));
    let shared = Arc::clone(&locked);
    event_loop.block_on(async move {
        let handles: Vec<_> = (1..=tasks)
            .map(|task| spawn(increment_locked(task, Arc::clone(&shared), io.locked)))
            .collect();
        for handle in handles {
            handle.await.expect("an increment does not panic");
        }
    });
    let locked = Arc::into_inner(locked).expect("the tasks are done");
    Tally::new(tasks, counter.value(), locked.into_inner().value())
}

/// The scene on a new loop (real time).
pub fn lost_updates(tasks: usize, io: Io) -> Tally {
    lost_updates_on(&EventLoop::new(), tasks, io)
}
