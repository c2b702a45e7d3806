//! A future that gives the other tasks a turn.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: yield_now
/// Pending once, then ready: the task goes to the back of the run queue, and
/// every task queued before it runs first. `await asyncio.sleep(0)` and
/// `tokio::task::yield_now()` do the same.
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

/// The future [`yield_now`] returns.
#[must_use = "futures do nothing unless you .await or poll them"]
#[derive(Debug)]
pub struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        // Ready to go on at once: wake before `Pending`, or no one would.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
// ANCHOR_END: yield_now
