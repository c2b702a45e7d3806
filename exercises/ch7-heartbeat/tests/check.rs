//! The heartbeat beats on time while uploads are checked: the checksums run
//! off the loop's thread, no beat is held back behind one, and every upload
//! still gets its checksum.
//!
//! Run with `cargo test -p ch7-heartbeat`. The bound on lateness is
//! generous: a checksum on the loop's thread makes a beat at least 200 ms
//! late on any machine (the first upload comes at 50 ms, its checksum ends
//! past 300 ms, the beat was due at 100 ms), while offloaded beats are late
//! by a millisecond or two, and a loaded machine adds tens at most.

use std::time::Duration;

use ch7_heartbeat::{Seen, UPLOADS, serve};
use event_loop::hand::EventLoop;

#[test]
fn step_1_the_checksums_run_off_the_loops_thread() {
    let seen = Seen::default();
    let run = serve(&EventLoop::new(), 3, seen.clone());
    let threads = seen.lock().unwrap().clone();
    assert_eq!(threads.len(), UPLOADS.len());
    assert!(
        threads.iter().all(|thread| *thread != run.loop_thread),
        "a checksum ran on the loop's thread"
    );
}

#[test]
fn step_2_no_beat_is_held_back_behind_a_checksum() {
    let run = serve(&EventLoop::new(), 6, Seen::default());
    let worst = run.late.iter().max().copied().unwrap_or_default();
    assert_eq!(run.late.len(), 6);
    assert!(
        worst < Duration::from_millis(150),
        "a beat came {} ms late",
        worst.as_millis()
    );
}

#[test]
fn step_3_every_upload_still_gets_its_checksum() {
    let run = serve(&EventLoop::new(), 1, Seen::default());
    let expected: Vec<(String, u32)> = UPLOADS
        .iter()
        .map(|name| (name.to_string(), name.bytes().map(u32::from).sum()))
        .collect();
    assert_eq!(run.checksums, expected);
}
