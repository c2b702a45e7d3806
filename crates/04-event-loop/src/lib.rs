//! Chapter 4: the event loop. asyncio's loop schedules tasks, runs callbacks,
//! and waits on timers and sockets, all on one thread. This chapter builds
//! one: chapter 3's executor plus a reactor (a timer heap and I/O readiness
//! from the operating system), with asyncio's API on top, a debug mode that
//! names slow tasks, and virtual time for tests. Chapters 5 to 9 run on it.
//!
//! The scene: two countdowns, one from 5 and one from 3, stepping once a
//! second and interleaved, under a loop driven by hand.
//!
//! | module | what it shows |
//! |---|---|
//! | [`hand`] | the event loop: executor, timers, reactor, TCP, debug mode; `std` and `polling` |
//! | [`with_tokio`] | tokio's current-thread and multi-thread runtimes, built by hand |
//! | [`with_async_std`] | async-std's global executor (discontinued: smol succeeds it) |
//! | [`with_smol`] | smol's local executor under `block_on`, and async-io's reactor |
//!
//! Run it with `cargo run -p event-loop` (every runtime in turn), or
//! `cargo run -p event-loop -- --runtime tokio` for one.

use std::collections::BTreeSet;
use std::time::Duration;

pub mod hand;
pub mod with_async_std;
pub mod with_smol;
pub mod with_tokio;

// ANCHOR: scene
/// The two countdowns: a name and the number each counts down from.
pub const COUNTDOWNS: [(&str, u32); 2] = [("A", 5), ("B", 3)];

/// How long each countdown waits between steps in the demo.
pub const STEP: Duration = Duration::from_secs(1);
// ANCHOR_END: scene

/// The name of the thread running this code, as the timeline prints it
/// (`main`, `tokio-worker-1`, `async-std/runtime`…).
pub fn thread_name() -> String {
    std::thread::current()
        .name()
        .unwrap_or("unnamed")
        .to_string()
}

/// Which threads one run of the scene used: the thread that started it, and
/// the threads that ran the countdowns' steps. Each countdown notes
/// [`thread_name`] before every step, so this is measured, not assumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RanOn {
    /// The thread that called the run function and waited for the scene.
    pub caller: String,
    /// Every thread that ran a step of a countdown, once each, in name order.
    pub steps: BTreeSet<String>,
}

impl RanOn {
    /// Gathers what the countdowns noted, step by step, for a run started on
    /// this thread.
    pub fn here(countdowns: impl IntoIterator<Item = Vec<String>>) -> RanOn {
        RanOn {
            caller: thread_name(),
            steps: countdowns.into_iter().flatten().collect(),
        }
    }

    /// True when every step ran on the thread that started the run.
    pub fn only_on_caller(&self) -> bool {
        self.steps.iter().all(|thread| *thread == self.caller)
    }

    /// A few words for the comparison table.
    pub fn summary(&self) -> String {
        let caller = &self.caller;
        if self.only_on_caller() {
            return format!("every step on the caller ({caller})");
        }
        let threads: Vec<&str> = self.steps.iter().map(String::as_str).collect();
        let threads = threads.join(", ");
        if self.steps.contains(caller) {
            format!("steps on {threads}, the caller among them")
        } else {
            format!("steps on {threads}, none on the caller ({caller})")
        }
    }
}
