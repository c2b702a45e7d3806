//! Compiles a listing from `snippets/` with the toolchain under test: how the
//! compiler messages that the book shows are recorded.

use std::process::{Command, Output};

/// Runs rustc on `snippets/NAME.rs` as a library (metadata only, no colours)
/// and returns what it printed; `extra` goes on the command line too.
pub fn compile(name: &str, extra: &[&str]) -> Output {
    let out_dir =
        std::env::temp_dir().join(format!("snippet-{name}-{}", std::process::id()));
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let output = Command::new(rustc)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["--edition", "2024", "--crate-type", "lib"])
        .args(["--emit", "metadata", "--color", "never"])
        .args(extra)
        .arg("--out-dir")
        .arg(&out_dir)
        .arg(format!("snippets/{name}.rs"))
        .output()
        .expect("rustc runs wherever cargo test runs");
    let _ = std::fs::remove_dir_all(&out_dir);
    output
}
