//! `as_completed`: outputs in the order they finish, as a `Stream`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;

// ANCHOR: as_completed
/// Each future's output as it finishes, first done first, with its index in
/// the input (asyncio's `as_completed`, an async iterator since 3.13).
///
/// A stream does nothing between polls: while the caller is busy with one
/// output, the others are not polled (tasks would run on).
///
/// # Examples
///
/// ```
/// use futures::StreamExt;
/// use gather_wait::hand::as_completed;
///
/// let ready = [std::future::ready(1), std::future::ready(2)];
/// let outputs: Vec<_> = event_loop::hand::block_on(as_completed(ready).collect());
/// assert_eq!(outputs, [(0, 1), (1, 2)]);
/// ```
pub fn as_completed<I>(futures: I) -> AsCompleted<I::Item>
where
    I: IntoIterator,
    I::Item: Future,
{
    let pending = futures.into_iter().map(Box::pin).enumerate().collect();
    AsCompleted { pending }
}

/// The stream of [`as_completed`].
#[derive(Debug)]
#[must_use = "streams do nothing unless polled"]
pub struct AsCompleted<F> {
    pending: Vec<(usize, Pin<Box<F>>)>,
}

impl<F: Future> Stream for AsCompleted<F> {
    type Item = (usize, F::Output);

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Self::Item>> {
        if self.pending.is_empty() {
            return Poll::Ready(None);
        }
        for at in 0..self.pending.len() {
            let (index, future) = &mut self.pending[at];
            if let Poll::Ready(output) = future.as_mut().poll(cx) {
                let index = *index;
                self.pending.remove(at); // keeps the rest in input order
                return Poll::Ready(Some((index, output)));
            }
        }
        Poll::Pending
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.pending.len(), Some(self.pending.len()))
    }
}
// ANCHOR_END: as_completed
