//! Chapter 8: shared state, locks, semaphores, events and queues.
//!
//! Being written (issue 12).
#![forbid(unsafe_code)]
