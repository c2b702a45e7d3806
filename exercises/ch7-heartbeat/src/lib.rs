//! Chapter 7 exercise: a server's heartbeat comes late. Find the blocking
//! call and move it off the loop.
//!
//! A small server on chapter 4's loop: a heartbeat task beats every 100 ms,
//! and a handler task serves three uploads, each checked with
//! `legacy_checksum`, a function from a library with no async side (it reads
//! the disk, here played by a 250 ms sleep). The heartbeat should beat on
//! time while uploads are handled; it does not.
//!
//! Run it with `cargo run -p ch7-heartbeat`; check your work with
//! `cargo test -p ch7-heartbeat`.
#![forbid(unsafe_code)]

use std::sync::{Arc, Mutex};
use std::thread::ThreadId;
use std::time::Duration;

use event_loop::hand::{EventLoop, now, sleep, sleep_until, spawn};

/// How often the heartbeat beats.
pub const BEAT: Duration = Duration::from_millis(100);

/// How long one checksum takes: the library blocks its thread this long.
pub const CHECKSUM_TAKES: Duration = Duration::from_millis(250);

/// The uploads the handler serves, in order.
pub const UPLOADS: [&str; 3] = ["report.pdf", "photo.jpg", "notes.txt"];

/// The threads `legacy_checksum` ran on, for the tests to see.
pub type Seen = Arc<Mutex<Vec<ThreadId>>>;

/// The library's function: blocks its thread while it "reads the disk", then
/// sums the name's bytes. It cannot be made async: it is not ours.
pub fn legacy_checksum(name: &str, seen: &Seen) -> u32 {
    seen.lock()
        .expect("no one panics holding it")
        .push(std::thread::current().id());
    std::thread::sleep(CHECKSUM_TAKES);
    name.bytes().map(u32::from).sum()
}

/// What one run of the server saw.
#[derive(Debug, Clone)]
pub struct Run {
    /// How late each beat was.
    pub late: Vec<Duration>,
    /// Each upload's checksum, in order.
    pub checksums: Vec<(String, u32)>,
    /// The loop's thread.
    pub loop_thread: ThreadId,
}

/// Beats `beats` times, noting how late each beat came.
async fn heartbeat(beats: u32) -> Vec<Duration> {
    let start = now();
    let mut late = Vec::new();
    for n in 1..=beats {
        let due = start + BEAT * n;
        sleep_until(due).await;
        late.push(now().saturating_duration_since(due));
    }
    late
}

/// Serves the uploads one after the other.
async fn handler(seen: Seen) -> Vec<(String, u32)> {
    let mut checksums = Vec::new();
    for name in UPLOADS {
        sleep(BEAT / 2).await; // the upload arrives
        // TODO: this call blocks the loop's thread for 250 ms, and the
        // heartbeat with it. Hand it to another thread and await it.
        let sum = legacy_checksum(name, &seen);
        checksums.push((name.to_string(), sum));
    }
    checksums
}

/// Runs the server on `event_loop` until the handler has served every
/// upload and the heartbeat has beaten `beats` times.
pub fn serve(event_loop: &EventLoop, beats: u32, seen: Seen) -> Run {
    let (late, checksums) = event_loop.run_until_complete(async move {
        let beat = spawn(heartbeat(beats));
        let handled = spawn(handler(seen));
        let checksums = handled.await.expect("the handler does not panic");
        let late = beat.await.expect("the heartbeat does not panic");
        (late, checksums)
    });
    Run {
        late,
        checksums,
        loop_thread: std::thread::current().id(),
    }
}
