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
// Quiets the warning for the parameter the `todo!()` leaves unused; delete it
// once your code uses it.
#[allow(unused_variables)]
pub fn countdown(from: u32) -> Countdown {
    // TODO: return the first state: counting, with `from` numbers still to say
    // and nothing said yet.
    todo!()
}

impl Future for Countdown {
    type Output = Vec<String>;

    // Quiets the warnings for parameters the `todo!()` leaves unused; delete it
    // once your code uses them.
    #[allow(unused_variables)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<String>> {
        // TODO: one step per poll.
        // - While numbers remain: push the next one onto `said`, count down,
        //   make sure the countdown will be polled again, return `Pending`.
        // - When none remain: push "liftoff", switch to `Done`, and return
        //   `Ready` with everything said.
        // - Polled when `Done`: panic, with a message that contains
        //   "polled after it completed".
        todo!()
    }
}
