//! Concurrency is not parallelism, measured: four CPU-bound jobs of a fixed
//! size, run as tasks on one loop (one after the other, whatever the number
//! of tasks: a job never awaits) and through each runtime's blocking pool
//! (side by side, up to the number of cores).
//!
//! `cargo run --release -p blocking-offload --bin measure` runs them, runs
//! `python/parallel.py` for asyncio's side, and writes
//! `results/parallelism.md`, which the book includes. No test asserts a
//! speed-up: the machine that runs the tests is loaded. Speed lives here and
//! in the benchmarks.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use event_loop::hand::EventLoop;

use crate::hand::{ThreadPool, spawn_blocking};

// ANCHOR: job
/// How many jobs run at once.
pub const JOBS: usize = 4;

/// Rust's job size: the primes below this are counted.
pub const LIMIT: u64 = 3_000_000;

/// The CPU-bound job: counts the primes below `limit` by trial division.
/// It never awaits: a task that runs it holds its thread till the end.
pub fn count_primes(limit: u64) -> usize {
    (2..limit).filter(|&n| is_prime(n)).count()
}

fn is_prime(n: u64) -> bool {
    (2..).take_while(|d| d * d <= n).all(|d| n % d != 0)
}
// ANCHOR_END: job

/// One measured way of running the jobs.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// How the jobs ran.
    pub how: String,
    /// Wall-clock time for all of them.
    pub took: Duration,
    /// Every job's count, to check the work was done.
    pub counts: Vec<usize>,
}

fn timed(how: &str, run: impl FnOnce() -> Vec<usize>) -> Row {
    let started = Instant::now();
    let counts = run();
    Row {
        how: how.to_string(),
        took: started.elapsed(),
        counts,
    }
}

// ANCHOR: as_tasks
/// The jobs as tasks on our loop: concurrency on one thread.
pub fn as_tasks(limit: u64) -> Vec<usize> {
    let event_loop = EventLoop::new();
    let tasks: Vec<_> = (0..JOBS)
        .map(|_| event_loop.create_task(async move { count_primes(limit) }))
        .collect();
    event_loop.run_until_complete(async {
        let mut counts = Vec::new();
        for task in tasks {
            counts.push(task.await.expect("counting does not panic"));
        }
        counts
    })
}

/// The jobs through our pool's `spawn_blocking`: parallel, up to the cores.
pub fn through_our_pool(limit: u64) -> Vec<usize> {
    let event_loop = EventLoop::new();
    event_loop.run_until_complete(async {
        let jobs: Vec<_> = (0..JOBS)
            .map(|_| spawn_blocking(move || count_primes(limit)))
            .collect();
        let mut counts = Vec::new();
        for job in jobs {
            counts.push(job.await.expect("counting does not panic"));
        }
        counts
    })
}
// ANCHOR_END: as_tasks

fn through_tokio(limit: u64) -> Vec<usize> {
    let runtime = crate::with_tokio::current_thread().expect("a tokio runtime");
    runtime.block_on(async {
        let jobs: Vec<_> = (0..JOBS)
            .map(|_| tokio::task::spawn_blocking(move || count_primes(limit)))
            .collect();
        let mut counts = Vec::new();
        for job in jobs {
            counts.push(job.await.expect("counting does not panic"));
        }
        counts
    })
}

fn through_async_std(limit: u64) -> Vec<usize> {
    async_std::task::block_on(async {
        let jobs: Vec<_> = (0..JOBS)
            .map(|_| async_std::task::spawn_blocking(move || count_primes(limit)))
            .collect();
        let mut counts = Vec::new();
        for job in jobs {
            counts.push(job.await);
        }
        counts
    })
}

fn through_smol(limit: u64) -> Vec<usize> {
    smol::block_on(async {
        let jobs: Vec<_> = (0..JOBS)
            .map(|_| smol::unblock(move || count_primes(limit)))
            .collect();
        let mut counts = Vec::new();
        for job in jobs {
            counts.push(job.await);
        }
        counts
    })
}

