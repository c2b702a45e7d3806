//! smol's `unblock` and async-std's `spawn_blocking` share one pool, the
//! `blocking` crate's, and what its source says (1.7) is observable: at most
//! 500 threads, named `blocking-N`, and idle threads that stay while the pool
//! is under its limit (they wait 500 ms at a time, but end only above it).
//!
//! One pool per process: the tests here run in one test function each that
//! does not mind the others' threads, except the one that counts them all,
//! which runs alone with `--exact` in a child process.

mod support;

use std::sync::Arc;
use std::time::Duration;

use blocking_offload::thread_name;
use support::{Gate, Running, eventually, threads_named};

const LIMIT: Duration = Duration::from_secs(30);

#[test]
fn async_std_spawn_blocking_runs_on_the_blocking_crates_threads() {
    let name = async_std::task::block_on(async_std::task::spawn_blocking(thread_name));
    assert!(name.starts_with("blocking-"), "{name}");
}

#[test]
fn smol_unblock_runs_on_the_same_threads() {
    let name = smol::block_on(smol::unblock(thread_name));
    assert!(name.starts_with("blocking-"), "{name}");
}

#[test]
fn a_panic_in_unblock_reaches_the_awaiting_task() {
    let outcome = std::panic::catch_unwind(|| {
        smol::block_on(smol::unblock(|| -> u32 { panic!("the disk is on fire") }))
    });
    assert!(
        outcome.is_err(),
        "propagated as a panic where it is awaited"
    );
}

/// Runs alone, in a child process: it counts every pool thread.
#[test]
fn the_pool_caps_at_500_and_keeps_its_idle_threads() {
    if std::env::var_os("BLOCKING_POOL_ALONE").is_none() {
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "the_pool_caps_at_500_and_keeps_its_idle_threads"])
            .env("BLOCKING_POOL_ALONE", "1")
            .env_remove("BLOCKING_MAX_THREADS")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stdout)
        );
        return;
    }
    let running = Arc::new(Running::default());
    let gate = Arc::new(Gate::default());
    let jobs: Vec<_> = (0..510)
        .map(|_| {
            let (running, gate) = (Arc::clone(&running), Arc::clone(&gate));
            smol::unblock(move || {
                let _running = running.enter();
                gate.wait();
            })
        })
        .collect();
    assert!(eventually(LIMIT, || running.now() == 500));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(running.most(), 500, "the cap");
    gate.open();
    smol::block_on(async {
        for job in jobs {
            job.await;
        }
    });
    let threads = threads_named("blocking-");
    assert_eq!(threads, 500);
    // Three of its 500 ms waits later, every idle thread is still there.
    std::thread::sleep(Duration::from_millis(1600));
    assert_eq!(threads_named("blocking-"), 500, "idle threads stay");
}
