//! Pictures of a state machine: the states a future went through, as boxes
//! in a row, and each poll as an arrow from the state it found to the state
//! it left, labelled with what that poll did.
//!
//! A test walks the machine one poll at a time and notes each step with
//! [`Machine::poll`]; the picture shows exactly the walk that ran, so it
//! cannot drift from the code (keep it with [`svg::check`](crate::svg::check)).
//! A poll that leaves the state as it was is a loop above its box.
//!
//! ```
//! use timeline::states::Machine;
//!
//! let svg = Machine::new("A one-step future", "Polled once, done.")
//!     .state("Start", "nothing run yet")
//!     .state("Done", "")
//!     .poll("Start", "Done", "Ready")
//!     .render();
//! assert!(svg.contains("Start") && svg.contains("Ready"));
//! ```

use std::fmt::Write as _;

/// A state machine's picture being put together.
#[derive(Debug, Clone, Default)]
pub struct Machine {
    title: String,
    caption: String,
    /// Each state's name and what it holds.
    states: Vec<(String, String)>,
    /// Each poll: from, to, what it did.
    polls: Vec<(String, String, String)>,
}

const WIDTH: i64 = 740;
const BOX_WIDTH: i64 = 150;
const BOX_HEIGHT: i64 = 52;
/// Where the boxes start when no poll loops above them.
const BOXES_TOP: i64 = 48;
/// Roughly how wide a character of the 11 px labels is.
const CHAR_WIDTH: i64 = 6;

const STYLE: &str = "\
.card{fill:#fdfdfb;stroke:#c8c8c0}\
text{font-family:sans-serif;font-size:11px;fill:#222}\
.title{font-size:14px;font-weight:bold}\
.state{fill:#ebf4ff;stroke:#2b6cb0;stroke-width:2}\
.name{font-size:13px;font-weight:bold;text-anchor:middle}\
.holds{text-anchor:middle;fill:#555}\
.poll{stroke:#b7791f;stroke-width:2;fill:none}\
.arrowhead{fill:#b7791f}\
.label{text-anchor:middle}\
.number{font-weight:bold;fill:#b7791f;text-anchor:middle}\
.caption{fill:#444}";

impl Machine {
    /// An empty picture; the caption says what was run.
    pub fn new(title: &str, caption: &str) -> Machine {
        Machine {
            title: title.to_string(),
            caption: caption.to_string(),
            ..Machine::default()
        }
    }

    /// Adds a state, drawn after those added before; `holds` says what it
    /// keeps across the pause.
    pub fn state(mut self, name: &str, holds: &str) -> Machine {
        self.states.push((name.to_string(), holds.to_string()));
        self
    }

    /// Notes a poll that found the machine in `from` and left it in `to`,
    /// and what it did. Polls are numbered in the order they are noted.
    pub fn poll(mut self, from: &str, to: &str, did: &str) -> Machine {
        self.polls
            .push((from.to_string(), to.to_string(), did.to_string()));
        self
    }

    /// The picture as SVG text.
    ///
    /// # Panics
    ///
    /// If a poll names a state that was not added: a bug in the test.
    pub fn render(&self) -> String {
        let gap = self.gap();
        let caption =
            crate::svg::wrap(&self.caption, ((WIDTH - 32) / CHAR_WIDTH) as usize);
        let labels_below = self.forward_polls_per_gap();
        let loops = self.loops_per_state();
        let box_y = BOXES_TOP
            + if loops == 0 {
                0
            } else {
                24 + 30 * loops as i64
            };
        let below = box_y + BOX_HEIGHT + 28 + 16 * labels_below as i64;
        let height = below + 12 + 15 * caption.len() as i64;
        let mut svg = String::new();
        let _ = write!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" \
             height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\">\n\
             <title>{title}</title>\n<style>{STYLE}</style>\n\
             <defs><marker id=\"head\" viewBox=\"0 0 8 8\" refX=\"7\" refY=\"4\" \
             markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">\
             <path class=\"arrowhead\" d=\"M0,0 L8,4 L0,8 z\"/></marker></defs>\n\
             <rect class=\"card\" x=\"1\" y=\"1\" width=\"{}\" height=\"{}\" rx=\"6\"/>\n\
             <text class=\"title\" x=\"16\" y=\"24\">{title}</text>\n",
            WIDTH - 2,
            height - 2,
            title = crate::svg::escape(&self.title),
        );
        for (index, (name, holds)) in self.states.iter().enumerate() {
            render_state(&mut svg, self.x(index, gap), box_y, name, holds);
        }
        let mut below_used = vec![0; self.states.len()];
        let mut loops_used = vec![0; self.states.len()];
        for (number, (from, to, did)) in self.polls.iter().enumerate() {
            let (from, to) = (self.index(from), self.index(to));
            let label = format!("{}. {did}", number + 1);
            if from == to {
                let x = self.x(from, gap) + BOX_WIDTH / 2;
                render_loop(&mut svg, x, box_y, loops_used[from], &label);
                loops_used[from] += 1;
            } else {
                let x1 = self.x(from, gap) + BOX_WIDTH;
                let x2 = self.x(to, gap);
                render_arrow(&mut svg, x1, x2, box_y, below_used[from], &label);
                below_used[from] += 1;
            }
        }
        for (n, line) in caption.iter().enumerate() {
            let y = below + 15 * n as i64;
            let _ = writeln!(
                svg,
                "<text class=\"caption\" x=\"16\" y=\"{y}\">{}</text>",
                crate::svg::escape(line)
            );
        }
        svg.push_str("</svg>\n");
        svg
    }

    fn index(&self, state: &str) -> usize {
        self.states
            .iter()
            .position(|(name, _)| name == state)
            .unwrap_or_else(|| panic!("no state {state:?} was added"))
    }

    /// The room between two boxes.
    fn gap(&self) -> i64 {
        let count = self.states.len().max(1) as i64;
        ((WIDTH - 32 - count * BOX_WIDTH) / count.max(2).saturating_sub(1)).max(40)
    }

    fn x(&self, index: usize, gap: i64) -> i64 {
        16 + index as i64 * (BOX_WIDTH + gap)
    }

    /// The most arrows that leave one state for another: their labels stack.
    fn forward_polls_per_gap(&self) -> usize {
        let mut counts = vec![0; self.states.len()];
        for (from, to, _) in &self.polls {
            if from != to {
                counts[self.index(from)] += 1;
            }
        }
        counts.into_iter().max().unwrap_or(0)
    }

    /// The most polls that stay in one state: their loops stack.
    fn loops_per_state(&self) -> usize {
        let mut counts = vec![0; self.states.len()];
        for (from, to, _) in &self.polls {
            if from == to {
                counts[self.index(from)] += 1;
            }
        }
        counts.into_iter().max().unwrap_or(0)
    }
}

