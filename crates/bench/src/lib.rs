//! How fast is the hand-rolled runtime? Five workloads, each run on the
//! hand-rolled event loop of chapter 4, tokio (current-thread and
//! multi-thread), async-std and smol, so the figures sit side by side.
//!
//! A benchmark compares like with like only if the runtime is the one thing
//! that changes. So each workload is written once per runtime, in the same
//! shape, with the same parameters ([`Scale`]); where a piece needs no runtime
//! at all (the channel of the ping-pong, the bytes of the echo, the clock of
//! the lateness test) every runtime shares it.
//!
//! | workload | what it measures |
//! |---|---|
//! | spawn | the cost of a task: spawn 100,000 trivial ones, await every handle |
//! | sleep | 10,000 tasks sleeping 100 ms at once, and 10,000 OS threads doing the same ("why async") |
//! | ping-pong | a task switch: two tasks pass 1,000,000 messages in all, 500,000 each way, over `async_channel::bounded(1)` channels |
//! | echo | I/O: 1,000 loopback TCP clients at once, 100 round trips of 64 bytes each |
//! | lateness | how late 100 timers of 10 ms fire while another task blocks for 200 ms |
//!
//! | module | what it holds |
//! |---|---|
//! | [`hand`], [`with_tokio`], [`with_async_std`], [`with_smol`], [`threads`] | the workloads, one function each |
//! | [`runner`] | [`Runtime`] names a runtime; a [`Runner`] is one built and ready |
//! | [`census`] | counts sleepers, so memory can be read while all of them sleep |
//! | [`lateness`] | what blocks in the lateness workload, and the median and maximum |
//! | [`machine`] | today's date, the CPU, and the process's memory, for the report |
//! | [`estimates`] | reads the figures criterion wrote |
//! | [`syscalls`] | counts the system calls of an echo round trip with `strace` |
//! | [`targets`] | the hand-rolled loop's targets, each a ratio to a peer, met or missed |
//! | [`markdown`] | the tables and number formats of the results files |
//! | [`python`] | runs a chapter's asyncio benchmark and reads its figures |
//! | [`asyncio`] | the same workloads on CPython's asyncio, and on uvloop where it is installed |
//! | [`gather_wait`], [`blocking_offload`], [`locks`], [`chat_server`] | the workloads of chapters 5, 7, 8 and 9, and their appendix sections |
//!
//! Run the benchmarks with `cargo bench -p bench` (a few minutes), then
//! `cargo run --release -p bench --bin report` to write
//! `crates/bench/results/appendix.md` and `why-async.md`; `just bench` does
//! both. `cargo test -p bench` runs every workload, scaled down, as a check.

use std::time::{Duration, Instant};

pub mod asyncio;
pub mod blocking_offload;
pub mod census;
pub mod chat_server;
pub mod estimates;
pub mod gather_wait;
pub mod hand;
pub mod lateness;
pub mod locks;
pub mod machine;
pub mod markdown;
pub mod python;
pub mod runner;
pub mod syscalls;
pub mod targets;
pub mod threads;
pub mod with_async_std;
pub mod with_smol;
pub mod with_tokio;

pub use census::Census;
pub use lateness::{Blocking, Lateness};
pub use runner::{Runner, Runtime};

/// The size of every workload. [`Scale::FULL`] is what the benchmarks run;
/// [`Scale::SMOKE`] is the same work made small enough for a test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    /// Spawn: how many trivial tasks are spawned and awaited.
    pub spawned_tasks: usize,
    /// Sleep: how many tasks (or threads) sleep at once.
    pub sleepers: usize,
    /// Sleep: how long each one sleeps.
    pub sleep: Duration,
    /// Ping-pong: how many messages cross the channels, both ways counted.
    pub messages: usize,
    /// Echo: how many clients are connected at once.
    pub echo_clients: usize,
    /// Echo: how many round trips each client makes.
    pub echo_rounds: usize,
    /// Lateness: how many tasks sleep and note how late they woke.
    pub late_sleepers: usize,
    /// Lateness: how long each of them sleeps.
    pub late_sleep: Duration,
    /// Lateness: how long the one blocking call lasts.
    pub block: Duration,
}

impl Scale {
    /// The workloads as the book describes them.
    pub const FULL: Scale = Scale {
        spawned_tasks: 100_000,
        sleepers: 10_000,
        sleep: Duration::from_millis(100),
        messages: 1_000_000,
        echo_clients: 1_000,
        echo_rounds: 100,
        late_sleepers: 100,
        late_sleep: Duration::from_millis(10),
        block: Duration::from_millis(200),
    };

    /// Small enough that a test runs every workload on every runtime in a
    /// few seconds, even unoptimised. The lateness workload keeps its 100
    /// sleepers and 10 ms; its block is shorter but still well over 10 ms, so
    /// a blocked loop still shows.
    pub const SMOKE: Scale = Scale {
        spawned_tasks: 1_000,
        sleepers: 200,
        sleep: Duration::from_millis(20),
        messages: 2_000,
        echo_clients: 20,
        echo_rounds: 10,
        late_sleepers: 100,
        late_sleep: Duration::from_millis(10),
        block: Duration::from_millis(60),
    };
}

