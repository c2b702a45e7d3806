//! What the book says it read in the other runtimes' sources, read again
//! here from the very versions this workspace builds (their sources sit in
//! cargo's registry): tokio's blocking-pool defaults, the `blocking` crate's
//! limit and idle wait, and async-std's `spawn_blocking` being `unblock`.
//! Where the registry holds no source (a vendored build), the test says so
//! and checks nothing.

use std::path::{Path, PathBuf};

/// The version of `package` in the workspace's `Cargo.lock`.
fn locked_version(package: &str) -> String {
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    let lock = std::fs::read_to_string(lock).expect("the workspace has a Cargo.lock");
    let entry = format!("name = \"{package}\"\nversion = \"");
    let at = lock.find(&entry).expect("the package is locked") + entry.len();
    lock[at..].split('"').next().unwrap_or_default().to_string()
}

/// The registry's copy of `package` at its locked version, if there is one.
fn source_dir(package: &str) -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo"))
        })?;
    let name = format!("{package}-{}", locked_version(package));
    std::fs::read_dir(home.join("registry/src"))
        .ok()?
        .filter_map(Result::ok)
        .map(|index| index.path().join(&name))
        .find(|dir| dir.is_dir())
}

/// The file's text, or `None` (said on stderr) when the source is absent.
fn read(package: &str, file: &str) -> Option<String> {
    let Some(dir) = source_dir(package) else {
        eprintln!("skipped: no source of {package} in cargo's registry");
        return None;
    };
    Some(std::fs::read_to_string(dir.join(file)).expect("the file is in the crate"))
}

#[test]
fn tokio_caps_blocking_threads_at_512_and_keeps_idle_ones_10_s() {
    if let Some(builder) = read("tokio", "src/runtime/builder.rs") {
        assert!(builder.contains("max_blocking_threads: 512,"));
    }
    if let Some(pool) = read("tokio", "src/runtime/blocking/pool.rs") {
        assert!(pool.contains("const KEEP_ALIVE: Duration = Duration::from_secs(10);"));
    }
}

#[test]
fn the_blocking_crate_caps_at_500_and_waits_500_ms_at_a_time() {
    let Some(lib) = read("blocking", "src/lib.rs") else {
        return;
    };
    assert!(lib.contains("NonZeroUsize::new(500)"));
    assert!(lib.contains("const MAX_THREADS_ENV: &str = \"BLOCKING_MAX_THREADS\";"));
    assert!(lib.contains("let timeout = Duration::from_millis(500);"));
    // An idle thread ends only when the pool is over its limit.
    assert!(lib.contains("if (Some(inner.thread_count) > inner.thread_limit"));
}

#[test]
fn async_std_spawn_blocking_is_the_blocking_crates_unblock() {
    if let Some(spawn) = read("async-std", "src/task/spawn_blocking.rs") {
        assert!(
            spawn.contains("task::spawn(async_global_executor::spawn_blocking(f))")
        );
    }
    let version = locked_version("async-global-executor");
    assert!(!version.is_empty());
    if let Some(executor) = read("async-global-executor", "src/executor.rs") {
        assert!(executor.contains("blocking::unblock(f)"));
    }
}
