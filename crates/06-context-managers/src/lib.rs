//! Chapter 6: async context managers, cleanup without async Drop, and a real database.
//!
//! Being written (issue 10).
#![forbid(unsafe_code)]
