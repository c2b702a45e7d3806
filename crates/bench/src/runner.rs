//! The runtimes under test, and one place that runs any workload on any of
//! them.
//!
//! A [`Runner`] is built before anything is timed: building a tokio runtime
//! starts its threads and its drivers, and that is not what a workload
//! measures. The hand-rolled loop is the exception: its `block_on` makes a
//! fresh loop each time (a poller and a few allocations), so that small cost
//! is inside every figure it gets.

use std::fmt;
use std::io;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use crate::{Blocking, Census, hand, with_async_std, with_smol, with_tokio};

/// One of the runtimes the workloads run on. On the report's command line
/// (a `clap` `ValueEnum`) each goes by its [`name`](Runtime::name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Runtime {
    /// Chapter 4's hand-rolled event loop: one thread.
    Hand,
    /// tokio's current-thread runtime: one thread, the yardstick of the
    /// report's ratios, since it is the closest to the hand-rolled loop.
    #[value(name = "tokio-ct")]
    TokioCurrentThread,
    /// tokio's multi-thread runtime, one worker per core.
    #[value(name = "tokio-mt")]
    TokioMultiThread,
    /// async-std: its global executor's threads run the tasks, while
    /// `block_on` runs the main one on the calling thread.
    AsyncStd,
    /// smol: a `LocalExecutor` run by `smol::block_on` on the calling thread.
    Smol,
}

impl Runtime {
    /// Every runtime, in the order the report shows them.
    pub const ALL: [Runtime; 5] = [
        Runtime::Hand,
        Runtime::TokioCurrentThread,
        Runtime::TokioMultiThread,
        Runtime::AsyncStd,
        Runtime::Smol,
    ];

    /// The short name benchmarks and results files use (`tokio-ct`).
    pub fn name(self) -> &'static str {
        match self {
            Runtime::Hand => "hand",
            Runtime::TokioCurrentThread => "tokio-ct",
            Runtime::TokioMultiThread => "tokio-mt",
            Runtime::AsyncStd => "async-std",
            Runtime::Smol => "smol",
        }
    }

    /// The name a reader knows it by, for the report's tables.
    pub fn describe(self) -> &'static str {
        match self {
            Runtime::Hand => "hand-rolled loop",
            Runtime::TokioCurrentThread => "tokio current-thread",
            Runtime::TokioMultiThread => "tokio multi-thread",
            Runtime::AsyncStd => "async-std",
            Runtime::Smol => "smol (local executor)",
        }
    }
}

