//! Chapter 7's workloads, scaled down, on every runtime: every result comes
//! back right (no speed is checked here), the asyncio script runs, and the
//! section reads criterion's files.

mod support;

use std::time::Duration;

use bench::blocking_offload::{
    self, BlockingScale, LATENCY, THROUGHPUT, asyncio, latency, section, throughput,
};
use bench::{Runner, Runtime};
use support::fake_estimate;

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

#[test]
fn the_section_reads_criterions_medians() {
    let dir = std::env::temp_dir().join(format!("ch7-section-{}", std::process::id()));
    for (n, runtime) in Runtime::ALL.into_iter().enumerate() {
        fake_estimate(&dir, THROUGHPUT, runtime.name(), 1e6 * (n + 1) as f64);
        fake_estimate(&dir, LATENCY, runtime.name(), 1e6 * (n + 1) as f64);
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
