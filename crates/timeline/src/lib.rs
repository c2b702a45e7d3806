//! The small harness every chapter uses: pick a runtime, run the chapter's scene on it,
//! print what happened when, and finish with a comparison table.
//!
//! The same machinery records a scene for tests: [`Recording`] captures every
//! `tracing` event a scene emits, in order and with its time, as a [`Timeline`].
//! Tests snapshot the *order* (a loaded machine never changes it) and check the
//! *times* separately, with generous bounds or exactly under virtual time.
//!
//! | module | role |
//! |---|---|
//! | [`cli`] | the runtimes and the chapter's command line (`--runtime`, `--help`) |
//! | [`record`] | the `tracing` layer that prints and records events |
//! | [`report`] | the comparison table printed at the end |
//! | [`python`] | runs the book's Python listings so tests can compare them |
//! | [`svg`] | draws a recorded timeline as a sequence diagram |
//! | [`states`] | draws a state machine from a walk through it, poll by poll |
//! | [`trace`] | reports the polls and wakes of a future from outside |
//! | [`testing`] | drop counts and waits that give up, for every chapter's tests |
//!
//! A chapter's `main` is one call to [`run`]:
//!
//! ```no_run
//! use timeline::{Chapter, Runtime};
//!
//! const CHAPTER: Chapter = Chapter {
//!     package: "coroutines",
//!     title: "Chapter 1: coroutines",
//!     runtimes: &[Runtime::Hand, Runtime::Tokio],
//! };
//!
//! fn main() -> std::process::ExitCode {
//!     timeline::run(&CHAPTER, |runtime| match runtime {
//!         Runtime::Hand => "the hand-rolled version".to_string(),
//!         _ => "the others".to_string(),
//!     })
//! }
//! ```
#![forbid(unsafe_code)]

pub mod cli;
pub mod python;
pub mod record;
pub mod report;
pub mod states;
pub mod svg;
pub mod testing;
pub mod trace;

pub use cli::{Chapter, Runtime};
pub use record::{Event, Recording, Timeline};
pub use report::Row;

use std::process::ExitCode;
use std::time::Instant;

/// Runs a chapter from its command line: parses the arguments, sets up tracing
/// (`RUST_LOG` picks the detail, `info` by default), runs `scene` once per selected
/// runtime with a fresh clock, and prints the comparison table.
///
/// `scene` runs the chapter on one runtime and returns what that run shows, in a
/// few words, for the table. A wrong argument prints a clear error and returns a
/// non-zero exit code.
pub fn run(chapter: &Chapter, mut scene: impl FnMut(Runtime) -> String) -> ExitCode {
    let runtimes = match cli::parse(chapter, std::env::args_os().skip(1)) {
        Ok(runtimes) => runtimes,
        Err(error) => {
            // `--help` lands here too: clap prints it to stdout, exit code 0;
            // a wrong argument goes to stderr with exit code 2.
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    if let Err(error) = record::install_printer() {
        eprintln!("error: {error}");
        return ExitCode::from(2);
    }
    println!("{}", chapter.title);
    let mut rows = Vec::new();
    for runtime in runtimes {
        println!("\n== {} ==", runtime.title());
        record::restart_clock();
        let started = Instant::now();
        let shows = scene(runtime);
        rows.push(Row {
            runtime,
            total: started.elapsed(),
            shows,
        });
    }
    println!("\n{}", report::table(&rows));
    ExitCode::SUCCESS
}
