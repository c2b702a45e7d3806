//! Chapter 07's workloads and their results table: being written (issue 11).
