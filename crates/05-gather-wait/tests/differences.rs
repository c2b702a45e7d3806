//! Every difference the book claims between asyncio and the Rust runtimes,
//! each proven here; a test fails if its claim stops being true.

mod support;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::thread::{self, ThreadId};
use std::time::Duration;

use event_loop::hand::{self as our, sleep, yield_now};
use gather_wait::hand::{self, Failure, TaskGroup, gather, join_all};
use support::{Count, DropCount, turns, virtual_loop, within};
use tokio::task::JoinSet;
use tokio::time::Instant;

// ANCHOR: gather_is_eager
/// asyncio's `gather` (and ours) makes a task of each future at once: they
/// start at the loop's next turn, before anyone awaits the gather.
#[test]
fn gather_schedules_its_tasks_before_it_is_awaited() {
    let started = Count::default();
    let seen = virtual_loop().block_on({
        let started = started.clone();
        async move {
            let gathered = gather((0..3).map(|_| {
                let started = started.clone();
                async move { started.bump() }
            }));
            yield_now().await; // one turn; the gather is not awaited yet
            let seen = started.get();
            gathered.await;
            seen
        }
    });
    assert_eq!(seen, 3);
}
// ANCHOR_END: gather_is_eager

// ANCHOR: join_is_lazy
/// `join!` (and `join_all`) makes no task: the futures run only inside the
/// caller's own polls, so nothing starts until the join is awaited.
#[tokio::test]
async fn join_polls_nothing_until_it_is_awaited() {
    let started = Count::default();
    let bump = || {
        let started = started.clone();
        async move { started.bump() }
    };
    let joined = async { tokio::join!(bump(), bump(), bump()) };
    let ours = join_all([bump(), bump(), bump()]);
    tokio::task::yield_now().await;
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(started.get(), 0, "created, never polled: nothing ran");
    joined.await;
    ours.await;
    assert_eq!(started.get(), 6);
}
// ANCHOR_END: join_is_lazy

/// Which thread polls the traced future now, set by [`OnThread`]'s poll.
static POLLING: Mutex<Option<ThreadId>> = Mutex::new(None);

/// Notes the thread of each of its polls in [`POLLING`].
struct OnThread<F>(Pin<Box<F>>);

impl<F: Future> Future for OnThread<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        *POLLING.lock().unwrap() = Some(thread::current().id());
        self.0.as_mut().poll(cx)
    }
}

/// A branch of the join: four sections, an await between each. A section
/// notes its thread, checks it is the thread polling the join, and counts
/// how many sections are running at the same moment.
async fn branch(inside: Arc<AtomicUsize>, most: Arc<AtomicUsize>) -> usize {
    let mut foreign = 0;
    for _ in 0..4 {
        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
        most.fetch_max(now, Ordering::SeqCst);
        let here = thread::current().id();
        if *POLLING.lock().unwrap() != Some(here) {
            foreign += 1;
        }
        for _ in 0..10_000 {
            std::hint::black_box(here); // a section long enough to overlap
        }
        inside.fetch_sub(1, Ordering::SeqCst);
        tokio::task::yield_now().await;
    }
    foreign
}

// ANCHOR: join_no_parallelism
/// On the multi-thread runtime, `join!`'s branches still run one at a time,
/// each on the thread that polls the join, as asyncio's coroutines run one
/// at a time on its loop: concurrency, not parallelism. Only spawned tasks
/// can run on other workers at once.
#[test]
fn join_runs_no_branch_in_parallel_even_on_the_multi_thread_runtime() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .build()
        .expect("a runtime");
    let (inside, most) = (Arc::default(), Arc::<AtomicUsize>::default());
    let arm = || branch(Arc::clone(&inside), Arc::clone(&most));
    let [a, b, c, d] = [arm(), arm(), arm(), arm()];
    let joined =
        runtime.spawn(OnThread(Box::pin(async move { tokio::join!(a, b, c, d) })));
    let foreign = runtime.block_on(joined).expect("the join does not panic");
    assert_eq!(
        foreign,
        (0, 0, 0, 0),
        "every section ran on the join's thread"
    );
    assert_eq!(most.load(Ordering::SeqCst), 1, "never two sections at once");
}
// ANCHOR_END: join_no_parallelism

