//! `cargo run --release -p blocking-offload --bin measure`: runs four CPU-bound
//! jobs as tasks on one loop and through each runtime's blocking pool, and the
//! same in Python (`python/parallel.py`), then writes the tables to
//! `crates/07-blocking-offload/results/parallelism.md`; runs the ticker scene
//! on every runtime and in Python (`python/blocking.py`) and writes how late
//! the ticks were to `results/lateness.md`. The book shows both files.
//!
//! `-- --limit N --python-limit M --out DIR` changes the job sizes and the
//! directory.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use blocking_offload::parallelism::{
    LIMIT, PYTHON_LIMIT, measure_python, measure_rust, report, today,
};
use blocking_offload::{BLOCK, TICK, TICKS, lateness_table, run_every_runtime};
use clap::Parser;

/// Measures concurrency against parallelism, and the ticks' lateness.
#[derive(Debug, Parser)]
struct Args {
    /// Rust's job size: count the primes below this.
    #[arg(long, default_value_t = LIMIT)]
    limit: u64,
    /// Python's job size.
    #[arg(long, default_value_t = PYTHON_LIMIT)]
    python_limit: u64,
    /// Where to write the two files.
    #[arg(long)]
    out: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("results"));
    let rust = measure_rust(args.limit);
    let python = measure_python(args.python_limit);
    let parallelism = report(&rust, args.limit, &python, args.python_limit);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/blocking.py");
    let python_ticks = timeline::python::run(&script, &[]);
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let lateness = format!(
        "Measured on {} by `cargo run --release -p blocking-offload --bin measure`, \
         on a machine with {cores} cores: a ticker due every {} ms, {TICKS} times, \
         beside a {} ms blocking call that starts half a tick in; the latest tick \
         of each run, on the real clock.\n\n{}",
        today(),
        TICK.as_millis(),
        BLOCK.as_millis(),
        lateness_table(&run_every_runtime(), python_ticks.as_deref())
    );
    print!("{parallelism}\n{lateness}");
    for (name, text) in [("parallelism.md", parallelism), ("lateness.md", lateness)] {
        let path = out.join(name);
        if let Err(error) = std::fs::write(&path, text) {
            eprintln!("error: could not write {}: {error}", path.display());
            return ExitCode::FAILURE;
        }
        println!("written to {}", path.display());
    }
    ExitCode::SUCCESS
}
