//! `cargo run -p future-objects`: a worker thread computes the answer while
//! the waiting task ticks, then a worker gives up; on every runtime, each line
//! stamped with its time since the run started and the thread that printed it.
//! `-- --runtime tokio` picks one runtime; `RUST_LOG=debug` shows polls and wakes.

use std::process::ExitCode;

use future_objects::{
    GIVE_UP, TICK, WORK, hand, with_async_std, with_smol, with_tokio,
};
use timeline::{Chapter, Runtime};

const CHAPTER: Chapter = Chapter {
    package: "future-objects",
    title: "Chapter 2: future objects. A worker thread computes the answer (1 s) \
            while the waiting task ticks every 0.3 s; then a worker gives up.",
    runtimes: &Runtime::ALL,
};

fn main() -> ExitCode {
    timeline::run(&CHAPTER, |runtime| {
        println!("-- a worker computes the answer --");
        let answered = match runtime {
            Runtime::Hand => hand::run(WORK, TICK).describe(),
            Runtime::Tokio => with_tokio::run(WORK, TICK).describe(),
            Runtime::AsyncStd => with_async_std::run(WORK, TICK).describe(),
            Runtime::Smol => with_smol::run(WORK, TICK).describe(),
        };
        println!("-- a worker gives up --");
        let gave_up = match runtime {
            Runtime::Hand => hand::run_gives_up(GIVE_UP, TICK).describe(),
            Runtime::Tokio => with_tokio::run_gives_up(GIVE_UP, TICK).describe(),
            Runtime::AsyncStd => with_async_std::run_gives_up(GIVE_UP, TICK).describe(),
            Runtime::Smol => with_smol::run_gives_up(GIVE_UP, TICK).describe(),
        };
        format!("answer {answered}; worker gone: {gave_up}")
    })
}
