//! Chapter 07's benchmarks: being written (issue 11).

use criterion::{Criterion, criterion_group, criterion_main};

fn nothing_yet(_c: &mut Criterion) {}

criterion_group!(benches, nothing_yet);
criterion_main!(benches);
