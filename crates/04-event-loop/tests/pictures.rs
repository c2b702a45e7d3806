//! The chapter's picture, drawn from a recorded run (see `timeline::svg`):
//! the two countdowns of the scene as tasks on our loop, on its virtual clock.
//!
//! The test draws the picture and compares it with the file the book shows,
//! under `book/src/pictures/`; any difference fails it, so the picture cannot
//! drift from the code. After a change that is meant, redraw it with
//! `UPDATE_PICTURES=1 cargo test -p event-loop --test pictures` and commit the
//! file.
//!
//! The run is `hand::run_countdowns_on` on a virtual-time loop, with each
//! countdown wrapped in a [`traced`] future that reports its polls, what they
//! returned, and its wakes (the loop itself logs none of them, to stay fast).
//! A wake from no traced future comes from the loop's timer heap: the turn
//! that finds a timer due wakes its task.

mod support;

use std::path::PathBuf;

use event_loop::hand::{self, EventLoop, countdown, now};
use event_loop::{COUNTDOWNS, STEP};
use support::virtual_loop;
use timeline::svg::{self, Axis, Mark, Picture, Step};
use timeline::trace::traced;
use timeline::{Event, Recording};

/// Where the book takes its pictures from.
fn picture_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../book/src/pictures")
        .join(name)
}

const LANES: [&str; 2] = ["countdown A", "countdown B"];
const TIMERS: &str = "timer heap";

/// What each recorded event means. `current` is the lane being polled, to
/// which the lines it prints belong.
fn step(event: &Event, current: &mut &'static str) -> Option<Step> {
    let Some(name) = event.field("future") else {
        let mark = (event.level == tracing::Level::INFO).then_some(Mark::Print)?;
        return Some(Step::new(current, mark, &event.text));
    };
    let name = LANES.into_iter().find(|lane| *lane == name)?;
    let (mark, label) = match event.message.as_str() {
        "polled" => {
            *current = name;
            (Mark::Poll, "the loop polls it".to_string())
        }
        "pending" => (Mark::Pending, "Pending: its timer is in the heap".into()),
        "ready" => (Mark::Ready, format!("{name} done")),
        "woken" => {
            // `traced` blames a wake on the traced future that finished
            // last, if no poll came since (a join handle's waiter is woken
            // right after the last poll). No countdown wakes the other: a
            // countdown wakes only once its timer is due.
            let by = TIMERS.to_string();
            let label = format!("its timer is due: woken by the {by}");
            (Mark::Wake { from: by }, label)
        }
        _ => return None,
    };
    Some(Step::new(name, mark, &label))
}

#[test]
fn countdowns_interleave_on_the_loops_timers() {
    let event_loop = virtual_loop();
    // Started inside the loop, so that its clock starts at the loop's.
    let recording =
        event_loop.run_until_complete(async { Recording::start_detailed(now) });
    let took = event_loop.run_until_complete(async {
        let started = now();
        let tasks = COUNTDOWNS.map(|(name, from)| {
            let lane = LANES.into_iter().find(|lane| lane.ends_with(name));
            let lane = lane.expect("a lane for each countdown");
            hand::spawn(traced(lane, TIMERS, countdown(name, from, STEP)))
        });
        for task in tasks {
            task.await.expect("a countdown does not panic");
        }
        now() - started
    });
    let timeline = recording.finish();
    let longest = COUNTDOWNS.iter().map(|&(_, from)| from).max();
    assert_eq!(
        Some(took),
        longest.map(|from| STEP * from),
        "the steps overlap"
    );
    let printed: Vec<_> = timeline
        .events()
        .iter()
        .filter(|event| event.level == tracing::Level::INFO)
        .map(|event| event.text.as_str())
        .collect();
    assert_eq!(
        printed[..4],
        ["A: 5", "B: 3", "A: 4", "B: 2"],
        "each second A steps, then B"
    );

    let mut current = LANES[0];
    let picture = Picture::new(
        "Two countdowns as tasks on our loop",
        "Recorded from the scene on a virtual-time loop: the test wraps each \
         countdown to report its polls and wakes. Time runs down, one row per \
         event; the axis gives the loop's clock wherever it moves on. Each step \
         prints, sets a timer and returns Pending. With nothing ready, the loop \
         moves its clock to the earliest deadline; the turn that finds timers due \
         wakes their tasks, in the order the timers were set, then polls them.",
        Axis::Time,
    );
    let picture = LANES
        .iter()
        .fold(picture, |picture, lane| picture.lane(lane));
    let drawn = picture
        .lane(TIMERS)
        .steps(&timeline, |event| step(event, &mut current))
        .render();
    svg::check(&picture_file("countdowns-on-the-loop.svg"), &drawn).unwrap();
}

