//! The chapter's pictures, drawn from recorded runs (see `timeline::svg`):
//! the fetches as tasks on our executor, and on tokio.
//!
//! Each test draws its picture and compares it with the file the book shows,
//! under `book/src/pictures/`; any difference fails it, so the pictures
//! cannot drift from the code. After a change that is meant, redraw them
//! with `UPDATE_PICTURES=1 cargo test -p tasks --test pictures` and commit
//! the files.
//!
//! On our executor, the run is `hand::fetch_all` with one change: where each
//! fetch sleeps on a timer thread of its own (three threads that fire at
//! once, in an order that changes from run to run), it waits here for a
//! [`Reply`] that one network thread delivers, one address at a time, each
//! only once the executor has nothing left to run. So the order of events is
//! the same on every machine, and the picture's axis is that order, not time.
//!
//! On tokio, the run is `with_tokio::fetch_all` on a current-thread runtime
//! with a paused clock: one thread and virtual time, the same on every
//! machine. Tokio reports no polls, so each task is wrapped in a [`Traced`]
//! future that reports them. (The multi-thread runtime cannot be drawn the
//! same way: its workers race, and paused time needs the current thread.)

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::Instant;

use tasks::with_tokio;

use tasks::hand::{JoinHandle, block_on, spawn};
use tasks::{URLS, response};
use timeline::svg::{self, Axis, Mark, Picture, Step};
use timeline::trace::traced;
use timeline::{Event, Recording, Timeline};
use tracing::{debug, info};

/// Where the book takes its pictures from.
fn picture_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../book/src/pictures")
        .join(name)
}

/// What the executor's thread tells the network: it is about to go idle.
/// Each is sent as the last thing that thread does before it waits, so the
/// network's events never interleave with the executor's.
type Idle = Sender<()>;

/// The reply to one fetch, delivered by the network thread.
#[derive(Default)]
struct Arrival {
    arrived: bool,
    waker: Option<Waker>,
}

struct Reply {
    url: &'static str,
    arrival: Arc<Mutex<Arrival>>,
    idle: Idle,
}

impl Future for Reply {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut arrival = self.arrival.lock().expect("no one panics holding it");
        if arrival.arrived {
            return Poll::Ready(());
        }
        arrival.waker = Some(cx.waker().clone());
        debug!(url = self.url, "no reply yet: pending");
        let _ = self.idle.send(());
        Poll::Pending
    }
}

/// `hand::fetch`, waiting for the network's reply instead of sleeping.
async fn fetch(reply: Reply) -> String {
    let url = reply.url;
    info!("fetching {url}");
    reply.await;
    info!("fetched {url}");
    response(url)
}

/// A join handle that tells the network when the main future waits on it.
struct Awaited<T> {
    url: &'static str,
    handle: JoinHandle<T>,
    idle: Idle,
}

impl<T> Future for Awaited<T> {
    type Output = <JoinHandle<T> as Future>::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let poll = Pin::new(&mut self.handle).poll(cx);
        if poll.is_pending() {
            debug!(url = self.url, "main: waits for its handle: pending");
            let _ = self.idle.send(());
        }
        poll
    }
}

/// The main future, reporting its polls (the executor reports only the
/// tasks'): before the poll, and once it is done, when nothing races.
struct Main<F> {
    future: Pin<Box<F>>,
}

impl<F: Future> Future for Main<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        debug!("main: polled");
        let poll = self.future.as_mut().poll(cx);
        if poll.is_ready() {
            debug!("main: ready");
        }
        poll
    }
}

