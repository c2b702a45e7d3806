//! The chapter's pictures, drawn from recorded runs on our loop's virtual
//! clock (see `timeline::svg`): the connection's life on each cleanup path,
//! once through `with_connection` and once behind the guard whose `Drop`
//! spawns the close. Each path is its own run; the picture puts the six
//! side by side, a lane each, on one time axis (each run's clock starts at
//! its connect).
//!
//! Each test compares its picture with the file the book shows, under
//! `book/src/pictures/`; redraw them after a change that is meant with
//! `UPDATE_PICTURES=1 cargo test -p context-managers --test pictures`.

use std::path::PathBuf;

use context_managers::hand;
use context_managers::paths::CleanupPath;
use context_managers::patterns::Pattern;
use context_managers::with_tokio::{self, End};
use timeline::svg::{self, Axis, Mark, Picture, Step};
use timeline::{Recording, Timeline};

fn picture_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../book/src/pictures")
        .join(name)
}

/// What a line of the connection's log looks like in the picture.
fn mark(text: &str) -> Option<(Mark, &'static str)> {
    let said = text.strip_prefix("connection 1: ")?;
    Some(match said {
        "connecting" => (Mark::Sleep, "connect (1 s)"),
        "open" => (Mark::Note, "open"),
        "SELECT * FROM users" => (Mark::Sleep, "query 1 (0.5 s)"),
        "SELECT * FROM orders" => (Mark::Sleep, "query 2 (0.5 s)"),
        "SELECT * FROM orders (the server hangs)" => (Mark::Sleep, "query 2 hangs"),
        "closing" => (Mark::Sleep, "close (0.5 s)"),
        "closed" => (Mark::Ready, "closed"),
        "dropped while open, never closed" => {
            (Mark::Pending, "dropped open: never closed")
        }
        _ => return None,
    })
}

/// The rows one recorded run gives its lane, timed from its first event.
fn rows_of(
    timeline: &Timeline,
    lane: usize,
    name: &str,
    rows: &mut Vec<(std::time::Duration, usize, usize, Step)>,
) {
    let start = timeline.events().first().expect("it connected").at;
    for (seq, event) in timeline.events().iter().enumerate() {
        if let Some((mark, label)) = mark(&event.text) {
            let step = Step::new(name, mark, &format!("{name}: {label}"));
            rows.push((event.at - start, lane, seq, step));
        }
    }
}

/// Runs every path through `pattern` on our loop and draws them together.
fn draw(pattern: Pattern, title: &str, caption: &str) -> String {
    let mut rows = Vec::new();
    for (lane, path) in CleanupPath::ALL.into_iter().enumerate() {
        let recording = Recording::start_with_clock(event_loop::hand::now);
        hand::run_path(true, pattern, path);
        rows_of(&recording.finish(), lane, path.name(), &mut rows);
    }
    rows.sort_by_key(|(at, lane, seq, _)| (*at, *lane, *seq));
    let picture = Picture::new(title, caption, Axis::Time);
    let picture = CleanupPath::ALL
        .iter()
        .fold(picture, |picture, path| picture.lane(path.name()));
    rows.into_iter()
        .fold(picture, |picture, (at, _, _, step)| picture.row(at, step))
        .render()
}

#[test]
fn with_connection_on_each_cleanup_path() {
    let drawn = draw(
        Pattern::Scoped,
        "with_connection on each cleanup path (our loop)",
        "Recorded from hand::run_path on our loop's virtual clock, one run per \
         path, each from its connect at 0 s. A bar is time spent waiting (connect, \
         a query, the close); a filled square, the connection closed; a hollow one, \
         dropped while open. On success, error and panic the scope awaits the \
         close. On the timeout, the abort and the shutdown, all at 1.75 s, the \
         scope's future is dropped in its second query, and nothing of it runs again.",
    );
    svg::check(&picture_file("ch06-with-connection.svg"), &drawn).unwrap();
}

#[test]
fn close_on_drop_on_each_cleanup_path() {
    let drawn = draw(
        Pattern::SpawnOnDrop,
        "A guard whose Drop spawns the close, on each path (our loop)",
        "Recorded as the picture above, with the connection behind CloseOnDrop. \
         Every path now ends closed: where the body was dropped at 1.75 s, the \
         guard's Drop started the close as a new task, which ends at 2.25 s. On \
         the shutdown path that task runs inside EventLoop::shutdown, after the \
         main future has returned; a runtime that ends without such a grace drops \
         it instead.",
    );
    svg::check(&picture_file("ch06-close-on-drop.svg"), &drawn).unwrap();
}

fn tokio_now() -> std::time::Instant {
    tokio::time::Instant::now().into_std()
}

#[test]
fn the_guards_close_as_each_runtime_ends() {
    let runs: [(&str, fn()); 3] = [
        ("ours: shutdown", || {
            hand::shutdown_path(Pattern::SpawnOnDrop, true);
        }),
        ("tokio: dropped", || {
            let (pattern, path) = (Pattern::SpawnOnDrop, CleanupPath::Shutdown);
            with_tokio::run_path(true, pattern, path, End::Drop);
        }),
        ("tokio: JoinSet", || {
            with_tokio::shutdown_path_tracked(true);
        }),
    ];
    let mut rows = Vec::new();
    for (lane, (name, run)) in runs.iter().enumerate() {
        let clock = if lane == 0 {
            event_loop::hand::now
        } else {
            tokio_now
        };
        let recording = Recording::start_with_clock(clock);
        run();
        rows_of(&recording.finish(), lane, name, &mut rows);
    }
    rows.sort_by_key(|(at, lane, seq, _)| (*at, *lane, *seq));
    let picture = Picture::new(
        "The guard's close as the runtime ends",
        "Recorded on our loop's virtual clock and on tokio's paused one. The body \
         runs as a task behind CloseOnDrop; at 1.75 s, in its second query, the \
         program ends. Our block_on shuts the loop down gracefully: it cancels the \
         task, whose guard spawns the close, and runs that close to its end. A \
         dropped tokio runtime drops the task, and the close the guard spawns \
         while it shuts down is dropped before it starts. A tokio program that \
         aborts the body itself and awaits a JoinSet of the cleanups gets the \
         close, as ours does.",
        Axis::Time,
    );
    let picture = runs
        .iter()
        .fold(picture, |picture, (name, _)| picture.lane(name));
    let drawn = rows
        .into_iter()
        .fold(picture, |picture, (at, _, _, step)| picture.row(at, step))
        .render();
    svg::check(&picture_file("ch06-at-the-end.svg"), &drawn).unwrap();
}
