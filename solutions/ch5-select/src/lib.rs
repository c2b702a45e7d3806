//! Chapter 5 exercise: write `select` for two futures.
//!
//! `select(left, right)` is a future that polls both and finishes with the
//! output of whichever finishes first, as `Either::Left` or
//! `Either::Right`. The other one, the loser, is dropped as soon as the
//! winner is known: in Rust, that drop *is* the cancellation, so its
//! destructors must run before `select` returns.
//!
//! Run the checks with `cargo test -p ch5-select`.
#![forbid(unsafe_code)]

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Which of two futures finished first, with its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Either<A, B> {
    /// The first future won.
    Left(A),
    /// The second future won.
    Right(B),
}

/// Waits for the first of two futures; the other is dropped as soon as one
/// wins. When both are ready in the same poll, `left` wins.
pub fn select<A: Future, B: Future>(left: A, right: B) -> Select<A, B> {
    Select {
        racers: Some((Box::pin(left), Box::pin(right))),
    }
}

/// The two futures of a [`Select`], each pinned in a box of its own, so
/// that `Select` can move freely (it is `Unpin`).
type Racers<A, B> = (Pin<Box<A>>, Pin<Box<B>>);

/// The future of [`select`]. `racers` is `None` once a winner is known.
#[derive(Debug)]
#[must_use = "futures do nothing unless you .await or poll them"]
pub struct Select<A, B> {
    racers: Option<Racers<A, B>>,
}

impl<A: Future, B: Future> Future for Select<A, B> {
    type Output = Either<A::Output, B::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let (left, right) = self.racers.as_mut().expect("polled after it finished");
        // Solved: the left first, so that it wins a tie.
        let winner = if let Poll::Ready(output) = left.as_mut().poll(cx) {
            Either::Left(output)
        } else if let Poll::Ready(output) = right.as_mut().poll(cx) {
            Either::Right(output)
        } else {
            return Poll::Pending; // both hold our waker
        };
        // Solved: the loser is dropped here, before select returns.
        self.racers = None;
        Poll::Ready(winner)
    }
}
