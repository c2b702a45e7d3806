//! asyncio's `wait`: tasks in, `done` and `pending` out, with three ways to
//! say when to return.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use event_loop::hand::{JoinError, JoinHandle};

/// When [`wait`] returns (asyncio's `return_when`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnWhen {
    /// When every task has ended (`ALL_COMPLETED`).
    AllCompleted,
    /// When any task has ended (`FIRST_COMPLETED`).
    FirstCompleted,
    /// When a task fails, or else when all have ended (`FIRST_EXCEPTION`).
    FirstException,
}

/// What a task ended with: its output, or the `JoinError` of a panic or an
/// abort.
pub type Ended<T, E> = Result<Result<T, E>, JoinError>;

/// What [`wait`] gives back: the ended tasks, each with its index in the
/// input and its outcome, and the handles of those still running. Unlike
/// asyncio's sets, both keep the input's order.
#[derive(Debug)]
pub struct Waited<T, E> {
    /// The tasks that have ended, with their index and outcome.
    pub done: Vec<(usize, Ended<T, E>)>,
    /// The tasks still running, with their index: they run on.
    pub pending: Vec<(usize, JoinHandle<Result<T, E>>)>,
}

// ANCHOR: wait
/// Waits on tasks until `when` says to return. A task fails when it gives
/// `Err` or panics; one that was aborted has not failed, as asyncio does
/// not count a cancelled task for `FIRST_EXCEPTION`. Nothing is cancelled
/// here: the pending handles come back, and dropping them detaches their
/// tasks.
pub fn wait<T, E>(
    tasks: Vec<JoinHandle<Result<T, E>>>,
    when: ReturnWhen,
) -> Wait<T, E> {
    let pending = tasks.into_iter().enumerate().collect();
    Wait {
        when,
        done: Vec::new(),
        pending,
    }
}

/// The future of [`wait`].
#[derive(Debug)]
#[must_use = "futures do nothing unless you .await or poll them"]
pub struct Wait<T, E> {
    when: ReturnWhen,
    done: Vec<(usize, Ended<T, E>)>,
    pending: Vec<(usize, JoinHandle<Result<T, E>>)>,
}

impl<T, E> Unpin for Wait<T, E> {} // join handles are Unpin

impl<T, E> Future for Wait<T, E> {
    type Output = Waited<T, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut still = Vec::new();
        for (index, mut handle) in std::mem::take(&mut self.pending) {
            match Pin::new(&mut handle).poll(cx) {
                Poll::Ready(ended) => {
                    self.done.push((index, ended));
                }
                Poll::Pending => still.push((index, handle)),
            }
        }
        self.pending = still;
        let ready = match self.when {
            _ if self.pending.is_empty() => true,
            ReturnWhen::AllCompleted => false,
            ReturnWhen::FirstCompleted => !self.done.is_empty(),
            ReturnWhen::FirstException => self.failed_before(),
        };
        if !ready {
            return Poll::Pending;
        }
        let mut done = std::mem::take(&mut self.done);
        done.sort_by_key(|(index, _)| *index);
        let pending = std::mem::take(&mut self.pending);
        Poll::Ready(Waited { done, pending })
    }
}
// ANCHOR_END: wait

impl<T, E> Wait<T, E> {
    fn failed_before(&self) -> bool {
        self.done.iter().any(|(_, ended)| failed(ended))
    }
}

/// An `Err`, or a panic; not a cancellation.
fn failed<T, E>(ended: &Ended<T, E>) -> bool {
    match ended {
        Ok(output) => output.is_err(),
        Err(error) => error.is_panic(),
    }
}
