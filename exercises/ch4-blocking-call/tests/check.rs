//! The dashboard runs in debug mode without a slow poll: no task blocks the
//! loop, the heartbeat beats while `api/posts` backs off, and every fetch
//! answers.
//!
//! Run with `cargo test -p ch4-blocking-call`. Every test runs the dashboard on
//! a loop with debug mode on and a virtual clock, so its lines come at exact,
//! repeatable times and the whole takes no real time, unless something blocks
//! the thread. The warnings are caught by a subscriber set for this thread
//! only, so the tests do not see each other's.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ch4_blocking_call::{BEAT, BEATS, Dashboard, run_dashboard};
use event_loop::hand::EventLoop;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};

/// A `tracing` layer that keeps the message of every warning.
#[derive(Debug, Clone, Default)]
struct Warnings(Arc<Mutex<Vec<String>>>);

impl<S: Subscriber> Layer<S> for Warnings {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        if *event.metadata().level() == Level::WARN {
            let mut message = Message::default();
            event.record(&mut message);
            self.0.lock().unwrap().push(message.0);
        }
    }
}

/// Reads the `message` field of an event.
#[derive(Default)]
struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}

/// The debug-mode threshold for these tests: far above what any honest poll
/// takes, even on a loaded machine, and far below the blocking call's pause.
const SLOW_POLL: Duration = Duration::from_millis(250);

/// Runs the dashboard in debug mode on a virtual clock; returns what it did
/// and the warnings logged meanwhile.
fn run_in_debug_mode() -> (Dashboard, Vec<String>) {
    let warnings = Warnings::default();
    let subscriber = tracing_subscriber::registry().with(warnings.clone());
    let dashboard = tracing::subscriber::with_default(subscriber, || {
        let event_loop = EventLoop::builder()
            .debug(true)
            .slow_poll(SLOW_POLL)
            .virtual_time()
            .build()
            .expect("the system's poller");
        run_dashboard(&event_loop)
    });
    let warnings = warnings.0.lock().unwrap().clone();
    (dashboard, warnings)
}

fn texts(dashboard: &Dashboard) -> Vec<&str> {
    dashboard
        .lines
        .iter()
        .map(|(_, text)| text.as_str())
        .collect()
}

fn time_of(dashboard: &Dashboard, text: &str) -> Duration {
    let line = dashboard.lines.iter().find(|(_, line)| line == text);
    line.unwrap_or_else(|| panic!("no line {text:?}")).0
}

#[test]
fn step_1_debug_mode_reports_no_slow_poll() {
    let (_, warnings) = run_in_debug_mode();
    let slow: Vec<&String> = warnings
        .iter()
        .filter(|warning| warning.starts_with("slow poll"))
        .collect();
    assert!(slow.is_empty(), "a task blocked the loop: {slow:#?}");
}

#[test]
fn step_2_the_heartbeat_goes_on_while_a_fetch_backs_off() {
    let (dashboard, _) = run_in_debug_mode();
    assert_eq!(
        texts(&dashboard),
        [
            "api/posts: server busy, backing off",
            "beat 1",
            "api/users: 200 OK",
            "beat 2",
            "api/posts: 200 OK",
            "beat 3",
            "beat 4",
            "api/comments: 200 OK",
            "beat 5",
            "beat 6",
        ]
    );
}

#[test]
fn step_3_the_back_off_takes_its_time_on_the_loops_clock() {
    let (dashboard, _) = run_in_debug_mode();
    let busy = time_of(&dashboard, "api/posts: server busy, backing off");
    let answered = time_of(&dashboard, "api/posts: 200 OK");
    // 100 ms to be told "busy", 500 ms of back-off, 100 ms to be answered.
    assert_eq!(busy, Duration::from_millis(100));
    assert_eq!(answered, Duration::from_millis(700));
}

#[test]
fn step_4_the_heartbeat_keeps_its_rhythm() {
    let (dashboard, _) = run_in_debug_mode();
    for n in 1..=BEATS {
        assert_eq!(time_of(&dashboard, &format!("beat {n}")), BEAT * n);
    }
}

#[test]
fn step_5_every_fetch_answers_in_the_order_asked() {
    let (dashboard, _) = run_in_debug_mode();
    assert_eq!(
        dashboard.answers,
        [
            "api/users: 200 OK",
            "api/posts: 200 OK",
            "api/comments: 200 OK"
        ]
    );
}
