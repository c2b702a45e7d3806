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

    // The parameters are unused until you write the body.
    #[allow(unused_variables)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<String>> {
        // TODO: one step per poll. While numbers remain, push the next one onto
        // `said`, count down, make sure the countdown will be polled again, and
        // return `Poll::Pending`. When none remain, push "liftoff", switch to
        // `Done` and return `Poll::Ready` with everything said. Polled when
        // `Done`, panic with a message containing "polled after it completed".
        todo!()
    }
}
