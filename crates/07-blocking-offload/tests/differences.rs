//! The differences between the runtimes that the book claims, each proven
//! here: what `block_in_place` does on each tokio flavour, that a started
//! blocking job cannot be aborted, what shutdown does with running jobs, and
//! the sizes of the blocking pools.
//!
//! tokio's panic messages are written to `tests/outputs/`, which the book
//! includes; a changed message fails the test. `UPDATE_OUTPUTS=1` rewrites
//! them after a change that is meant.

mod support;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use blocking_offload::hand::{ThreadPool, spawn_blocking};
use blocking_offload::with_tokio;
use event_loop::hand::{EventLoop, sleep};
use support::{Gate, Running, eventually, threads_named};

const LIMIT: Duration = Duration::from_secs(30);

/// Compares `text` with the output file `name`, or writes it under
/// `UPDATE_OUTPUTS=1`.
fn check_output(name: &str, text: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/outputs")
        .join(name);
    timeline::testing::check_file(&path, text);
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|message| message.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

#[test]
fn tokio_block_in_place_panics_on_a_current_thread_runtime() {
    let runtime = with_tokio::current_thread().unwrap();
    let payload = std::panic::catch_unwind(|| {
        runtime.block_on(with_tokio::in_place(|| 1));
    })
    .unwrap_err();
    let message = panic_message(payload);
    assert_eq!(
        message,
        "can call blocking only when running on the multi-threaded runtime"
    );
    check_output("block_in_place.txt", &format!("{message}\n"));
}

#[test]
fn tokio_block_in_place_runs_the_job_on_a_multi_thread_runtime() {
    let runtime = with_tokio::multi_thread().unwrap();
    let answer = runtime
        .block_on(async { tokio::spawn(with_tokio::in_place(|| 42)).await.unwrap() });
    assert_eq!(answer, 42);
}

#[test]
fn tokio_refuses_a_block_on_inside_its_runtime() {
    let runtime = with_tokio::current_thread().unwrap();
    let payload = std::panic::catch_unwind(|| {
        runtime.block_on(async {
            let inner = with_tokio::current_thread().unwrap();
            inner.block_on(async {});
        });
    })
    .unwrap_err();
    let message = panic_message(payload);
    assert!(
        message.starts_with("Cannot start a runtime from within a runtime."),
        "{message}"
    );
    check_output("block_on_inside.txt", &format!("{message}\n"));
}

#[test]
fn tokio_abort_does_nothing_to_a_started_blocking_job() {
    let runtime = with_tokio::current_thread().unwrap();
    let gate = Arc::new(Gate::default());
    let (started, has_started) = std::sync::mpsc::channel();
    let handle = {
        let gate = Arc::clone(&gate);
        runtime.spawn_blocking(move || {
            started.send(()).unwrap();
            gate.wait();
            42
        })
    };
    has_started.recv_timeout(LIMIT).expect("the job starts");
    handle.abort();
    gate.open();
    let outcome = runtime.block_on(handle);
    assert_eq!(
        outcome.unwrap(),
        42,
        "it ran to its end, and its result came back"
    );
}

#[test]
fn tokio_abort_cancels_a_blocking_job_still_queued() {
    let runtime = with_tokio::with_blocking_pool(1, LIMIT, "tk-queued").unwrap();
    let gate = Arc::new(Gate::default());
    let first = {
        let gate = Arc::clone(&gate);
        runtime.spawn_blocking(move || gate.wait())
    };
    let ran = Arc::new(AtomicBool::new(false));
    let queued = {
        let ran = Arc::clone(&ran);
        runtime.spawn_blocking(move || ran.store(true, Ordering::SeqCst))
    };
    queued.abort();
    gate.open();
    runtime.block_on(first).unwrap();
    let outcome = runtime.block_on(queued);
    assert!(outcome.unwrap_err().is_cancelled());
    assert!(!ran.load(Ordering::SeqCst));
}

#[test]
fn our_dropped_handle_leaves_the_loop_responsive_and_the_job_running() {
    let event_loop = EventLoop::new();
    let finished = Arc::new(AtomicBool::new(false));
    let gate = Arc::new(Gate::default());
    let ticks = event_loop.run_until_complete({
        let (finished, gate) = (Arc::clone(&finished), Arc::clone(&gate));
        async move {
            drop(spawn_blocking(move || {
                gate.wait();
                finished.store(true, Ordering::SeqCst);
            }));
            let mut ticks = 0;
            for _ in 0..3 {
                sleep(Duration::from_millis(5)).await;
                ticks += 1;
            }
            ticks
        }
    });
    assert_eq!(ticks, 3);
    gate.open();
    assert!(eventually(LIMIT, || finished.load(Ordering::SeqCst)));
}

/// A runtime with one blocking job that runs until `gate` opens; returns
/// once the job has started, and the flag it sets at its end.
fn runtime_with_a_running_job(
    gate: &Arc<Gate>,
) -> (tokio::runtime::Runtime, Arc<AtomicBool>) {
    let runtime = with_tokio::current_thread().unwrap();
    let finished = Arc::new(AtomicBool::new(false));
    let (started, has_started) = std::sync::mpsc::channel();
    let (gate, flag) = (Arc::clone(gate), Arc::clone(&finished));
    drop(runtime.spawn_blocking(move || {
        started.send(()).unwrap();
        gate.wait();
        flag.store(true, Ordering::SeqCst);
    }));
    has_started.recv_timeout(LIMIT).expect("the job starts");
    (runtime, finished)
}

#[test]
fn tokio_waits_for_running_blocking_jobs_when_dropped() {
    let gate = Arc::new(Gate::default());
    let (runtime, finished) = runtime_with_a_running_job(&gate);
    let opener = {
        let gate = Arc::clone(&gate);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            gate.open();
        })
    };
    drop(runtime);
    assert!(
        finished.load(Ordering::SeqCst),
        "the drop waited for the job"
    );
    opener.join().unwrap();
}

