//! `cargo run -p blocking-offload`: a ticker ticks every 100 ms beside a
//! task that makes a 320 ms blocking call, first inline (the ticks fire
//! late), then offloaded to a thread pool (they fire on time), on our loop,
//! tokio's two runtimes, async-std and smol. `-- --runtime smol` picks one.

use std::process::ExitCode;

use blocking_offload::{
    Blocking, Ticks, hand, summary, with_async_std, with_smol, with_tokio,
};
use timeline::{Chapter, Runtime};

const CHAPTER: Chapter = Chapter {
    package: "blocking-offload",
    title: "Chapter 7: blocking work. A ticker every 100 ms beside a 320 ms \
            blocking call, inline and then offloaded.",
    runtimes: &Runtime::ALL,
};

fn main() -> ExitCode {
    timeline::run(&CHAPTER, |runtime| match runtime {
        Runtime::Hand => both(hand::run),
        Runtime::Tokio => {
            let tokio = |make: fn() -> std::io::Result<tokio::runtime::Runtime>| {
                move |blocking| match make() {
                    Ok(runtime) => with_tokio::run_on(&runtime, blocking),
                    Err(error) => panic!("could not build the runtime: {error}"),
                }
            };
            println!("-- current-thread runtime --");
            let current = both(tokio(with_tokio::current_thread));
            println!("-- multi-thread runtime (2 workers) --");
            let multi = both(tokio(with_tokio::multi_thread));
            format!("current-thread: {current}. multi-thread: {multi}")
        }
        Runtime::AsyncStd => both(with_async_std::run),
        Runtime::Smol => both(with_smol::run),
    })
}

/// The scene inline, then offloaded, each from a fresh clock.
fn both(mut run: impl FnMut(Blocking) -> Ticks) -> String {
    let runs: Vec<Ticks> = Blocking::BOTH
        .into_iter()
        .map(|blocking| {
            println!("-- {} --", blocking.describe());
            timeline::record::restart_clock();
            run(blocking)
        })
        .collect();
    summary(&runs)
}
