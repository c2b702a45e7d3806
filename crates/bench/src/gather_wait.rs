//! Chapter 05's workloads and their results table: being written (issue 9).