/// How many bytes each echo round trip sends, and gets back.
pub const MESSAGE_BYTES: usize = 64;

/// The bytes client `client` sends in round `round`: they differ from one
/// client and round to the next, so an echo that mixed up two connections,
/// or sent back stale bytes, would not match.
pub fn message(client: usize, round: usize) -> [u8; MESSAGE_BYTES] {
    let mut bytes = [0; MESSAGE_BYTES];
    for (i, byte) in bytes.iter_mut().enumerate() {
        // Truncation to a byte is the point: any varied pattern will do.
        *byte = (client.wrapping_mul(31) ^ round.wrapping_mul(7) ^ i) as u8;
    }
    bytes
}

/// How many round trips the ping-pong makes for `messages` messages: one
/// ping and one pong each, so half as many (an odd last message is not sent).
pub fn ping_pong_rounds(messages: usize) -> usize {
    messages / 2
}

// ANCHOR: ping_pong
/// The pinger's side of the ping-pong: sends round numbers `0..rounds`, and
/// waits after each for the same number to come back. Returns how many came
/// back right. Dropping `to_ponger` at the end closes the ponger's channel,
/// which ends the ponger.
///
/// The channel is `async-channel`'s, whatever the runtime: it only needs a
/// waker, so every runtime runs the very same code and only the runtime
/// differs.
pub async fn pinger(
    to_ponger: async_channel::Sender<usize>,
    from_ponger: async_channel::Receiver<usize>,
    rounds: usize,
) -> usize {
    let mut answered = 0;
    for round in 0..rounds {
        if to_ponger.send(round).await.is_err() {
            break;
        }
        match from_ponger.recv().await {
            Ok(back) if back == round => answered += 1,
            _ => break,
        }
    }
    answered
}

/// The ponger's side: sends back every message until the pinger hangs up.
/// Returns how many it received.
pub async fn ponger(
    from_pinger: async_channel::Receiver<usize>,
    to_pinger: async_channel::Sender<usize>,
) -> usize {
    let mut received = 0;
    while let Ok(round) = from_pinger.recv().await {
        received += 1;
        if to_pinger.send(round).await.is_err() {
            break;
        }
    }
    received
}
// ANCHOR_END: ping_pong

/// One channel of the ping-pong, both ends: round numbers go through it.
pub type Channel = (async_channel::Sender<usize>, async_channel::Receiver<usize>);

/// The two channels of one slot each that the ping-pong passes messages
/// over: pinger to ponger, and back.
pub fn ping_pong_channels() -> (Channel, Channel) {
    (async_channel::bounded(1), async_channel::bounded(1))
}

/// How late a sleeper woke: the time past its deadline (never negative: a
/// timer that fired early would be a bug, and shows as zero).
pub fn lateness_since(deadline: Instant) -> Duration {
    Instant::now().saturating_duration_since(deadline)
}

/// How big a read the echo server makes: bigger than one message, so a
/// read takes whatever has arrived.
pub const ECHO_BUFFER: usize = 1024;

// ANCHOR: tickets
/// How many connections may wait for the echo server to accept them.
///
/// A listener holds connections that are open but not yet accepted in a
/// queue of fixed length: 128 for one bound by `std` (as async-std's,
/// smol's and the hand-rolled one are), 1024 for tokio's. When it is full
/// the kernel drops new connection requests, and the client tries again a
/// whole second later. A thousand clients connecting at once can fill it
/// whenever the server is a little slow to accept, and the benchmark would
/// then measure that second, not the runtime. So every client connects at
/// once, but no more than this many wait to be accepted, whatever the
/// listener's queue.
pub const WAITING_CONNECTIONS: usize = 64;

/// The tickets that keep the echo's waiting connections under
/// [`WAITING_CONNECTIONS`]: a channel that holds that many. A client puts a
/// ticket in before it connects (and waits while the channel is full); the
/// server takes one out for each connection it accepts.
pub fn connection_tickets() -> (async_channel::Sender<()>, async_channel::Receiver<()>)
{
    async_channel::bounded(WAITING_CONNECTIONS)
}

/// A client puts in its ticket, waiting for room. An error means the server
/// has stopped, and will never accept the connection.
pub async fn put_ticket(tickets: &async_channel::Sender<()>) -> std::io::Result<()> {
    tickets.send(()).await.map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "the echo server stopped accepting connections",
        )
    })
}

/// The server takes a ticket out for a connection it accepted. The client
/// put it in before connecting, so it is there already.
pub async fn take_ticket(tickets: &async_channel::Receiver<()>) {
    let _ = tickets.recv().await;
}
// ANCHOR_END: tickets