impl fmt::Display for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A runtime name that is not one of [`Runtime::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRuntime(pub String);

impl fmt::Display for UnknownRuntime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Runtime::ALL.iter().map(|r| r.name()).collect();
        write!(
            f,
            "unknown runtime {:?}: expected one of {}",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownRuntime {}

impl FromStr for Runtime {
    type Err = UnknownRuntime;

    fn from_str(name: &str) -> Result<Runtime, UnknownRuntime> {
        Runtime::ALL
            .into_iter()
            .find(|runtime| runtime.name() == name)
            .ok_or_else(|| UnknownRuntime(name.to_string()))
    }
}

/// A runtime, built and ready to run workloads.
pub enum Runner {
    /// Nothing to build: each workload gets a fresh loop.
    Hand,
    /// A tokio current-thread runtime, with timers and I/O enabled.
    TokioCurrentThread(tokio::runtime::Runtime),
    /// A tokio multi-thread runtime, with timers and I/O enabled.
    TokioMultiThread(tokio::runtime::Runtime),
    /// Nothing to build: async-std starts its global executor on first use.
    AsyncStd,
    /// smol's local executor.
    Smol(with_smol::Local),
}

impl Runner {
    /// Builds `runtime`.
    pub fn new(runtime: Runtime) -> io::Result<Runner> {
        Ok(match runtime {
            Runtime::Hand => Runner::Hand,
            Runtime::TokioCurrentThread => {
                Runner::TokioCurrentThread(with_tokio::current_thread()?)
            }
            Runtime::TokioMultiThread => {
                Runner::TokioMultiThread(with_tokio::multi_thread()?)
            }
            Runtime::AsyncStd => Runner::AsyncStd,
            Runtime::Smol => Runner::Smol(with_smol::local()),
        })
    }

    /// Every runtime that could be built, in [`Runtime::ALL`]'s order; one
    /// that could not is reported on stderr and left out.
    pub fn all() -> Vec<Runner> {
        Runtime::ALL
            .into_iter()
            .filter_map(|runtime| match Runner::new(runtime) {
                Ok(runner) => Some(runner),
                Err(error) => {
                    eprintln!("skipping {runtime}: could not build it: {error}");
                    None
                }
            })
            .collect()
    }

    /// Which runtime this is.
    pub fn runtime(&self) -> Runtime {
        match self {
            Runner::Hand => Runtime::Hand,
            Runner::TokioCurrentThread(_) => Runtime::TokioCurrentThread,
            Runner::TokioMultiThread(_) => Runtime::TokioMultiThread,
            Runner::AsyncStd => Runtime::AsyncStd,
            Runner::Smol(_) => Runtime::Smol,
        }
    }

    /// Spawn workload: spawns `tasks` trivial tasks, each returning its own
    /// number, then awaits every handle. Returns how many handles gave back
    /// the right number.
    pub fn spawn_and_join(&self, tasks: usize) -> usize {
        match self {
            Runner::Hand => event_loop::hand::block_on(hand::spawn_and_join(tasks)),
            Runner::TokioCurrentThread(rt) | Runner::TokioMultiThread(rt) => {
                rt.block_on(with_tokio::spawn_and_join(tasks))
            }
            Runner::AsyncStd => {
                async_std::task::block_on(with_async_std::spawn_and_join(tasks))
            }
            Runner::Smol(ex) => {
                smol::block_on(ex.run(with_smol::spawn_and_join(ex, tasks)))
            }
        }
    }

    /// Sleep workload: `census`'s sleepers, one task each, all sleep for
    /// `duration` at once. Returns how many woke.
    pub fn sleep_all(
        &self,
        census: &Arc<Census>,
        sleepers: usize,
        duration: Duration,
    ) -> usize {
        let census = Arc::clone(census);
        match self {
            Runner::Hand => {
                event_loop::hand::block_on(hand::sleep_all(census, sleepers, duration))
            }
            Runner::TokioCurrentThread(rt) | Runner::TokioMultiThread(rt) => {
                rt.block_on(with_tokio::sleep_all(census, sleepers, duration))
            }
            Runner::AsyncStd => async_std::task::block_on(with_async_std::sleep_all(
                census, sleepers, duration,
            )),
            Runner::Smol(ex) => smol::block_on(
                ex.run(with_smol::sleep_all(ex, census, sleepers, duration)),
            ),
        }
    }

    /// Ping-pong workload: two tasks pass `messages` messages (half each
    /// way) over two channels of one slot. Returns how many arrived.
    pub fn ping_pong(&self, messages: usize) -> usize {
        match self {
            Runner::Hand => event_loop::hand::block_on(hand::ping_pong(messages)),
            Runner::TokioCurrentThread(rt) | Runner::TokioMultiThread(rt) => {
                rt.block_on(with_tokio::ping_pong(messages))
            }
            Runner::AsyncStd => {
                async_std::task::block_on(with_async_std::ping_pong(messages))
            }
            Runner::Smol(ex) => {
                smol::block_on(ex.run(with_smol::ping_pong(ex, messages)))
            }
        }
    }

    /// Echo workload: `clients` loopback TCP clients, each making `rounds`
    /// round trips of [`MESSAGE_BYTES`](crate::MESSAGE_BYTES) bytes to a
    /// server that runs one task per connection. Returns how many bytes came
    /// back exactly as sent.
    ///
    /// Each client needs two sockets (its own and the server's end): with a
    /// low limit on open files this fails with "too many open files"; see
    /// [`machine::open_files_limit`](crate::machine::open_files_limit).
    pub fn echo(&self, clients: usize, rounds: usize) -> io::Result<usize> {
        match self {
            Runner::Hand => event_loop::hand::block_on(hand::echo(clients, rounds)),
            Runner::TokioCurrentThread(rt) | Runner::TokioMultiThread(rt) => {
                rt.block_on(with_tokio::echo(clients, rounds))
            }
            Runner::AsyncStd => {
                async_std::task::block_on(with_async_std::echo(clients, rounds))
            }
            Runner::Smol(ex) => {
                smol::block_on(ex.run(with_smol::echo(ex, clients, rounds)))
            }
        }
    }

    /// Lateness workload: `sleepers` tasks sleep for `sleep` while another
    /// task blocks for `block` as `blocking` says. Returns how late each
    /// sleeper woke, in the order they were spawned.
    pub fn lateness(
        &self,
        sleepers: usize,
        sleep: Duration,
        block: Duration,
        blocking: Blocking,
    ) -> Vec<Duration> {
        match self {
            Runner::Hand => event_loop::hand::block_on(hand::lateness(
                sleepers, sleep, block, blocking,
            )),
            Runner::TokioCurrentThread(rt) | Runner::TokioMultiThread(rt) => {
                rt.block_on(with_tokio::lateness(sleepers, sleep, block, blocking))
            }
            Runner::AsyncStd => async_std::task::block_on(with_async_std::lateness(
                sleepers, sleep, block, blocking,
            )),
            Runner::Smol(ex) => smol::block_on(
                ex.run(with_smol::lateness(ex, sleepers, sleep, block, blocking)),
            ),
        }
    }
}

impl fmt::Debug for Runner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Runner").field(&self.runtime()).finish()
    }
}
