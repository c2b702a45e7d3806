//! Runs the book's Python listings, so that the book's claim "asyncio does the
//! same" is checked, not just stated.

use std::path::Path;
use std::process::Command;

/// Runs `python3 SCRIPT ARGS…` and returns the lines it printed, or `None` (after
/// saying so on stderr) when `python3` is not installed. A script that fails is a
/// test failure, with its stderr in the message.
///
/// ```no_run
/// let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/greet.py");
/// if let Some(lines) = timeline::python::run(script, &["0.01"]) {
///     assert_eq!(lines[0], "Hello, Ada!");
/// }
/// ```
pub fn run(script: impl AsRef<Path>, args: &[&str]) -> Option<Vec<String>> {
    let script = script.as_ref();
    let output = match Command::new("python3").arg(script).args(args).output() {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "skipped: python3 is not installed, so {} was not run",
                script.display()
            );
            return None;
        }
        Err(error) => panic!("could not start python3: {error}"),
    };
    assert!(
        output.status.success(),
        "{} failed ({}):\n{}",
        script.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).expect("the listings print UTF-8");
    Some(stdout.lines().map(str::to_string).collect())
}