/// The network: waits until the executor is idle, then delivers the next
/// reply. The executor goes idle once at the start (main and the three
/// fetches pending) and once after each reply (main waits again).
fn network(idle: Receiver<()>, arrivals: Vec<(&'static str, Arc<Mutex<Arrival>>)>) {
    let wait = |times| {
        for _ in 0..times {
            idle.recv().expect("the executor says when it is idle");
        }
    };
    wait(1 + arrivals.len());
    for (n, (url, arrival)) in arrivals.into_iter().enumerate() {
        if n > 0 {
            wait(1);
        }
        info!("network: the reply for {url}");
        let waker = {
            let mut arrival = arrival.lock().expect("no one panics holding it");
            arrival.arrived = true;
            arrival.waker.take()
        };
        waker.expect("the fetch waits for its reply").wake();
    }
}

const MAIN: &str = "main task";
const NETWORK: &str = "network";

/// What each recorded event means. `current` is the lane the executor is
/// polling, to which its thread's other events belong.
fn step(event: &Event, current: &mut &'static str) -> Option<Step> {
    let task_lane = |id: &str| match id.parse::<usize>() {
        Ok(1) => Some(MAIN),
        Ok(id) => URLS.get(id.checked_sub(2)?).copied(),
        Err(_) => None,
    };
    let on_network = event.thread == "network";
    let here = if on_network { NETWORK } else { *current };
    let (lane, mark, label) = match (event.message.as_str(), event.field("task")) {
        ("polling", Some(id)) => {
            *current = task_lane(id)?;
            (*current, Mark::Poll, format!("executor polls task {id}"))
        }
        ("main: polled", _) => {
            *current = MAIN;
            (
                MAIN,
                Mark::Poll,
                "executor polls the main future (task 1)".into(),
            )
        }
        ("spawned", Some(id)) => {
            let url = task_lane(id)?;
            (here, Mark::Note, format!("spawns task {id}: {url}"))
        }
        ("woken: queued", Some(id)) => {
            let from = here.to_string();
            let label = format!("task {id} woken: queued");
            (task_lane(id)?, Mark::Wake { from }, label)
        }
        ("finished", Some(id)) => {
            (task_lane(id)?, Mark::Ready, format!("task {id} done"))
        }
        ("main: ready", _) => (MAIN, Mark::Ready, "main future done".into()),
        ("no reply yet: pending", _) => {
            (here, Mark::Pending, "no reply yet: Pending".into())
        }
        ("main: waits for its handle: pending", _) => {
            let url = event.field("url").unwrap_or("?");
            (
                MAIN,
                Mark::Pending,
                format!("awaits the handle of {url}: Pending"),
            )
        }
        _ if event.level == tracing::Level::INFO => {
            (here, Mark::Print, event.text.clone())
        }
        _ => return None,
    };
    Some(Step::new(lane, mark, &label))
}

#[test]
fn fetches_run_as_tasks_on_our_executor() {
    let recording = Recording::start_detailed(Instant::now);
    let (idle, idle_rx) = channel();
    let arrivals: Vec<_> = URLS.map(|url| (url, Arc::default())).to_vec();
    let network = {
        let arrivals = arrivals.clone();
        thread::Builder::new()
            .name("network".into())
            .spawn(move || network(idle_rx, arrivals))
            .expect("the system can start a thread")
    };
    // `hand::fetch_all`, with replies for sleeps and handles that say when
    // they are awaited.
    let results = block_on(Main {
        future: Box::pin(async move {
            info!("starting {} fetches as tasks", URLS.len());
            let handles: Vec<_> = arrivals
                .into_iter()
                .map(|(url, arrival)| {
                    let idle = idle.clone();
                    let reply = Reply {
                        url,
                        arrival,
                        idle: idle.clone(),
                    };
                    (url, spawn(fetch(reply)), idle)
                })
                .collect();
            let mut results = Vec::new();
            for (url, handle, idle) in handles {
                let handle = Awaited { url, handle, idle };
                results.push(handle.await.expect("these fetches do not panic"));
            }
            tasks::report(&results);
            results
        }),
    });
    network.join().expect("the network does not panic");
    let timeline = recording.finish();
    assert_eq!(results, URLS.map(response));

    let mut current = MAIN;
    let picture = Picture::new(
        "Three fetches as tasks on our executor",
        "Recorded from hand::fetch_all on our executor, with each fetch's sleep \
         replaced by a reply from one network thread, delivered whenever the \
         executor has nothing left to run. Time runs down, one row per recorded \
         event, numbered on the left: real threads give no repeatable times, so the \
         axis is the order of events. The main future spawns three tasks; each \
         starts at the executor's next turn and waits; each reply wakes its task \
         from the network's thread, and each finished task wakes the main future, \
         which awaits the handles in the order asked.",
        Axis::Order,
    )
    .lane(MAIN);
    let picture = URLS.iter().fold(picture, |picture, url| picture.lane(url));
    let drawn = picture
        .lane(NETWORK)
        .steps(&timeline, |event| step(event, &mut current))
        .render();
    svg::check(&picture_file("fetches-as-tasks.svg"), &drawn).unwrap();
}

const TIMER: &str = "tokio timer";

/// What each recorded event of the tokio run means.
fn tokio_step(event: &Event, current: &mut &'static str) -> Option<Step> {
    let Some(name) = event.field("future") else {
        let mark = (event.level == tracing::Level::INFO).then_some(Mark::Print)?;
        return Some(Step::new(current, mark, &event.text));
    };
    let name = [MAIN, URLS[0], URLS[1], URLS[2]]
        .into_iter()
        .find(|lane| *lane == name)?;
    let (mark, label) = match event.message.as_str() {
        "polled" => {
            *current = name;
            (Mark::Poll, format!("tokio polls {name}"))
        }
        "pending" if name == MAIN => (Mark::Pending, "awaits a handle: Pending".into()),
        "pending" => (Mark::Pending, "Pending: its sleep is set".into()),
        "ready" => (Mark::Ready, format!("{name} done")),
        "woken" => {
            let by = event.field("by").unwrap_or(TIMER);
            let from = by.to_string();
            (Mark::Wake { from }, format!("{name} woken by {by}"))
        }
        _ => return None,
    };
    Some(Step::new(name, mark, &label))
}

fn tokio_now() -> Instant {
    tokio::time::Instant::now().into_std()
}

fn draw_tokio(timeline: &Timeline) -> String {
    let mut current = MAIN;
    let picture = Picture::new(
        "Three fetches as tasks on tokio (current thread)",
        "Recorded from with_tokio::fetch_all on a current-thread runtime with a \
         paused clock, the demo's two-second delay included; the test wraps the \
         main future and each task to report polls and wakes. Time runs down, one \
         row per event; the axis gives the virtual time wherever it moves on. As on \
         our executor, the tasks start once the main future returns Pending; at two \
         seconds tokio's timer wakes all three, and the first to finish wakes the \
         main future, which then finds the other two done already.",
        Axis::Time,
    )
    .lane(MAIN);
    let picture = URLS.iter().fold(picture, |picture, url| picture.lane(url));
    picture
        .lane(TIMER)
        .steps(timeline, |event| tokio_step(event, &mut current))
        .render()
}

#[tokio::test(start_paused = true)]
async fn fetches_run_as_tasks_on_tokio() {
    let recording = Recording::start_detailed(tokio_now);
    // `with_tokio::fetch_all`, with the main future and each task traced.
    let results = traced(MAIN, TIMER, async {
        info!("starting {} fetches as tasks", URLS.len());
        let handles: Vec<_> = URLS
            .iter()
            .map(|&url| {
                tokio::spawn(traced(url, TIMER, with_tokio::fetch(url, tasks::DELAY)))
            })
            .collect();
        let mut results = Vec::new();
        for handle in handles {
            results.push(handle.await.expect("these fetches do not panic"));
        }
        tasks::report(&results);
        results
    })
    .await;
    let timeline = recording.finish();
    assert_eq!(results, URLS.map(response));
    let last = timeline.events().last().map(|event| event.at);
    assert_eq!(last, Some(tasks::DELAY), "one delay in all, not three");
    let drawn = draw_tokio(&timeline);
    svg::check(&picture_file("fetches-as-tasks-tokio.svg"), &drawn).unwrap();
}
