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
    let mut out = String::from("runtime      total    what it shows\n");
    out.push_str("-----------  -------  -------------\n");
    for row in rows {
        let total = format!("{:.3} s", row.total.as_secs_f64());
        out.push_str(&format!(
            "{:<11}  {:>7}  {}\n",
            row.runtime.title(),
            total,
            row.shows
        ));
    }
    out
}
