//! The hand-rolled combinators. Those that need no runtime run here on our
//! loop, tokio and smol alike; `gather`, `wait` and `TaskGroup` spawn on
//! our loop, under virtual time.

mod support;

use std::time::Duration;

use event_loop::hand::{self as our, sleep};
use futures::StreamExt;
use gather_wait::hand::{
    Either, Elapsed, Failure, ReturnWhen, TaskGroup, as_completed, gather, join_all,
    select, select_all, timeout, timeout_with, try_join_all, wait,
};
use support::{DropCount, on_every_runtime, turns, virtual_loop, within};

async fn after(n: usize, value: u32) -> u32 {
    turns(n).await;
    value
}

#[test]
fn join_all_gives_outputs_in_input_order_on_every_runtime() {
    let outputs =
        on_every_runtime(|| join_all([after(3, 1), after(1, 2), after(2, 3)]));
    assert_eq!(outputs, [[1, 2, 3], [1, 2, 3], [1, 2, 3]]);
}

#[test]
fn join_all_of_nothing_is_ready_with_nothing() {
    let none: Vec<std::future::Ready<u32>> = Vec::new();
    assert_eq!(our::block_on(join_all(none)), Vec::<u32>::new());
}

#[test]
fn try_join_all_stops_at_the_first_error_and_drops_the_rest() {
    let outcomes = on_every_runtime(|| {
        let drops = DropCount::default();
        let slow = {
            let guard = drops.guard();
            async move {
                let _guard = guard;
                turns(10).await;
                Ok::<u32, &str>(1)
            }
        };
        let fails = async {
            turns(1).await;
            Err("reset")
        };
        let either = [
            Box::pin(slow) as std::pin::Pin<Box<dyn Future<Output = _>>>,
            Box::pin(fails),
        ];
        async move { (try_join_all(either).await, drops.get()) }
    });
    for outcome in outcomes {
        assert_eq!(outcome, (Err("reset"), 1));
    }
}

#[test]
fn select_gives_the_winner_and_drops_the_loser_on_every_runtime() {
    let outcomes = on_every_runtime(|| {
        let drops = DropCount::default();
        let loser = {
            let guard = drops.guard();
            async move {
                let _guard = guard;
                turns(10).await;
                "slow"
            }
        };
        async move {
            let winner = select(loser, after(2, 7)).await;
            (winner, drops.get())
        }
    });
    assert_eq!(outcomes, [(Either::Right(7), 1); 3]);
}

#[test]
fn select_all_gives_the_first_done_and_its_index() {
    let outcomes =
        on_every_runtime(|| select_all([after(3, 1), after(1, 2), after(2, 3)]));
    assert_eq!(outcomes, [(2, 1); 3]);
}

/// Three futures that finish when a driver says, in the order 1, 2, 0:
/// the same order on every runtime, with no clock involved.
#[test]
fn as_completed_yields_in_completion_order_on_every_runtime() {
    let outcomes = on_every_runtime(|| {
        let (senders, receivers): (Vec<_>, Vec<_>) = (0..3)
            .map(|_| gather_wait::channel::channel::<u32>())
            .unzip();
        let waiting = receivers
            .into_iter()
            .map(|mut receiver| async move { receiver.recv().await.expect("sent") });
        let driver = async move {
            for at in [1, 2, 0] {
                senders[at].send(at as u32 * 10);
                turns(1).await;
            }
        };
        let order = as_completed(waiting).collect::<Vec<_>>();
        async move { futures_lite::future::zip(order, driver).await.0 }
    });
    assert_eq!(outcomes, [[(1, 10), (2, 20), (0, 0)]; 3].map(Vec::from));
}

#[test]
fn as_completed_yields_in_completion_order_on_our_loop_and_tokio() {
    let secs = |n| Duration::from_secs(n);
    let ours = virtual_loop().block_on(
        as_completed([3, 1, 2].map(|n| async move {
            sleep(secs(n)).await;
            n
        }))
        .collect::<Vec<_>>(),
    );
    let tokio = paused_tokio().block_on(
        as_completed([3, 1, 2].map(|n| async move {
            tokio::time::sleep(secs(n)).await;
            n
        }))
        .collect::<Vec<_>>(),
    );
    assert_eq!(ours, [(1, 1), (2, 2), (0, 3)]);
    assert_eq!(tokio, ours);
}

fn paused_tokio() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("a tokio runtime")
}

