//! Pictures of recorded runs: a [`Timeline`] drawn as an SVG sequence diagram.
//!
//! Time runs down the page, one row per recorded event; each task (or thread)
//! is a column, its *lane*. A row holds one [`Mark`]: a poll, a `Pending`, a
//! `Ready` (a `Pending` is followed by a thin line: the lane waits until its
//! next mark), a wake (an arrow from the waker's lane to the woken one), the
//! start of a sleep (a bar down the lane until its next mark) or a line the
//! scene printed, with the event's words beside it. The axis on the left is
//! labelled with the recorded time wherever it moves on ([`Axis::Time`], for
//! virtual or paused clocks) or with the event's number ([`Axis::Order`], for
//! runs on real threads, whose times differ from machine to machine).
//!
//! The renderer knows nothing of any chapter: a chapter's test says what each
//! event means with a function from [`Event`] to [`Step`], and keeps the
//! picture as a snapshot, so that it can never drift from the code.
//!
//! The output is plain SVG text: no fonts to embed, no scripts, integer
//! coordinates only (the same bytes on every machine), and a light card of its
//! own so it reads on the book's light and dark themes alike.
//!
//! ```
//! use timeline::svg::{Axis, Mark, Picture, Step};
//!
//! let recording = timeline::Recording::start();
//! tracing::info!("Hello, Ada!");
//! let events = recording.finish();
//! let picture = Picture::new("Hello", "One line printed.", Axis::Order)
//!     .steps(&events, |event| Some(Step::new("main", Mark::Print, &event.text)));
//! assert!(picture.render().contains("Hello, Ada!"));
//! ```

use std::fmt::Write as _;
use std::time::Duration;

use crate::{Event, Timeline};

/// What happened in a row of the picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    /// The lane's future was polled (a filled circle).
    Poll,
    /// It returned `Poll::Pending` (a hollow square, then a thin line down
    /// the lane until its next mark: it waits to be woken).
    Pending,
    /// It returned `Poll::Ready`, or finished (a filled square).
    Ready,
    /// It was woken by the code running in lane `from` (an arrow).
    Wake {
        /// The lane of the code that called `wake`.
        from: String,
    },
    /// It started to sleep: a bar down the lane until its next mark.
    Sleep,
    /// It printed a line (a triangle, with the line beside it in bold).
    Print,
    /// Anything else worth a word (a small dot).
    Note,
}

/// One row: which lane, what happened, and the words to write beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    lane: String,
    mark: Mark,
    label: String,
}

impl Step {
    /// A step in `lane`, labelled `label`.
    pub fn new(lane: &str, mark: Mark, label: &str) -> Step {
        Step {
            lane: lane.to_string(),
            mark,
            label: label.to_string(),
        }
    }
}

/// What the vertical axis is labelled with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// The recorded time, written wherever it moves on. Only for virtual or
    /// paused clocks: a real clock gives other times on every run.
    Time,
    /// The event's number in the recorded order.
    Order,
}

/// A picture being put together: lanes, rows, a title and a caption.
#[derive(Debug, Clone)]
pub struct Picture {
    title: String,
    caption: String,
    axis: Axis,
    lanes: Vec<String>,
    rows: Vec<(Duration, Step)>,
}

const WIDTH: i64 = 740;
const AXIS_X: i64 = 64;
const FIRST_LANE_X: i64 = 128;
const MAX_LANE_GAP: i64 = 120;
/// The least room left for the words beside the marks.
const MIN_LABEL_ROOM: i64 = 250;
const TOP: i64 = 84;
const ROW: i64 = 20;
/// Roughly how wide a character of the 11 px labels is.
const CHAR_WIDTH: i64 = 6;

