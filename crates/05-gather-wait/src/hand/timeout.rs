//! A timeout: the work races a timer, and if the timer wins the work is
//! dropped at whatever await it had reached.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use event_loop::hand::{Sleep, sleep};
use pin_project_lite::pin_project;

/// The error of a timeout whose timer won.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Elapsed;

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("deadline has elapsed")
    }
}

impl std::error::Error for Elapsed {}

// ANCHOR: timeout
pin_project! {
    /// The future of [`timeout`] and [`timeout_with`].
    #[derive(Debug)]
    #[must_use = "futures do nothing unless you .await or poll them"]
    pub struct Timeout<F, T> {
        #[pin]
        work: F,
        #[pin]
        timer: T,
    }
}

/// asyncio's `wait_for`: `work`'s output, or [`Elapsed`] if `duration`
/// passes first on chapter 4's loop. Then the work is dropped where it was.
pub fn timeout<F: Future>(duration: Duration, work: F) -> Timeout<F, Sleep> {
    timeout_with(sleep(duration), work)
}

/// The same with any timer future: a runtime's `sleep`, or a `Sleep` of
/// ours. The combinator itself needs no runtime.
pub fn timeout_with<F: Future, T: Future>(timer: T, work: F) -> Timeout<F, T> {
    Timeout { work, timer }
}

impl<F: Future, T: Future> Future for Timeout<F, T> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        // The work first, as tokio does: work that is ready in the same poll
        // as the deadline is not thrown away.
        if let Poll::Ready(output) = this.work.poll(cx) {
            return Poll::Ready(Ok(output));
        }
        this.timer.poll(cx).map(|_| Err(Elapsed))
    }
}
// ANCHOR_END: timeout
