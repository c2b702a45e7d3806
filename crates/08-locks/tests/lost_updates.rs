//! The scene's counts: how many of 100 updates are lost without a lock and
//! with one, on every runtime and in asyncio. The table goes to
//! `tests/lost-updates.md`, which the book includes; the test compares it
//! with what this run counts, and `UPDATE_OUTPUTS=1` rewrites it.
//!
//! Why the counts repeat: every task reads before any task writes, because
//! the reads take microseconds and the I/O takes milliseconds, and a
//! single-threaded runtime runs every task's first poll before the first
//! timer's wake (woken tasks queue behind them). So the counter ends at 1:
//! 99 lost. Our loop runs on virtual time and tokio's current-thread runtime
//! on its paused clock; the runtimes with worker threads run on the real
//! clock, with an I/O of 2 s in the half without a lock, so that only a stall
//! of seconds (no loaded machine takes one) could let a write in before the
//! last read; under the lock the count is the same whatever the timing, so
//! that half's I/O is 5 ms, to keep the test short.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use event_loop::hand::EventLoop;
use locks::{Io, TASKS, Tally, hand, with_async_std, with_smol, with_tokio};

const IO: Duration = Duration::from_millis(100);
const THREADED_IO: Io = Io {
    unlocked: Duration::from_secs(2),
    locked: Duration::from_millis(5),
};

fn on_our_loop() -> Tally {
    let event_loop = EventLoop::builder()
        .virtual_time()
        .build()
        .expect("a poller");
    hand::lost_updates_on(&event_loop, TASKS, Io::same(IO))
}

fn on_tokio_paused() -> Tally {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a runtime")
        .block_on(with_tokio::lost_updates(TASKS, Io::same(IO)))
}

fn row(runtime: &str, lost: (u64, u64)) -> String {
    format!("| {runtime} | {} | {} |", lost.0, lost.1)
}

fn lost(tally: Tally) -> (u64, u64) {
    (tally.lost_unlocked(), tally.lost_locked())
}

#[test]
fn updates_are_lost_without_the_lock_on_our_loop() {
    assert_eq!(lost(on_our_loop()), (99, 0));
}

#[test]
fn updates_are_lost_without_the_lock_on_tokio() {
    assert_eq!(lost(on_tokio_paused()), (99, 0));
}

/// The whole table: every runtime, and asyncio. The threaded runtimes run
/// at once, each on a thread of its own, to keep the test short (each takes
/// 2 s without the lock, then 100 × 5 ms under it).
#[test]
fn lost_updates_per_runtime_match_the_books_table() {
    let threaded = support::within(Duration::from_secs(120), || {
        let tokio =
            std::thread::spawn(|| with_tokio::run_lost_updates(TASKS, THREADED_IO));
        let async_std =
            std::thread::spawn(|| with_async_std::run_lost_updates(TASKS, THREADED_IO));
        let smol =
            std::thread::spawn(|| with_smol::run_lost_updates(TASKS, THREADED_IO));
        [tokio, async_std, smol].map(|run| run.join().expect("no panic"))
    });
    let [tokio_mt, async_std, smol] = threaded.map(lost);
    for (name, counts) in [
        ("tokio mt", tokio_mt),
        ("async-std", async_std),
        ("smol", smol),
    ] {
        assert!(counts.0 > 0, "{name}: updates lost without the lock");
        assert_eq!(counts.1, 0, "{name}: none lost with it");
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/lost_update.py");
    let Some(printed) = timeline::python::run(script, &["100", "0.01"]) else {
        return; // python3 is missing: said so on stderr; the table needs it
    };
    let asyncio = (count(&printed[0]), count(&printed[1]));
    assert_eq!(asyncio, (99, 0), "{printed:?}");
    let table = [
        "| runtime | lost without a lock | lost with one |".to_string(),
        "|---|---|---|".to_string(),
        row("hand-rolled (virtual time)", lost(on_our_loop())),
        row(
            "tokio current-thread (paused clock)",
            lost(on_tokio_paused()),
        ),
        row("tokio multi-thread", tokio_mt),
        row("async-std", async_std),
        row("smol", smol),
        row("asyncio (Python 3.11)", asyncio),
    ]
    .join("\n")
        + "\n";
    check(&table);
}

/// The count in a line such as "without a lock: 99 of 100 updates lost".
fn count(line: &str) -> u64 {
    let (_, rest) = line.split_once(": ").expect("a count after the colon");
    let number = rest.split(' ').next().expect("a number");
    number.parse().expect("a number")
}

fn check(table: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/lost-updates.md");
    timeline::testing::check_file(&path, table);
}