const STYLE: &str = "\
.card{fill:#fdfdfb;stroke:#c8c8c0}\
text{font-family:sans-serif;font-size:11px;fill:#222}\
.title{font-size:14px;font-weight:bold}\
.lane{font-weight:bold;text-anchor:middle}\
.tick{text-anchor:end;fill:#555}\
.rule{stroke:#d8d8d0;stroke-dasharray:3 3}\
.lanes{stroke:#b0b0a8}\
.axis{stroke:#555}\
.poll{fill:#2b6cb0}\
.pending{fill:#fdfdfb;stroke:#c05621;stroke-width:2}\
.ready{fill:#2f855a}\
.wake{stroke:#b7791f;stroke-width:2;fill:none}\
.arrowhead{fill:#b7791f}\
.sleep{fill:#a0aec0}\
.waiting{fill:#dd6b20}\
.print{fill:#553c9a}\
.said{font-weight:bold;fill:#553c9a}\
.note{fill:#718096}\
.caption{fill:#444}";

impl Picture {
    /// An empty picture. The caption says what the axis is and what was run.
    pub fn new(title: &str, caption: &str, axis: Axis) -> Picture {
        Picture {
            title: title.to_string(),
            caption: caption.to_string(),
            axis,
            lanes: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Adds a lane, so that lanes stand in the order given rather than in the
    /// order they first appear.
    pub fn lane(mut self, name: &str) -> Picture {
        self.add_lane(name);
        self
    }

    /// Adds a row for every event that `step` gives a [`Step`] for.
    pub fn steps(
        mut self,
        timeline: &Timeline,
        mut step: impl FnMut(&Event) -> Option<Step>,
    ) -> Picture {
        for event in timeline.events() {
            if let Some(step) = step(event) {
                self = self.row(event.at, step);
            }
        }
        self
    }

    /// Adds one row at time `at`.
    pub fn row(mut self, at: Duration, step: Step) -> Picture {
        self.add_lane(&step.lane);
        if let Mark::Wake { from } = &step.mark {
            self.add_lane(from);
        }
        self.rows.push((at, step));
        self
    }

    fn add_lane(&mut self, name: &str) {
        if !self.lanes.iter().any(|lane| lane == name) {
            self.lanes.push(name.to_string());
        }
    }

    /// The picture as SVG text.
    pub fn render(&self) -> String {
        let layout = Layout::new(self.lanes.len());
        let caption = wrap(&self.caption, ((WIDTH - 32) / CHAR_WIDTH) as usize);
        let rows_end = TOP + ROW * self.rows.len() as i64;
        let legend_y = rows_end + 24;
        let height = legend_y + 22 + 15 * caption.len() as i64;
        let mut svg = String::new();
        let _ = write!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" \
             height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\">\n\
             <title>{}</title>\n<style>{STYLE}</style>\n\
             <defs><marker id=\"head\" viewBox=\"0 0 8 8\" refX=\"7\" refY=\"4\" \
             markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">\
             <path class=\"arrowhead\" d=\"M0,0 L8,4 L0,8 z\"/></marker></defs>\n\
             <rect class=\"card\" x=\"1\" y=\"1\" width=\"{}\" height=\"{}\" rx=\"6\"/>\n\
             <text class=\"title\" x=\"16\" y=\"24\">{}</text>\n",
            escape(&self.title),
            WIDTH - 2,
            height - 2,
            escape(&self.title),
        );
        self.render_lanes(&mut svg, &layout, rows_end);
        self.render_axis(&mut svg, rows_end);
        self.render_rows(&mut svg, &layout);
        render_legend(&mut svg, legend_y);
        for (n, line) in caption.iter().enumerate() {
            let y = legend_y + 26 + 15 * n as i64;
            let _ = writeln!(
                svg,
                "<text class=\"caption\" x=\"16\" y=\"{y}\">{}</text>",
                escape(line)
            );
        }
        svg.push_str("</svg>\n");
        svg
    }

    fn render_lanes(&self, svg: &mut String, layout: &Layout, rows_end: i64) {
        let room = (layout.gap / CHAR_WIDTH) as usize;
        for (index, lane) in self.lanes.iter().enumerate() {
            let x = layout.x(index);
            let _ = write!(
                svg,
                "<text class=\"lane\" x=\"{x}\" y=\"{}\">{}</text>\n\
                 <line class=\"lanes\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{rows_end}\"/>\n",
                TOP - 26,
                escape(&shorten(lane, room)),
                TOP - 18,
            );
        }
    }

    fn render_axis(&self, svg: &mut String, rows_end: i64) {
        let _ = writeln!(
            svg,
            "<line class=\"axis\" x1=\"{AXIS_X}\" y1=\"{}\" x2=\"{AXIS_X}\" y2=\"{rows_end}\"/>",
            TOP - 18
        );
        let mut last = None;
        for (index, (at, _)) in self.rows.iter().enumerate() {
            let label = match self.axis {
                Axis::Time if last != Some(*at) => Some(seconds(*at)),
                Axis::Order if index % 5 == 0 => Some(format!("#{}", index + 1)),
                _ => None,
            };
            last = Some(*at);
            let Some(label) = label else { continue };
            let y = row_y(index);
            let _ = write!(
                svg,
                "<line class=\"rule\" x1=\"{AXIS_X}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n\
                 <line class=\"axis\" x1=\"{}\" y1=\"{y}\" x2=\"{AXIS_X}\" y2=\"{y}\"/>\n\
                 <text class=\"tick\" x=\"{}\" y=\"{}\">{label}</text>\n",
                y - ROW / 2,
                WIDTH - 16,
                y - ROW / 2,
                AXIS_X - 5,
                AXIS_X - 8,
                y + 4,
            );
        }
    }

    fn render_rows(&self, svg: &mut String, layout: &Layout) {
        let room = ((WIDTH - 16 - layout.label_x) / CHAR_WIDTH) as usize;
        for (index, (_, step)) in self.rows.iter().enumerate() {
            let x = layout.x(self.lane_index(&step.lane));
            let y = row_y(index);
            if let Some((class, width)) = match step.mark {
                Mark::Sleep => Some(("sleep", 8)),
                Mark::Pending => Some(("waiting", 2)),
                _ => None,
            } {
                let end = self.next_in_lane(index).map_or(y + ROW / 2, row_y);
                let _ = writeln!(
                    svg,
                    "<rect class=\"{class}\" x=\"{}\" y=\"{y}\" width=\"{width}\" \
                     height=\"{}\"/>",
                    x - width / 2,
                    end - y
                );
            }
            // A lane that wakes itself (a task queued by its own spawner's
            // code on the same lane) gets the mark without an arrow.
            let arrow_from = match &step.mark {
                Mark::Wake { from } if *from != step.lane => Some(from),
                _ => None,
            };
            if let Some(from) = arrow_from {
                let from = layout.x(self.lane_index(from));
                let tip = if from < x { x - 7 } else { x + 7 };
                let _ = writeln!(
                    svg,
                    "<line class=\"wake\" x1=\"{from}\" y1=\"{y}\" x2=\"{tip}\" y2=\"{y}\" \
                     marker-end=\"url(#head)\"/>",
                );
            }
            svg.push_str(&glyph(&step.mark, x, y));
            let class = if step.mark == Mark::Print { "said" } else { "" };
            let _ = writeln!(
                svg,
                "<text class=\"{class}\" x=\"{}\" y=\"{}\">{}</text>",
                layout.label_x,
                y + 4,
                escape(&shorten(&step.label, room))
            );
        }
    }

    fn lane_index(&self, lane: &str) -> usize {
        self.lanes
            .iter()
            .position(|name| name == lane)
            .expect("every step's lanes were added with it")
    }

    /// The next row in the same lane as row `index`, where its sleep ends.
    fn next_in_lane(&self, index: usize) -> Option<usize> {
        let lane = &self.rows[index].1.lane;
        (index + 1..self.rows.len()).find(|&next| self.rows[next].1.lane == *lane)
    }
}

/// Where the lanes and the words go, for a number of lanes.
struct Layout {
    gap: i64,
    label_x: i64,
}

impl Layout {
    fn new(lanes: usize) -> Layout {
        let lanes = lanes.max(1) as i64;
        let room = WIDTH - FIRST_LANE_X - MIN_LABEL_ROOM;
        let gap = (room / lanes).min(MAX_LANE_GAP);
        Layout {
            gap,
            label_x: FIRST_LANE_X + gap * (lanes - 1) + 28,
        }
    }

