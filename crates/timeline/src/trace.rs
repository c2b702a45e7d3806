//! Tracing a future from outside: for pictures of runtimes that report no
//! polls of their own (tokio's), a wrapper that reports each poll, what it
//! returned, and each wake with who woke it, as `debug` events a detailed
//! [`Recording`](crate::Recording) keeps.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use tracing::debug;

/// A future that reports each poll, what it returned, and each wake:
/// `polled`, `pending`, `ready` and `woken` events with a `future` field
/// (its name), and a `by` field on `woken` (the traced future whose waker was
/// running, the one that had just finished, or `outside`).
#[derive(Debug)]
pub struct Traced<F> {
    name: &'static str,
    outside: &'static str,
    future: Pin<Box<F>>,
}

/// Traces `future` under `name`; a wake from no traced future is said to come
/// from `outside` (a runtime's timer, say).
pub fn traced<F: Future>(
    name: &'static str,
    outside: &'static str,
    future: F,
) -> Traced<F> {
    Traced {
        name,
        outside,
        future: Box::pin(future),
    }
}

thread_local! {
    /// The traced future whose waker is running, if any: who wakes the next.
    static WAKING: Cell<Option<&'static str>> = const { Cell::new(None) };
    /// The traced future that has just finished: a runtime may wake its
    /// handle's waiter right after the poll, outside it (tokio does).
    static FINISHED: Cell<Option<&'static str>> = const { Cell::new(None) };
}

impl<F: Future> Future for Traced<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let name = self.name;
        FINISHED.set(None);
        debug!(future = name, "polled");
        let waker = Waker::from(Arc::new(Tell {
            name,
            outside: self.outside,
            waker: cx.waker().clone(),
        }));
        let poll = self.future.as_mut().poll(&mut Context::from_waker(&waker));
        match poll {
            Poll::Pending => debug!(future = name, "pending"),
            Poll::Ready(_) => {
                debug!(future = name, "ready");
                FINISHED.set(Some(name));
            }
        }
        poll
    }
}

/// The waker a [`Traced`] future hands down: says who was woken, by whom.
struct Tell {
    name: &'static str,
    outside: &'static str,
    waker: Waker,
}

impl Wake for Tell {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let by = WAKING.get().or(FINISHED.get()).unwrap_or(self.outside);
        debug!(future = self.name, by, "woken");
        let outer = WAKING.replace(Some(self.name));
        self.waker.wake_by_ref();
        WAKING.set(outer);
    }
}
