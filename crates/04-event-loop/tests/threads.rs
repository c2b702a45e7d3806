//! What replaces chapter 1's thread per sleep: a thousand sleeps on the loop
//! add no thread at all, where chapter 1's `sleep` adds one each. Alone in
//! its test binary, so that no other test's threads muddle the count.
//! Linux only: it reads the thread count from `/proc`.
#![cfg(target_os = "linux")]

use std::time::Duration;

use event_loop::hand::{EventLoop, handle, sleep, spawn};

/// The threads of this process now.
fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").unwrap().count()
}

// ANCHOR: no_threads
#[test]
fn sleeps_on_the_loop_need_no_threads_where_chapter_1_needed_one_each() {
    let event_loop = EventLoop::builder().virtual_time().build().unwrap();
    let before = threads();
    let (on_the_loop, chapter_1) = event_loop.run_until_complete(async move {
        // A thousand sleeps on the loop's timer heap...
        for _ in 0..1000 {
            spawn(sleep(Duration::from_secs(60)));
        }
        sleep(Duration::from_millis(1)).await;
        let on_the_loop = (threads().saturating_sub(before), handle().timers());
        // ...and a hundred of chapter 1's, each on a thread of its own.
        for _ in 0..100 {
            spawn(coroutines::hand::sleep(Duration::from_millis(300)));
        }
        crate::yield_a_turn().await;
        (on_the_loop, threads().saturating_sub(before))
    });
    assert_eq!(on_the_loop, (0, 1000), "no new thread; a timer each");
    assert!(chapter_1 >= 100, "{chapter_1} new threads for 100 sleeps");
}
// ANCHOR_END: no_threads

/// Lets the spawned tasks run once, so they start their sleeps.
async fn yield_a_turn() {
    event_loop::hand::yield_now().await;
}