const READER: &str = "reader";
const WRITER: &str = "writer";
const REACTOR: &str = "reactor";

/// What each recorded event of the socket run means.
fn socket_step(event: &Event) -> Option<Step> {
    let name = [READER, WRITER]
        .into_iter()
        .find(|lane| Some(*lane) == event.field("future"))?;
    let (mark, label) = match (name, event.message.as_str()) {
        (_, "polled") => (Mark::Poll, "the loop polls it"),
        (READER, "pending") => (Mark::Pending, "WouldBlock: waker to the reactor"),
        (READER, "ready") => (Mark::Ready, "read 5 bytes: \"ping\\n\""),
        (WRITER, "ready") => (Mark::Ready, "wrote \"ping\\n\" at once: Ready"),
        // Only the reactor holds the reader's waker (`traced` would blame
        // the writer, the last traced future to finish).
        (READER, "woken") => {
            let from = REACTOR.to_string();
            let label = "the poller says readable: the reactor wakes it";
            return Some(Step::new(name, Mark::Wake { from }, label));
        }
        _ => return None,
    };
    Some(Step::new(name, mark, label))
}

#[test]
fn a_read_waits_in_the_reactor_until_the_socket_is_readable() {
    use event_loop::hand::{TcpListener, TcpStream};

    let event_loop = virtual_loop();
    let (server_side, client_side) = event_loop.run_until_complete(async {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let address = listener.local_addr().expect("a bound listener");
        let client = TcpStream::connect(address).await.expect("a connection");
        let (server, _) = listener.accept().await.expect("an accepted peer");
        (server, client)
    });
    // The connection is made before the recording starts, so only the read
    // and the write are drawn; both run on the loop's thread, in spawn order.
    let recording = Recording::start_detailed(now);
    let read = event_loop.run_until_complete(async move {
        let reader = hand::spawn(traced(READER, REACTOR, async move {
            let mut buf = [0; 16];
            let n = server_side.read(&mut buf).await.expect("a read");
            buf[..n].to_vec()
        }));
        let writer = hand::spawn(traced(WRITER, REACTOR, async move {
            client_side.write_all(b"ping\n").await.expect("a write");
            client_side
        }));
        let _client = writer.await.expect("the writer does not panic");
        reader.await.expect("the reader does not panic")
    });
    let timeline = recording.finish();
    assert_eq!(read, b"ping\n");
    let position = |future: &str, message: &str| {
        timeline.events().iter().position(|event| {
            event.field("future") == Some(future) && event.message == message
        })
    };
    let waits = position(READER, "pending").expect("the reader waits");
    let writes = position(WRITER, "ready").expect("the writer writes");
    let wakes = position(READER, "woken").expect("the reader is woken");
    assert!(waits < writes && writes < wakes, "wait, write, wake");

    let picture = Picture::new(
        "A read that waits for its socket",
        "Recorded on our loop: two tasks share a loopback connection made \
         beforehand. Time runs down, one row per event, numbered: the clock \
         does not move. The reader is polled first and finds nothing to read; \
         the writer writes. With nothing left to run, the loop waits in the \
         poller, which reports the reader's socket readable at once, and the \
         reactor wakes the task whose waker it holds.",
        Axis::Order,
    );
    let drawn = picture
        .lane(READER)
        .lane(WRITER)
        .lane(REACTOR)
        .steps(&timeline, socket_step)
        .render();
    svg::check(&picture_file("a-read-waits-for-its-socket.svg"), &drawn).unwrap();
}

