//! Calling an async fn and dropping the future is almost always a bug, and the
//! compiler says so. This test compiles `snippets/forgot_await.rs` and keeps the
//! warning as a snapshot, which the book shows.

use std::process::Command;

#[test]
fn compiler_warns_when_a_future_is_never_awaited() {
    let out_dir =
        std::env::temp_dir().join(format!("forgot-await-{}", std::process::id()));
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let output = Command::new(rustc)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "--edition",
            "2024",
            "--crate-type",
            "lib",
            "--emit",
            "metadata",
        ])
        .args(["--color", "never", "--out-dir"])
        .arg(&out_dir)
        .arg("snippets/forgot_await.rs")
        .output()
        .expect("rustc runs wherever cargo test runs");
    let _ = std::fs::remove_dir_all(&out_dir);
    assert!(
        output.status.success(),
        "the snippet compiles, with a warning"
    );
    let warning = String::from_utf8(output.stderr).expect("rustc prints UTF-8");
    assert!(warning.contains("unused implementer of `Future` that must be used"));
    assert!(warning.contains("futures do nothing unless you `.await` or poll them"));
    insta::with_settings!({ omit_expression => true }, {
        insta::assert_snapshot!("forgot_await_warning", warning.trim_end());
    });
}
