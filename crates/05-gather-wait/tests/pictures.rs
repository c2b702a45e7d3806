//! The chapter's pictures, drawn from recorded runs (see `timeline::svg`):
//! `gather`, which makes a task of each fetch before it is awaited, beside
//! `join_all`, which polls its fetches inside the caller's own polls.
//!
//! Each test draws its picture and compares it with the file the book
//! shows, under `book/src/pictures/`; any difference fails it, so the
//! pictures cannot drift from the code. After a change that is meant,
//! redraw them with `UPDATE_PICTURES=1 cargo test -p gather-wait --test
//! pictures` and commit the files.
//!
//! Both runs are on a virtual-time loop, with the main future and each
//! fetch wrapped in a [`traced`] future that reports its polls, what they
//! returned, and its wakes. A wake from no traced future comes from the
//! loop's timer heap.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use event_loop::hand::{EventLoop, now, sleep};
use gather_wait::hand::{gather, join_all};
use support::virtual_loop;
use timeline::svg::{self, Axis, Mark, Picture, Step};
use timeline::trace::traced;
use timeline::{Event, Recording, Timeline};
use tracing::info;

fn picture_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../book/src/pictures")
        .join(name)
}

const MAIN: &str = "main";
const LANES: [&str; 3] = [MAIN, "fetch A", "fetch B"];
const TIMERS: &str = "timer heap";

