//! Chapter 5's workloads, scaled down: every gather on every runtime gives
//! every output, in order; the asyncio script runs; and the appendix
//! section reads what criterion would write.

mod support;

use std::time::Duration;

use bench::gather_wait::{self, FUTURES, GatherScale, TASKS};
use bench::{Runner, Runtime};
use support::fake_estimate;

const SCALE: GatherScale = GatherScale::SMOKE;

#[test]
fn a_gather_of_futures_gives_every_output_in_order_on_every_runtime() {
    for runtime in Runtime::ALL {
        let runner = Runner::new(runtime).expect("the runtime builds");
        assert_eq!(
            gather_wait::futures(&runner, SCALE.count),
            SCALE.count,
            "{runtime}"
        );
    }
}

#[test]
fn a_gather_of_tasks_gives_every_output_in_order_on_every_runtime() {
    for runtime in Runtime::ALL {
        let runner = Runner::new(runtime).expect("the runtime builds");
        assert_eq!(
            gather_wait::tasks(&runner, SCALE.count),
            SCALE.count,
            "{runtime}"
        );
    }
}

#[test]
fn the_asyncio_script_measures_both_gathers() {
    match gather_wait::asyncio(SCALE).expect("the script runs") {
        Some(figures) => {
            assert!(figures.futures > Duration::ZERO);
            assert!(figures.tasks > Duration::ZERO);
        }
        None => eprintln!("skipped: python3 is not installed"),
    }
}

#[test]
fn the_section_reads_criterions_figures_with_ratios_to_tokio_current_thread() {
    let dir = std::env::temp_dir().join(format!("gather-wait-{}", std::process::id()));
    for (at, runtime) in Runtime::ALL.iter().enumerate() {
        let nanos = 1e6 * (at + 1) as f64; // hand 1 ms, tokio-ct 2 ms, …
        fake_estimate(&dir, FUTURES, runtime.name(), nanos);
        fake_estimate(&dir, TASKS, runtime.name(), 2.0 * nanos);
    }
    let section = gather_wait::section(&dir).expect("every figure is there");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(section.starts_with("### Gather (chapter 5)"), "{section}");
    let hand = section
        .lines()
        .find(|line| line.starts_with("| hand-rolled loop"))
        .expect("a row for our loop");
    assert!(
        hand.contains("0.50"),
        "half of tokio current-thread's: {hand}"
    );
    let missing = gather_wait::section(&dir.join("nothing"));
    assert!(
        missing.is_err(),
        "a missing figure is an error, not a table"
    );
}
