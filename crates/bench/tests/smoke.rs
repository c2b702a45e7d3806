//! Every workload, scaled down ([`Scale::SMOKE`]), on every runtime: each
//! must give the right answer. The benchmarks time these same functions, so
//! a workload that lost a task or garbled a byte would fail here before it
//! ever reported a figure.
//!
//! No test here checks speed: that is for `cargo bench -p bench`. The one
//! timing check is a lower bound that no load can break (a blocked
//! single-threaded loop cannot wake a timer before the block ends). Each test
//! runs under a watchdog, so a runtime that hangs fails the test instead of
//! hanging the suite.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use bench::{
    Blocking, Census, Lateness, MESSAGE_BYTES, Runner, Runtime, Scale, threads,
};

const SCALE: Scale = Scale::SMOKE;

/// Runs `test` on its own thread, and fails if it takes over a minute.
fn within_a_minute(test: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    let worker = thread::spawn(move || {
        test();
        let _ = done.send(());
    });
    match finished.recv_timeout(Duration::from_secs(60)) {
        Ok(()) => worker.join().expect("the test finished"),
        // The test panicked: hand its panic on.
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            if let Err(panic) = worker.join() {
                std::panic::resume_unwind(panic);
            }
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("still running after a minute: hung?")
        }
    }
}

/// Each runtime, built.
fn runners() -> Vec<Runner> {
    Runtime::ALL
        .into_iter()
        .map(|runtime| Runner::new(runtime).expect("a runtime builds"))
        .collect()
}

#[test]
fn every_spawned_task_hands_back_its_own_number() {
    within_a_minute(|| {
        for runner in runners() {
            let right = runner.spawn_and_join(SCALE.spawned_tasks);
            assert_eq!(right, SCALE.spawned_tasks, "on {}", runner.runtime());
        }
    });
}

#[test]
fn every_sleeping_task_wakes() {
    within_a_minute(|| {
        for runner in runners() {
            let census = Arc::new(Census::new(SCALE.sleepers));
            let woke = runner.sleep_all(&census, SCALE.sleepers, SCALE.sleep);
            assert_eq!(woke, SCALE.sleepers, "on {}", runner.runtime());
            assert_eq!(census.started(), SCALE.sleepers, "on {}", runner.runtime());
        }
    });
}

static PROBED: AtomicUsize = AtomicUsize::new(0);

fn count_probe() {
    PROBED.fetch_add(1, Ordering::SeqCst);
}

#[test]
fn the_probe_runs_once_while_sleepers_sleep() {
    within_a_minute(|| {
        let runners = runners();
        for (done, runner) in runners.iter().enumerate() {
            let census = Arc::new(Census::with_probe(SCALE.sleepers, count_probe));
            runner.sleep_all(&census, SCALE.sleepers, SCALE.sleep);
            assert_eq!(
                PROBED.load(Ordering::SeqCst),
                done + 1,
                "on {}",
                runner.runtime()
            );
            // The last sleeper itself is asleep when the probe runs.
            assert!(census.asleep_at_probe() >= 1, "on {}", runner.runtime());
            assert!(census.asleep_at_probe() <= SCALE.sleepers);
        }
    });
}

#[test]
fn every_sleeping_thread_ends() {
    within_a_minute(|| {
        let sleepers = 50;
        let census = Arc::new(Census::new(sleepers));
        let ended = threads::sleep_all(&census, sleepers, SCALE.sleep)
            .expect("50 threads start");
        assert_eq!(ended, sleepers);
        assert_eq!(census.started(), sleepers);
    });
}

/// The memory of threads is read on threads that wait for one another:
/// when the last one reports in, every one of them is asleep.
#[test]
fn threads_sleeping_together_are_all_asleep_at_once() {
    within_a_minute(|| {
        let sleepers = 50;
        let census = Arc::new(Census::new(sleepers));
        let ended = threads::sleep_all_together(&census, sleepers, SCALE.sleep)
            .expect("50 threads start");
        assert_eq!(ended, sleepers);
        assert_eq!(census.asleep_at_probe(), sleepers);
    });
}

#[test]
fn every_ping_gets_its_pong() {
    within_a_minute(|| {
        for runner in runners() {
            let arrived = runner.ping_pong(SCALE.messages);
            assert_eq!(arrived, SCALE.messages, "on {}", runner.runtime());
        }
    });
}

