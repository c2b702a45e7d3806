//! Chapter 2 exercise: `yield_now`, a future that steps aside once.
//!
//! A task that has a lot to do can let the others run by awaiting
//! `yield_now()`: the future is pending on its first poll, and ready on the
//! next. Between the two, the executor runs whatever else is ready.
//!
//! Check your work with `cargo test -p ch2-yield-now`.
#![forbid(unsafe_code)]
// Quiets the warning for `yielded`, which only your code will read; delete it
// once your code reads it.
#![allow(dead_code)]

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

    // Quiets the warnings for what the `todo!()` leaves unused; delete it once
    // your code uses them.
    #[allow(unused_variables, unused_mut)]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // TODO: on the first poll, note that it happened and return `Pending`;
        // on the next one, return `Ready(())`. An executor polls a pending
        // future again only after a wake, and nothing else will wake this one:
        // arrange that yourself before returning `Pending`.
        todo!()
    }
}
