//! Chapter 8's workloads, scaled down: every lock on every runtime counts
//! every increment, contended and not; the asyncio script runs; and the
//! appendix section reads what criterion would write.

mod support;

use std::time::Duration;

use bench::locks::{self, CONTENDED, CONTENDED_TASKS, Lock, LockScale, UNCONTENDED};
use bench::{Runner, Runtime};
use support::fake_estimate;

const SCALE: LockScale = LockScale::SMOKE;

#[test]
fn every_lock_counts_every_contended_increment_on_every_runtime() {
    for runtime in Runtime::ALL {
        let runner = Runner::new(runtime).expect("the runtime builds");
        for lock in Lock::ALL {
            let counted = locks::contended(&runner, lock, SCALE.increments);
            let expected = (CONTENDED_TASKS * SCALE.increments) as u64;
            assert_eq!(counted, expected, "{}", locks::id(lock, runtime));
        }
    }
}

#[test]
fn every_lock_counts_every_uncontended_increment_on_every_runtime() {
    for runtime in Runtime::ALL {
        let runner = Runner::new(runtime).expect("the runtime builds");
        for lock in Lock::ALL {
            let counted = locks::uncontended(&runner, lock, SCALE.lone_increments);
            let expected = SCALE.lone_increments as u64;
            assert_eq!(counted, expected, "{}", locks::id(lock, runtime));
        }
    }
}

#[test]
fn the_asyncio_script_measures_both_workloads() {
    match locks::asyncio(SCALE).expect("the script runs") {
        Some(figures) => {
            assert!(figures.contended > Duration::ZERO);
            assert!(figures.uncontended > Duration::ZERO);
        }
        None => eprintln!("skipped: python3 is not installed"),
    }
}

#[test]
fn the_section_reads_every_median_and_divides_by_the_increments() {
    let dir = std::env::temp_dir().join(format!("bench-locks-{}", std::process::id()));
    let total = (CONTENDED_TASKS * LockScale::FULL.increments) as f64;
    for runtime in Runtime::ALL {
        for lock in Lock::ALL {
            let id = locks::id(lock, runtime);
            fake_estimate(&dir, CONTENDED, &id, 100.0 * total);
            let lone = LockScale::FULL.lone_increments as f64;
            fake_estimate(&dir, UNCONTENDED, &id, 20.0 * lone);
        }
    }
    let section = locks::section(&dir).expect("every estimate is there");
    std::fs::remove_dir_all(&dir).expect("cleaned up");
    assert!(section.starts_with("### Locks"), "{section}");
    assert!(
        section.contains("| hand-rolled loop | 100 ns |"),
        "{section}"
    );
    assert!(
        section.contains("| tokio current-thread | 20 ns |"),
        "{section}"
    );
    assert!(
        section.contains("| smol (local executor) | 1.00× |"),
        "{section}"
    );
}

#[test]
fn the_section_says_which_estimate_is_missing() {
    let dir = std::env::temp_dir().join("bench-locks-nothing-here");
    let error = locks::section(&dir).expect_err("nothing was measured");
    assert!(error.contains("lock-contended/hand/hand"), "{error}");
}
