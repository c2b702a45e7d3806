//! A `tracing` layer that prints a scene's events as they happen and records them
//! as a [`Timeline`].
//!
//! One layer is installed for the whole process. The demos turn its printing on;
//! tests open a [`Recording`], which holds a process-wide lock so that two tests
//! never record into the same timeline, and events from every thread (runtime
//! workers included) land in it. The rule that follows: in a test binary that
//! records, every test that emits events records them, or it may leak its events
//! into another test's timeline.

use std::fmt::{self, Write as _};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use tracing::field::{Field, Visit};
use tracing::{Level, Subscriber, callsite};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// One event of a scene: when it happened, on which thread, and what it said.
#[derive(Debug, Clone)]
pub struct Event {
    /// Time since the recording (or the runtime's run) started.
    pub at: Duration,
    /// The name of the thread that emitted it (`main`, `tokio-runtime-worker`…).
    pub thread: String,
    /// The level it was emitted at.
    pub level: Level,
    /// The module that emitted it, such as `coroutines::hand::greeter`.
    pub target: String,
    /// The message, followed by any other fields as `key=value`.
    pub text: String,
    /// The message alone, without the other fields.
    pub message: String,
    /// The other fields, each as its name and its value in `Debug` form
    /// (`task` and `3`), in the order they were written.
    pub fields: Vec<(&'static str, String)>,
    callsite: callsite::Identifier,
}

/// The events of one recorded scene, in the order they happened.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    events: Vec<Event>,
}

/// A clock the recorder reads: the real one by default, or a runtime's virtual
/// clock (for example tokio's paused time).
pub type Clock = fn() -> Instant;

struct State {
    clock: Clock,
    start: Instant,
    recording: bool,
    /// The most detailed level a recording keeps: `INFO`, or `DEBUG` for
    /// [`Recording::start_detailed`].
    detail: Level,
    printing: bool,
    events: Vec<Event>,
}

fn state() -> MutexGuard<'static, State> {
    static STATE: OnceLock<Mutex<State>> = OnceLock::new();
    let state = STATE.get_or_init(|| {
        Mutex::new(State {
            clock: Instant::now,
            start: Instant::now(),
            recording: false,
            detail: Level::INFO,
            printing: false,
            events: Vec::new(),
        })
    });
    // A test that panicked while holding the lock leaves nothing half-written.
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Installs the process-wide subscriber once; later calls do nothing.
fn install(filter: EnvFilter) {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        // Another subscriber may already be installed by the program; then
        // that one wins and nothing is recorded, which the tests would show.
        let _ = tracing_subscriber::registry()
            .with(filter)
            .with(Recorder)
            .try_init();
    });
}

/// Sets up printing for a demo: events at the level `RUST_LOG` asks for (`info`
/// when it is unset) are printed with their time since the current run started.
pub fn install_printer() -> Result<(), String> {
    let filter = match std::env::var("RUST_LOG") {
        Ok(directives) => EnvFilter::try_new(&directives).map_err(|error| {
            format!("RUST_LOG={directives:?} is not valid: {error}")
        })?,
        Err(_) => EnvFilter::new("info"),
    };
    install(filter);
    state().printing = true;
    Ok(())
}

/// Starts the printed clock again at zero, as each runtime's run begins.
pub fn restart_clock() {
    let mut state = state();
    state.start = (state.clock)();
}

/// Records every event until [`Recording::finish`], from any thread.
///
/// ```
/// let recording = timeline::Recording::start();
/// tracing::info!("Hello, Ada!");
/// let timeline = recording.finish();
/// assert_eq!(timeline.texts(), ["Hello, Ada!"]);
/// ```
#[must_use = "a recording records until it is finished or dropped"]
pub struct Recording {
    _exclusive: MutexGuard<'static, ()>,
}

impl fmt::Debug for Recording {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Recording")
    }
}

impl Recording {
    /// Starts recording with the real clock. Waits while another test records.
    pub fn start() -> Recording {
        Recording::start_with_clock(Instant::now)
    }

    /// Starts recording with another clock, such as a runtime's virtual time.
    /// Call it where that clock can be read (for tokio, inside the runtime).
    pub fn start_with_clock(clock: Clock) -> Recording {
        Recording::start_at(clock, Level::INFO)
    }

    /// Starts recording `debug` events too (every poll, `Pending` and wake the
    /// hand-rolled runtimes report), with `clock`: what a picture is drawn from
    /// (see [`svg`](crate::svg)).
    pub fn start_detailed(clock: Clock) -> Recording {
        Recording::start_at(clock, Level::DEBUG)
    }

    fn start_at(clock: Clock, detail: Level) -> Recording {
        static EXCLUSIVE: Mutex<()> = Mutex::new(());
        let exclusive = EXCLUSIVE
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // `debug` passes the filter; each recording keeps only its `detail`.
        install(EnvFilter::new("debug"));
        let mut state = state();
        state.detail = detail;
        state.clock = clock;
        state.start = clock();
        state.events.clear();
        state.recording = true;
        Recording {
            _exclusive: exclusive,
        }
    }

    /// Stops recording and returns what was recorded.
    pub fn finish(self) -> Timeline {
        let mut state = state();
        state.recording = false;
        state.clock = Instant::now;
        Timeline {
            events: std::mem::take(&mut state.events),
        }
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        state().recording = false;
    }
}

impl Timeline {
    /// Every event, in the order it was recorded.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The text of every event, in the order it was recorded.
    pub fn texts(&self) -> Vec<String> {
        self.events.iter().map(|event| event.text.clone()).collect()
    }

