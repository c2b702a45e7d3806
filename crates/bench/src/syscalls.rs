//! System calls per echo round trip, counted by `strace`.
//!
//! A round trip on one connection is a few reads and writes and a wait or
//! two in the poller; what a runtime adds around them is what it costs the
//! kernel. The report runs a one-connection echo under `strace -f -c`
//! (every thread followed, a count per system call) twice: with
//! [`ROUNDS`] round trips and with none, so that starting the process, the
//! runtime and the connection cancel out; the difference, divided by
//! [`ROUNDS`], is the cost of one round trip.
//!
//! `strace` is not everywhere (CI has none, and some containers forbid the
//! `ptrace` it needs): then the figure is not measured, and [`NotMeasured`]
//! says why. Nothing else in the report depends on it.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::Path;
use std::process::Command;

/// How many round trips the measured echo makes.
pub const ROUNDS: usize = 10_000;

/// The program that counts.
pub const STRACE: &str = "strace";

/// How many times each system call was made, by name.
pub type Counts = BTreeMap<String, u64>;

/// Why a count could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotMeasured(pub String);

impl fmt::Display for NotMeasured {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotMeasured {}

/// Runs `program` with `args` under `strace -f -c`, writing strace's summary
/// to `summary`, and reads it back.
pub fn count(
    program: &Path,
    args: &[&str],
    summary: &Path,
) -> Result<Counts, NotMeasured> {
    let output = Command::new(STRACE)
        // -f: every thread; -c: counts, not a trace; -U: just the calls
        // and the name, whichever strace's default columns are.
        .args(["-f", "-c", "-U", "calls,name", "-o"])
        .arg(summary)
        .arg(program)
        .args(args)
        .output()
        .map_err(|error| match error.kind() {
            io::ErrorKind::NotFound => {
                NotMeasured(format!("`{STRACE}` is not installed"))
            }
            _ => NotMeasured(format!("`{STRACE}` could not be started: {error}")),
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().last().unwrap_or("no message").trim();
        return Err(NotMeasured(format!(
            "`{STRACE} {}` failed ({}): {last}",
            args.join(" "),
            output.status
        )));
    }
    let text = fs::read_to_string(summary).map_err(|error| {
        NotMeasured(format!("cannot read {}: {error}", summary.display()))
    })?;
    let counts = parse_summary(&text);
    if counts.is_empty() {
        return Err(NotMeasured(format!(
            "`{STRACE}` wrote no counts to {}",
            summary.display()
        )));
    }
    Ok(counts)
}

/// The counts in a summary written by `strace -c -U calls,name`: lines of a
/// count and a name, between lines of dashes, and a `total` left out.
pub fn parse_summary(text: &str) -> Counts {
    let mut counts = Counts::new();
    for line in text.lines() {
        let mut fields = line.split_whitespace();
        let (Some(calls), Some(name), None) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let Ok(calls) = calls.parse::<u64>() else {
            continue; // the header, or a line of dashes
        };
        if name != "total" {
            *counts.entry(name.to_string()).or_default() += calls;
        }
    }
    counts
}

/// The system calls of one round trip, by name: what `rounds` round trips
/// made beyond what none made, divided by `rounds`. A call that none made
/// more of is left out; one that a few made fewer of (a thread that parked
/// once less) shows as a small negative.
pub fn per_round_trip(
    with: &Counts,
    without: &Counts,
    rounds: usize,
) -> BTreeMap<String, f64> {
    let names = with.keys().chain(without.keys());
    names
        .map(|name| {
            let made = |counts: &Counts| counts.get(name).copied().unwrap_or(0) as f64;
            (name.clone(), (made(with) - made(without)) / rounds as f64)
        })
        .filter(|(_, per_trip)| *per_trip != 0.0)
        .collect()
}