    fn x(&self, lane: usize) -> i64 {
        FIRST_LANE_X + self.gap * lane as i64
    }
}

fn row_y(index: usize) -> i64 {
    TOP + ROW * index as i64 + ROW / 2
}

fn glyph(mark: &Mark, x: i64, y: i64) -> String {
    match mark {
        Mark::Wake { .. } => {
            format!("<circle class=\"wake\" cx=\"{x}\" cy=\"{y}\" r=\"5\"/>\n")
        }
        Mark::Poll => {
            format!("<circle class=\"poll\" cx=\"{x}\" cy=\"{y}\" r=\"5\"/>\n")
        }
        Mark::Pending => format!(
            "<rect class=\"pending\" x=\"{}\" y=\"{}\" width=\"10\" height=\"10\"/>\n",
            x - 5,
            y - 5
        ),
        Mark::Ready => format!(
            "<rect class=\"ready\" x=\"{}\" y=\"{}\" width=\"11\" height=\"11\"/>\n",
            x - 5,
            y - 5
        ),
        Mark::Sleep => String::new(),
        Mark::Print => format!(
            "<path class=\"print\" d=\"M{},{} l10,5 l-10,5 z\"/>\n",
            x - 5,
            y - 5
        ),
        Mark::Note => {
            format!("<circle class=\"note\" cx=\"{x}\" cy=\"{y}\" r=\"3\"/>\n")
        }
    }
}

/// A key to the marks, under the rows.
fn render_legend(svg: &mut String, y: i64) {
    let keys = [
        (Mark::Poll, "poll"),
        (Mark::Pending, "Pending, then waits"),
        (Mark::Ready, "Ready / done"),
        (
            Mark::Wake {
                from: String::new(),
            },
            "woken",
        ),
        (Mark::Sleep, "sleeping"),
        (Mark::Print, "printed"),
        (Mark::Note, "other"),
    ];
    let mut x = 24;
    for (mark, name) in keys {
        if mark == Mark::Sleep {
            let _ = writeln!(
                svg,
                "<rect class=\"sleep\" x=\"{}\" y=\"{}\" width=\"8\" height=\"14\"/>",
                x - 4,
                y - 7
            );
        } else {
            svg.push_str(&glyph(&mark, x, y));
        }
        let _ = writeln!(svg, "<text x=\"{}\" y=\"{}\">{name}</text>", x + 10, y + 4);
        x += 20 + CHAR_WIDTH * name.len() as i64 + 16;
    }
}

/// `1.000 s`: milliseconds are as fine as a scene's pauses go.
fn seconds(at: Duration) -> String {
    format!("{:.3} s", at.as_secs_f64())
}

/// Cuts `text` to `room` characters, ending with `…` if it was longer.
fn shorten(text: &str, room: usize) -> String {
    if text.chars().count() <= room {
        return text.to_string();
    }
    let kept: String = text.chars().take(room.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// Breaks `text` into lines of at most `room` characters, at spaces.
pub(crate) fn wrap(text: &str, room: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > room {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Escapes the characters XML gives a meaning to.
pub(crate) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Compares a rendered picture with the file at `path`, for tests.
///
/// With `UPDATE_PICTURES=1` in the environment the file is (re)written
/// instead, as `INSTA_UPDATE` does for snapshots. Otherwise a missing or
/// different file is an error that names the variable.
pub fn check(path: &std::path::Path, svg: &str) -> Result<(), String> {
    if std::env::var_os("UPDATE_PICTURES").is_some_and(|value| value == "1") {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|error| error.to_string())?;
        }
        return std::fs::write(path, svg).map_err(|error| error.to_string());
    }
    match std::fs::read_to_string(path) {
        Ok(committed) if committed == svg => Ok(()),
        Ok(_) => Err(format!(
            "{} differs from the picture this run draws; if the change is \
             meant, rerun with UPDATE_PICTURES=1 and commit the file",
            path.display()
        )),
        Err(error) => Err(format!(
            "{}: {error}; rerun with UPDATE_PICTURES=1 to draw it",
            path.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Picture {
        let second = Duration::from_secs(1);
        Picture::new("A <task>", "The caption & more.", Axis::Time)
            .lane("task")
            .row(Duration::ZERO, Step::new("task", Mark::Poll, "polling"))
            .row(Duration::ZERO, Step::new("task", Mark::Sleep, "sleep 1 s"))
            .row(Duration::ZERO, Step::new("task", Mark::Pending, "Pending"))
            .row(
                second,
                Step::new(
                    "task",
                    Mark::Wake {
                        from: "timer".into(),
                    },
                    "woken",
                ),
            )
            .row(second, Step::new("task", Mark::Print, "Goodbye, Ada!"))
    }

    #[test]
    fn render_is_svg_with_a_lane_per_name_in_order() {
        let svg = sample().render();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.ends_with("</svg>\n"));
        let task = svg.find(">task</text>").expect("the task lane");
        let timer = svg.find(">timer</text>").expect("the timer lane");
        assert!(task < timer, "declared lanes first, then as they appear");
    }

    #[test]
    fn text_is_escaped() {
        let svg = sample().render();
        assert!(svg.contains("A &lt;task&gt;"));
        assert!(svg.contains("The caption &amp; more."));
        assert!(!svg.contains("<task>"));
    }

    #[test]
    fn time_axis_labels_each_new_time_once() {
        let svg = sample().render();
        assert_eq!(svg.matches(">0.000 s</text>").count(), 1);
        assert_eq!(svg.matches(">1.000 s</text>").count(), 1);
    }

    #[test]
    fn order_axis_labels_every_fifth_event() {
        let mut picture = Picture::new("order", "", Axis::Order);
        for n in 0..7 {
            picture =
                picture.row(Duration::from_millis(n), Step::new("a", Mark::Note, "x"));
        }
        let svg = picture.render();
        assert!(svg.contains(">#1</text>") && svg.contains(">#6</text>"));
        assert!(!svg.contains(">#2</text>") && !svg.contains(" s</text>"));
    }

    #[test]
    fn a_wake_is_an_arrow_towards_the_woken_lane() {
        let svg = sample().render();
        // The task's lane is at 128, the timer's to its right: the arrow
        // runs leftwards and stops short of the mark.
        let arrow = svg
            .lines()
            .find(|line| line.contains("marker-end"))
            .expect("an arrow");
        assert!(arrow.contains("x2=\"135\""), "{arrow}");
    }

    #[test]
    fn a_lane_that_wakes_itself_gets_no_arrow() {
        let from = "task".to_string();
        let svg = Picture::new("self", "", Axis::Order)
            .row(
                Duration::ZERO,
                Step::new("task", Mark::Wake { from }, "queued"),
            )
            .render();
        assert!(!svg.contains("marker-end"));
        assert!(svg.contains("<circle class=\"wake\""));
    }

    #[test]
    fn a_sleep_lasts_until_the_lanes_next_mark() {
        let svg = sample().render();
        let bar = svg
            .lines()
            .find(|line| line.starts_with("<rect class=\"sleep\""))
            .expect("a sleep bar");
        // From row 1 to row 2: one row high.
        assert!(bar.contains(&format!("height=\"{ROW}\"")), "{bar}");
    }

    #[test]
    fn it_fits_the_page() {
        let many = (0..6).fold(Picture::new("wide", "", Axis::Order), |picture, n| {
            picture.lane(&format!("lane {n}"))
        });
        assert!(many.render().contains(&format!("width=\"{WIDTH}\"")));
        const { assert!(WIDTH <= 750) };
    }

    #[test]
    fn long_words_are_shortened_and_captions_wrapped() {
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abc", 4), "abc");
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
    }

    #[test]
    fn check_names_the_variable_when_the_file_is_missing() {
        let path = std::path::Path::new("/nonexistent/picture.svg");
        if std::env::var_os("UPDATE_PICTURES").is_none() {
            let error = check(path, "<svg/>").expect_err("no such file");
            assert!(error.contains("UPDATE_PICTURES=1"), "{error}");
        }
    }
}
