//! The hand-rolled pool: it grows to its cap and no further, reuses parked
//! threads, lets idle ones go after the keep-alive, carries a job's panic to
//! the task that awaits it on any runtime, holds a virtual clock still while
//! a job runs, and shuts down as tokio's does.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use blocking_offload::hand::{
    JobError, TOKIO_KEEP_ALIVE, TOKIO_MAX_BLOCKING_THREADS, ThreadPool,
    run_in_executor, spawn_blocking, to_thread,
};
use blocking_offload::thread_name;
use event_loop::hand::{EventLoop, now, sleep, spawn};
use support::{Gate, Running, eventually, finishes_within, virtual_loop};

const LIMIT: Duration = Duration::from_secs(20);

#[test]
fn the_defaults_are_tokios() {
    // Read in tokio 1.54's source: `max_blocking_threads: 512` in
    // runtime/builder.rs, `const KEEP_ALIVE: Duration = from_secs(10)` in
    // runtime/blocking/pool.rs.
    assert_eq!(TOKIO_MAX_BLOCKING_THREADS, 512);
    assert_eq!(TOKIO_KEEP_ALIVE, Duration::from_secs(10));
    let pool = format!("{:?}", ThreadPool::new());
    assert!(pool.contains("max_threads: 512"), "{pool}");
    assert!(pool.contains("keep_alive: 10s"), "{pool}");
}

#[test]
fn the_pool_grows_to_its_cap_and_queues_the_rest() {
    let outcome = finishes_within(LIMIT, || {
        let pool = ThreadPool::builder().max_threads(2).build();
        let running = Arc::new(Running::default());
        let gate = Arc::new(Gate::default());
        let jobs: Vec<_> = (0..5)
            .map(|n| {
                let (running, gate) = (Arc::clone(&running), Arc::clone(&gate));
                pool.spawn_blocking(move || {
                    let _running = running.enter();
                    gate.wait();
                    n
                })
            })
            .collect();
        assert!(eventually(LIMIT, || running.now() == 2), "two jobs start");
        let (threads, queued) = (pool.threads(), pool.queued());
        gate.open();
        let results: Vec<_> = jobs
            .into_iter()
            .map(|job| future_objects::hand::block_on(job).unwrap())
            .collect();
        (threads, queued, running.most(), results)
    });
    let (threads, queued, most, results) = outcome.expect("no hang");
    assert_eq!((threads, queued), (2, 3), "two threads, three jobs waiting");
    assert_eq!(most, 2, "never more than the cap at once");
    assert_eq!(results, [0, 1, 2, 3, 4]);
}

#[test]
fn a_parked_thread_takes_the_next_job() {
    let pool = ThreadPool::builder().name("reuse").build();
    let mut names = Vec::new();
    for _ in 0..3 {
        let job = pool.spawn_blocking(thread_name);
        names.push(future_objects::hand::block_on(job).unwrap());
        assert!(eventually(LIMIT, || pool.idle_threads() == 1), "it parks");
    }
    assert_eq!(names, ["reuse-1", "reuse-1", "reuse-1"]);
    assert_eq!(pool.threads(), 1);
}

#[test]
fn an_idle_thread_goes_after_the_keep_alive() {
    let pool = ThreadPool::builder()
        .keep_alive(Duration::from_millis(50))
        .build();
    let job = pool.spawn_blocking(|| 1);
    assert_eq!(future_objects::hand::block_on(job).unwrap(), 1);
    assert!(eventually(LIMIT, || pool.threads() == 0), "{pool:?}");
    // A new job starts a new thread.
    let job = pool.spawn_blocking(thread_name);
    assert_eq!(
        future_objects::hand::block_on(job).unwrap(),
        "hand-blocking-2"
    );
}

fn panicking_job() -> u32 {
    panic!("the disk is on fire")
}

#[test]
fn a_panic_in_a_job_reaches_the_task_on_our_loop() {
    let event_loop = virtual_loop();
    let error = event_loop
        .run_until_complete(async { spawn_blocking(panicking_job).await })
        .unwrap_err();
    assert!(error.is_panic());
    assert_eq!(error.panic_message(), Some("the disk is on fire"));
    assert_eq!(
        error.to_string(),
        "the blocking job panicked: the disk is on fire"
    );
}

#[tokio::test]
async fn a_panic_in_a_job_reaches_the_task_on_tokio() {
    let pool = ThreadPool::new();
    let error = pool.spawn_blocking(panicking_job).await.unwrap_err();
    assert_eq!(error.panic_message(), Some("the disk is on fire"));
}

#[test]
fn a_panic_in_a_job_reaches_the_task_on_smol() {
    let pool = ThreadPool::new();
    let error = smol::block_on(pool.spawn_blocking(panicking_job)).unwrap_err();
    assert_eq!(error.panic_message(), Some("the disk is on fire"));
    // The thread survived its job's panic and takes the next one.
    assert_eq!(smol::block_on(pool.spawn_blocking(|| 2)).unwrap(), 2);
    assert_eq!(pool.threads(), 1);
}