// ANCHOR: select_cancels
/// `select!` drops the losing branches as soon as one wins: for a future,
/// being dropped is being cancelled.
#[tokio::test(start_paused = true)]
async fn select_drops_the_losing_branches() {
    let drops = DropCount::default();
    let slow = |guard| async move {
        let _guard = guard;
        tokio::time::sleep(Duration::from_secs(5)).await;
    };
    let (a, b) = (slow(drops.guard()), slow(drops.guard()));
    let winner = tokio::select! {
        () = a => "a",
        () = b => "b",
        () = tokio::time::sleep(Duration::from_secs(1)) => "the 1 s sleep",
    };
    assert_eq!(winner, "the 1 s sleep");
    assert_eq!(drops.get(), 2, "both losers dropped, mid-sleep");
    // Ours does the same.
    let losers = DropCount::default();
    let won = hand::select(slow(losers.guard()), std::future::ready(1)).await;
    assert_eq!((won, losers.get()), (hand::Either::Right(1), 1));
}
// ANCHOR_END: select_cancels

/// tokio's `select!` starts at a random branch unless told `biased;`: with
/// both ready, each wins some of 64 rounds (the chance that one branch
/// wins all 64 by luck is 2^-63), while `biased;` always picks the first.
#[tokio::test]
async fn select_picks_a_random_ready_branch_unless_biased() {
    let mut wins = [0; 2];
    let mut biased = [0; 2];
    for _ in 0..64 {
        let fair = tokio::select! {
            () = std::future::ready(()) => 0,
            () = std::future::ready(()) => 1,
        };
        wins[fair] += 1;
        let first = tokio::select! {
            biased;
            () = std::future::ready(()) => 0,
            () = std::future::ready(()) => 1,
        };
        biased[first] += 1;
    }
    assert!(wins[0] > 0 && wins[1] > 0, "{wins:?}");
    assert_eq!(biased, [64, 0]);
}

async fn member(secs: u64, ok: bool, guard: support::Guard) -> Result<u64, String> {
    let _guard = guard;
    tokio::time::sleep(Duration::from_secs(secs)).await;
    if ok {
        Ok(secs)
    } else {
        Err(format!("failed after {secs} s"))
    }
}

// ANCHOR: joinset_no_cancel
/// A `JoinSet` hands back each task's outcome and cancels nothing: after
/// one fails, the others run on to the end (asyncio's `TaskGroup` would
/// cancel them).
#[tokio::test(start_paused = true)]
async fn joinset_does_not_cancel_siblings_when_one_fails() {
    let drops = DropCount::default();
    let mut set = JoinSet::new();
    set.spawn(member(1, false, drops.guard()));
    set.spawn(member(3, true, drops.guard()));
    let first = set.join_next().await.expect("two tasks");
    assert_eq!(first.expect("no panic"), Err("failed after 1 s".into()));
    let second = set.join_next().await.expect("one left");
    assert_eq!(second.expect("not cancelled"), Ok(3), "it ran to the end");
    assert_eq!(drops.get(), 2);
}
// ANCHOR_END: joinset_no_cancel

/// Our `TaskGroup`, like asyncio's, cancels the others at the first failure.
#[test]
fn task_group_cancels_siblings_when_one_fails() {
    let finished = Count::default();
    let error = virtual_loop().block_on({
        let finished = finished.clone();
        async move {
            let mut group = TaskGroup::new();
            group.spawn(async {
                sleep(Duration::from_secs(1)).await;
                Err::<(), _>("failed after 1 s")
            });
            group.spawn(async move {
                sleep(Duration::from_secs(3)).await;
                finished.bump();
                Ok(())
            });
            group.join().await.expect_err("one fails")
        }
    });
    assert!(matches!(
        error.failures[..],
        [(0, Failure::Error("failed after 1 s"))]
    ));
    assert_eq!((error.cancelled, finished.get()), (1, 0));
}

