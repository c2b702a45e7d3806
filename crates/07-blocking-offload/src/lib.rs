//! Chapter 7: blocking work, a thread pool by hand, and concurrency against parallelism.
//!
//! Being written (issue 11).
#![forbid(unsafe_code)]
