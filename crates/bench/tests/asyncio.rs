//! The asyncio workloads, scaled down ([`Scale::SMOKE`]): each script run
//! does the work (the count it prints is checked against the scale) and
//! prints every figure; uvloop's too where it is importable. Skipped, with a
//! message, where `python3` is not installed. And the report's one line when
//! the interpreter is missing.

use std::time::Duration;

use bench::asyncio::{self, Loop, Printed, Python, Repeats, Workload};
use bench::{Blocking, Scale};

const SCALE: Scale = Scale::SMOKE;

/// `python3`, whose runs fail the test after a minute instead of hanging.
fn python() -> Python {
    Python::default().with_limit(Duration::from_secs(60))
}

/// The loops to test on: asyncio, and uvloop where it is importable; none
/// (with a message) without `python3`.
fn loops() -> Vec<Loop> {
    match python().about().expect("`workloads.py about` runs") {
        None => {
            eprintln!("skipped: python3 is not installed");
            vec![]
        }
        Some(about) if about.uvloop.is_none() => {
            eprintln!("uvloop is not installed: only asyncio is tested");
            vec![Loop::Asyncio]
        }
        Some(_) => vec![Loop::Asyncio, Loop::Uvloop],
    }
}

fn run(workload: Workload, event_loop: Loop) -> Printed {
    asyncio::run(&python(), workload, event_loop, SCALE, Repeats::Once)
        .unwrap_or_else(|error| panic!("{error}"))
        .expect("python3 was there a moment ago")
}

#[test]
fn every_spawned_task_hands_back_its_number_on_asyncio() {
    for event_loop in loops() {
        let printed = run(Workload::Spawn, event_loop);
        assert_eq!(
            printed.number("spawn_right"),
            Ok(SCALE.spawned_tasks as f64)
        );
        assert!(printed.time("spawn_ns").expect("a time") > Duration::ZERO);
    }
}

#[test]
fn every_sleeper_wakes_on_asyncio_after_its_sleep() {
    for event_loop in loops() {
        let printed = run(Workload::Sleep, event_loop);
        assert_eq!(printed.number("sleep_woke"), Ok(SCALE.sleepers as f64));
        let wall = printed.time("sleep_ns").expect("a time");
        // uvloop's timers can fire a millisecond early (libuv counts whole
        // milliseconds): a little under the sleep, never much under it.
        let at_least = SCALE.sleep - Duration::from_millis(2);
        assert!(wall >= at_least, "{event_loop:?}: {wall:?}");
        // A task, its coroutine, its sleep's future and timer: a few
        // hundred bytes at the very least, whatever the loop.
        let heap = printed.number("sleep_heap_bytes").expect("bytes");
        assert!(heap > 200.0, "{event_loop:?}: {heap} bytes per sleeper");
    }
}

#[test]
fn every_ping_gets_its_pong_over_asyncio_queues() {
    for event_loop in loops() {
        let printed = run(Workload::PingPong, event_loop);
        assert_eq!(
            printed.number("ping_pong_arrived"),
            Ok(SCALE.messages as f64)
        );
        assert!(printed.time("ping_pong_ns").expect("a time") > Duration::ZERO);
    }
}

#[test]
fn every_echoed_byte_comes_back_as_sent_on_asyncio_streams() {
    for event_loop in loops() {
        let printed = run(Workload::Echo, event_loop);
        let sent = SCALE.echo_clients * SCALE.echo_rounds * bench::MESSAGE_BYTES;
        assert_eq!(printed.number("echo_bytes"), Ok(sent as f64));
        assert!(printed.time("echo_ns").expect("a time") > Duration::ZERO);
    }
}

/// As on the Rust single-threaded loops: the blocking task, created first,
/// runs before any sleeper, so none wakes before the block is over.
#[test]
fn a_blocking_call_makes_every_asyncio_timer_late() {
    let at_least = SCALE.block - SCALE.late_sleep;
    for event_loop in loops() {
        let measured = asyncio::measure(&python(), event_loop, SCALE, Repeats::Once)
            .unwrap_or_else(|error| panic!("{error}"))
            .expect("python3 was there a moment ago");
        for blocking in Blocking::ALL {
            let late = measured.late(blocking).lateness.expect("100 sleepers");
            assert_eq!(late.samples, SCALE.late_sleepers, "{blocking:?}");
        }
        let inline = measured.late(Blocking::Inline).lateness.expect("sleepers");
        assert!(
            inline.median >= at_least,
            "{event_loop:?}: inline, the median timer was {:?} late",
            inline.median
        );
        assert_eq!(measured.late(Blocking::Inline).early, 0);
    }
}

#[test]
fn the_script_refuses_a_negative_size_with_a_clear_error() {
    let python = python();
    let args = ["spawn", "--tasks", "-3"].map(String::from);
    match python.run(&args) {
        Ok(None) => eprintln!("skipped: python3 is not installed"),
        Ok(Some(printed)) => panic!("a figure for -3 tasks: {printed:?}"),
        Err(error) => assert!(error.contains("must not be negative"), "{error}"),
    }
}

#[test]
fn without_the_interpreter_nothing_is_measured_and_the_report_says_so() {
    let missing = Python::new("python3-that-is-not-installed");
    assert_eq!(missing.about(), Ok(None));
    let measured = asyncio::measure_all(&missing, SCALE, Repeats::Once);
    assert_eq!(measured, Ok(None));
    let note = asyncio::note(&missing, None).expect("a line");
    assert!(
        note.contains("asyncio and uvloop were not measured"),
        "{note}"
    );
    assert!(note.contains("python3-that-is-not-installed"), "{note}");
    assert!(!note.contains('\n'), "one line: {note}");
}

#[test]
fn a_script_that_runs_too_long_is_killed_with_a_clear_error() {
    let python = Python::default().with_limit(Duration::from_millis(100));
    let args = ["sleep", "--sleepers", "1", "--sleep-ms", "5000"].map(String::from);
    match python.run(&args) {
        Ok(None) => eprintln!("skipped: python3 is not installed"),
        Ok(Some(printed)) => panic!("it finished: {printed:?}"),
        Err(error) => assert!(error.contains("still ran after"), "{error}"),
    }
}

#[test]
fn printed_figures_are_read_by_name_and_checked() {
    let printed = Printed::parse("spawn_ns 1500\nspawn_right 10\n\nuvloop none\n")
        .expect("three lines");
    assert_eq!(printed.time("spawn_ns"), Ok(Duration::from_nanos(1500)));
    assert_eq!(printed.count("spawn_right", 10), Ok(()));
    assert!(printed.count("spawn_right", 11).is_err(), "a wrong count");
    assert!(printed.number("uvloop").is_err(), "not a number");
    assert!(printed.time("echo_ns").is_err(), "not printed");
    assert!(Printed::parse("oops\n").is_err(), "not `NAME VALUE`");
}

#[test]
fn the_report_s_scale_reaches_the_script() {
    let args = Workload::Lateness.args(Scale::FULL, Loop::Uvloop, Repeats::Report);
    let line = args.join(" ");
    assert_eq!(
        line,
        "lateness --sleepers 100 --sleep-ms 10 --block-ms 200 --runs 10 --uvloop"
    );
    let args = Workload::Echo.args(Scale::FULL, Loop::Asyncio, Repeats::Once);
    assert_eq!(
        args.join(" "),
        "echo --clients 1000 --rounds 100 --repeats 1"
    );
}
