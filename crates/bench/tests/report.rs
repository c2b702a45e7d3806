//! The report's pieces: the date it prints, what it reads from `/proc`,
//! from criterion's files and from `strace`'s summaries, the targets it
//! judges and the markdown it writes. Each is checked on fixed text, so the
//! tests need neither a benchmark run, nor Linux, nor `strace`.

use std::path::Path;
use std::time::Duration;

use bench::estimates::{self, median_of};
use bench::machine::{civil_date, cpuinfo_model, limits_open_files, status_memory};
use bench::markdown::{self, Table};
use bench::targets::{self, Bound, Target};
use bench::{Lateness, Runtime, syscalls};

#[test]
fn days_since_1970_become_calendar_dates() {
    assert_eq!(civil_date(0), (1970, 1, 1));
    assert_eq!(civil_date(59), (1970, 3, 1), "1970 is not a leap year");
    assert_eq!(
        civil_date(11_016),
        (2000, 2, 29),
        "2000 is: every 400 years"
    );
    assert_eq!(civil_date(11_017), (2000, 3, 1));
    assert_eq!(
        civil_date(20_088),
        (2024, 12, 31),
        "the last day of a leap year"
    );
    assert_eq!(civil_date(47_541), (2100, 3, 1), "2100 is not: a century");
}

#[test]
fn today_is_written_year_month_day() {
    let today = bench::machine::today();
    let parts: Vec<&str> = today.split('-').collect();
    assert_eq!(
        parts.iter().map(|part| part.len()).collect::<Vec<_>>(),
        [4, 2, 2]
    );
    assert!(
        today.chars().all(|c| c.is_ascii_digit() || c == '-'),
        "{today}"
    );
}

#[test]
fn the_cpu_model_is_read_from_cpuinfo() {
    let x86 =
        "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n";
    assert_eq!(cpuinfo_model(x86).as_deref(), Some("AMD EPYC 7B13"));
    let arm = "processor\t: 0\nBogoMIPS\t: 108.00\nModel\t\t: Raspberry Pi 4 Model B\n";
    assert_eq!(
        cpuinfo_model(arm).as_deref(),
        Some("Raspberry Pi 4 Model B")
    );
    assert_eq!(cpuinfo_model("processor\t: 0\n"), None);
}

#[test]
fn memory_is_read_from_proc_status_in_kilobytes() {
    let status =
        "Name:\treport\nVmSize:\t  20480 kB\nVmRSS:\t    4096 kB\nThreads:\t1\n";
    let memory = status_memory(status).expect("both lines are there");
    assert_eq!(memory.reserved, 20_480 * 1024);
    assert_eq!(memory.resident, 4096 * 1024);
    assert_eq!(status_memory("Name:\treport\n"), None);
}

#[test]
fn the_open_files_limit_is_the_soft_one() {
    let limits = "Limit                     Soft Limit           Hard Limit           Units     \n\
                  Max processes             96343                96343                processes \n\
                  Max open files            1024                 524288               files     \n";
    assert_eq!(limits_open_files(limits), Some(1024));
    let unlimited =
        "Max open files            unlimited            unlimited            files\n";
    assert_eq!(limits_open_files(unlimited), Some(u64::MAX));
}

#[test]
fn criterions_median_is_read_in_nanoseconds() {
    let json = r#"{"mean":{"point_estimate":2500000.0},"median":{"point_estimate":2000000.0}}"#;
    assert_eq!(median_of(json), Ok(Duration::from_millis(2)));
    assert!(median_of("{}").is_err());
    assert!(median_of("not json").is_err());
}

#[test]
fn a_missing_result_names_the_command_that_makes_it() {
    let error = estimates::median(Path::new("/nonexistent/criterion"), "spawn", "hand")
        .expect_err("there is no such directory");
    let message = error.to_string();
    assert!(message.contains("spawn/hand"), "{message}");
    assert!(message.contains("cargo bench -p bench"), "{message}");
}

#[test]
fn lateness_has_a_median_and_a_maximum() {
    let millis = |ms: &[u64]| {
        ms.iter()
            .map(|&m| Duration::from_millis(m))
            .collect::<Vec<_>>()
    };
    let odd = Lateness::of(&millis(&[5, 1, 3])).expect("three samples");
    assert_eq!(
        (odd.median, odd.max),
        (Duration::from_millis(3), Duration::from_millis(5))
    );
    let even = Lateness::of(&millis(&[4, 1, 2, 3])).expect("four samples");
    assert_eq!(even.median, Duration::from_micros(2500));
    assert_eq!(Lateness::of(&[]), None, "no samples, no median");
}

#[test]
fn runtimes_are_found_by_their_short_names() {
    for runtime in Runtime::ALL {
        assert_eq!(runtime.name().parse::<Runtime>(), Ok(runtime));
    }
    let error = "tokio".parse::<Runtime>().expect_err("ambiguous");
    assert!(error.to_string().contains("tokio-ct"), "{error}");
}