#[test]
fn tokio_shutdown_timeout_leaves_a_running_job_behind() {
    let gate = Arc::new(Gate::default());
    let (runtime, finished) = runtime_with_a_running_job(&gate);
    runtime.shutdown_timeout(Duration::from_millis(20));
    assert!(
        !finished.load(Ordering::SeqCst),
        "returned before the job ended"
    );
    gate.open();
    assert!(
        eventually(LIMIT, || finished.load(Ordering::SeqCst)),
        "it ran on"
    );
}

#[test]
fn tokio_shutdown_background_does_not_wait_at_all() {
    let gate = Arc::new(Gate::default());
    let (runtime, finished) = runtime_with_a_running_job(&gate);
    runtime.shutdown_background();
    assert!(!finished.load(Ordering::SeqCst));
    gate.open();
    assert!(eventually(LIMIT, || finished.load(Ordering::SeqCst)));
}

#[test]
fn our_pool_waits_when_dropped_and_not_past_a_shutdown_limit() {
    let pool = ThreadPool::new();
    let gate = Arc::new(Gate::default());
    let job = {
        let gate = Arc::clone(&gate);
        pool.spawn_blocking(move || gate.wait())
    };
    assert!(eventually(LIMIT, || pool.queued() == 0), "the job runs");
    let stopped = pool.shutdown(Some(Duration::from_millis(20)));
    assert!(!stopped.in_time);
    gate.open();
    assert!(future_objects::hand::block_on(job).is_ok());
}

#[test]
fn a_loop_closed_while_a_job_runs_drops_the_late_result_quietly() {
    let gate = Arc::new(Gate::default());
    let finished = Arc::new(AtomicBool::new(false));
    let event_loop = EventLoop::new();
    let task = {
        let (gate, finished) = (Arc::clone(&gate), Arc::clone(&finished));
        event_loop.create_task(async move {
            spawn_blocking(move || {
                gate.wait();
                finished.store(true, Ordering::SeqCst);
            })
            .await
        })
    };
    event_loop.run_until_complete(sleep(Duration::from_millis(5)));
    drop(task);
    let closed = event_loop.close();
    assert_eq!(closed.tasks, 1, "the task awaiting the job was dropped");
    gate.open();
    assert!(eventually(LIMIT, || finished.load(Ordering::SeqCst)));
}

#[test]
fn tokio_caps_its_blocking_pool_and_lets_idle_threads_go() {
    let name = "tk-capped";
    let runtime =
        with_tokio::with_blocking_pool(2, Duration::from_millis(100), name).unwrap();
    let running = Arc::new(Running::default());
    let gate = Arc::new(Gate::default());
    let jobs: Vec<_> = (0..5)
        .map(|_| {
            let (running, gate) = (Arc::clone(&running), Arc::clone(&gate));
            runtime.spawn_blocking(move || {
                let _running = running.enter();
                gate.wait();
            })
        })
        .collect();
    assert!(eventually(LIMIT, || running.now() == 2));
    assert_eq!(threads_named(name), 2);
    gate.open();
    for job in jobs {
        runtime.block_on(job).unwrap();
    }
    assert_eq!(running.most(), 2, "never more than the cap");
    assert!(
        eventually(LIMIT, || threads_named(name) == 0),
        "idle past the keep-alive, they end"
    );
}

#[test]
fn tokio_default_cap_is_512_blocking_threads() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .thread_name("tk-default")
        .build()
        .unwrap();
    let running = Arc::new(Running::default());
    let gate = Arc::new(Gate::default());
    let jobs: Vec<_> = (0..520)
        .map(|_| {
            let (running, gate) = (Arc::clone(&running), Arc::clone(&gate));
            runtime.spawn_blocking(move || {
                let _running = running.enter();
                gate.wait();
            })
        })
        .collect();
    assert!(eventually(LIMIT, || running.now() == 512));
    // Had the cap been higher, the last 8 would have started by now.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(running.most(), 512);
    gate.open();
    for job in jobs {
        runtime.block_on(job).unwrap();
    }
}

#[tokio::test(start_paused = true)]
async fn tokio_paused_clock_holds_still_while_a_blocking_job_runs() {
    // As our `ClockHold`: tokio's blocking pool inhibits auto-advance while a
    // job is out (runtime/blocking/schedule.rs).
    let started = tokio::time::Instant::now();
    let _sleeper = tokio::spawn(tokio::time::sleep(Duration::from_secs(3600)));
    let value = tokio::task::spawn_blocking(|| {
        std::thread::sleep(Duration::from_millis(50));
        7
    })
    .await
    .unwrap();
    assert_eq!((value, started.elapsed()), (7, Duration::ZERO));
}
