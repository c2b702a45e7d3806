//! `cargo run -p locks`: 100 tasks update a shared counter across an await,
//! without a lock and then with one, on every runtime; the table counts the
//! updates lost. `-- --runtime tokio` picks one runtime; `RUST_LOG=debug`
//! shows each task's read and write.

use std::process::ExitCode;

use locks::{IO, Io, TASKS, hand, with_async_std, with_smol, with_tokio};
use timeline::{Chapter, Runtime};
use tracing::info;

const CHAPTER: Chapter = Chapter {
    package: "locks",
    title: "Chapter 8: shared state. 100 tasks each read a counter, await, and \
            write it back plus one: without a lock, then with one.",
    runtimes: &Runtime::ALL,
};

fn main() -> ExitCode {
    timeline::run(&CHAPTER, |runtime| {
        info!("{TASKS} tasks: read, await {} ms, write", IO.as_millis());
        let tally = match runtime {
            Runtime::Hand => hand::lost_updates(TASKS, Io::same(IO)),
            Runtime::Tokio => with_tokio::run_lost_updates(TASKS, Io::same(IO)),
            Runtime::AsyncStd => with_async_std::run_lost_updates(TASKS, Io::same(IO)),
            Runtime::Smol => with_smol::run_lost_updates(TASKS, Io::same(IO)),
        };
        info!("without a lock the counter ends at {}", tally.unlocked);
        info!("with a lock it ends at {}", tally.locked);
        tally.summary()
    })
}