#[test]
fn tables_are_valid_markdown_whatever_their_cells() {
    let mut table = Table::new(&["runtime", "figure"]);
    table.row(vec!["a | b".to_string(), "1".to_string()]);
    table.row(vec!["short row".to_string()]);
    let text = table.render();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[1], "| --- | --: |");
    for line in &lines {
        assert!(line.starts_with("| ") && line.ends_with(" |"), "{line}");
        assert_eq!(line.matches('|').count(), 3, "two cells in {line:?}");
    }
}

#[test]
fn figures_are_written_in_units_that_suit_them() {
    assert_eq!(markdown::grouped(1_000_000), "1,000,000");
    assert_eq!(markdown::grouped(999), "999");
    assert_eq!(markdown::duration(Duration::from_nanos(85)), "85 ns");
    assert_eq!(markdown::duration(Duration::from_micros(3200)), "3.2 ms");
    assert_eq!(markdown::bytes(312.0), "312 B");
    assert_eq!(markdown::bytes(9807.0), "9.6 KiB");
    assert_eq!(markdown::bytes(2.0 * 1024.0 * 1024.0), "2.0 MiB");
    assert_eq!(markdown::rate(950_000.4), "950,000/s");
    assert_eq!(markdown::ratio(1.049), "1.05×");
}

#[test]
fn strace_summaries_are_read_as_counts_by_name() {
    let summary = "    calls syscall\n\
                   --------- ----------------\n\
                   \x20   20000 sendto\n\
                   \x20   40001 recvfrom\n\
                   \x20       1 epoll_create1\n\
                   --------- ----------------\n\
                   \x20   60002 total\n";
    let counts = syscalls::parse_summary(summary);
    assert_eq!(
        counts.len(),
        3,
        "{counts:?}: no header, no dashes, no total"
    );
    assert_eq!(counts["recvfrom"], 40_001);
    assert_eq!(counts["epoll_create1"], 1);
    assert!(syscalls::parse_summary("strace: exec: No such file\n").is_empty());
}

#[test]
fn a_round_trip_costs_what_the_run_with_round_trips_made_beyond_the_one_without() {
    let counts = |pairs: &[(&str, u64)]| -> syscalls::Counts {
        pairs
            .iter()
            .map(|&(name, n)| (name.to_string(), n))
            .collect()
    };
    let with = counts(&[("sendto", 20_000), ("recvfrom", 40_001), ("execve", 1)]);
    let without = counts(&[("recvfrom", 1), ("execve", 1), ("futex", 3)]);
    let per_trip = syscalls::per_round_trip(&with, &without, 10_000);
    assert_eq!(per_trip["sendto"], 2.0);
    assert_eq!(per_trip["recvfrom"], 4.0);
    assert!(!per_trip.contains_key("execve"), "setup cancels out");
    assert!(per_trip["futex"] < 0.0, "one fewer is shown, not hidden");
}

#[test]
fn a_count_that_cannot_be_made_says_why_instead_of_failing() {
    // Without strace (as in CI) or with it, a program that does not exist
    // gives a reason, never a panic.
    let summary = std::env::temp_dir().join("bench-test-no-such-program.txt");
    let error = syscalls::count(Path::new("/nonexistent/program"), &[], &summary)
        .expect_err("nothing to count");
    assert!(!error.to_string().is_empty());
    let _ = std::fs::remove_file(summary);
}

#[test]
fn a_target_is_met_or_missed_by_its_ratio() {
    let target = |ratio, bound| Target {
        what: "heap per sleeping task".to_string(),
        peer: "tokio current-thread's".to_string(),
        figures: ("432 B".to_string(), "277 B".to_string()),
        ratio,
        bound,
    };
    assert!(target(1.0, Bound::AtMost(1.0)).met(), "a tie meets it");
    assert_eq!(target(1.56, Bound::AtMost(1.0)).verdict(), "missed");
    assert_eq!(target(0.95, Bound::AtLeast(0.9)).verdict(), "met");
    assert_eq!(target(0.85, Bound::AtLeast(0.9)).verdict(), "missed");
    let table = targets::table(&[target(1.56, Bound::AtMost(1.0))]).render();
    assert!(
        table.contains("| heap per sleeping task ≤ 1.00× tokio current-thread's |"),
        "{table}"
    );
    assert!(
        table.contains("| 432 B / 277 B | 1.56× | missed |"),
        "{table}"
    );
}

#[test]
fn the_best_peer_is_the_lowest_figure() {
    let figures = [("tokio-ct", 108.2), ("smol", 103.7), ("async-std", 105.0)];
    assert_eq!(targets::lowest(figures), Some(("smol", 103.7)));
    assert_eq!(targets::lowest([]), None);
}

#[test]
fn runtimes_go_by_their_short_names_on_the_command_line() {
    use clap::ValueEnum;
    for runtime in Runtime::ALL {
        let value = runtime.to_possible_value().expect("no runtime is skipped");
        assert_eq!(value.get_name(), runtime.name());
    }
}
