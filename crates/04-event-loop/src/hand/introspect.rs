//! Looking inside a running loop: asyncio's `all_tasks()`, and the table
//! that Python 3.14's `python -m asyncio ps` prints. Debug mode uses it to
//! name the tasks still pending when a loop closes.

use std::fmt;
use std::time::Duration;

use super::task::TaskId;

// ANCHOR: task_info
/// One live task, as [`Handle::all_tasks`](super::Handle::all_tasks) sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskInfo {
    pub id: TaskId,
    /// The spawner's name, or `Task-N`.
    pub name: String,
    pub state: TaskState,
    /// How long since it was spawned, on the loop's clock.
    pub age: Duration,
}

/// What a task is doing, as far as the loop can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskState {
    /// In the ready queue: it runs this turn or the next.
    Ready,
    /// Waiting on a timer (a `sleep`).
    Timer,
    /// Waiting on a socket.
    Socket,
    /// Waiting on a timer and a socket, whichever comes first (a read with a
    /// timeout).
    TimerOrSocket,
    /// Waiting on something else: another task, a channel, a lock, a thread.
    Other,
}
// ANCHOR_END: task_info

impl fmt::Display for TaskState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TaskState::Ready => "ready",
            TaskState::Timer => "waiting on a timer",
            TaskState::Socket => "waiting on a socket",
            TaskState::TimerOrSocket => "waiting on a timer or a socket",
            TaskState::Other => "waiting on something else",
        })
    }
}

/// The tasks as a table, one line each, like `python -m asyncio ps`.
pub fn task_table(tasks: &[TaskInfo]) -> String {
    let width = tasks
        .iter()
        .map(|task| task.name.len())
        .chain([4])
        .max()
        .unwrap_or(4);
    let mut table = format!("{:>4}  {:<width$}  {:>8}  state\n", "id", "name", "age");
    for task in tasks {
        table += &format!(
            "{:>4}  {:<width$}  {:>7.3}s  {}\n",
            task.id,
            task.name,
            task.age.as_secs_f64(),
            task.state
        );
    }
    table
}

/// What a task waits on, as far as the loop can tell: noted by a `Sleep` or
/// a socket when it returns `Pending` for the task being polled. The loop
/// turns it into a [`TaskState`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Wait {
    pub(crate) timer: bool,
    pub(crate) socket: bool,
}

impl Wait {
    pub(crate) const TIMER: Wait = Wait {
        timer: true,
        socket: false,
    };
    pub(crate) const SOCKET: Wait = Wait {
        timer: false,
        socket: true,
    };
}
