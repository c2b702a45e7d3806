//! The comparison table that ends every chapter run.

use crate::Runtime;
use std::time::Duration;

/// One line of the comparison table: a runtime, how long its run took, and what
/// the run shows.
#[derive(Debug, Clone)]
pub struct Row {
    /// The runtime that ran the scene.
    pub runtime: Runtime,
    /// Wall-clock time of the whole run.
    pub total: Duration,
    /// What this run shows, in a few words.
    pub shows: String,
}

/// Renders rows as an aligned text table.
///
/// ```
/// use std::time::Duration;
/// use timeline::{Row, Runtime, report};
///
/// let rows = [Row { runtime: Runtime::Tokio, total: Duration::from_millis(1003),
///                   shows: "one pause for three greeters".into() }];
/// let table = report::table(&rows);
/// assert!(table.contains("tokio        1.003 s  one pause for three greeters"));
/// ```
pub fn table(rows: &[Row]) -> String {
    let totals: Vec<String> = rows
        .iter()
        .map(|row| format!("{:.3} s", row.total.as_secs_f64()))
        .collect();
    // As wide as the widest total, so a run of 10 s or more stays aligned.
    let width = totals.iter().map(String::len).max().unwrap_or(0).max(7);
    let mut out = format!("runtime      {:<width$}  what it shows\n", "total");
    out.push_str(&format!(
        "-----------  {}  -------------\n",
        "-".repeat(width)
    ));
    for (row, total) in rows.iter().zip(&totals) {
        out.push_str(&format!(
            "{:<11}  {:>width$}  {}\n",
            row.runtime.title(),
            total,
            row.shows
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_of_ten_seconds_or_more_stay_aligned() {
        let row = |runtime, millis| Row {
            runtime,
            total: Duration::from_millis(millis),
            shows: "x".into(),
        };
        let table = table(&[row(Runtime::Hand, 5_002), row(Runtime::Tokio, 10_015)]);
        let columns: Vec<usize> = table
            .lines()
            .map(|line| line.rfind("  ").unwrap())
            .collect();
        assert!(columns.iter().all(|&c| c == columns[0]), "{table}");
        assert!(table.contains("hand-rolled   5.002 s  x"), "{table}");
        assert!(table.contains("tokio        10.015 s  x"), "{table}");
    }
}
