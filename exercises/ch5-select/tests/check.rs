//! `select`: the first to finish wins, on either side; the loser is dropped
//! before `select` returns; a pending `select` is woken by either future.
//!
//! Run with `cargo test -p ch5-select`.

use std::cell::Cell;
use std::future::{pending, ready};
use std::rc::Rc;
use std::time::Duration;

use ch5_select::{Either, select};
use event_loop::hand::{EventLoop, now, sleep};

/// A loop on virtual time: its clock jumps to the next timer.
fn virtual_loop() -> EventLoop {
    EventLoop::builder()
        .virtual_time()
        .build()
        .expect("a poller")
}

/// Counts its drops, like a connection that closes when dropped.
struct Guard(Rc<Cell<usize>>);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

#[test]
fn step_1_a_ready_left_wins() {
    let winner = virtual_loop().block_on(select(ready("left"), pending::<()>()));
    assert_eq!(winner, Either::Left("left"));
}

#[test]
fn step_2_a_ready_right_wins_and_left_wins_a_tie() {
    let event_loop = virtual_loop();
    let right = event_loop.block_on(select(pending::<()>(), ready("right")));
    assert_eq!(right, Either::Right("right"));
    let tie = event_loop.block_on(select(ready(1), ready(2)));
    assert_eq!(tie, Either::Left(1));
}

#[test]
fn step_3_the_first_to_finish_wins_whichever_is_woken() {
    let (winner, took) = virtual_loop().block_on(async {
        let started = now();
        let slow = async {
            sleep(Duration::from_secs(3)).await;
            "slow"
        };
        let quick = async {
            sleep(Duration::from_secs(1)).await;
            "quick"
        };
        (select(slow, quick).await, now() - started)
    });
    assert_eq!(winner, Either::Right("quick"));
    assert_eq!(took, Duration::from_secs(1), "no wait for the loser");
}

#[test]
fn step_4_the_loser_is_dropped_before_select_returns() {
    let drops = Rc::new(Cell::new(0));
    let guard = Guard(Rc::clone(&drops));
    let dropped = virtual_loop().block_on(async {
        let loser = async move {
            let _connection = guard;
            sleep(Duration::from_secs(60)).await;
        };
        let mut racing = select(loser, sleep(Duration::from_secs(1)));
        let winner = (&mut racing).await; // `racing` itself lives on
        assert_eq!(winner, Either::Right(()));
        let dropped = drops.get();
        drop(racing);
        dropped
    });
    assert_eq!(
        dropped, 1,
        "the loser was dropped when select returned, not later"
    );
}
