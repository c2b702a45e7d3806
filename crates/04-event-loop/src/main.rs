//! `cargo run -p event-loop`: two countdowns, from 5 and from 3, one step a
//! second, interleaved on one event loop: the hand-rolled one, tokio's two
//! runtimes, async-std and smol. Each line is stamped with its time and the
//! thread that printed it, so the tokio multi-thread run shows its workers.
//! `-- --runtime smol` picks one runtime.

use std::io;
use std::process::ExitCode;
use std::time::Instant;

use event_loop::{RanOn, STEP, hand, with_async_std, with_smol, with_tokio};
use timeline::{Chapter, Runtime};

const CHAPTER: Chapter = Chapter {
    package: "event-loop",
    title: "Chapter 4: the event loop. Two countdowns, from 5 and from 3, one \
            step a second, interleaved on one loop.",
    runtimes: &Runtime::ALL,
};

fn main() -> ExitCode {
    timeline::run(&CHAPTER, |runtime| match runtime {
        Runtime::Hand => {
            hand::run_countdowns(STEP);
            println!("-- debug mode: a task that blocks the loop --");
            timeline::record::restart_clock();
            hand::run_with_a_blocking_task(STEP);
            "one loop on the caller, like asyncio; debug mode named the blocker"
                .to_string()
        }
        Runtime::Tokio => {
            println!("-- current-thread runtime --");
            let current = timed(|| with_tokio::run_countdowns_current_thread(STEP));
            println!("-- multi-thread runtime --");
            // Each flavour's lines start again at 0 s.
            timeline::record::restart_clock();
            let multi = timed(|| with_tokio::run_countdowns_multi_thread(STEP));
            format!("current-thread {current}; multi-thread {multi}")
        }
        Runtime::AsyncStd => where_ran(Ok(with_async_std::run_countdowns(STEP))),
        Runtime::Smol => where_ran(Ok(with_smol::run_countdowns(STEP))),
    })
}

/// Runs one of tokio's two flavours and says how long it took and where its
/// steps ran: the table's total covers both.
fn timed(scene: impl FnOnce() -> io::Result<RanOn>) -> String {
    let started = Instant::now();
    let ran_on = scene();
    let took = started.elapsed().as_secs_f64();
    format!("{took:.2} s: {}", where_ran(ran_on))
}

/// Where a run's steps ran, in a few words, or why it could not run.
fn where_ran(ran_on: io::Result<RanOn>) -> String {
    match ran_on {
        Ok(ran_on) => ran_on.summary(),
        Err(error) => format!("could not build the runtime: {error}"),
    }
}