/// Every Rust way, in the order the table shows them. The first is one job
/// alone, the unit the others compare with.
pub fn measure_rust(limit: u64) -> Vec<Row> {
    // Warm each pool (and the caches) so the first row pays no start-up.
    let _ = ThreadPool::new();
    vec![
        timed("one job alone, for scale", || vec![count_primes(limit)]),
        timed("4 tasks on our loop", || as_tasks(limit)),
        timed("our pool's `spawn_blocking`", || through_our_pool(limit)),
        timed("tokio `spawn_blocking`", || through_tokio(limit)),
        timed("async-std `spawn_blocking`", || through_async_std(limit)),
        timed("smol `unblock`", || through_smol(limit)),
    ]
}

/// asyncio's side: runs `python/parallel.py LIMIT JOBS`, which prints one
/// `how<TAB>seconds<TAB>counts` line per way. `Err` says why there is none.
pub fn measure_python(limit: u64) -> Result<Vec<Row>, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/parallel.py");
    let output = std::process::Command::new("python3")
        .arg(&script)
        .arg(limit.to_string())
        .arg(JOBS.to_string())
        .output()
        .map_err(|error| format!("python3 could not be run: {error}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("{} failed: {stderr}", script.display()));
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(parse_python_row)
        .collect()
}

fn parse_python_row(line: &str) -> Result<Row, String> {
    let bad = || format!("an unexpected line from parallel.py: {line:?}");
    let mut fields = line.split('\t');
    let (Some(how), Some(seconds), Some(counts)) =
        (fields.next(), fields.next(), fields.next())
    else {
        return Err(bad());
    };
    let seconds: f64 = seconds.parse().map_err(|_| bad())?;
    let counts = counts
        .split(',')
        .map(|count| count.parse().map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    Ok(Row {
        how: how.to_string(),
        took: Duration::from_secs_f64(seconds),
        counts,
    })
}

/// Python's job size: CPython counts about fifty times slower, so a smaller
/// limit keeps its run near Rust's in time.
pub const PYTHON_LIMIT: u64 = 200_000;

/// The table for one language: each way's time, and how many times faster
/// than the first way that ran all the jobs (tasks on one loop, or
/// coroutines on asyncio's).
pub fn table(rows: &[Row]) -> String {
    let base = rows
        .iter()
        .find(|row| row.counts.len() == JOBS)
        .map(|row| row.took.as_secs_f64());
    let mut out =
        String::from("| how the 4 jobs ran | wall time | speed-up |\n|---|--:|--:|\n");
    for row in rows {
        let secs = row.took.as_secs_f64();
        let speed_up = match base {
            Some(base) if row.counts.len() == JOBS && secs > 0.0 => {
                format!("{:.2}x", base / secs)
            }
            _ => "-".to_string(),
        };
        let _ = writeln!(out, "| {} | {secs:.3} s | {speed_up} |", row.how);
    }
    out
}

/// The whole file: where and when it was measured, then both tables.
pub fn report(
    rust: &[Row],
    rust_limit: u64,
    python: &Result<Vec<Row>, String>,
    python_limit: u64,
) -> String {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let mut out = format!(
        "Measured on {} by `cargo run --release -p blocking-offload --bin measure`, \
         on a machine with {cores} cores (shared with other work while it ran): \
         {JOBS} jobs, each counting the primes below {rust_limit} in Rust and below \
         {python_limit} in Python. The speed-up is against the jobs run as tasks \
         on one loop.\n\nRust:\n\n",
        today()
    );
    out.push_str(&table(rust));
    out.push_str("\nPython (CPython, with its GIL):\n\n");
    match python {
        Ok(rows) => out.push_str(&table(rows)),
        Err(why) => {
            let _ = writeln!(out, "Not measured: {why}");
        }
    }
    out
}

/// Today's date (UTC) as `YYYY-MM-DD`, from the system clock.
pub fn today() -> String {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs() / 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The calendar date `days` after 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::civil_from_days;

    #[test]
    fn dates_come_out_right() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(20_424), (2025, 12, 2));
    }
}
