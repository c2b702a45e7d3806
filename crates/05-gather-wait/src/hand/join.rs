//! `join_all`, `try_join_all` and `gather`: many futures, results in the
//! order given.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

use event_loop::hand::{JoinError, JoinHandle, spawn};

// ANCHOR: join_all
/// One input of a join: still running, or done with its output.
enum Slot<F: Future> {
    Running(Pin<Box<F>>),
    Done(F::Output),
    Taken,
}

/// Waits for every future and gives their outputs in the order given
/// (asyncio's `gather`, without the tasks).
///
/// It takes anything `IntoFuture`, `async fn` calls included, and pins each
/// on the heap itself: an `async fn`'s future may point into itself once
/// polled, so it must never move again, and a `Box` keeps it in one place
/// while the `Vec` and the `JoinAll` around it move freely.
///
/// # Examples
///
/// ```
/// use gather_wait::hand::join_all;
///
/// async fn double(n: u32) -> u32 {
///     n * 2
/// }
/// let doubled = event_loop::hand::block_on(join_all([1, 2, 3].map(double)));
/// assert_eq!(doubled, [2, 4, 6]);
/// ```
pub fn join_all<I>(futures: I) -> JoinAll<<I::Item as IntoFuture>::IntoFuture>
where
    I: IntoIterator,
    I::Item: IntoFuture,
{
    let slots = futures
        .into_iter()
        .map(|future| Slot::Running(Box::pin(future.into_future())));
    JoinAll {
        slots: slots.collect(),
    }
}

/// The future of [`join_all`].
#[must_use = "futures do nothing unless you .await or poll them"]
pub struct JoinAll<F: Future> {
    slots: Vec<Slot<F>>,
}

impl<F: Future> Unpin for JoinAll<F> {} // every input is boxed

impl<F: Future> Future for JoinAll<F> {
    type Output = Vec<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<F::Output>> {
        let mut all_done = true;
        for slot in &mut self.slots {
            if let Slot::Running(future) = slot {
                match future.as_mut().poll(cx) {
                    Poll::Ready(output) => *slot = Slot::Done(output),
                    Poll::Pending => all_done = false,
                }
            }
        }
        if !all_done {
            // Every input shares our waker: any wake polls them all again.
            // futures' join_all does so for a few inputs and switches to
            // FuturesOrdered (a waker per input) above 30.
            return Poll::Pending;
        }
        let slots = std::mem::take(&mut self.slots).into_iter();
        Poll::Ready(slots.map(Slot::into_output).collect())
    }
}

impl<F: Future> Slot<F> {
    fn into_output(self) -> F::Output {
        match self {
            Slot::Done(output) => output,
            _ => unreachable!("every slot is done before the outputs are taken"),
        }
    }
}
// ANCHOR_END: join_all

// ANCHOR: try_join_all
/// Like [`join_all`] for futures that can fail: the first `Err` ends the
/// wait, and dropping the `TryJoinAll` drops (cancels) the others. asyncio's
/// `gather` leaves the others running instead.
pub fn try_join_all<I, T, E>(
    futures: I,
) -> TryJoinAll<<I::Item as IntoFuture>::IntoFuture>
where
    I: IntoIterator,
    I::Item: IntoFuture<Output = Result<T, E>>,
{
    TryJoinAll {
        inner: join_all(futures),
    }
}

/// The future of [`try_join_all`].
#[must_use = "futures do nothing unless you .await or poll them"]
pub struct TryJoinAll<F: Future> {
    inner: JoinAll<F>,
}

impl<F, T, E> Future for TryJoinAll<F>
where
    F: Future<Output = Result<T, E>>,
{
    type Output = Result<Vec<T>, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut all_done = true;
        for slot in &mut self.inner.slots {
            if let Slot::Running(future) = slot {
                match future.as_mut().poll(cx) {
                    Poll::Ready(Err(error)) => {
                        *slot = Slot::Taken;
                        return Poll::Ready(Err(error)); // the rest: dropped with us
                    }
                    Poll::Ready(output) => *slot = Slot::Done(output),
                    Poll::Pending => all_done = false,
                }
            }
        }
        if !all_done {
            return Poll::Pending;
        }
        let slots = std::mem::take(&mut self.inner.slots).into_iter();
        Poll::Ready(slots.map(Slot::into_output).collect())
    }
}
// ANCHOR_END: try_join_all

// ANCHOR: gather
/// asyncio's `gather`: every future becomes a task at once, scheduled
/// before the gather is even awaited; awaiting it collects the outputs in
/// the order given. A task's panic comes back as its `Err(JoinError)`, as
/// `return_exceptions=True` would hand back its exception.
///
/// Dropping the gather drops the handles, which detaches the tasks: they
/// run on (asyncio's gather, cancelled, cancels them).
pub fn gather<I>(futures: I) -> JoinAll<JoinHandle<<I::Item as Future>::Output>>
where
    I: IntoIterator,
    I::Item: Future + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(spawn).collect();
    join_all(handles)
}
// ANCHOR_END: gather

/// The outputs of a [`gather`], each its task's output or its `JoinError`.
pub type Gathered<T> = Vec<Result<T, JoinError>>;

impl<F: Future> fmt::Debug for JoinAll<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let running = self
            .slots
            .iter()
            .filter(|slot| matches!(slot, Slot::Running(_)));
        f.debug_struct("JoinAll")
            .field("inputs", &self.slots.len())
            .field("running", &running.count())
            .finish()
    }
}

impl<F: Future> fmt::Debug for TryJoinAll<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TryJoinAll").field(&self.inner).finish()
    }
}
