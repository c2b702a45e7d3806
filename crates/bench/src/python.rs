//! Runs a chapter's asyncio benchmark with `python3` and reads what it
//! prints: one `NAME NANOSECONDS` line per figure.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Runs `script` with `args` and returns the figures named `names`, in that
/// order; `Ok(None)` when `python3` is not installed. A script that fails,
/// or leaves a figure out, is an error that says which.
pub fn figures(
    script: &Path,
    args: &[String],
    names: &[&str],
) -> Result<Option<Vec<Duration>>, String> {
    let shown = script.file_name().unwrap_or_default().to_string_lossy();
    let output = match Command::new("python3").arg(script).args(args).output() {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(format!("could not start python3: {error}")),
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("{shown} failed: {stderr}"));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let figure = |name: &str| -> Result<Duration, String> {
        let line = stdout
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .ok_or_else(|| format!("{shown} printed no `{name}` line"))?;
        let nanos: f64 = line
            .trim()
            .parse()
            .map_err(|_| format!("{shown}: not a number: {line}"))?;
        Ok(Duration::from_secs_f64(nanos / 1e9))
    };
    names
        .iter()
        .map(|name| figure(name))
        .collect::<Result<_, _>>()
        .map(Some)
}
