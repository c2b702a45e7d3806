//! Chapter 7's workloads, scaled down, on every runtime: every result comes
//! back right (no speed is checked here), the asyncio script runs, and the
//! section reads criterion's files.

use std::path::Path;
use std::time::Duration;

use bench::blocking_offload::{
    self, BlockingScale, LATENCY, THROUGHPUT, asyncio, latency, section, throughput,
};
use bench::{Runner, Runtime};

const SCALE: BlockingScale = BlockingScale::SMOKE;

#[test]
fn every_job_comes_back_right_on_every_runtime() {
    for runtime in Runtime::ALL {
        let runner = Runner::new(runtime).unwrap();
        assert_eq!(throughput(&runner, SCALE.jobs), SCALE.jobs, "{runtime}");
        assert_eq!(
            latency(&runner, SCALE.round_trips),
            SCALE.round_trips,
            "{runtime}"
        );
    }
}

#[test]
fn the_asyncio_script_measures_both_ways() {
    match asyncio(SCALE).unwrap() {
        Some(figures) => {
            assert!(figures.throughput > Duration::ZERO);
            assert!(figures.latency > Duration::ZERO);
        }
        None => eprintln!("skipped: python3 is not installed"),
    }
    assert!(blocking_offload::python_script().is_file());
}

/// Writes a criterion estimates file with this median.
fn estimate(dir: &Path, group: &str, runtime: Runtime, nanos: f64) {
    let path = bench::estimates::estimates_path(dir, group, runtime.name());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let json = format!(
        r#"{{"median":{{"confidence_interval":{{"confidence_level":0.95,"lower_bound":{nanos},"upper_bound":{nanos}}},"point_estimate":{nanos},"standard_error":0.0}}}}"#
    );
    std::fs::write(path, json).unwrap();
}

#[test]
fn the_section_reads_criterions_medians() {
    let dir = std::env::temp_dir().join(format!("ch7-section-{}", std::process::id()));
    for (n, runtime) in Runtime::ALL.into_iter().enumerate() {
        estimate(&dir, THROUGHPUT, runtime, 1e6 * (n + 1) as f64);
        estimate(&dir, LATENCY, runtime, 1e6 * (n + 1) as f64);
    }
    let text = section(&dir).unwrap();
    assert!(
        text.starts_with("### spawn_blocking (chapter 7)\n"),
        "{text}"
    );
    assert!(text.contains("| hand-rolled loop |"), "{text}");
    // tokio current-thread is the yardstick: its ratio is 1.
    let tokio = text
        .lines()
        .find(|line| line.starts_with("| tokio current-thread"));
    assert!(tokio.is_some_and(|line| line.contains("1.00")), "{text}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_missing_figure_is_an_error_not_a_panic() {
    let dir = std::env::temp_dir().join("ch7-section-nothing-here");
    assert!(section(&dir).is_err());
}

/// After `cargo bench -p bench --bench blocking_offload`: the section from
/// the real figures. `cargo test -p bench --test blocking_offload -- --ignored
/// --nocapture` prints it.
#[test]
#[ignore = "needs a benchmark run first"]
fn the_section_of_the_last_benchmark_run() {
    let text = section(&bench::estimates::criterion_dir()).unwrap();
    println!("{text}");
    assert_eq!(
        text.matches("\n| ").count(),
        2 + Runtime::ALL.len(),
        "{text}"
    );
}
