//! Chapter 8 on tokio: `tokio::sync::Mutex`, a semaphore of one permit
//! underneath, whose waiters are served first in, first out.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::sleep;

use crate::{Counter, Io, Tally};

// ANCHOR: scene
/// Read, await the I/O, write back: no lock.
pub async fn increment(task: usize, counter: Arc<Counter>, io: Duration) {
    let value = counter.read(task);
    sleep(io).await;
    counter.write(task, value + 1);
}

/// The same under tokio's `Mutex`. Its guard may cross the `.await`, and a
/// future holding it is `Send`, so `tokio::spawn` takes it.
pub async fn increment_locked(task: usize, counter: Arc<Mutex<Counter>>, io: Duration) {
    let counter = counter.lock().await;
    let value = counter.read(task);
    sleep(io).await;
    counter.write(task, value + 1);
}
// ANCHOR_END: scene

/// The scene as tasks on the current runtime: without the lock, then with it.
pub async fn lost_updates(tasks: usize, io: Io) -> Tally {
    let counter = Arc::new(Counter::default());
    let handles: Vec<_> = (1..=tasks)
        .map(|task| tokio::spawn(increment(task, Arc::clone(&counter), io.unlocked)))
        .collect();
    for handle in handles {
        handle.await.expect("an increment does not panic");
    }
    let locked = Arc::new(Mutex::new(Counter::default()));
    let handles: Vec<_> = (1..=tasks)
        .map(|task| {
            tokio::spawn(increment_locked(task, Arc::clone(&locked), io.locked))
        })
        .collect();
    for handle in handles {
        handle.await.expect("an increment does not panic");
    }
    let locked = locked.lock().await.value();
    Tally::new(tasks, counter.value(), locked)
}

/// On a multi-thread runtime: its workers take the tasks at once, on
/// several threads, and the updates are lost all the same.
pub fn run_lost_updates(tasks: usize, io: Io) -> Tally {
    tokio::runtime::Runtime::new()
        .expect("the system can start tokio's threads")
        .block_on(lost_updates(tasks, io))
}
