//! `spawn_blocking` on a thread and a promise: the job runs elsewhere, the
//! loop goes on meanwhile, and a panic comes back as an error.
//!
//! Run with `cargo test -p ch7-spawn-blocking`. Each test runs under a
//! watchdog: a job run on the loop's own thread would wait for the loop, and
//! the loop for it, so the test fails instead of hanging.

use std::sync::mpsc;
use std::time::Duration;

use ch7_spawn_blocking::{Panicked, spawn_blocking};
use event_loop::hand::{EventLoop, sleep};
use future_objects::hand::PromiseError;

/// Runs `work` on a thread of its own; `None` if it takes longer than 20 s.
fn within<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(work());
    });
    receiver.recv_timeout(Duration::from_secs(20)).ok()
}

fn thread_id() -> std::thread::ThreadId {
    std::thread::current().id()
}

#[test]
fn step_1_the_job_runs_on_another_thread_and_its_value_comes_back() {
    let (loop_thread, job_thread, value) = within(|| {
        let event_loop = EventLoop::new();
        event_loop.run_until_complete(async {
            let (job_thread, value) = spawn_blocking(|| (thread_id(), 6 * 7))
                .await
                .expect("the job does not panic");
            (thread_id(), job_thread, value)
        })
    })
    .expect("no hang");
    assert_ne!(loop_thread, job_thread, "the job ran on the loop's thread");
    assert_eq!(value, 42);
}

#[test]
fn step_2_the_loop_goes_on_while_the_job_blocks() {
    // The job blocks until the loop has ticked three times: run on the
    // loop's thread, it would wait for ever.
    let ticks = within(|| {
        let event_loop = EventLoop::new();
        let (ticked, wait_for_ticks) = mpsc::channel::<()>();
        event_loop.run_until_complete(async move {
            let job = spawn_blocking(move || {
                for _ in 0..3 {
                    wait_for_ticks.recv().expect("the ticker ticks");
                }
                "done"
            });
            let ticker = event_loop::hand::spawn(async move {
                for _ in 0..3 {
                    sleep(Duration::from_millis(10)).await;
                    let _ = ticked.send(());
                }
            });
            let answer = job.await.expect("the job does not panic");
            ticker.await.expect("the ticker does not panic");
            answer
        })
    });
    assert_eq!(ticks, Some("done"), "the job never saw the ticks: it hung");
}

#[test]
fn step_3_a_panic_in_the_job_reaches_the_awaiting_task() {
    let outcome = within(|| {
        let event_loop = EventLoop::new();
        event_loop.run_until_complete(async {
            spawn_blocking(|| -> u32 { panic!("the disk is on fire") }).await
        })
    })
    .expect("no hang, and the panic did not escape");
    assert_eq!(
        outcome,
        Err(PromiseError::Failed(Panicked("the disk is on fire".into())))
    );
}
