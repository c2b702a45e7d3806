//! The lab itself, on the hand-rolled channel's `recv`: dropped before or
//! after any number of polls, it takes nothing from the queue.

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
