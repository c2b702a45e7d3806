//! Chapter 1 exercise: a countdown written by hand as a state machine.
//!
//! `countdown(3)` is a future that says "3", "2", "1", one number per poll,
//! returning `Pending` after each, and then "liftoff", when it is ready with
//! everything it said. This is what the compiler builds for an `async fn`; here
//! you write it yourself.
//!
//! Check your work with `cargo test -p ch1-countdown`.
#![forbid(unsafe_code)]

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

/// Creates a countdown from `from`. Like calling an `async fn`, this only builds
/// the state machine: nothing is said until the first poll.
pub fn countdown(from: u32) -> Countdown {
    // Only the starting state: saying "3" here would make the future eager.
    Countdown::Counting {
        remaining: from,
        said: Vec::new(),
    }
}

impl Future for Countdown {
    type Output = Vec<String>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<String>> {
        // `Countdown` holds no references into itself, so it is `Unpin` and the
        // `Pin` hands out a plain `&mut` to match on and overwrite.
        let this = self.get_mut();
        match this {
            // None left: this step finishes. Take `said` out before replacing
            // the state, since `Done` has nowhere to keep it.
            Countdown::Counting { remaining: 0, said } => {
                said.push("liftoff".to_string());
                let said = std::mem::take(said);
                *this = Countdown::Done;
                Poll::Ready(said)
            }
            // One number per poll. Nothing else will wake this future, so it
            // wakes itself before `Pending`: without the wake, the executor
            // would never poll it again.
            Countdown::Counting { remaining, said } => {
                said.push(remaining.to_string());
                *remaining -= 1;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            // Like the futures `async fn` makes, refuse to run twice.
            Countdown::Done => panic!("`Countdown` polled after it completed"),
        }
    }
}
