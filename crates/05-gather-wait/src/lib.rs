//! Chapter 5: gather and wait, task groups, timeouts, and what cancellation costs.
//!
//! Being written (issue 9).
#![forbid(unsafe_code)]