#[test]
fn the_virtual_clock_holds_still_while_a_job_runs() {
    let event_loop = virtual_loop();
    let seen = event_loop.run_until_complete(async {
        // A task that sleeps an hour: without the hold, the clock would jump
        // there while the job is out.
        let _sleeper = spawn(sleep(Duration::from_secs(3600)));
        let value = spawn_blocking(|| {
            std::thread::sleep(Duration::from_millis(50));
            7
        })
        .await
        .unwrap();
        (value, event_loop::hand::handle().time())
    });
    assert_eq!(seen, (7, Duration::ZERO), "the job took no virtual time");
}

#[test]
fn without_a_hold_the_virtual_clock_jumps_past_the_job() {
    let pool = ThreadPool::new();
    let event_loop = virtual_loop();
    let gate = Arc::new(Gate::default());
    let seen = event_loop.run_until_complete(async {
        let started = now();
        let opener = {
            let gate = Arc::clone(&gate);
            spawn(async move {
                sleep(Duration::from_secs(3600)).await;
                gate.open(); // the hour is over before the job is
            })
        };
        let job = pool.spawn_blocking(move || gate.wait());
        job.await.unwrap();
        opener.await.unwrap();
        now() - started
    });
    assert_eq!(seen, Duration::from_secs(3600));
}

#[test]
fn dropping_the_handle_does_not_stop_a_running_job() {
    // A real clock: on a virtual one the loop would wait for the job, which
    // holds it, and the job for the gate, which the test opens after the
    // loop: they would wait for each other for ever.
    let event_loop = EventLoop::new();
    let finished = Arc::new(AtomicBool::new(false));
    let gate = Arc::new(Gate::default());
    let ticks = event_loop.run_until_complete({
        let (finished, gate) = (Arc::clone(&finished), Arc::clone(&gate));
        async move {
            let job = spawn_blocking(move || {
                gate.wait();
                finished.store(true, Ordering::SeqCst);
            });
            drop(job); // nothing can interrupt the thread
            let mut ticks = 0;
            for _ in 0..3 {
                sleep(Duration::from_millis(10)).await;
                ticks += 1; // the loop stays responsive
            }
            ticks
        }
    });
    assert_eq!(ticks, 3);
    assert!(
        !finished.load(Ordering::SeqCst),
        "still waiting at the gate"
    );
    gate.open();
    assert!(eventually(LIMIT, || finished.load(Ordering::SeqCst)));
}

#[test]
fn spawn_blocking_outside_a_loop_panics() {
    let panic = std::panic::catch_unwind(|| spawn_blocking(|| ())).unwrap_err();
    let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(message.contains("outside"), "{message}");
}

#[test]
fn dropping_the_pool_waits_for_its_running_jobs() {
    let finished = Arc::new(AtomicBool::new(false));
    let pool = ThreadPool::new();
    let job = {
        let finished = Arc::clone(&finished);
        pool.spawn_blocking(move || {
            std::thread::sleep(Duration::from_millis(100));
            finished.store(true, Ordering::SeqCst);
        })
    };
    // Running, not queued: a queued job would be dropped.
    assert!(eventually(LIMIT, || pool.queued() == 0));
    drop(pool);
    assert!(
        finished.load(Ordering::SeqCst),
        "the drop waited for the job"
    );
    assert!(future_objects::hand::block_on(job).is_ok());
}

#[test]
fn shutdown_with_a_limit_leaves_a_running_job_behind_and_drops_the_queued() {
    let pool = ThreadPool::builder().max_threads(1).build();
    let gate = Arc::new(Gate::default());
    let running = {
        let gate = Arc::clone(&gate);
        pool.spawn_blocking(move || gate.wait())
    };
    assert!(eventually(LIMIT, || pool.queued() == 0));
    let queued = pool.spawn_blocking(|| 1);
    let stopped = pool.shutdown(Some(Duration::from_millis(20)));
    assert_eq!(stopped.dropped, 1);
    assert!(!stopped.in_time, "the running job is still running");
    let refused = pool.spawn_blocking(|| 2);
    use future_objects::hand::block_on;
    assert!(matches!(block_on(queued), Err(JobError::Cancelled)));
    assert!(matches!(block_on(refused), Err(JobError::Cancelled)));
    gate.open();
    assert!(block_on(running).is_ok(), "the left-behind job still ends");
}

#[test]
fn run_in_executor_uses_the_pool_it_is_given_and_holds_the_clock() {
    let pool = ThreadPool::builder().name("mine").build();
    let event_loop = virtual_loop();
    let (name, waited) = event_loop.run_until_complete(async {
        let _sleeper = spawn(sleep(Duration::from_secs(60)));
        let started = now();
        let name = run_in_executor(&pool, || {
            std::thread::sleep(Duration::from_millis(20));
            thread_name()
        })
        .await
        .unwrap();
        (name, now() - started)
    });
    assert_eq!(name, "mine-1");
    assert_eq!(waited, Duration::ZERO);
}

#[test]
fn to_thread_is_spawn_blocking_under_asyncios_name() {
    let event_loop = virtual_loop();
    let name = event_loop.run_until_complete(async { to_thread(thread_name).await });
    assert!(name.unwrap().starts_with("hand-blocking-"));
}

#[test]
fn a_cap_of_zero_threads_is_taken_as_one() {
    let pool = ThreadPool::builder().max_threads(0).build();
    let job = pool.spawn_blocking(|| 5);
    assert_eq!(future_objects::hand::block_on(job).unwrap(), 5);
    assert_eq!(pool.threads(), 1);
}
