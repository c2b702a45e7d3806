//! `select` of two futures and `select_all` of many: the first to finish
//! wins, and the others are dropped, which in Rust is what cancelling is.

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

// ANCHOR: select
/// Waits for the first of two futures; the other is dropped as soon as one
/// wins. Always polls `left` first (tokio's `select!` picks a random branch
/// first unless told `biased;`).
///
/// # Examples
///
/// ```
/// use gather_wait::hand::{Either, select};
///
/// let winner = event_loop::hand::block_on(select(
///     std::future::ready("left"),
///     std::future::pending::<()>(),
/// ));
/// assert_eq!(winner, Either::Left("left"));
/// ```
pub fn select<A: Future, B: Future>(left: A, right: B) -> Select<A, B> {
    Select {
        racers: Some((Box::pin(left), Box::pin(right))),
    }
}

/// The two futures of a [`Select`], each pinned in a box of its own.
type Racers<A, B> = (Pin<Box<A>>, Pin<Box<B>>);

/// The future of [`select`].
#[derive(Debug)]
#[must_use = "futures do nothing unless you .await or poll them"]
pub struct Select<A, B> {
    racers: Option<Racers<A, B>>,
}

impl<A: Future, B: Future> Future for Select<A, B> {
    type Output = Either<A::Output, B::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let (left, right) = self.racers.as_mut().expect("polled after it finished");
        let winner = if let Poll::Ready(output) = left.as_mut().poll(cx) {
            Either::Left(output)
        } else if let Poll::Ready(output) = right.as_mut().poll(cx) {
            Either::Right(output)
        } else {
            return Poll::Pending; // both hold our waker
        };
        self.racers = None; // the loser is dropped here: cancelled
        Poll::Ready(winner)
    }
}
// ANCHOR_END: select

/// Waits for the first of many futures and gives its output and its index;
/// the rest are dropped when it wins.
///
/// # Panics
///
/// When polled with no futures at all: none could ever win.
pub fn select_all<I>(futures: I) -> SelectAll<I::Item>
where
    I: IntoIterator,
    I::Item: Future,
{
    let racers = futures.into_iter().map(Box::pin).collect();
    SelectAll { racers }
}

/// The future of [`select_all`].
#[derive(Debug)]
#[must_use = "futures do nothing unless you .await or poll them"]
pub struct SelectAll<F> {
    racers: Vec<Pin<Box<F>>>,
}

impl<F: Future> Future for SelectAll<F> {
    type Output = (F::Output, usize);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        assert!(
            !self.racers.is_empty(),
            "select_all of no futures, or polled after it finished"
        );
        for (index, racer) in self.racers.iter_mut().enumerate() {
            if let Poll::Ready(output) = racer.as_mut().poll(cx) {
                self.racers.clear(); // the losers are dropped here
                return Poll::Ready((output, index));
            }
        }
        Poll::Pending
    }
}
