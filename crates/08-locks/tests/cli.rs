//! `cargo run -p locks`: the chapter's command line, on our loop.

use std::process::Command;

#[test]
fn the_demo_counts_the_lost_updates_on_our_loop() {
    let output = Command::new(env!("CARGO_BIN_EXE_locks"))
        .args(["--runtime", "hand"])
        .output()
        .expect("the demo runs");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("without a lock the counter ends at 1"),
        "{stdout}"
    );
    assert!(stdout.contains("with a lock it ends at 100"), "{stdout}");
    assert!(
        stdout.contains("99 of 100 updates lost without a lock, 0 with one"),
        "{stdout}"
    );
}

#[test]
fn a_wrong_runtime_is_a_clear_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_locks"))
        .args(["--runtime", "trio"])
        .output()
        .expect("the demo runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("trio"), "{stderr}");
}
