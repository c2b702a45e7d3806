//! Chapter 8 on smol: its locks are async-lock's (`smol::lock`), and its
//! `Mutex` keeps no line of waiters: a newcomer may take the lock before a
//! woken waiter, until a waiter has waited half a millisecond.

use std::sync::Arc;
use std::time::Duration;

use smol::Timer;
use smol::lock::Mutex;

use crate::{Counter, Io, Tally};

// ANCHOR: scene
/// Read, await the I/O, write back: no lock.
pub async fn increment(task: usize, counter: Arc<Counter>, io: Duration) {
    let value = counter.read(task);
    Timer::after(io).await;
    counter.write(task, value + 1);
}

/// The same under async-lock's `Mutex`.
pub async fn increment_locked(task: usize, counter: Arc<Mutex<Counter>>, io: Duration) {
    let counter = counter.lock().await;
    let value = counter.read(task);
    Timer::after(io).await;
    counter.write(task, value + 1);
}
// ANCHOR_END: scene

/// The scene as tasks on smol's global executor.
pub async fn lost_updates(tasks: usize, io: Io) -> Tally {
    let counter = Arc::new(Counter::default());
    let handles: Vec<_> = (1..=tasks)
        .map(|task| smol::spawn(increment(task, Arc::clone(&counter), io.unlocked)))
        .collect();
    for handle in handles {
        handle.await;
    }
    let locked = Arc::new(Mutex::new(Counter::default()));
    let handles: Vec<_> = (1..=tasks)
        .map(|task| smol::spawn(increment_locked(task, Arc::clone(&locked), io.locked)))
        .collect();
    for handle in handles {
        handle.await;
    }
    let locked = locked.lock().await.value();
    Tally::new(tasks, counter.value(), locked)
}

/// On `smol::block_on`.
pub fn run_lost_updates(tasks: usize, io: Io) -> Tally {
    smol::block_on(lost_updates(tasks, io))
}