    /// The order of events with the clock's ties settled, for snapshots.
    ///
    /// Back-to-back events from the same line of code (three greeters saying
    /// goodbye after the same pause) happened concurrently: a real clock may
    /// record them in any order, so they are listed in text order. Everything
    /// else keeps its recorded order, so a goodbye that comes before a hello is
    /// still caught.
    pub fn settled(&self) -> Vec<String> {
        let mut texts = Vec::new();
        for run in self.events.chunk_by(|a, b| a.callsite == b.callsite) {
            let mut run: Vec<_> = run.iter().map(|event| event.text.clone()).collect();
            run.sort();
            texts.extend(run);
        }
        texts
    }

    /// The settled order with each event's time, rounded to the millisecond:
    /// exact under virtual time, which is the only place to snapshot it.
    pub fn settled_with_times(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for run in self.events.chunk_by(|a, b| a.callsite == b.callsite) {
            let mut run: Vec<_> = run.iter().collect();
            run.sort_by(|a, b| (a.at, &a.text).cmp(&(b.at, &b.text)));
            lines.extend(run.iter().map(|event| event.line()));
        }
        lines
    }

    /// When the first event with this text happened.
    pub fn time_of(&self, text: &str) -> Option<Duration> {
        self.events
            .iter()
            .find(|event| event.text == text)
            .map(|event| event.at)
    }

    /// The position of the first event with this text.
    pub fn position_of(&self, text: &str) -> Option<usize> {
        self.events.iter().position(|event| event.text == text)
    }
}

impl Event {
    /// The value of the field `name`, in `Debug` form (`3` for `task = 3`).
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(field, _)| *field == name)
            .map(|(_, value)| value.as_str())
    }

    /// The event as one line: time since the start and text.
    pub fn line(&self) -> String {
        format!("{:>7.3}s  {}", self.at.as_secs_f64(), self.text)
    }
}

/// The layer itself: formats each event once, then prints it, records it, or both.
struct Recorder;

impl<S: Subscriber> Layer<S> for Recorder {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        let mut state = state();
        if !state.recording && !state.printing {
            return;
        }
        let meta = event.metadata();
        if !state.printing && *meta.level() > state.detail {
            return;
        }
        let mut text = TextVisitor::default();
        event.record(&mut text);
        let thread = std::thread::current();
        let event = Event {
            at: (state.clock)().saturating_duration_since(state.start),
            thread: thread.name().unwrap_or("unnamed").to_string(),
            level: *meta.level(),
            target: meta.target().to_string(),
            message: text.message.clone(),
            fields: std::mem::take(&mut text.pairs),
            text: text.finish(),
            callsite: meta.callsite(),
        };
        if state.printing {
            let level = match event.level {
                Level::INFO => String::new(),
                level => format!("{level:>5} "),
            };
            let at = event.at.as_secs_f64();
            println!("{at:>7.3}s  {:<20}  {level}{}", event.thread, event.text);
        }
        if state.recording && event.level <= state.detail {
            state.events.push(event);
        }
    }
}

/// Renders an event as its message followed by `key=value` for other fields.
#[derive(Default)]
struct TextVisitor {
    message: String,
    fields: String,
    pairs: Vec<(&'static str, String)>,
}

impl TextVisitor {
    fn finish(self) -> String {
        match (self.message.is_empty(), self.fields.is_empty()) {
            (_, true) => self.message,
            (true, false) => self.fields,
            (false, false) => format!("{} {}", self.message, self.fields),
        }
    }
}

impl Visit for TextVisitor {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.record_debug(field, &format_args!("{value}"));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            if !self.fields.is_empty() {
                self.fields.push(' ');
            }
            let _ = write!(self.fields, "{}={value:?}", field.name());
            self.pairs.push((field.name(), format!("{value:?}")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn greet(name: &str) {
        tracing::info!("Hello, {name}!");
    }

    fn part(name: &str) {
        tracing::info!("Goodbye, {name}!");
    }

    #[test]
    fn recording_keeps_events_in_order_with_fields() {
        let recording = Recording::start();
        greet("Ada");
        tracing::info!(polls = 2, "done");
        let timeline = recording.finish();
        assert_eq!(timeline.texts(), ["Hello, Ada!", "done polls=2"]);
        assert_eq!(timeline.position_of("done polls=2"), Some(1));
        let done = &timeline.events()[1];
        assert_eq!(done.message, "done");
        assert_eq!(done.field("polls"), Some("2"));
        assert_eq!(done.field("missing"), None);
    }

    #[test]
    fn only_a_detailed_recording_keeps_debug_events() {
        let recording = Recording::start();
        tracing::debug!(task = 1, "polling");
        greet("Ada");
        assert_eq!(recording.finish().texts(), ["Hello, Ada!"]);
        let recording = Recording::start_detailed(Instant::now);
        tracing::debug!(task = 1, "polling");
        tracing::trace!("too detailed");
        let timeline = recording.finish();
        assert_eq!(timeline.texts(), ["polling task=1"]);
        assert_eq!(timeline.events()[0].field("task"), Some("1"));
    }

    #[test]
    fn settled_sorts_only_back_to_back_events_of_one_line() {
        let recording = Recording::start();
        greet("Linus");
        greet("Ada");
        part("Grace");
        part("Ada");
        greet("Bob");
        let timeline = recording.finish();
        assert_eq!(
            timeline.settled(),
            [
                "Hello, Ada!",
                "Hello, Linus!",
                "Goodbye, Ada!",
                "Goodbye, Grace!",
                "Hello, Bob!"
            ]
        );
    }

    #[test]
    fn events_from_other_threads_are_recorded() {
        let recording = Recording::start();
        std::thread::spawn(|| greet("Thread")).join().unwrap();
        let timeline = recording.finish();
        assert_eq!(timeline.texts(), ["Hello, Thread!"]);
    }
}
