//! `cargo run -p gather-wait`: three simulated fetches at once, collected in
//! the order asked; then the first one back wins and the others are
//! cancelled; then one fails, met by a gather, a gather that returns its
//! errors, and a task group; on every runtime, each line stamped with its
//! time and thread. `-- --runtime smol` picks one runtime.

use std::process::ExitCode;

use gather_wait::{STEP, hand, with_async_std, with_smol, with_tokio};
use timeline::{Chapter, Runtime};

const CHAPTER: Chapter = Chapter {
    package: "gather-wait",
    title: "Chapter 5: gather and wait. Three fetches at once, collected in order; \
            the first back wins and the rest are cancelled; one fails.",
    runtimes: &Runtime::ALL,
};

fn main() -> ExitCode {
    timeline::run(&CHAPTER, |runtime| {
        let shown = match runtime {
            Runtime::Hand => Ok(hand::run_scene(STEP)),
            Runtime::Tokio => with_tokio::run_scene(STEP),
            Runtime::AsyncStd => Ok(with_async_std::run_scene(STEP)),
            Runtime::Smol => Ok(with_smol::run_scene(STEP)),
        };
        match shown {
            Ok(shown) => shown.summary(),
            Err(error) => format!("could not build the runtime: {error}"),
        }
    })
}
