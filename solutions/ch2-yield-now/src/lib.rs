//! Chapter 2 exercise: `yield_now`, a future that steps aside once.
//!
//! A task that has a lot to do can let the others run by awaiting
//! `yield_now()`: the future is pending on its first poll, and ready on the
//! next. Between the two, the executor runs whatever else is ready.
//!
//! Check your work with `cargo test -p ch2-yield-now`.
#![forbid(unsafe_code)]

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Pending once, then ready: lets the executor run other tasks in between.
#[must_use = "futures do nothing unless you .await or poll them"]
#[derive(Debug, Default)]
pub struct YieldNow {
    /// Whether the first poll has happened.
    yielded: bool,
}

/// Steps aside once: `yield_now().await` lets other tasks run, then goes on.
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // The second poll: we stepped aside once, now carry on.
        if self.yielded {
            return Poll::Ready(());
        }
        // The first poll: note it, and wake the task ourselves before
        // returning `Pending`. The wake puts the task back at the end of the
        // executor's queue, behind the tasks already waiting there: that is
        // what lets them run first. Without it, nothing would ever poll this
        // task again. (`tokio::task::yield_now` does the same, and defers the
        // wake until the runtime has looked at its other work.)
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
