//! Chapter 7 exercise: build `spawn_blocking` on a plain thread and chapter
//! 2's promise.
//!
//! A blocking call inside a task holds the loop's thread: every other task
//! and timer waits for it. `spawn_blocking` hands the call to another thread
//! and gives the task a future to await instead. Here the other thread is a
//! new one per job (tokio keeps a pool of them; chapter 7 builds one), and the
//! future is chapter 2's `Promise`: the thread settles it, which wakes the
//! task.
//!
//! Check your work with `cargo test -p ch7-spawn-blocking`.
#![forbid(unsafe_code)]

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};

use future_objects::hand::{Promise, promise};

/// Why a job has no value: it panicked, with this message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panicked(pub String);

impl fmt::Display for Panicked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the blocking job panicked: {}", self.0)
    }
}

/// The message a panic carried, if it was a string (`panic!("...")` makes a
/// `&str` or a `String`).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|message| message.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string())
}

/// Runs `job` on a new thread and returns a promise of its value, which a
/// task awaits without blocking the loop. A panic in the job settles the
/// promise with [`Panicked`] instead.
pub fn spawn_blocking<F, T>(job: F) -> Promise<T, Panicked>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let (completer, promise) = promise();
    // The job runs on its own thread; the promise goes back at once. The
    // completer crosses to that thread (it is `Send`); settling it wakes the
    // task through the loop's cross-thread waker.
    std::thread::spawn(move || {
        // Caught here, the panic becomes the promise's error; uncaught, it
        // would drop the completer and the promise would say `Cancelled`.
        let _ = match catch_unwind(AssertUnwindSafe(job)) {
            Ok(value) => completer.complete(value).map_err(drop),
            Err(payload) => completer
                .fail(Panicked(panic_message(&*payload)))
                .map_err(drop),
        };
    });
    promise
}
