//! Containing the user's panics. The loop runs code it did not write: a
//! future's `poll`, its `Drop`, a callback, a waker. A panic in any of them
//! must stop at the loop's edge, be reported, and leave the loop running,
//! as asyncio logs "Exception in callback" and goes on.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};

use tracing::error;

/// A panic's value, as `catch_unwind` gives it.
pub(crate) type Payload = Box<dyn Any + Send>;

// ANCHOR: catch
/// Runs `work`, catching its panic.
///
/// `AssertUnwindSafe` is a promise that nobody sees what a panic left
/// half-changed. The loop keeps it: a future that panicked is never polled
/// again, a callback runs once, and the loop's own state is never borrowed
/// while user code runs.
pub(crate) fn catch<T>(work: impl FnOnce() -> T) -> Result<T, Payload> {
    panic::catch_unwind(AssertUnwindSafe(work))
}

/// Drops `value` (the user's: a future, an output, a callback), logging a
/// panic from its `Drop` instead of letting it unwind through the loop.
/// `what` names it for the log, and is only called if something is logged.
pub(crate) fn drop_logged<T>(what: impl FnOnce() -> String, value: T) {
    if let Err(payload) = catch(|| drop(value)) {
        log(&what(), "panicked while being dropped", payload);
    }
}
// ANCHOR_END: catch

/// Logs a contained panic, then drops its payload (whose own `Drop` could
/// panic too: that is caught and ignored).
pub(crate) fn log(what: &str, happened: &str, payload: Payload) {
    error!("{what} {happened}: {}", message(&*payload));
    let _ = catch(|| drop(payload));
}

/// The message of a panic, when it has one (a `&str` or a `String`).
pub(crate) fn message(payload: &(dyn Any + Send)) -> String {
    tasks::panic_message(payload)
}
