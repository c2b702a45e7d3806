//! The report's pieces: the date it prints, what it reads from `/proc` and
//! from criterion's files, and the markdown it writes. Each is checked on
//! fixed text, so the tests need neither a benchmark run nor Linux.

use std::path::Path;
use std::time::Duration;

use bench::estimates::{self, median_of};
use bench::machine::{civil_date, cpuinfo_model, limits_open_files, status_memory};
use bench::markdown::{self, Table};
use bench::{Lateness, Runtime};

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
