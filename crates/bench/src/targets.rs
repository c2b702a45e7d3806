//! The hand-rolled loop's targets: each a ratio to a peer measured in the
//! same run, met or missed by the figures, never by hand.
//!
//! An absolute target ("10,000 sleeps of 100 ms end within 110 ms") says as
//! much about the machine as about the loop: on a slower one every runtime
//! misses it alike. A ratio to another runtime, measured minutes apart on
//! the same machine, travels.

use crate::markdown::{self, Table};

/// Which way the ratio must stay for the target to be met.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    /// The ratio may be this at most: for times, bytes, lateness.
    AtMost(f64),
    /// The ratio must be this at least: for throughputs.
    AtLeast(f64),
}

impl Bound {
    /// `≤ 1.05×` or `≥ 0.90×`.
    pub fn describe(self) -> String {
        match self {
            Bound::AtMost(limit) => format!("≤ {}", markdown::ratio(limit)),
            Bound::AtLeast(limit) => format!("≥ {}", markdown::ratio(limit)),
        }
    }

    /// Whether `ratio` is within the bound.
    pub fn holds(self, ratio: f64) -> bool {
        match self {
            Bound::AtMost(limit) => ratio <= limit,
            Bound::AtLeast(limit) => ratio >= limit,
        }
    }
}

/// One target: what is compared, with whom, the two figures and the bound.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// What is measured, as the table says it: `time per spawned task`.
    pub what: String,
    /// The peer's short name: `tokio-ct`.
    pub peer: String,
    /// The hand-rolled loop's figure and the peer's, formatted.
    pub figures: (String, String),
    /// Ours divided by theirs, as [`Target::bound`] reads it.
    pub ratio: f64,
    pub bound: Bound,
}

impl Target {
    /// Whether the figures meet the target.
    pub fn met(&self) -> bool {
        self.bound.holds(self.ratio)
    }

    /// `met` or `missed`.
    pub fn verdict(&self) -> &'static str {
        if self.met() { "met" } else { "missed" }
    }
}

/// The targets as a table: the target, ours against theirs, the ratio, and
/// whether it was met.
pub fn table(targets: &[Target]) -> Table {
    let mut table = Table::new(&["target", "ours / peer's", "ratio", "result"]);
    for target in targets {
        table.row(vec![
            format!(
                "{} {} {}",
                target.what,
                target.bound.describe(),
                target.peer
            ),
            format!("{} / {}", target.figures.0, target.figures.1),
            markdown::ratio(target.ratio),
            target.verdict().to_string(),
        ]);
    }
    table
}

/// The lowest of `figures` (name, value), for a target against the best
/// peer: `None` if there are none.
pub fn lowest<'a>(
    figures: impl IntoIterator<Item = (&'a str, f64)>,
) -> Option<(&'a str, f64)> {
    figures.into_iter().min_by(|(_, a), (_, b)| a.total_cmp(b))
}
