//! The lateness workload's knobs and its summary.
//!
//! A timer that should fire at 10 ms and fires at 10.2 ms is 0.2 ms late.
//! When a task makes a blocking call, a single-threaded loop cannot run
//! anything else, timers included, until it returns: every timer due in the
//! meantime fires late by about the length of the call. Offloading the call
//! to a thread (asyncio's `to_thread`, tokio's `spawn_blocking`) keeps the
//! loop free, and the timers on time.
//!
//! The blocking task is spawned before the sleepers, and each sleeper's
//! deadline is fixed when it is spawned. On a single-threaded loop, which
//! runs tasks in the order they were spawned, the blocking call therefore
//! starts before any sleeper can wake: each one is late by at least the
//! length of the call less its sleep, however loaded the machine.

use std::fmt;
use std::time::Duration;

/// What the one other task does while the sleepers sleep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocking {
    /// No other task: how late timers are on an idle loop.
    Nothing,
    /// A task calls `std::thread::sleep` itself, blocking its thread.
    Inline,
    /// A task hands the `std::thread::sleep` to another thread and awaits it.
    Offloaded,
}

impl Blocking {
    /// Every variant, in the order the report shows them.
    pub const ALL: [Blocking; 3] =
        [Blocking::Nothing, Blocking::Inline, Blocking::Offloaded];

    /// A few words for the report's tables.
    pub fn describe(self) -> &'static str {
        match self {
            Blocking::Nothing => "nothing blocks",
            Blocking::Inline => "one task blocks inline",
            Blocking::Offloaded => "the blocking call offloaded",
        }
    }
}

/// The median and the maximum of a run's latenesses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lateness {
    /// How many sleepers reported.
    pub samples: usize,
    /// Half the sleepers woke later than this, half earlier.
    pub median: Duration,
    /// The latest of all.
    pub max: Duration,
}

impl Lateness {
    /// Summarises `samples`; `None` when there are none, since an empty run
    /// has no median.
    pub fn of(samples: &[Duration]) -> Option<Lateness> {
        let mut sorted = samples.to_vec();
        sorted.sort_unstable();
        let max = *sorted.last()?;
        let middle = sorted.len() / 2;
        let median = if sorted.len() % 2 == 0 {
            (sorted[middle - 1] + sorted[middle]) / 2
        } else {
            sorted[middle]
        };
        Some(Lateness {
            samples: sorted.len(),
            median,
            max,
        })
    }
}

impl fmt::Display for Lateness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "median {:.3} ms, max {:.3} ms ({} timers)",
            self.median.as_secs_f64() * 1e3,
            self.max.as_secs_f64() * 1e3,
            self.samples
        )
    }
}