/// A state's box at `x`, `y`: its name, and what it holds.
fn render_state(svg: &mut String, x: i64, y: i64, name: &str, holds: &str) {
    let middle = x + BOX_WIDTH / 2;
    let _ = write!(
        svg,
        "<rect class=\"state\" x=\"{x}\" y=\"{y}\" width=\"{BOX_WIDTH}\" \
         height=\"{BOX_HEIGHT}\" rx=\"8\"/>\n\
         <text class=\"name\" x=\"{middle}\" y=\"{}\">{}</text>\n\
         <text class=\"holds\" x=\"{middle}\" y=\"{}\">{}</text>\n",
        y + 22,
        crate::svg::escape(name),
        y + 40,
        crate::svg::escape(holds),
    );
}

/// An arrow between boxes, at mid-height; its label goes under the boxes'
/// row, `stacked` lines down, with a leader up to the arrow.
fn render_arrow(
    svg: &mut String,
    x1: i64,
    x2: i64,
    box_y: i64,
    stacked: usize,
    label: &str,
) {
    let y = box_y + BOX_HEIGHT / 2;
    let middle = (x1 + x2) / 2;
    let label_y = box_y + BOX_HEIGHT + 24 + 16 * stacked as i64;
    let _ = write!(
        svg,
        "<line class=\"poll\" x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" \
         marker-end=\"url(#head)\"/>\n\
         <text class=\"label\" x=\"{middle}\" y=\"{label_y}\">{}</text>\n",
        x1 + 2,
        x2 - 2,
        crate::svg::escape(label),
    );
}

/// A poll that stays in its state: a loop above the box, its label above
/// that, `stacked` loops up.
fn render_loop(svg: &mut String, x: i64, box_y: i64, stacked: usize, label: &str) {
    let rise = 34 + 30 * stacked as i64;
    let top = box_y - rise;
    let _ = write!(
        svg,
        "<path class=\"poll\" d=\"M{},{box_y} C{},{top} {},{top} {},{box_y}\" \
         marker-end=\"url(#head)\"/>\n\
         <text class=\"label\" x=\"{x}\" y=\"{}\">{}</text>\n",
        x - 24,
        x - 30,
        x + 30,
        x + 24,
        top + 4,
        crate::svg::escape(label),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Machine {
        Machine::new("A <machine>", "Walked & drawn.")
            .state("Start", "a name")
            .state("Sleeping", "a name, a sleep")
            .state("Done", "")
            .poll("Start", "Sleeping", "Pending")
            .poll("Sleeping", "Sleeping", "Pending again")
            .poll("Sleeping", "Done", "Ready")
    }

    #[test]
    fn every_state_and_numbered_poll_is_drawn() {
        let svg = sample().render();
        for text in [
            "Start",
            "Sleeping",
            "Done",
            "1. Pending",
            "2. Pending again",
            "3. Ready",
        ] {
            assert!(svg.contains(text), "{text} missing");
        }
        assert_eq!(svg.matches("class=\"state\"").count(), 3);
        assert_eq!(svg.matches("<path class=\"poll\"").count(), 1, "one loop");
        assert_eq!(svg.matches("<line class=\"poll\"").count(), 2, "two arrows");
    }

    #[test]
    fn text_is_escaped() {
        let svg = sample().render();
        assert!(
            svg.contains("A &lt;machine&gt;") && svg.contains("Walked &amp; drawn.")
        );
    }

    #[test]
    fn the_same_walk_draws_the_same_bytes() {
        assert_eq!(sample().render(), sample().render());
    }

    #[test]
    #[should_panic(expected = "no state \"Nowhere\"")]
    fn a_poll_to_an_unknown_state_is_a_bug_in_the_test() {
        let _ = sample().poll("Done", "Nowhere", "?").render();
    }
}
