//! A closed loop holds nothing: a `Handle` kept past `close` cannot give it
//! new work that would keep it (and its poller's file descriptors) alive.
//! Alone in its binary, since it counts the process's open descriptors.

#![cfg(target_os = "linux")]

use event_loop::hand::EventLoop;

fn open_descriptors() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .expect("/proc is mounted")
        .count()
}

#[test]
fn a_handle_kept_past_close_cannot_leak_the_loop_and_its_descriptors() {
    let before = open_descriptors();
    let event_loop = EventLoop::new();
    assert!(open_descriptors() > before, "the poller's descriptors");
    let handle = event_loop.handle();
    event_loop.close();
    // Work that holds the loop: stored, it would be a cycle (the loop holds
    // the task, the task holds the loop) that nothing ever breaks.
    let keeper = handle.clone();
    handle.create_task(async move {
        let _keeper = keeper;
    });
    let keeper = handle.clone();
    handle.call_soon(move || drop(keeper));
    drop(handle);
    assert_eq!(
        open_descriptors(),
        before,
        "every descriptor closed with the loop"
    );
}
