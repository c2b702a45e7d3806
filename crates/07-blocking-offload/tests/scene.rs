//! The scene on every runtime, on the real clock: with the call inline, on
//! a single-threaded loop, no tick can fire before the call returns, so the
//! first tick is at least 250 ms late (due at 100 ms, the call ends past
//! 370 ms) however loaded the machine. Offloaded, only a bound is checked
//! that no load breaks: every run ticks six times. The figures themselves are
//! measured by `--bin measure`, not asserted.

use std::time::Duration;

use blocking_offload::{Blocking, Ticks, hand, with_smol, with_tokio};

const AT_LEAST: Duration = Duration::from_millis(250);

fn check(inline: &Ticks, offloaded: &Ticks) {
    assert_eq!(inline.late.len(), 6);
    assert_eq!(offloaded.late.len(), 6);
    assert!(inline.late[0] >= AT_LEAST, "{inline:?}");
    assert!(inline.worst() >= AT_LEAST);
}

#[test]
fn our_loop_is_held_back_inline() {
    check(
        &hand::run(Blocking::Inline),
        &hand::run(Blocking::Offloaded),
    );
}

#[test]
fn tokio_current_thread_is_held_back_inline() {
    let runtime = with_tokio::current_thread().unwrap();
    check(
        &with_tokio::run_on(&runtime, Blocking::Inline),
        &with_tokio::run_on(&runtime, Blocking::Offloaded),
    );
}

#[test]
fn smol_local_executor_is_held_back_inline() {
    check(
        &with_smol::run(Blocking::Inline),
        &with_smol::run(Blocking::Offloaded),
    );
}

#[test]
fn the_summary_names_both_runs() {
    let ticks = |blocking, ms| Ticks {
        blocking,
        late: vec![Duration::from_millis(ms)],
    };
    let text = blocking_offload::summary(&[
        ticks(Blocking::Inline, 270),
        ticks(Blocking::Offloaded, 1),
    ]);
    assert_eq!(
        text,
        "blocking call inline: worst tick 270 ms late; \
         blocking call offloaded: worst tick 1 ms late"
    );
}
