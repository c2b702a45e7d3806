//! The chapter's picture, drawn from a recorded run (see `timeline::svg`):
//! the fetches as tasks on our executor.
//!
//! The test draws the picture and compares it with the file the book shows,
//! `book/src/pictures/fetches-as-tasks.svg`; any difference fails it, so the
//! picture cannot drift from the code. After a change that is meant, redraw
//! it with `UPDATE_PICTURES=1 cargo test -p tasks --test pictures` and
//! commit the file.
//!
//! The run is `hand::fetch_all` with one change: where each fetch sleeps on
//! a timer thread of its own (three threads that fire at once, in an order
//! that changes from run to run), it waits here for a [`Reply`] that one
//! network thread delivers, one address at a time, each only once the
//! executor has nothing left to run. So the order of events is the same on
//! every machine, and the picture's axis is that order, not time.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::Instant;

use tasks::hand::{JoinHandle, block_on, spawn};
use tasks::{URLS, response};
use timeline::svg::{self, Axis, Mark, Picture, Step};
use timeline::{Event, Recording};
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
