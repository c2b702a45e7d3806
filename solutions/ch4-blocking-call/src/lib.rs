//! Chapter 4 exercise: find and fix a blocking call with the loop's debug
//! mode.
//!
//! A small dashboard on chapter 4's event loop: a heartbeat beats every
//! quarter of a second while three fetches run. The server behind `api/posts`
//! is busy at first, so that fetch backs off and asks again. While one task
//! waits, the others run: that is the whole point of an event loop, as long as
//! no task blocks the thread it shares with them.
//!
//! Run it with `cargo run -p ch4-blocking-call`; `EVENT_LOOP_DEBUG=1` in front
//! turns debug mode on. Check your work with `cargo test -p ch4-blocking-call`.
#![forbid(unsafe_code)]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use event_loop::hand::{self, EventLoop, sleep};
use tracing::info;

/// How often the heartbeat beats.
pub const BEAT: Duration = Duration::from_millis(250);

/// How many times the heartbeat beats before it stops.
pub const BEATS: u32 = 6;

/// How long a fetch waits before it asks a busy server again: this long after
/// the first busy answer, twice as long after the second, and so on.
pub const BACK_OFF: Duration = Duration::from_millis(500);

/// One address to fetch, and how its simulated server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    /// The address, such as `"api/users"`.
    pub url: &'static str,
    /// How long the server takes to answer each time it is asked.
    pub latency: Duration,
    /// How many times it answers "busy" before it answers for real.
    pub busy: u32,
}

/// The dashboard's three fetches. Only `api/posts` meets a busy server.
pub const REQUESTS: [Request; 3] = [
    Request {
        url: "api/users",
        latency: Duration::from_millis(300),
        busy: 0,
    },
    Request {
        url: "api/posts",
        latency: Duration::from_millis(100),
        busy: 1,
    },
    Request {
        url: "api/comments",
        latency: Duration::from_millis(1100),
        busy: 0,
    },
];

/// What one run of the dashboard did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    /// Every line it printed, in order, with the loop's time when it did.
    pub lines: Vec<(Duration, String)>,
    /// Each fetch's answer, in the order of [`REQUESTS`].
    pub answers: Vec<String>,
}

/// Runs the dashboard on `event_loop`: the heartbeat and one task per fetch,
/// each named so that debug mode can say which one misbehaves. Returns once
/// every fetch has answered and the heartbeat has stopped.
///
/// # Panics
///
/// If called from inside a running loop, like `run_until_complete`.
pub fn run_dashboard(event_loop: &EventLoop) -> Dashboard {
    let log = Log::default();
    let heartbeat = event_loop.create_task_named("heartbeat", heartbeat(log.clone()));
    let fetches: Vec<_> = REQUESTS
        .iter()
        .map(|request| {
            let name = format!("fetch {}", request.url);
            event_loop.create_task_named(&name, fetch(*request, log.clone()))
        })
        .collect();
    let answers = event_loop.run_until_complete(async move {
        let mut answers = Vec::new();
        for fetch in fetches {
            answers.push(fetch.await.expect("a fetch does not panic"));
        }
        heartbeat.await.expect("the heartbeat does not panic");
        answers
    });
    Dashboard {
        lines: log.take(),
        answers,
    }
}

/// The dashboard's printout: each line goes to `tracing`, which the demo
/// prints, and into a list with the loop's time, which the tests read.
#[derive(Debug, Clone, Default)]
struct Log(Rc<RefCell<Vec<(Duration, String)>>>);

impl Log {
    fn say(&self, line: String) {
        info!("{line}");
        let now = hand::handle().time();
        self.0.borrow_mut().push((now, line));
    }

    fn take(&self) -> Vec<(Duration, String)> {
        self.0.take()
    }
}

/// Beats every [`BEAT`], [`BEATS`] times: a task that shows whether the loop
/// is free to run it on time.
async fn heartbeat(log: Log) {
    for n in 1..=BEATS {
        sleep(BEAT).await;
        log.say(format!("beat {n}"));
    }
}

/// Fetches `request.url` and prints the answer.
async fn fetch(request: Request, log: Log) -> String {
    let answer = get(request, &log).await;
    log.say(answer.clone());
    answer
}

/// Asks the server until it is not busy, backing off longer each time.
async fn get(request: Request, log: &Log) -> String {
    let mut attempt = 1;
    loop {
        match ask(request, attempt).await {
            Some(answer) => return answer,
            None => {
                log.say(format!("{}: server busy, backing off", request.url));
                back_off(attempt).await;
                attempt += 1;
            }
        }
    }
}

/// The simulated server: it answers after its latency, `None` while busy.
async fn ask(request: Request, attempt: u32) -> Option<String> {
    sleep(request.latency).await;
    (attempt > request.busy).then(|| format!("{}: 200 OK", request.url))
}

/// Waits before attempt number `attempt + 1`, longer after each busy answer.
async fn back_off(attempt: u32) {
    // The fix. This was `std::thread::sleep(pause)`: a blocking call, like
    // `time.sleep` inside an `async def`. It put the whole thread to sleep,
    // and with it the loop and every other task on it: the heartbeat missed
    // its beats, and debug mode reported "slow poll: task fetch api/posts".
    // `sleep(pause).await` sets a timer on the loop and returns `Pending`:
    // this task waits, and the loop runs the others meanwhile.
    let pause = BACK_OFF * attempt;
    sleep(pause).await;
}
