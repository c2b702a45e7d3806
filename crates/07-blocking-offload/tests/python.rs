//! The book's Python listings, run: asyncio behaves as the Rust scene does
//! (ticks late behind an inline call, on time behind `to_thread` and
//! `run_in_executor`), and `parallel.py` does the same work every way.
//! Timing bounds are generous: only the order of magnitude is checked.

use blocking_offload::parallelism::{JOBS, measure_python};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/python/blocking.py");

/// Each line: a way, then each tick's lateness in ms.
fn parse(line: &str) -> (String, Vec<u64>) {
    let mut words = line.split(' ');
    let how = words.next().unwrap_or_default().to_string();
    (how, words.map(|ms| ms.parse().unwrap()).collect())
}

#[test]
fn asyncio_ticks_late_behind_a_blocking_call_and_on_time_behind_to_thread() {
    let Some(lines) = timeline::python::run(SCRIPT, &[]) else {
        return;
    };
    let runs: Vec<_> = lines.iter().map(|line| parse(line)).collect();
    let ways: Vec<&str> = runs.iter().map(|(how, _)| how.as_str()).collect();
    assert_eq!(ways, ["inline", "to_thread", "run_in_executor"]);
    // Inline: tick 1, due at 100 ms, waited for the call (50 ms + 320 ms).
    assert!(runs[0].1[0] >= 250, "{:?}", runs[0]);
    assert!(runs[0].1[0] > runs[0].1[2], "later ticks were due later");
    // Offloaded, tick 1 came before the call ended, so less than 250 ms late.
    assert!(runs[1].1[0] < 250, "{:?}", runs[1]);
    assert!(runs[2].1[0] < 250, "{:?}", runs[2]);
}

#[test]
fn the_parallel_listing_does_the_same_work_every_way() {
    if std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: python3 is not installed");
        return;
    }
    let rows = measure_python(2_000).expect("parallel.py runs");
    let ways: Vec<&str> = rows.iter().map(|row| row.how.as_str()).collect();
    assert_eq!(
        ways,
        [
            "one job alone, for scale",
            "4 tasks on one asyncio loop",
            "`asyncio.to_thread`",
            "`ProcessPoolExecutor`"
        ]
    );
    // The primes below 2,000: 303 of them.
    assert_eq!(rows[0].counts, [303]);
    for row in &rows[1..] {
        assert_eq!(row.counts, vec![303; JOBS], "{}", row.how);
    }
}