#[test]
fn timeout_with_any_runtimes_timer() {
    let slow = paused_tokio().block_on(async {
        timeout_with(
            tokio::time::sleep(Duration::from_secs(1)),
            tokio::time::sleep(Duration::from_secs(2)),
        )
        .await
    });
    assert_eq!(slow, Err(Elapsed));
    let quick = smol::block_on(timeout_with(
        smol::Timer::after(Duration::from_secs(5)),
        after(1, 3),
    ));
    assert_eq!(quick, Ok(3));
}

#[test]
fn our_timeout_fires_at_its_deadline_on_virtual_time() {
    let event_loop = virtual_loop();
    let outcome = event_loop.block_on(async {
        let started = our::now();
        let result =
            timeout(Duration::from_secs(3), sleep(Duration::from_secs(10))).await;
        (result, our::now() - started)
    });
    assert_eq!(outcome, (Err(Elapsed), Duration::from_secs(3)));
}

#[test]
fn gather_runs_each_future_as_a_task() {
    let event_loop = virtual_loop();
    let outputs = event_loop.block_on(async {
        let gathered = gather([1u64, 3, 2].map(|n| async move {
            sleep(Duration::from_secs(n)).await;
            n
        }));
        let started = our::now();
        let outputs: Vec<u64> =
            gathered.await.into_iter().map(Result::unwrap).collect();
        (outputs, our::now() - started)
    });
    assert_eq!(outputs, (vec![1, 3, 2], Duration::from_secs(3)));
}

/// Three tasks: ok after 1 s, failing after 2 s, ok after 3 s.
fn three_tasks() -> Vec<our::JoinHandle<Result<u64, String>>> {
    [(1, true), (2, false), (3, true)]
        .map(|(secs, ok)| {
            our::spawn(async move {
                sleep(Duration::from_secs(secs)).await;
                if ok {
                    Ok(secs)
                } else {
                    Err(format!("{secs} s: failed"))
                }
            })
        })
        .into()
}

fn done_indices(when: ReturnWhen) -> (Vec<usize>, Vec<usize>, Duration) {
    virtual_loop().block_on(async move {
        let started = our::now();
        let waited = wait(three_tasks(), when).await;
        let done = waited.done.iter().map(|(index, _)| *index).collect();
        let pending = waited.pending.iter().map(|(index, _)| *index).collect();
        (done, pending, our::now() - started)
    })
}

#[test]
fn wait_returns_when_its_mode_says() {
    let secs = Duration::from_secs;
    let all = done_indices(ReturnWhen::AllCompleted);
    assert_eq!(all, (vec![0, 1, 2], vec![], secs(3)));
    let first = done_indices(ReturnWhen::FirstCompleted);
    assert_eq!(first, (vec![0], vec![1, 2], secs(1)));
    let failed = done_indices(ReturnWhen::FirstException);
    assert_eq!(failed, (vec![0, 1], vec![2], secs(2)));
}

#[test]
fn wait_for_the_first_exception_waits_for_all_when_none_fails() {
    let outcome = virtual_loop().block_on(async {
        let tasks = vec![our::spawn(async { Ok::<_, ()>(1) })];
        wait(tasks, ReturnWhen::FirstException).await
    });
    assert_eq!(outcome.done.len(), 1);
    assert!(outcome.pending.is_empty());
}

#[test]
fn task_group_cancels_the_rest_at_the_first_failure_and_waits_for_them() {
    let drops = DropCount::default();
    let outcome = virtual_loop().block_on({
        let drops = drops.clone();
        async move {
            let mut group = TaskGroup::new();
            for (secs, ok) in [(1, true), (2, false), (3, true)] {
                let guard = drops.guard();
                group.spawn(async move {
                    let _guard = guard;
                    sleep(Duration::from_secs(secs)).await;
                    if ok { Ok(secs) } else { Err("reset") }
                });
            }
            let started = our::now();
            (group.join().await, our::now() - started, drops.get())
        }
    });
    let (result, took, dropped) = outcome;
    let error = result.expect_err("one member fails");
    assert!(matches!(error.failures[..], [(1, Failure::Error("reset"))]));
    assert_eq!(error.cancelled, 1, "the 3 s member");
    assert_eq!(
        took,
        Duration::from_secs(2),
        "no wait for the cancelled one"
    );
    assert_eq!(dropped, 3, "every member has ended when join returns");
}