// ANCHOR: timeout_is_a_drop
/// A timeout does not stop the work at a safe point: it drops it at
/// whichever await it had reached. Here step 2's sleep was running, so
/// step 2 never finished and step 3 never started, and nothing ran after.
#[tokio::test(start_paused = true)]
async fn a_timeout_drops_the_work_at_the_await_it_had_reached() {
    let (steps, drops) = (Count::default(), DropCount::default());
    let work = {
        let (steps, guard) = (steps.clone(), drops.guard());
        async move {
            let _connection = guard;
            for _ in 0..3 {
                steps.bump(); // a step starts
                tokio::time::sleep(Duration::from_millis(400)).await;
            }
        }
    };
    let outcome = tokio::time::timeout(Duration::from_millis(1_000), work).await;
    assert!(outcome.is_err(), "timed out");
    assert_eq!(
        (steps.get(), drops.get()),
        (3, 1),
        "dropped in step 3's sleep"
    );
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(steps.get(), 3, "and it never runs again");
}
// ANCHOR_END: timeout_is_a_drop

// ANCHOR: timeout_rounds
/// tokio's timer wheel counts whole milliseconds: a deadline is rounded up
/// to the end of its millisecond (`deadline_to_tick` adds 999 999 ns), so
/// a 1.5 ms timeout fires at 2 ms, and a 1 ns one at 1 ms. Our loop's heap
/// keeps the deadline to the nanosecond.
#[tokio::test(start_paused = true)]
async fn tokio_timeout_rounds_up_to_the_millisecond() {
    let fires_after = |limit| async move {
        let started = Instant::now();
        let timed_out = tokio::time::timeout(limit, std::future::pending::<()>()).await;
        assert!(timed_out.is_err());
        started.elapsed()
    };
    assert_eq!(
        fires_after(Duration::from_micros(1_500)).await,
        Duration::from_millis(2)
    );
    assert_eq!(
        fires_after(Duration::from_nanos(1)).await,
        Duration::from_millis(1)
    );
    let ours = virtual_loop().block_on(async {
        let started = our::now();
        let limit = Duration::from_micros(1_500);
        let _ = hand::timeout(limit, std::future::pending::<()>()).await;
        our::now() - started
    });
    assert_eq!(ours, Duration::from_micros(1_500));
}
// ANCHOR_END: timeout_rounds

// ANCHOR: try_join_cancels
/// `try_join!` returns at the first error and drops the other futures;
/// asyncio's `gather` raises the first exception but leaves the other
/// tasks running (the Python listing shows them finish afterwards).
#[tokio::test(start_paused = true)]
async fn try_join_drops_the_others_at_the_first_error() {
    let drops = DropCount::default();
    let outcome = tokio::try_join!(
        member(1, false, drops.guard()),
        member(3, true, drops.guard())
    );
    assert_eq!(outcome, Err("failed after 1 s".into()));
    assert_eq!(drops.get(), 2, "the 3 s member was dropped at 1 s");
}
// ANCHOR_END: try_join_cancels

/// async-std's `race` and smol's `or` drop the loser too, once the race
/// itself is dropped (at the end of the statement that awaits it).
#[test]
fn async_std_race_and_smol_or_drop_the_loser() {
    use async_std::prelude::FutureExt as _;
    let (with_async_std, with_smol) = within(|| {
        let guarded = |drops: &DropCount| {
            let guard = drops.guard();
            async move {
                let _guard = guard;
                std::future::pending::<u32>().await
            }
        };
        let drops = DropCount::default();
        let won = async_std::task::block_on(guarded(&drops).race(async { 1 }));
        let async_std = (won, drops.get());
        let drops = DropCount::default();
        let won =
            smol::block_on(futures_lite::future::or(guarded(&drops), async { 2 }));
        (async_std, (won, drops.get()))
    });
    assert_eq!(with_async_std, (1, 1));
    assert_eq!(with_smol, (2, 1));
}