/// A fetch of `secs` seconds that says when it starts and ends.
async fn fetch(name: &'static str, secs: u64) -> &'static str {
    info!("{name}: starts");
    sleep(Duration::from_secs(secs)).await;
    info!("{name}: done");
    name
}

fn step(event: &Event, current: &mut &'static str, poller: &str) -> Option<Step> {
    let Some(name) = event.field("future") else {
        let mark = (event.level == tracing::Level::INFO).then_some(Mark::Print)?;
        return Some(Step::new(current, mark, &event.text));
    };
    let name = LANES.into_iter().find(|lane| *lane == name)?;
    let (mark, label) = match event.message.as_str() {
        "polled" if name == MAIN => {
            *current = name;
            (Mark::Poll, "the loop polls the main task".to_string())
        }
        "polled" => {
            *current = name;
            (Mark::Poll, format!("{poller} polls it"))
        }
        "pending" => (Mark::Pending, "Pending".to_string()),
        "ready" => {
            *current = MAIN; // what runs next is main's, until a poll says
            (Mark::Ready, format!("{name}: Ready"))
        }
        "woken" => {
            let by = event.field("by").unwrap_or(TIMERS);
            let by = if by == MAIN { TIMERS } else { by };
            let from = by.to_string();
            (Mark::Wake { from }, format!("{name} woken by {by}"))
        }
        _ => return None,
    };
    Some(Step::new(name, mark, &label))
}

/// Runs `main` traced on a virtual loop and records it in detail.
fn record(
    main: impl Future<Output = Vec<&'static str>> + 'static,
) -> (Vec<&'static str>, Timeline) {
    let event_loop: EventLoop = virtual_loop();
    let recording =
        event_loop.run_until_complete(async { Recording::start_detailed(now) });
    let output = event_loop.run_until_complete(traced(MAIN, TIMERS, main));
    (output, recording.finish())
}

fn draw(title: &str, caption: &str, poller: &str, timeline: &Timeline) -> String {
    let mut current = MAIN;
    let picture = Picture::new(title, caption, Axis::Time);
    let picture = LANES
        .iter()
        .fold(picture, |picture, lane| picture.lane(lane));
    picture
        .lane(TIMERS)
        .steps(timeline, |event| step(event, &mut current, poller))
        .render()
}

#[test]
fn gather_starts_its_tasks_before_it_is_awaited() {
    let (output, timeline) = record(async {
        let gathered = gather([
            traced("fetch A", TIMERS, fetch("fetch A", 1)),
            traced("fetch B", TIMERS, fetch("fetch B", 2)),
        ]);
        info!("main: gather made; other work first");
        sleep(Duration::from_millis(500)).await;
        info!("main: awaits the gather");
        let results = gathered.await;
        results
            .into_iter()
            .map(|result| result.expect("no panic"))
            .collect()
    });
    assert_eq!(output, ["fetch A", "fetch B"]);
    let started = timeline.time_of("fetch B: starts").expect("B started");
    let awaited = timeline
        .time_of("main: awaits the gather")
        .expect("awaited");
    assert!(
        started < awaited,
        "the tasks ran before the gather was awaited"
    );
    let drawn = draw(
        "gather: a task per fetch, started before it is awaited",
        "Recorded on a virtual-time loop; the test traces the main task and each \
         fetch. Time runs down, one row per event. gather spawns the two fetches; \
         they start at the loop's next turn, while main does other work, and run \
         as tasks of their own: each is polled by the loop, woken by its timer, \
         and main is woken only when the fetch it waits on finishes.",
        "the loop",
        &timeline,
    );
    svg::check(&picture_file("ch05-gather-makes-tasks.svg"), &drawn).unwrap();
}

#[test]
fn join_all_polls_its_fetches_inside_the_callers_polls() {
    let (output, timeline) = record(async {
        let joined = join_all([
            traced("fetch A", TIMERS, fetch("fetch A", 1)),
            traced("fetch B", TIMERS, fetch("fetch B", 2)),
        ]);
        info!("main: join_all made; other work first");
        sleep(Duration::from_millis(500)).await;
        info!("main: awaits the join");
        joined.await
    });
    assert_eq!(output, ["fetch A", "fetch B"]);
    let started = timeline.time_of("fetch A: starts").expect("A started");
    assert_eq!(
        started,
        Duration::from_millis(500),
        "nothing ran before the await"
    );
    let drawn = draw(
        "join_all: the fetches polled inside main's own polls",
        "Recorded on a virtual-time loop; the test traces the main task and each \
         fetch. Time runs down, one row per event. join_all makes no task: the \
         fetches do not start until main awaits the join, at 0.5 s, and every poll \
         of a fetch happens inside a poll of main. A timer wakes its fetch's \
         waker, which is main's: the loop polls main, and main polls the fetches.",
        "main",
        &timeline,
    );
    svg::check(&picture_file("ch05-join-polls-in-place.svg"), &drawn).unwrap();
}

const TOKIO_LANES: [&str; 4] = [MAIN, "api/users", "api/posts", "api/comments"];
const TOKIO_TIMER: &str = "tokio timer";

fn tokio_now() -> std::time::Instant {
    tokio::time::Instant::now().into_std()
}

/// What each event of the `select!` run means. Lines printed belong to the
/// lane being polled, or, for a connection's goodbye, to its fetch.
fn select_step(event: &Event, current: &mut &'static str) -> Option<Step> {
    let Some(name) = event.field("future") else {
        let mark = (event.level == tracing::Level::INFO).then_some(Mark::Print)?;
        let lane = TOKIO_LANES
            .into_iter()
            .find(|lane| event.text.starts_with(&format!("{lane}: cancelled")))
            .unwrap_or(current);
        return Some(Step::new(lane, mark, &event.text));
    };
    let name = TOKIO_LANES.into_iter().find(|lane| *lane == name)?;
    let (mark, label) = match event.message.as_str() {
        "polled" if name == MAIN => {
            *current = name;
            (Mark::Poll, "tokio polls the main task".to_string())
        }
        "polled" => {
            *current = name;
            (Mark::Poll, "select! polls it".to_string())
        }
        "pending" => (Mark::Pending, "Pending".to_string()),
        "ready" => {
            *current = MAIN; // what runs next is main's, until a poll says
            (Mark::Ready, format!("{name}: Ready"))
        }
        "woken" => {
            let by = event.field("by").unwrap_or(TOKIO_TIMER);
            let by = if TOKIO_LANES.contains(&by) && by == name {
                TOKIO_TIMER
            } else {
                by
            };
            let from = by.to_string();
            (Mark::Wake { from }, format!("{name} woken by {by}"))
        }
        _ => return None,
    };
    Some(Step::new(name, mark, &label))
}

#[tokio::test(start_paused = true)]
async fn select_drops_the_losers_when_the_first_is_back() {
    use gather_wait::with_tokio::fetch_in;
    let recording = Recording::start_detailed(tokio_now);
    let step = gather_wait::STEP;
    let first = traced(MAIN, TOKIO_TIMER, async move {
        let [(a, x), (b, y), (c, z)] = gather_wait::FETCHES;
        let first = tokio::select! {
            biased;
            _ = traced("api/users", TOKIO_TIMER, fetch_in(a, x, step)) => a,
            _ = traced("api/posts", TOKIO_TIMER, fetch_in(b, y, step)) => b,
            _ = traced("api/comments", TOKIO_TIMER, fetch_in(c, z, step)) => c,
        };
        info!("select! returned: {first}");
        first
    })
    .await;
    let timeline = recording.finish();
    assert_eq!(first, "api/posts");
    let cancelled = timeline.position_of("api/users: cancelled while waiting");
    let returned = timeline.position_of("select! returned: api/posts");
    assert!(
        cancelled < returned,
        "the losers were dropped before select! returned"
    );
    let mut current = MAIN;
    let picture = Picture::new(
        "select!: the first back wins, the others are dropped",
        "Recorded on tokio's current-thread runtime with a paused clock; the test \
         traces the main task and each fetch. Time runs down, one row per event. \
         select! polls its three fetches inside the main task's poll, in the order \
         written (biased;). At 0.1 s tokio's timer wakes api/posts, whose waker is \
         main's; main polls the branches again, api/posts is Ready, and select! \
         drops the other two where they wait: each says so from its destructor, \
         before select! returns.",
        Axis::Time,
    );
    let picture = TOKIO_LANES
        .iter()
        .fold(picture, |picture, lane| picture.lane(lane));
    let drawn = picture
        .lane(TOKIO_TIMER)
        .steps(&timeline, |event| select_step(event, &mut current))
        .render();
    svg::check(&picture_file("ch05-select-drops-the-losers.svg"), &drawn).unwrap();
}