#[test]
fn an_odd_message_out_is_not_sent() {
    within_a_minute(|| {
        let runner = Runner::new(Runtime::Hand).expect("nothing to build");
        assert_eq!(runner.ping_pong(7), 6);
        assert_eq!(runner.ping_pong(0), 0);
    });
}

#[test]
fn every_echoed_byte_comes_back_as_sent() {
    within_a_minute(|| {
        for runner in runners() {
            let echoed = runner
                .echo(SCALE.echo_clients, SCALE.echo_rounds)
                .unwrap_or_else(|error| {
                    panic!("echo on {}: {error}", runner.runtime())
                });
            let sent = SCALE.echo_clients * SCALE.echo_rounds * MESSAGE_BYTES;
            assert_eq!(echoed, sent, "on {}", runner.runtime());
        }
    });
}

/// The report counts the system calls of one connection's round trips
/// (`report --echo-once`): one client alone must work on every runtime.
#[test]
fn one_connection_echoes_on_every_runtime() {
    within_a_minute(|| {
        for runner in runners() {
            let echoed = runner.echo(1, SCALE.echo_rounds).unwrap_or_else(|error| {
                panic!("echo on {}: {error}", runner.runtime())
            });
            let sent = SCALE.echo_rounds * MESSAGE_BYTES;
            assert_eq!(echoed, sent, "on {}", runner.runtime());
        }
    });
}

#[test]
fn no_two_echo_messages_are_alike() {
    let first = bench::message(0, 0);
    assert_ne!(first, bench::message(1, 0), "clients differ");
    assert_ne!(first, bench::message(0, 1), "rounds differ");
}

#[test]
fn every_late_sleeper_reports_on_every_runtime_and_variant() {
    within_a_minute(|| {
        for runner in runners() {
            for blocking in Blocking::ALL {
                let late = runner.lateness(
                    SCALE.late_sleepers,
                    SCALE.late_sleep,
                    SCALE.block,
                    blocking,
                );
                let who = format!("{} with {blocking:?}", runner.runtime());
                assert_eq!(late.len(), SCALE.late_sleepers, "on {who}");
                assert!(Lateness::of(&late).is_some(), "on {who}");
            }
        }
    });
}

/// A single-threaded loop runs the blocking task (spawned first) before
/// any sleeper: none can wake until the block is over, so each is late by
/// at least the block less its sleep, however loaded the machine is.
#[test]
fn a_blocking_call_makes_every_timer_of_a_single_threaded_loop_late() {
    within_a_minute(|| {
        let at_least = SCALE.block - SCALE.late_sleep;
        for runtime in [Runtime::Hand, Runtime::TokioCurrentThread, Runtime::Smol] {
            let runner = Runner::new(runtime).expect("a runtime builds");
            let late = runner.lateness(
                SCALE.late_sleepers,
                SCALE.late_sleep,
                SCALE.block,
                Blocking::Inline,
            );
            assert_eq!(late.len(), SCALE.late_sleepers, "on {runtime}");
            let earliest = late.iter().min().expect("100 sleepers");
            assert!(
                *earliest >= at_least,
                "on {runtime}, a timer was only {earliest:?} late, under {at_least:?}"
            );
        }
    });
}

/// Empty workloads are not an edge case to hang on: nothing to do is done
/// at once, with nothing to show.
#[test]
fn empty_workloads_finish_at_once_with_nothing() {
    within_a_minute(|| {
        for runner in runners() {
            let who = runner.runtime();
            assert_eq!(runner.spawn_and_join(0), 0, "on {who}");
            let census = Arc::new(Census::new(0));
            assert_eq!(runner.sleep_all(&census, 0, SCALE.sleep), 0, "on {who}");
            assert_eq!(runner.ping_pong(0), 0, "on {who}");
            assert_eq!(runner.echo(0, 10).expect("no clients"), 0, "on {who}");
            assert_eq!(runner.echo(3, 0).expect("no rounds"), 0, "on {who}");
            let late =
                runner.lateness(0, SCALE.late_sleep, SCALE.block, Blocking::Nothing);
            assert!(late.is_empty(), "on {who}");
        }
        let census = Arc::new(Census::new(0));
        assert_eq!(
            threads::sleep_all(&census, 0, SCALE.sleep).expect("none"),
            0
        );
    });
}