/// futures' `FuturesUnordered` is `as_completed` without tasks: it polls
/// only the futures that woke, in the caller's task.
#[test]
fn futures_unordered_yields_in_completion_order_without_tasks() {
    use futures::StreamExt;
    let order = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("a runtime")
        .block_on(async {
            let before = tokio::runtime::Handle::current()
                .metrics()
                .num_alive_tasks();
            let mut unordered: futures::stream::FuturesUnordered<_> = [3u64, 1, 2]
                .map(|secs| async move {
                    tokio::time::sleep(Duration::from_secs(secs)).await;
                    secs
                })
                .into_iter()
                .collect();
            let mut order = Vec::new();
            while let Some(secs) = unordered.next().await {
                let alive = tokio::runtime::Handle::current()
                    .metrics()
                    .num_alive_tasks();
                assert_eq!(alive, before, "no task was spawned");
                order.push(secs);
            }
            order
        });
    assert_eq!(order, [1, 2, 3]);
    let _ = turns; // shared helper, used by the other files
}

/// async-std's `race` always polls its left future first (its docs leave
/// the order unspecified; its code does not), as smol's `or` does by
/// design; smol's `race` picks at random.
#[test]
fn async_std_race_and_smol_or_prefer_the_left_when_both_are_ready() {
    use async_std::prelude::FutureExt as _;
    for _ in 0..16 {
        let ready = |n| std::future::ready(n);
        let left = async_std::task::block_on(ready(1).race(ready(2)));
        let first = smol::block_on(futures_lite::future::or(ready(1), ready(2)));
        assert_eq!((left, first), (1, 1));
    }
}

// ANCHOR: join_set_order
/// `JoinSet::join_all` gives every output in the order the tasks finished;
/// asyncio's `gather` (and `join!`, and our `join_all`) in the order asked.
#[tokio::test(start_paused = true)]
async fn joinset_join_all_gives_completion_order_not_the_order_asked() {
    let asked: Vec<String> = gather_wait::FETCHES
        .map(|(url, _)| format!("{url} 200 OK"))
        .into();
    let step = Duration::from_millis(100);
    let finished = gather_wait::with_tokio::fetch_all_join_set(step).await;
    assert_eq!(
        finished,
        [
            "api/posts 200 OK",
            "api/comments 200 OK",
            "api/users 200 OK"
        ]
    );
    assert_ne!(finished, asked);
    assert_eq!(gather_wait::with_tokio::fetch_all(step).await, asked);
}
// ANCHOR_END: join_set_order

/// futures' `select_all` hands the losers back instead of dropping them:
/// they are cancelled only when the caller drops them (here, at once).
#[tokio::test(start_paused = true)]
async fn futures_select_all_returns_the_first_and_hands_back_the_rest() {
    let first =
        gather_wait::with_tokio::first_back_select_all(Duration::from_millis(100));
    assert_eq!(first.await, "api/posts");
}

/// Every runtime's timeout gives up at its limit, whatever the work's own
/// pace: tokio's `time::timeout`, async-std's `future::timeout`, and smol's
/// `Timer` raced with `or` (which gives the work when it is quicker).
#[test]
fn every_runtimes_timeout_cancels_the_fetch_where_it_waits() {
    use gather_wait::{with_async_std, with_smol, with_tokio};
    let (limit, step) = (Duration::from_millis(50), Duration::from_secs(10));
    let (tokio, async_std, smol) = within(move || {
        let tokio = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .expect("a runtime")
            .block_on(with_tokio::fetch_within(limit, step));
        let async_std =
            async_std::task::block_on(with_async_std::fetch_within(limit, step));
        let smol = smol::block_on(with_smol::fetch_within(limit, step));
        (tokio, async_std, smol)
    });
    for outcome in [tokio, async_std, smol] {
        assert_eq!(outcome, Err("timed out"));
    }
    let quick = Duration::from_millis(1);
    let smol = smol::block_on(with_smol::fetch_within(Duration::from_secs(30), quick));
    assert_eq!(smol, Ok("api/users 200 OK".to_string()));
}
