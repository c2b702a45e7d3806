//! Chapter 08's workloads and their results table: being written (issue 12).