const COUNTDOWN: &str = "countdown";
const BLOCKER: &str = "blocker";

/// What each recorded event of the blocking run means. `current` is the lane
/// being polled.
fn blocking_step(event: &Event, current: &mut &'static str) -> Option<Step> {
    let Some(name) = event.field("future") else {
        let text = event.text.as_str();
        let (mark, label) = match event.level {
            _ if text.starts_with("blocker: calling") => (
                Mark::Sleep,
                "std::thread::sleep: blocks the thread for 1.5 s",
            ),
            tracing::Level::INFO => (Mark::Print, text),
            // Debug mode's warning, without its advice.
            tracing::Level::WARN => (Mark::Note, text.split(';').next()?),
            _ => return None,
        };
        return Some(Step::new(current, mark, label));
    };
    let name = [COUNTDOWN, BLOCKER]
        .into_iter()
        .find(|lane| *lane == name)?;
    let (mark, label) = match event.message.as_str() {
        "polled" => {
            *current = name;
            (Mark::Poll, "the loop polls it".to_string())
        }
        "pending" => (Mark::Pending, "Pending: its timer is in the heap".into()),
        "ready" => (Mark::Ready, format!("{name} done")),
        "woken" => {
            // Only the timer heap wakes these two (see `step` above).
            let from = TIMERS.to_string();
            let label = "its timer is due: woken by the timer heap".to_string();
            (Mark::Wake { from }, label)
        }
        _ => return None,
    };
    Some(Step::new(name, mark, &label))
}

#[test]
fn a_blocking_call_holds_back_the_countdowns_timer() {
    let event_loop = EventLoop::builder()
        .virtual_time()
        .debug(true)
        .build()
        .expect("a poller");
    // Started inside the loop, so that its clock starts at the loop's.
    let recording =
        event_loop.run_until_complete(async { Recording::start_detailed(now) });
    // `hand::run_with_a_blocking_call` with `blocking_sleep`, each task traced.
    event_loop.run_until_complete(async {
        let countdown = hand::spawn(traced(COUNTDOWN, TIMERS, countdown("A", 3, STEP)));
        let blocker = hand::spawn_named(
            BLOCKER,
            traced(BLOCKER, TIMERS, async {
                hand::sleep(STEP / 2).await;
                tracing::info!(
                    "blocker: calling std::thread::sleep, which blocks the thread"
                );
                hand::blocking_sleep(STEP * 3 / 2);
                tracing::info!("blocker: done blocking");
            }),
        );
        blocker.await.expect("the blocker does not panic");
        countdown.await.expect("a countdown does not panic");
    });
    let timeline = recording.finish();
    let woken = |at| {
        timeline.events().iter().any(|event| {
            event.field("future") == Some(COUNTDOWN)
                && event.message == "woken"
                && event.at == at
        })
    };
    assert!(
        !woken(STEP),
        "no wake when the step was due: the thread was blocked"
    );
    assert!(woken(STEP * 2), "the wake came when the blocker returned");

    let mut current = COUNTDOWN;
    let drawn = Picture::new(
        "A blocking call holds back a timer",
        "Recorded on a virtual-time loop in debug mode, with blocking_sleep standing \
         for std::thread::sleep: it moves the clock on without yielding, as a real \
         blocking call holds the thread. The countdown's second step was due at 1 s; \
         the blocker, polled at 0.5 s, holds the thread until 2 s, so the timer heap \
         wakes the countdown only then, a second late. Debug mode names the blocker.",
        Axis::Time,
    )
    .lane(COUNTDOWN)
    .lane(BLOCKER)
    .lane(TIMERS)
    .steps(&timeline, |event| blocking_step(event, &mut current))
    .render();
    svg::check(
        &picture_file("a-blocking-call-holds-back-a-timer.svg"),
        &drawn,
    )
    .unwrap();
}
