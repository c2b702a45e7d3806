//! The cancellation-safety lab: the harness itself, and the book's table of
//! which operations lose what when they are dropped (`cases::all`), kept as
//! a snapshot the book includes.

use gather_wait::cases;
use gather_wait::channel::channel;
use gather_wait::lab::{self, Outcome};

#[test]
fn our_channel_recv_is_cancel_safe() {
    let report = lab::run(
        "our channel: recv",
        || {
            let (sender, mut receiver) = channel::<u32>();
            ((sender, 0), async move { receiver.recv().await })
        },
        // The value arrives after the second Pending; the world counts it.
        |(sender, sent), polls| {
            if polls == 2 {
                sender.send(7);
                *sent += 1;
            }
        },
        |(sender, sent), outcome| match (outcome, sender.len()) {
            (Outcome::Completed(Some(7)), 0) => Ok(()),
            (Outcome::Dropped, queued) if queued == sent => Ok(()),
            (outcome, queued) => {
                Err(format!("{outcome:?}: {sent} sent, {queued} queued"))
            }
        },
    );
    assert_eq!(report.rows.len(), 4, "{report:#?}");
    assert!(report.is_cancel_safe(), "{}", report.markdown());
    assert_eq!(report.rows[3].wakes, 1, "the send woke the pending recv");
}

#[test]
fn a_future_that_never_completes_is_reported_not_looped_on() {
    let report = lab::run(
        "pending for ever",
        || ((), std::future::pending::<()>()),
        |_, _| {},
        |_, _| Ok(()),
    );
    assert!(!report.completed());
    assert_eq!(report.rows.len(), lab::MAX_POLLS + 1);
    assert!(!report.is_cancel_safe());
    assert!(lab::summary_table(&[report]).contains("never completed"));
}

#[test]
fn the_naive_line_reader_loses_the_bytes_it_has_read() {
    let report = cases::naive_line();
    assert!(!report.is_cancel_safe());
    // Dropped after 2 polls it had read "he"; after 3, "hello".
    assert_eq!(report.losses(), [2, 3], "{}", report.markdown());
    assert_eq!(report.first_loss(), Some((2, "2 of 5 bytes lost")));
}

#[test]
fn the_line_reader_keeps_a_partial_line_in_itself() {
    let report = cases::line_reader();
    assert!(report.is_cancel_safe(), "{}", report.markdown());
    assert_eq!(report.rows.len(), 5, "completes on its 4th poll");
}

#[test]
fn a_tick_winning_the_select_loses_the_naive_readers_bytes() {
    let naive = cases::naive_line_in_select();
    assert_eq!(naive.losses(), [2, 3], "{}", naive.markdown());
    let safe = cases::line_reader_in_select();
    assert!(safe.is_cancel_safe(), "{}", safe.markdown());
}

#[test]
fn channel_receives_are_cancel_safe_and_read_exact_is_not() {
    assert!(cases::our_recv().is_cancel_safe());
    assert!(cases::tokio_recv().is_cancel_safe());
    let read_exact = cases::tokio_read_exact();
    assert!(!read_exact.is_cancel_safe(), "{}", read_exact.markdown());
    assert_eq!(read_exact.first_loss(), Some((2, "2 of 5 bytes lost")));
}

#[test]
fn a_future_that_needs_a_tokio_runtime_is_probed_inside_one() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let report = runtime.block_on(async { cases::tokio_timeout_recv() });
    assert!(report.is_cancel_safe(), "{}", report.markdown());
    let outside = std::panic::catch_unwind(cases::tokio_timeout_recv);
    assert!(outside.is_err(), "tokio's timer needs its runtime");
}

#[test]
fn the_labs_table() {
    let reports = cases::all();
    let safe: Vec<bool> = reports.iter().map(lab::Report::is_cancel_safe).collect();
    assert_eq!(
        safe,
        [false, true, false, true, true, true, true, false, true]
    );
    let dir = env!("CARGO_MANIFEST_DIR");
    timeline::testing::check_output(dir, "lab_table", &lab::summary_table(&reports));
    timeline::testing::check_output(dir, "lab_naive_rows", &reports[0].markdown());
}
