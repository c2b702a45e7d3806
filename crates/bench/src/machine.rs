//! What the report says about the machine and the moment: today's date, the
//! CPU, the toolchain, and how much memory this process uses.
//!
//! Figures mean little without the machine they came from, so the results
//! file opens with it. Everything here reads what Linux shows in `/proc`;
//! on other systems the report says "n/a" rather than guess.

use std::fs;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let (year, month, day) = civil_date(seconds / 86_400);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The calendar date `days` days after 1 January 1970: (year, month, day).
///
/// Walks year by year, then month by month, subtracting their lengths: a few
/// dozen steps for any date this century, and plain enough to check by eye.
pub fn civil_date(days: u64) -> (u64, u32, u32) {
    let mut left = days;
    let mut year = 1970;
    loop {
        let length = if is_leap(year) { 366 } else { 365 };
        if left < length {
            break;
        }
        left -= length;
        year += 1;
    }
    let february = if is_leap(year) { 29 } else { 28 };
    let months = [31, february, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut month = 1;
    for length in months {
        if left < length {
            break;
        }
        left -= length;
        month += 1;
    }
    // `left` is now under 31: the day of the month, counted from zero.
    (year, month, left as u32 + 1)
}

/// Leap years: every fourth, except centuries, except every fourth century.
fn is_leap(year: u64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The CPU's model name, from `/proc/cpuinfo`.
pub fn cpu_model() -> Option<String> {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").ok()?;
    cpuinfo_model(&cpuinfo)
}

/// The model name in the text of `/proc/cpuinfo`: `model name` on x86,
/// `Model` or `Hardware` on some ARM boards.
pub fn cpuinfo_model(cpuinfo: &str) -> Option<String> {
    ["model name", "Model", "Hardware"].iter().find_map(|key| {
        cpuinfo.lines().find_map(|line| {
            let (name, value) = line.split_once(':')?;
            (name.trim() == *key && !value.trim().is_empty())
                .then(|| value.trim().to_string())
        })
    })
}

/// How many threads can run at once, as the standard library sees it.
pub fn cores() -> Option<usize> {
    std::thread::available_parallelism().ok().map(usize::from)
}

/// `rustc --version` (the `RUSTC` variable names another compiler, as for
/// cargo).
pub fn rustc_version() -> Option<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(rustc).arg("--version").output().ok()?;
    let version = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !version.trim().is_empty())
        .then(|| version.trim().to_string())
}

/// One line for the top of the results: when, and on what.
pub fn description() -> String {
    let cores = cores().map_or_else(|| "? cores".to_string(), |n| format!("{n} cores"));
    format!(
        "{} on {} ({cores}), {}/{}, {}",
        today(),
        cpu_model().unwrap_or_else(|| "an unknown CPU".to_string()),
        std::env::consts::OS,
        std::env::consts::ARCH,
        rustc_version().unwrap_or_else(|| "rustc of unknown version".to_string()),
    )
}

/// How much memory the process has, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Memory {
    /// Resident: the pages actually in RAM (Linux's RSS).
    pub resident: u64,
    /// Virtual: all the address space reserved, used or not.
    pub reserved: u64,
}

/// This process's memory, from `/proc/self/status`; `None` where there is
/// no such file.
///
/// `/proc/self/status` rather than `/proc/self/statm`: the same figures, but
/// in kilobytes rather than pages, so there is no page size to look up.
pub fn memory() -> Option<Memory> {
    status_memory(&fs::read_to_string("/proc/self/status").ok()?)
}

/// The memory figures in the text of `/proc/self/status`.
pub fn status_memory(status: &str) -> Option<Memory> {
    Some(Memory {
        resident: status_kilobytes(status, "VmRSS")? * 1024,
        reserved: status_kilobytes(status, "VmSize")? * 1024,
    })
}

/// The value of a line such as `VmRSS:     1234 kB`.
fn status_kilobytes(status: &str, key: &str) -> Option<u64> {
    status.lines().find_map(|line| {
        let value = line.strip_prefix(key)?.strip_prefix(':')?;
        value.trim().strip_suffix("kB")?.trim().parse().ok()
    })
}

/// How many files (sockets included) this process may have open: the soft
/// limit from `/proc/self/limits`, `None` where it cannot be read.
pub fn open_files_limit() -> Option<u64> {
    limits_open_files(&fs::read_to_string("/proc/self/limits").ok()?)
}

/// The soft limit on open files in the text of `/proc/self/limits`.
pub fn limits_open_files(limits: &str) -> Option<u64> {
    let line = limits
        .lines()
        .find(|line| line.starts_with("Max open files"))?;
    let soft = line
        .strip_prefix("Max open files")?
        .split_whitespace()
        .next()?;
    if soft == "unlimited" {
        Some(u64::MAX)
    } else {
        soft.parse().ok()
    }
}
