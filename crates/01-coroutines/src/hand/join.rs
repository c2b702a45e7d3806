//! A join: one future that drives several and finishes when all have.
//!
//! # Examples
//!
//! A future made by an `async fn` is not `Unpin`; `Box::pin` makes one that is.
//!
//! ```
//! use std::time::Duration;
//! use coroutines::hand::{block_on, greet_async, join_all};
//!
//! let greeters =
//!     ["Ada", "Grace"].map(|name| Box::pin(greet_async(name, Duration::ZERO)));
//! block_on(join_all(greeters));
//! ```
//!
//! Without `Box::pin`, the join does not compile:
//!
//! ```compile_fail,E0277
//! use std::time::Duration;
//! use coroutines::hand::{block_on, greet_async, join_all};
//!
//! let greeters = ["Ada", "Grace"].map(|name| greet_async(name, Duration::ZERO));
//! block_on(join_all(greeters));
//! ```

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: join
/// Drives every future until all are done; outputs come in input order,
/// whatever order the futures finish in.
#[must_use = "futures do nothing unless you .await or poll them"]
pub struct JoinAll<F: Future> {
    slots: Vec<Slot<F>>,
}

enum Slot<F: Future> {
    Running(F),
    Finished(Option<F::Output>),
}

/// Joins the futures: polling the result polls each unfinished one in turn.
///
/// Shortcut: the futures must be `Unpin` so that they can move into a `Vec`
/// and be polled there through `Pin::new`; wrap an `async fn` future in
/// `Box::pin` first. `futures::future::join_all` pins its futures itself (in
/// one `Pin<Box<[_]>>`) and `tokio::join!` pins them in its own future, so
/// both accept any future.
pub fn join_all<F>(futures: impl IntoIterator<Item = F>) -> JoinAll<F>
where
    F: Future + Unpin,
{
    JoinAll {
        slots: futures.into_iter().map(Slot::Running).collect(),
    }
}

// The join never pins its slots (it only polls `Unpin` futures), so moving
// it is fine even when the outputs are not `Unpin`.
impl<F: Future> Unpin for JoinAll<F> {}

impl<F: Future + Unpin> Future for JoinAll<F> {
    type Output = Vec<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut all_done = true;
        for slot in &mut self.slots {
            if let Slot::Running(future) = slot {
                // Every child gets the same waker: whichever is ready wakes
                // the join, which then polls the children again.
                match Pin::new(future).poll(cx) {
                    Poll::Ready(output) => *slot = Slot::Finished(Some(output)),
                    Poll::Pending => all_done = false,
                }
            }
        }
        if !all_done {
            return Poll::Pending;
        }
        let outputs = self.slots.iter_mut().map(|slot| match slot {
            Slot::Finished(output) => output.take().expect("taken once"),
            Slot::Running(_) => unreachable!("all futures are finished"),
        });
        Poll::Ready(outputs.collect())
    }
}
// ANCHOR_END: join

impl<F: Future> std::fmt::Debug for JoinAll<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let running = self
            .slots
            .iter()
            .filter(|s| matches!(s, Slot::Running(_)))
            .count();
        f.debug_struct("JoinAll")
            .field("futures", &self.slots.len())
            .field("running", &running)
            .finish()
    }
}
