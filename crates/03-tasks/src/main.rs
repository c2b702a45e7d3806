//! `cargo run -p tasks`: three fetches of 2 s each started as tasks and
//! collected in order, then a fetch that panics and one that is cancelled; on
//! every runtime, each line stamped with its time and the thread that printed it.
//! `-- --runtime tokio` picks one runtime; `RUST_LOG=debug` shows the
//! hand-rolled executor's spawns, polls and wakes.

use std::process::ExitCode;
use std::time::Instant;

use tasks::{BROKEN, DELAY, FAIL_AFTER, hand, with_async_std, with_smol, with_tokio};
use timeline::{Chapter, Runtime};

const CHAPTER: Chapter = Chapter {
    package: "tasks",
    title: "Chapter 3: tasks. Three fetches of 2 s each, started as tasks and \
            collected in order; then one fetch panics and another is cancelled.",
    runtimes: &Runtime::ALL,
};

fn main() -> ExitCode {
    show_the_planned_panic_in_the_timeline();
    timeline::run(&CHAPTER, |runtime| {
        println!("-- three fetches as tasks, collected in order --");
        let started = Instant::now();
        let results = match runtime {
            Runtime::Hand => hand::fetch_all(DELAY),
            Runtime::Tokio => with_tokio::run_fetch_all(DELAY),
            Runtime::AsyncStd => with_async_std::run_fetch_all(DELAY),
            Runtime::Smol => with_smol::run_fetch_all(DELAY),
        };
        let took = started.elapsed().as_secs_f64();
        println!("-- one fetch panics, another is cancelled --");
        let ended = match runtime {
            Runtime::Hand => hand::fail_and_cancel(FAIL_AFTER),
            Runtime::Tokio => with_tokio::run_fail_and_cancel(FAIL_AFTER),
            Runtime::AsyncStd => with_async_std::run_fail_and_cancel(FAIL_AFTER),
            Runtime::Smol => with_smol::run_fail_and_cancel(FAIL_AFTER),
        };
        format!(
            "{} fetches in {took:.2} s; {}",
            results.len(),
            ended.summary()
        )
    })
}

/// The broken fetch's panic becomes a line of the timeline, with its time and
/// the thread it happened on, instead of Rust's report on stderr. Any other
/// panic still gets Rust's report.
fn show_the_planned_panic_in_the_timeline() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = tasks::panic_message(info.payload());
        if message == tasks::reset_message(BROKEN) {
            tracing::warn!("panicked: {message}");
        } else {
            report(info);
        }
    }));
}
