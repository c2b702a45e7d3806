//! Chapter 8 on async-std (discontinued by its maintainers, who point to
//! smol): its `sync::Mutex` is async-lock's, re-exported.

use std::sync::Arc;
use std::time::Duration;

use async_std::sync::Mutex;
use async_std::task::{self, sleep};

use crate::{Counter, Io, Tally};

// ANCHOR: scene
/// Read, await the I/O, write back: no lock.
pub async fn increment(task: usize, counter: Arc<Counter>, io: Duration) {
    let value = counter.read(task);
    sleep(io).await;
    counter.write(task, value + 1);
}

/// The same under async-std's `Mutex`.
pub async fn increment_locked(task: usize, counter: Arc<Mutex<Counter>>, io: Duration) {
    let counter = counter.lock().await;
    let value = counter.read(task);
    sleep(io).await;
    counter.write(task, value + 1);
}
// ANCHOR_END: scene

/// The scene as tasks on async-std's global executor.
pub async fn lost_updates(tasks: usize, io: Io) -> Tally {
    let counter = Arc::new(Counter::default());
    let handles: Vec<_> = (1..=tasks)
        .map(|task| task::spawn(increment(task, Arc::clone(&counter), io.unlocked)))
        .collect();
    for handle in handles {
        handle.await;
    }
    let locked = Arc::new(Mutex::new(Counter::default()));
    let handles: Vec<_> = (1..=tasks)
        .map(|task| task::spawn(increment_locked(task, Arc::clone(&locked), io.locked)))
        .collect();
    for handle in handles {
        handle.await;
    }
    let locked = locked.lock().await.value();
    Tally::new(tasks, counter.value(), locked)
}

/// On `async_std::task::block_on`.
pub fn run_lost_updates(tasks: usize, io: Io) -> Tally {
    task::block_on(lost_updates(tasks, io))
}
