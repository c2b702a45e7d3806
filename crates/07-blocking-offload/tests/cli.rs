//! The chapter's command line: one runtime at a time, and a clear error for
//! a wrong one.

use std::process::Command;

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_blocking-offload"))
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn one_runtime_runs_the_scene_twice() {
    let output = run(&["--runtime", "smol"]);
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("-- blocking call inline --"), "{stdout}");
    assert!(stdout.contains("-- blocking call offloaded --"), "{stdout}");
    assert_eq!(stdout.matches("tick 6:").count(), 2, "{stdout}");
}

#[test]
fn a_wrong_runtime_is_a_clear_error() {
    let output = run(&["--runtime", "trio"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("trio"), "{stderr}");
}
