//! One future that drives two: the answer, and a ticker that ticks until the
//! answer is there. asyncio awaits the future with a timeout in a loop.
//!
//! Shortcut: a future made for this one pair. tokio writes it with its
//! `select!` macro over any futures (see `with_tokio`), and chapter 5 builds
//! that general tool, a select.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tracing::info;

use super::{Sleep, sleep};

// ANCHOR: while_ticking
/// Waits for `future`, ticking every `tick` meanwhile. Resolves to the
/// future's output and the number of ticks.
#[must_use = "futures do nothing unless you .await or poll them"]
#[derive(Debug)]
pub struct WhileTicking<F> {
    future: F,
    tick: Duration,
    next_tick: Sleep,
    ticks: u32,
}

/// Drives `future`, and ticks every `tick` until it is ready.
pub fn while_ticking<F: Future + Unpin>(future: F, tick: Duration) -> WhileTicking<F> {
    WhileTicking {
        future,
        tick,
        next_tick: sleep(tick),
        ticks: 0,
    }
}

impl<F: Future + Unpin> Future for WhileTicking<F> {
    type Output = (F::Output, u32);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        // Both children get our `cx`: whichever can make progress first (the
        // completer or the timer) wakes this task, and we poll both again.
        // The answer goes first, so it wins a tie with a tick.
        if let Poll::Ready(output) = Pin::new(&mut this.future).poll(cx) {
            return Poll::Ready((output, this.ticks));
        }
        while Pin::new(&mut this.next_tick).poll(cx).is_ready() {
            this.ticks += 1;
            info!("tick {}", this.ticks);
            // The new sleep is polled at once by the loop, so it has our
            // waker before we return `Pending`.
            this.next_tick = sleep(this.tick);
        }
        Poll::Pending
    }
}
// ANCHOR_END: while_ticking
