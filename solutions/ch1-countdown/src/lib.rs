//! Chapter 1 exercise: a countdown written as a hand-made state machine.
//!
//! `countdown(3)` says "3", "2", "1" (one number per poll, returning `Pending`
//! after each) and then "liftoff", returning everything it said.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The countdown's states.
#[must_use = "futures do nothing unless you .await or poll them"]
#[derive(Debug, PartialEq, Eq)]
pub enum Countdown {
    /// Still counting: `remaining` numbers to say, and what was said so far.
    Counting { remaining: u32, said: Vec<String> },
    /// Said "liftoff"; polling again is a bug.
    Done,
}

/// Creates the countdown. Like calling an `async fn`, this says nothing yet.
pub fn countdown(from: u32) -> Countdown {
    Countdown::Counting {
        remaining: from,
        said: Vec::new(),
    }
}

impl Future for Countdown {
    type Output = Vec<String>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<String>> {
        // `Countdown` holds no self-references, so it is `Unpin` and can be
        // changed in place through the `Pin`.
        let this = &mut *self;
        match this {
            // None left: the last step finishes the future.
            Countdown::Counting { remaining: 0, said } => {
                said.push("liftoff".to_string());
                let said = std::mem::take(said);
                *this = Countdown::Done;
                Poll::Ready(said)
            }
            // One number per poll. Nobody else will wake us, so wake ourselves
            // before returning `Pending`, or the executor never polls again.
            Countdown::Counting { remaining, said } => {
                said.push(remaining.to_string());
                *remaining -= 1;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Countdown::Done => panic!("`Countdown` polled after it completed"),
        }
    }
}
