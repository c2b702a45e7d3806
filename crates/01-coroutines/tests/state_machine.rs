//! The hand-written greeter goes Start → Sleeping → Done, one step per poll that
//! can make progress, and does nothing before its first poll.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use coroutines::hand::{self, Greet};
use timeline::Recording;

/// A waker that only counts how often it was woken.
#[derive(Default)]
struct CountingWaker(AtomicUsize);

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn poll_once(greet: &mut Greet, waker: &Waker) -> Poll<()> {
    Pin::new(greet).poll(&mut Context::from_waker(waker))
}

/// Waits (for real, but bounded) until the timer thread has woken us.
fn wait_for_wake(count: &CountingWaker) {
    let give_up = Instant::now() + Duration::from_secs(10);
    while count.0.load(Ordering::SeqCst) == 0 {
        assert!(Instant::now() < give_up, "the sleep never woke the task");
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn greeter_steps_from_start_to_sleeping_to_done() {
    let recording = Recording::start();
    let count = Arc::new(CountingWaker::default());
    let waker = Waker::from(Arc::clone(&count));
    let mut greet = hand::greet("Ada", Duration::from_millis(5));
    assert_eq!(greet.state(), "Start");

    assert_eq!(poll_once(&mut greet, &waker), Poll::Pending);
    assert_eq!(greet.state(), "Sleeping");

    wait_for_wake(&count);
    assert_eq!(poll_once(&mut greet, &waker), Poll::Ready(()));
    assert_eq!(greet.state(), "Done");
    assert_eq!(count.0.load(Ordering::SeqCst), 1, "one timer, one wake");
    assert_eq!(recording.finish().texts(), ["Hello, Ada!", "Goodbye, Ada!"]);
}

#[test]
fn polling_a_sleeping_greeter_early_changes_nothing() {
    let recording = Recording::start();
    let count = Arc::new(CountingWaker::default());
    let waker = Waker::from(Arc::clone(&count));
    let mut greet = hand::greet("Grace", Duration::from_secs(60));
    assert_eq!(poll_once(&mut greet, &waker), Poll::Pending);
    // A spurious poll: the timer has not fired.
    assert_eq!(poll_once(&mut greet, &waker), Poll::Pending);
    assert_eq!(greet.state(), "Sleeping");
    assert_eq!(
        recording.finish().texts(),
        ["Hello, Grace!"],
        "hello said once"
    );
}

#[test]
#[should_panic(expected = "polled after it completed")]
fn polling_a_finished_greeter_panics() {
    let recording = Recording::start();
    let count = Arc::new(CountingWaker::default());
    let waker = Waker::from(Arc::clone(&count));
    let mut greet = hand::greet("Linus", Duration::ZERO);
    while poll_once(&mut greet, &waker).is_pending() {
        wait_for_wake(&count);
    }
    drop(recording);
    let _ = poll_once(&mut greet, &waker);
}

#[test]
fn calling_a_greeter_runs_nothing_until_it_is_polled() {
    let recording = Recording::start();
    let state_machine = hand::greet("Ada", Duration::ZERO);
    let async_fn = hand::greet_async("Grace", Duration::ZERO);
    assert_eq!(state_machine.state(), "Start");
    assert!(
        recording.finish().events().is_empty(),
        "no hello before a poll"
    );

    // Only a poll runs them, here through `block_on`.
    let recording = Recording::start();
    hand::block_on(async {
        state_machine.await;
        async_fn.await;
    });
    assert_eq!(
        recording.finish().texts(),
        [
            "Hello, Ada!",
            "Goodbye, Ada!",
            "Hello, Grace!",
            "Goodbye, Grace!"
        ]
    );
}

#[test]
fn tokio_async_fn_is_lazy_too() {
    let recording = Recording::start();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread runtime builds");
    let greeting = coroutines::with_tokio::greet("Ada", Duration::ZERO);
    runtime.block_on(tokio::task::yield_now());
    assert!(
        recording.finish().events().is_empty(),
        "created, not awaited"
    );
    let recording = Recording::start();
    runtime.block_on(greeting);
    assert_eq!(recording.finish().texts(), ["Hello, Ada!", "Goodbye, Ada!"]);
}

#[test]
fn join_all_returns_outputs_in_input_order_whatever_finishes_first() {
    let recording = Recording::start();
    let pauses = [30, 0, 10].map(Duration::from_millis);
    let sleeps = pauses.map(|pause| {
        Box::pin(async move {
            hand::sleep(pause).await;
            pause
        })
    });
    assert_eq!(hand::block_on(hand::join_all(sleeps)), pauses);
    assert!(recording.finish().events().is_empty());
}

/// One walk through the machine, poll by poll, noting the state each poll
/// found and left: `None` if the machine (a loaded one) let the pause pass
/// before the early poll, so that the walk would not be the one drawn.
fn walk(pause: Duration) -> Option<Vec<(&'static str, &'static str, Poll<()>)>> {
    let count = Arc::new(CountingWaker::default());
    let waker = Waker::from(Arc::clone(&count));
    let mut greet = hand::greet("Ada", pause);
    let mut steps = Vec::new();
    let mut step = |greet: &mut Greet| {
        let found = greet.state();
        let poll = poll_once(greet, &waker);
        steps.push((found, greet.state(), poll));
        poll
    };
    assert_eq!(step(&mut greet), Poll::Pending, "the first poll waits");
    if step(&mut greet).is_ready() {
        return None; // the pause passed already: not an early poll
    }
    wait_for_wake(&count);
    assert_eq!(step(&mut greet), Poll::Ready(()), "polled once woken, done");
    Some(steps)
}

const WALK_PICTURE: &str = "greet-state-machine.svg";

#[test]
fn the_state_machine_is_drawn_from_a_walk_through_it() {
    // The early poll comes right after the first, long before the pause
    // ends; should a stalled machine miss that, the walk is taken again.
    let steps = (0..20)
        .find_map(|_| walk(Duration::from_millis(200)))
        .expect("an early poll before the pause ends, in 20 tries");
    let polls: Vec<_> = steps.iter().map(|(from, to, _)| (*from, *to)).collect();
    assert_eq!(
        polls,
        [
            ("Start", "Sleeping"),
            ("Sleeping", "Sleeping"),
            ("Sleeping", "Done")
        ]
    );
    let did = [
        "says hello, sets a sleep: Pending",
        "polled early: Pending, nothing changes",
        "woken, polled: says goodbye, Ready",
    ];
    let machine = timeline::states::Machine::new(
        "The greeter's state machine, walked poll by poll",
        "Drawn from a test that polls hand::greet(\"Ada\", ...) by hand: each arrow \
         is one poll, from the state it found to the state it left. The first poll \
         runs the code before the .await and stops at the sleep; a poll before the \
         sleep's wake finds it still Pending and changes nothing; the poll after \
         the wake runs the rest. Polling Done again panics.",
    )
    .state("Start", "holds name, pause")
    .state("Sleeping", "holds name, sleep")
    .state("Done", "holds nothing");
    let drawn = steps
        .iter()
        .zip(did)
        .fold(machine, |machine, ((from, to, _), did)| {
            machine.poll(from, to, did)
        })
        .render();
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../book/src/pictures")
        .join(WALK_PICTURE);
    timeline::svg::check(&file, &drawn).unwrap();
}
