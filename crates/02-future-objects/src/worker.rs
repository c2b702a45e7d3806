//! The "someone else" of the scene: a plain thread, outside any runtime, that
//! produces the result later. Every runtime's scene uses it; only the way the
//! answer travels back (our promise, a oneshot, a channel) differs.

use std::thread;
use std::time::Duration;

use tracing::info;

use crate::ANSWER;

// ANCHOR: worker
/// Asks a new worker thread for the answer. The worker computes for `work`,
/// then hands the answer to `deliver`, from its own thread.
pub fn spawn(work: Duration, deliver: impl FnOnce(u64) + Send + 'static) {
    info!("asking a worker for the answer");
    start_thread(move || {
        thread::sleep(work); // stands for the computation
        info!("worker: the answer is {ANSWER}");
        deliver(ANSWER);
    });
}

/// Asks a worker that gives up after `after`: it drops `sender`, its end of
/// the promise, without sending anything.
pub fn spawn_quitter<S: Send + 'static>(after: Duration, sender: S) {
    info!("asking a worker for the answer");
    start_thread(move || {
        thread::sleep(after);
        info!("worker: giving up");
        drop(sender);
    });
}
// ANCHOR_END: worker

fn start_thread(work: impl FnOnce() + Send + 'static) {
    thread::Builder::new()
        .name("worker".into())
        .spawn(work)
        .expect("the system can start a thread for the worker");
}
