//! Chapter 5 exercise (optional): give a `TaskGroup` asyncio's
//! cancel-on-error.
//!
//! asyncio's `TaskGroup` (3.11) waits for every member at the end of its
//! `async with` block; at the first failure it cancels the other members,
//! still waits for all of them to end, and then raises every failure
//! together in an `ExceptionGroup`. This group, on chapter 4's loop, waits
//! and collects, but cancels no one: a failure leaves the others running to
//! the end.
//!
//! Run the checks with `cargo test -p ch5-task-group`.
#![forbid(unsafe_code)]

use std::future::Future;

use event_loop::hand::{JoinHandle, spawn};
use futures::StreamExt;
use futures::stream::FuturesUnordered;

/// Every failure of a group, each with the member's index in spawn order,
/// and how many members the group cancelled.
#[derive(Debug, PartialEq, Eq)]
pub struct GroupError<E> {
    /// The errors, in the order the members ended.
    pub failures: Vec<(usize, E)>,
    /// How many members were cancelled after the first failure.
    pub cancelled: usize,
}

/// Tasks that stand or fall together.
#[derive(Debug)]
pub struct TaskGroup<T, E> {
    members: Vec<JoinHandle<Result<T, E>>>,
}

impl<T: 'static, E: 'static> TaskGroup<T, E> {
    /// An empty group.
    pub fn new() -> TaskGroup<T, E> {
        TaskGroup {
            members: Vec::new(),
        }
    }

    /// Starts `work` as a member task (asyncio's `tg.create_task`).
    pub fn spawn(&mut self, work: impl Future<Output = Result<T, E>> + 'static) {
        self.members.push(spawn(work));
    }

    /// Waits for every member. All succeeded: their outputs in spawn order.
    /// Otherwise every failure, once every member has ended.
    ///
    /// # Panics
    ///
    /// If a member panicked: its panic is resumed here.
    pub async fn join(self) -> Result<Vec<T>, GroupError<E>> {
        let aborts: Vec<_> =
            self.members.iter().map(JoinHandle::abort_handle).collect();
        let mut outputs: Vec<Option<T>> = self.members.iter().map(|_| None).collect();
        let mut failures = Vec::new();
        let mut cancelled = 0;
        // Each member's handle, with its index, in the order they end.
        let mut ended: FuturesUnordered<_> = self
            .members
            .into_iter()
            .enumerate()
            .map(|(index, handle)| async move { (index, handle.await) })
            .collect();
        while let Some((index, outcome)) = ended.next().await {
            match outcome {
                Ok(Ok(output)) => outputs[index] = Some(output),
                Ok(Err(error)) => {
                    // TODO: at the first failure, abort every other member
                    // (`aborts` holds an `AbortHandle` for each; aborting
                    // one that has ended does nothing).
                    let _ = &aborts;
                    failures.push((index, error));
                }
                Err(error) if error.is_cancelled() => cancelled += 1,
                Err(error) => std::panic::resume_unwind(error.into_panic()),
            }
        }
        if failures.is_empty() {
            Ok(outputs.into_iter().flatten().collect())
        } else {
            Err(GroupError {
                failures,
                cancelled,
            })
        }
    }
}

impl<T: 'static, E: 'static> Default for TaskGroup<T, E> {
    fn default() -> TaskGroup<T, E> {
        TaskGroup::new()
    }
}
