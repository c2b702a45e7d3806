//! Chapter 5 exercise: write a `timeout` combinator.
//!
//! `timeout(timer, work)` is asyncio's `wait_for` with the timer handed in:
//! any future that finishes when time is up (our loop's `sleep`, tokio's,
//! smol's `Timer`). It finishes with `Ok(output)` if the work finishes
//! first, or `Err(Elapsed)` if the timer does; then the work is dropped, at
//! whatever await it had reached.
//!
//! Run the checks with `cargo test -p ch5-timeout`.
#![forbid(unsafe_code)]

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use pin_project_lite::pin_project;

/// The error of a timeout whose timer won.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Elapsed;

pin_project! {
    /// The future of [`timeout`]. Both fields are pinned in place: neither
    /// needs a box, and `project()` gives a `Pin<&mut _>` to each.
    #[derive(Debug)]
    #[must_use = "futures do nothing unless you .await or poll them"]
    pub struct Timeout<F, T> {
        #[pin]
        work: F,
        #[pin]
        timer: T,
    }
}

/// `work`'s output, or [`Elapsed`] if `timer` finishes first.
pub fn timeout<F: Future, T: Future>(timer: T, work: F) -> Timeout<F, T> {
    Timeout { work, timer }
}

impl<F: Future, T: Future> Future for Timeout<F, T> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        // Solved: the work first, so that work ready with the deadline is
        // kept; then the timer, whose output does not matter.
        if let Poll::Ready(output) = this.work.poll(cx) {
            return Poll::Ready(Ok(output));
        }
        this.timer.poll(cx).map(|_| Err(Elapsed))
    }
}
