//! A `TaskGroup` with asyncio's semantics (3.11): the first failure cancels
//! the other members, the group waits for every member, and every error is
//! reported together.

use std::fmt;
use std::future::Future;

use event_loop::hand::{AbortHandle, JoinError, JoinHandle, spawn};
use futures::StreamExt;

use super::as_completed;

/// How one member of a group failed.
#[derive(Debug)]
pub enum Failure<E> {
    /// It returned this error.
    Error(E),
    /// It panicked, with this message.
    Panic(String),
}

/// Every failure of a group, each with the member's index in spawn order:
/// asyncio's `ExceptionGroup`. Members cancelled by the group are not in
/// it, as asyncio leaves their `CancelledError`s out.
#[derive(Debug)]
pub struct GroupError<E> {
    /// The failures, in the order the members ended.
    pub failures: Vec<(usize, Failure<E>)>,
    /// How many members the group cancelled after the first failure.
    pub cancelled: usize,
}

impl<E: fmt::Display> fmt::Display for GroupError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed (", self.failures.len())?;
        for (n, (index, failure)) in self.failures.iter().enumerate() {
            let gap = if n == 0 { "" } else { "; " };
            match failure {
                Failure::Error(error) => write!(f, "{gap}#{index}: {error}")?,
                Failure::Panic(message) => {
                    write!(f, "{gap}#{index} panicked: {message}")?
                }
            }
        }
        write!(f, "), {} cancelled", self.cancelled)
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for GroupError<E> {}

// ANCHOR: task_group
/// Tasks that stand or fall together, on chapter 4's loop.
///
/// Rust has no `async with`: where asyncio waits at the end of the block,
/// here [`join`](TaskGroup::join) must be awaited. A group dropped without
/// it aborts its members, so none outlives its group (tokio's `JoinSet`
/// does the same when dropped).
///
/// # Examples
///
/// ```
/// use gather_wait::hand::TaskGroup;
///
/// let outcome = event_loop::hand::block_on(async {
///     let mut group = TaskGroup::new();
///     group.spawn(async { Ok::<_, String>(1) });
///     group.spawn(async { Err("no".to_string()) });
///     group.join().await
/// });
/// assert_eq!(outcome.unwrap_err().failures.len(), 1);
/// ```
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
    /// Otherwise, at the first failure the others are aborted, and once
    /// every member has ended, every failure comes back.
    pub async fn join(mut self) -> Result<Vec<T>, GroupError<E>> {
        let members = std::mem::take(&mut self.members);
        // Aborts the members if this future is dropped before they end.
        let aborts =
            AbortOnDrop(members.iter().map(JoinHandle::abort_handle).collect());
        let mut outputs: Vec<Option<T>> = members.iter().map(|_| None).collect();
        let mut failures = Vec::new();
        let mut cancelled = 0;
        let mut ended = as_completed(members);
        while let Some((index, outcome)) = ended.next().await {
            let failure = match outcome {
                Ok(Ok(output)) => {
                    outputs[index] = Some(output);
                    continue;
                }
                Err(error) if error.is_cancelled() => {
                    cancelled += 1;
                    continue;
                }
                Ok(Err(error)) => Failure::Error(error),
                Err(error) => Failure::Panic(panic_text(error)),
            };
            if failures.is_empty() {
                aborts.abort_all(); // the rest
            }
            failures.push((index, failure));
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
// ANCHOR_END: task_group

impl<T: 'static, E: 'static> Default for TaskGroup<T, E> {
    fn default() -> TaskGroup<T, E> {
        TaskGroup::new()
    }
}

impl<T, E> Drop for TaskGroup<T, E> {
    fn drop(&mut self) {
        for member in &self.members {
            member.abort(); // never joined: no member outlives the group
        }
    }
}

fn panic_text(error: JoinError) -> String {
    error
        .panic_message()
        .unwrap_or_else(|| "a panic whose value is not a message".to_string())
}

/// Aborts every member when dropped: a `join` cancelled halfway (by a
/// timeout, say) takes its members with it. Aborting a task that has ended
/// changes nothing, so a `join` that finishes drops it harmlessly.
struct AbortOnDrop(Vec<AbortHandle>);

impl AbortOnDrop {
    fn abort_all(&self) {
        self.0.iter().for_each(AbortHandle::abort);
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.abort_all();
    }
}
