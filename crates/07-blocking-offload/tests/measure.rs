//! The concurrency-against-parallelism measurement, run small: every way
//! does the same work, and the file it writes has the shape the book
//! expects. No speed-up is asserted (the machine running tests is loaded);
//! the committed `results/parallelism.md` is what `--bin measure` measured.

use std::path::PathBuf;

use blocking_offload::parallelism::{JOBS, count_primes, measure_rust, report, table};

#[test]
fn prime_counts_are_right() {
    assert_eq!(count_primes(10), 4);
    assert_eq!(count_primes(2_000), 303);
}

#[test]
fn every_way_does_the_same_work() {
    let rows = measure_rust(2_000);
    let ways: Vec<&str> = rows.iter().map(|row| row.how.as_str()).collect();
    assert_eq!(
        ways,
        [
            "one job alone, for scale",
            "4 tasks on our loop",
            "our pool's `spawn_blocking`",
            "tokio `spawn_blocking`",
            "async-std `spawn_blocking`",
            "smol `unblock`"
        ]
    );
    assert_eq!(rows[0].counts, [303]);
    for row in &rows[1..] {
        assert_eq!(row.counts, vec![303; JOBS], "{}", row.how);
    }
}

#[test]
fn the_table_compares_each_way_with_tasks_on_one_loop() {
    let rows = measure_rust(2_000);
    let table = table(&rows);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines[0], "| how the 4 jobs ran | wall time | speed-up |");
    assert_eq!(lines.len(), 2 + rows.len());
    assert!(lines[2].ends_with("| - |"), "one job alone has no speed-up");
    assert!(lines[3].ends_with("| 1.00x |"), "{}", lines[3]);
}

#[test]
fn the_report_names_the_machine_and_both_languages() {
    let rows = measure_rust(2_000);
    let text = report(&rows, 2_000, &Err("python3 is not installed".into()), 200);
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    assert!(
        text.contains(&format!("a machine with {cores} cores")),
        "{text}"
    );
    assert!(text.contains("\nRust:\n"));
    assert!(text.contains("Not measured: python3 is not installed"));
}

#[test]
fn the_committed_results_have_that_shape() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("results/parallelism.md");
    let text = std::fs::read_to_string(&path).expect("measured and committed");
    assert!(text.starts_with("Measured on "), "{text}");
    assert!(text.contains("| `ProcessPoolExecutor` |"), "{text}");
    assert!(text.contains("| 4 tasks on our loop |"), "{text}");
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("results/lateness.md");
    let text = std::fs::read_to_string(&path).expect("measured and committed");
    assert!(text.contains("| smol |"), "{text}");
}
