//! Reads the figures criterion wrote.
//!
//! For every benchmark, criterion keeps its latest analysis in
//! `<criterion dir>/<group>/<id>/new/estimates.json`: the mean, the median
//! and more, each a point estimate with a confidence interval, in
//! nanoseconds per iteration. The report takes the median, which a few slow
//! outliers (a busy machine) move least.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The command that produces what this module reads.
pub const BENCH_COMMAND: &str = "cargo bench -p bench";

/// The criterion group of the spawn workload.
pub const SPAWN: &str = "spawn";
/// The criterion group of the sleep workload.
pub const SLEEP: &str = "sleep";
/// The criterion group of the ping-pong workload.
pub const PING_PONG: &str = "ping-pong";
/// The criterion group of the echo workload.
pub const ECHO: &str = "echo";
/// The id of the sleep workload on OS threads; a runtime's id is its
/// [`name`](crate::Runtime::name).
pub const THREADS: &str = "threads";

/// Where criterion writes, found the way criterion finds it:
/// `$CRITERION_HOME`, else `criterion` in cargo's target directory
/// (`$CARGO_TARGET_DIR`, else what `cargo metadata` says, else this
/// workspace's `target`).
pub fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .or_else(metadata_target_dir)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("criterion")
}

/// The target directory `cargo metadata` reports, when cargo can be run.
fn metadata_target_dir() -> Option<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    metadata["target_directory"].as_str().map(PathBuf::from)
}

/// The file holding the estimates of benchmark `id` in `group`.
pub fn estimates_path(dir: &Path, group: &str, id: &str) -> PathBuf {
    dir.join(group).join(id).join("new").join("estimates.json")
}

/// The median of `group` on every runtime, in [`Runtime::ALL`]'s order,
/// each runtime's benchmark named by its short name.
///
/// [`Runtime::ALL`]: crate::Runtime::ALL
pub fn per_runtime(dir: &Path, group: &str) -> Result<Vec<Duration>, String> {
    crate::Runtime::ALL
        .iter()
        .map(|runtime| {
            median(dir, group, runtime.name()).map_err(|missing| missing.to_string())
        })
        .collect()
}

/// The median time per iteration of benchmark `id` in `group`.
pub fn median(dir: &Path, group: &str, id: &str) -> Result<Duration, MissingEstimate> {
    let path = estimates_path(dir, group, id);
    let missing = |reason: String| MissingEstimate {
        benchmark: format!("{group}/{id}"),
        path: path.clone(),
        reason,
    };
    let text =
        std::fs::read_to_string(&path).map_err(|error| missing(error.to_string()))?;
    median_of(&text).map_err(missing)
}

/// The median point estimate in the text of an `estimates.json`.
pub fn median_of(json: &str) -> Result<Duration, String> {
    let estimates: serde_json::Value =
        serde_json::from_str(json).map_err(|error| format!("not JSON: {error}"))?;
    let nanos = estimates["median"]["point_estimate"]
        .as_f64()
        .ok_or("no median.point_estimate in it")?;
    Duration::try_from_secs_f64(nanos / 1e9)
        .map_err(|_| format!("median.point_estimate is not a time: {nanos}"))
}

/// A benchmark whose result cannot be read: never run, or the file is not
/// what criterion writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingEstimate {
    /// `group/id`.
    pub benchmark: String,
    /// The file looked for.
    pub path: PathBuf,
    /// What went wrong reading it.
    pub reason: String,
}

impl fmt::Display for MissingEstimate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no criterion result for {} ({}: {}); run `{BENCH_COMMAND}` first",
            self.benchmark,
            self.path.display(),
            self.reason
        )
    }
}

impl std::error::Error for MissingEstimate {}
