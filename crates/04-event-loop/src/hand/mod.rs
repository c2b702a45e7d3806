//! Chapter 4 built by hand (being written).

use std::time::Duration;

/// Runs the two countdowns on a loop driven by hand.
pub fn run_countdowns(step: Duration) {
    let _ = step;
    todo!()
}
