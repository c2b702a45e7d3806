//! `cargo run -p context-managers`: the database scene (connect 1 s, two
//! queries 0.5 s each, close 0.5 s) in `with_connection`, on every runtime
//! in real time; then the same body timed out at 1.75 s, first in
//! `with_connection` (its close never runs) and then behind a guard whose
//! `Drop` spawns the close (it runs, in a task of its own); last, that guard
//! when the runtime ends at 1.75 s, where the runtimes part. Each line is
//! stamped with its time and the thread that printed it.
//! `-- --runtime smol` picks one runtime.

use std::process::ExitCode;

use context_managers::paths::{CleanupPath, Outcome};
use context_managers::patterns::Pattern;
use context_managers::{hand, with_async_std, with_smol, with_tokio};
use timeline::{Chapter, Runtime};

const CHAPTER: Chapter = Chapter {
    package: "context-managers",
    title: "Chapter 6: context managers. A connection opened, queried twice and \
            closed; then timed out in a scope (never closed) and behind a guard \
            whose Drop spawns the close; then that guard as the runtime ends.",
    runtimes: &Runtime::ALL,
};

fn run(runtime: Runtime, pattern: Pattern, path: CleanupPath) -> Outcome {
    match runtime {
        Runtime::Hand => hand::run_path(false, pattern, path),
        Runtime::Tokio => {
            with_tokio::run_path(false, pattern, path, with_tokio::End::Drop)
        }
        Runtime::AsyncStd => with_async_std::run_path(1, pattern, path),
        Runtime::Smol => with_smol::run_path(1, pattern, path),
    }
}

fn main() -> ExitCode {
    timeline::run(&CHAPTER, |runtime| {
        let mut said = Vec::new();
        for (pattern, path) in [
            (Pattern::Scoped, CleanupPath::Success),
            (Pattern::Scoped, CleanupPath::Timeout),
            (Pattern::SpawnOnDrop, CleanupPath::Timeout),
            (Pattern::SpawnOnDrop, CleanupPath::Shutdown),
        ] {
            println!("-- {}: {path} --", pattern.name());
            timeline::record::restart_clock();
            let outcome = run(runtime, pattern, path);
            said.push(format!(
                "{path}: {}",
                outcome.fate.words().replace("**", "")
            ));
        }
        said.join("; ")
    })
}
