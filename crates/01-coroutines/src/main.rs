//! `cargo run -p coroutines`: three greeters at once, then one after the other,
//! on every runtime, each line stamped with its time since the run started.
//! `-- --runtime tokio` picks one runtime; `RUST_LOG=debug` shows polls and wakes.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use coroutines::{PAUSE, hand, with_async_std, with_smol, with_tokio};
use timeline::{Chapter, Runtime};

const CHAPTER: Chapter = Chapter {
    package: "coroutines",
    title: "Chapter 1: coroutines. Three greeters, each pausing 1 s.",
    runtimes: &Runtime::ALL,
};

/// A way to greet everyone with a given pause, on one runtime.
type Scene = fn(Duration);

fn main() -> ExitCode {
    timeline::run(&CHAPTER, |runtime| {
        let (together, one_by_one): (Scene, Scene) = match runtime {
            Runtime::Hand => (hand::greet_all, hand::greet_one_by_one),
            Runtime::Tokio => {
                (with_tokio::run_greet_all, with_tokio::run_greet_one_by_one)
            }
            Runtime::AsyncStd => (
                with_async_std::run_greet_all,
                with_async_std::run_greet_one_by_one,
            ),
            Runtime::Smol => {
                (with_smol::run_greet_all, with_smol::run_greet_one_by_one)
            }
        };
        println!("-- all at once --");
        let at_once = timed(|| together(PAUSE));
        println!("-- one after the other --");
        let in_turn = timed(|| one_by_one(PAUSE));
        format!("all at once {at_once:.2} s, one after the other {in_turn:.2} s")
    })
}

fn timed(run: impl FnOnce()) -> f64 {
    let started = Instant::now();
    run();
    started.elapsed().as_secs_f64()
}
