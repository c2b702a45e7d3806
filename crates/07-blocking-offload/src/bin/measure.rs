//! `cargo run --release -p blocking-offload --bin measure`: runs four CPU-bound
//! jobs as tasks on one loop and through each runtime's blocking pool, and the
//! same in Python (`python/parallel.py`), then writes the tables to
//! `crates/07-blocking-offload/results/parallelism.md`, which the book shows.
//!
//! `-- --limit N --python-limit M --out FILE` changes the job sizes and the
//! file (the tests run it small).

use std::path::PathBuf;
use std::process::ExitCode;

use blocking_offload::parallelism::{
    LIMIT, PYTHON_LIMIT, measure_python, measure_rust, report,
};
use clap::Parser;

/// Measures concurrency against parallelism and writes the table.
#[derive(Debug, Parser)]
struct Args {
    /// Rust's job size: count the primes below this.
    #[arg(long, default_value_t = LIMIT)]
    limit: u64,
    /// Python's job size.
    #[arg(long, default_value_t = PYTHON_LIMIT)]
    python_limit: u64,
    /// Where to write the tables.
    #[arg(long)]
    out: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let out = args.out.unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("results/parallelism.md")
    });
    let rust = measure_rust(args.limit);
    let python = measure_python(args.python_limit);
    let text = report(&rust, args.limit, &python, args.python_limit);
    print!("{text}");
    match std::fs::write(&out, text) {
        Ok(()) => {
            println!("\nwritten to {}", out.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: could not write {}: {error}", out.display());
            ExitCode::FAILURE
        }
    }
}