#[test]
fn task_group_reports_every_failure_and_panic() {
    let error = within(|| {
        virtual_loop().block_on(async {
            let mut group: TaskGroup<(), &str> = TaskGroup::new();
            group.spawn(async {
                sleep(Duration::from_secs(1)).await;
                Err("first")
            });
            group.spawn(async {
                sleep(Duration::from_secs(1)).await;
                panic!("second")
            });
            group.join().await.expect_err("both fail")
        })
    });
    assert_eq!(error.failures.len(), 2, "{error}");
    assert!(matches!(error.failures[0], (0, Failure::Error("first"))));
    assert!(
        matches!(&error.failures[1], (1, Failure::Panic(message)) if message == "second")
    );
    assert_eq!(error.cancelled, 0);
}

#[test]
fn task_group_gives_outputs_in_spawn_order_when_all_succeed() {
    let outputs = virtual_loop().block_on(async {
        let mut group: TaskGroup<u64, ()> = TaskGroup::new();
        for secs in [3, 1, 2] {
            group.spawn(async move {
                sleep(Duration::from_secs(secs)).await;
                Ok(secs)
            });
        }
        group.join().await
    });
    assert_eq!(outputs.expect("none fails"), [3, 1, 2]);
}

#[test]
fn a_task_group_dropped_unjoined_or_halfway_aborts_its_members() {
    let drops = DropCount::default();
    let (unjoined, halfway) = virtual_loop().block_on({
        let drops = drops.clone();
        async move {
            let member = |drops: &DropCount| {
                let guard = drops.guard();
                async move {
                    let _guard = guard;
                    sleep(Duration::from_secs(60)).await;
                    Ok::<(), ()>(())
                }
            };
            let mut group = TaskGroup::new();
            group.spawn(member(&drops));
            drop(group);
            sleep(Duration::from_secs(1)).await;
            let unjoined = drops.get();
            let mut group = TaskGroup::new();
            group.spawn(member(&drops));
            let cut = timeout(Duration::from_secs(1), group.join()).await;
            assert!(cut.is_err(), "the join is cut short");
            sleep(Duration::from_secs(1)).await;
            (unjoined, drops.get())
        }
    });
    assert_eq!((unjoined, halfway), (1, 2));
}

/// The price of one shared waker: with inputs finishing one at a time, each
/// wake polls every input still pending, so n inputs cost about n²/2 polls
/// (futures' `join_all` gives each input a waker of its own above 30).
#[test]
fn join_all_polls_every_pending_input_at_each_wake() {
    let polls = support::Count::default();
    let inputs = 100u64;
    virtual_loop().block_on({
        let polls = polls.clone();
        join_all((1..=inputs).map(move |n| {
            let polls = polls.clone();
            let mut sleeping = Box::pin(sleep(Duration::from_millis(n)));
            std::future::poll_fn(move |cx| {
                polls.bump();
                sleeping.as_mut().poll(cx)
            })
        }))
    });
    // Input n is polled once at the start and once at each of the n wakes
    // up to and including its own.
    let expected: u64 = (1..=inputs).map(|n| n + 1).sum();
    assert_eq!(polls.get() as u64, expected);
}

#[test]
fn wait_for_the_first_exception_does_not_count_a_cancelled_task() {
    let waited = virtual_loop().block_on(async {
        let aborted = our::spawn(async {
            sleep(Duration::from_secs(60)).await;
            Ok::<u32, ()>(1)
        });
        aborted.abort();
        let slow = our::spawn(async {
            sleep(Duration::from_secs(2)).await;
            Ok(2)
        });
        let started = our::now();
        let waited = wait(vec![aborted, slow], ReturnWhen::FirstException).await;
        (
            waited.done.len(),
            waited.pending.len(),
            our::now() - started,
        )
    });
    assert_eq!(waited, (2, 0, Duration::from_secs(2)), "it waited for all");
}

#[test]
fn dropping_our_gather_detaches_its_tasks_which_run_on() {
    let finished = support::Count::default();
    let seen = virtual_loop().block_on({
        let finished = finished.clone();
        async move {
            let gathered = gather((0..2).map(|_| {
                let finished = finished.clone();
                async move {
                    sleep(Duration::from_secs(1)).await;
                    finished.bump();
                }
            }));
            drop(gathered);
            sleep(Duration::from_secs(2)).await;
            finished.get()
        }
    });
    assert_eq!(seen, 2, "asyncio's gather, cancelled, would cancel them");
}
