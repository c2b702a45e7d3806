//! Markdown tables and the number formats the report writes.
//!
//! The book includes the results files as they are, so each table must be
//! valid markdown on its own: a header row, an alignment row, and rows of
//! exactly as many cells, none of which may hold a `|`.

use std::time::Duration;

/// A table: a header, and rows of as many cells. The first column is
/// aligned left, the others (figures) right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column names and no rows yet.
    pub fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|name| cell(name)).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row. Missing cells are left empty and extra ones dropped, so
    /// the table stays valid whatever the caller passes.
    pub fn row(&mut self, cells: Vec<String>) -> &mut Table {
        let mut cells: Vec<String> = cells.iter().map(|text| cell(text)).collect();
        cells.resize(self.header.len(), String::new());
        self.rows.push(cells);
        self
    }

    /// The table as markdown, ending with a newline.
    pub fn render(&self) -> String {
        let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
        let alignment: Vec<String> = (0..self.header.len())
            .map(|column| if column == 0 { "---" } else { "--:" }.to_string())
            .collect();
        let mut text = line(&self.header);
        text.push_str(&line(&alignment));
        for row in &self.rows {
            text.push_str(&line(row));
        }
        text
    }
}

/// Text made safe for a cell: no `|`, no line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "/").replace(['\n', '\r'], " ")
}

/// `1234567` as `1,234,567`.
pub fn grouped(number: u64) -> String {
    let digits = number.to_string();
    let mut text = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

/// A duration in the unit that suits it: `85 ns`, `3.2 µs`, `12.5 ms`,
/// `1.87 s`.
pub fn duration(time: Duration) -> String {
    let nanos = time.as_secs_f64() * 1e9;
    if nanos < 1e3 {
        format!("{nanos:.0} ns")
    } else if nanos < 1e6 {
        format!("{:.1} µs", nanos / 1e3)
    } else if nanos < 1e9 {
        format!("{:.1} ms", nanos / 1e6)
    } else {
        format!("{:.2} s", nanos / 1e9)
    }
}

/// Milliseconds with three decimals, for latenesses: `0.081 ms`.
pub fn millis(time: Duration) -> String {
    format!("{:.3} ms", time.as_secs_f64() * 1e3)
}

/// A size in bytes: `312 B`, `9.6 KiB`, `2.0 MiB`.
pub fn bytes(size: f64) -> String {
    if size < 1024.0 {
        format!("{size:.0} B")
    } else if size < 1024.0 * 1024.0 {
        format!("{:.1} KiB", size / 1024.0)
    } else {
        format!("{:.1} MiB", size / (1024.0 * 1024.0))
    }
}

/// A rate per second: `950,000/s`, or `1.25 M/s` from a million up.
pub fn rate(per_second: f64) -> String {
    if per_second >= 1e6 {
        format!("{:.2} M/s", per_second / 1e6)
    } else {
        format!("{}/s", grouped(per_second.round() as u64))
    }
}

/// A ratio: `1.05×`.
pub fn ratio(ratio: f64) -> String {
    format!("{ratio:.2}×")
}
