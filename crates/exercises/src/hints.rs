//! An exercise's hints, in steps: `HINT.md` holds them as `## Step N: title`
//! sections, each a nudge further than the one before, the last close to the
//! answer. `hint NAME` shows the first, `hint NAME 2` the next, and so on.
//!
//! A shortcut: a step starts at any line that begins with `## `, so a hint
//! cannot hold a code block with such a line. Ours hold none; `book-check`
//! reads the book's Markdown with a real parser.

/// One step of an exercise's hints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// The heading without its `## `: `Step 1: where to start`.
    pub title: String,
    /// The text under the heading, trimmed.
    pub text: String,
}

/// The steps of a `HINT.md`, in file order. Text before the first `## `
/// heading (the file's `#` title) is not a step.
pub fn parse(markdown: &str) -> Vec<Hint> {
    let mut hints: Vec<Hint> = Vec::new();
    let mut body = String::new();
    for line in markdown.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            finish(&mut hints, &mut body);
            hints.push(Hint {
                title: title.trim().to_string(),
                text: String::new(),
            });
        } else if !hints.is_empty() {
            body.push_str(line);
            body.push('\n');
        }
    }
    finish(&mut hints, &mut body);
    hints
}

/// Moves the text gathered so far into the last step.
fn finish(hints: &mut [Hint], body: &mut String) {
    if let Some(last) = hints.last_mut() {
        last.text = body.trim().to_string();
    }
    body.clear();
}

/// What is wrong with an exercise's hints: at least two steps, headed
/// `Step 1`, `Step 2`... in order, none empty.
pub fn problems(hints: &[Hint]) -> Vec<String> {
    let mut problems = Vec::new();
    if hints.len() < 2 {
        problems.push(format!(
            "HINT.md has {} step(s): give at least two `## Step N: ...` sections",
            hints.len()
        ));
    }
    for (number, hint) in (1..).zip(hints) {
        if !hint.title.starts_with(&format!("Step {number}")) {
            problems.push(format!(
                "HINT.md: heading `{}` should start with `Step {number}`",
                hint.title
            ));
        }
        if hint.text.is_empty() {
            problems.push(format!("HINT.md: `{}` has no text", hint.title));
        }
    }
    problems
}

/// Why a step cannot be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepError {
    /// Asked for step 0 or past the last: says how many there are.
    OutOfRange { asked: usize, steps: usize },
}

impl std::fmt::Display for StepError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            StepError::OutOfRange { asked, steps: 1 } => {
                write!(f, "there is no hint {asked}: there is 1 hint, ask for 1")
            }
            StepError::OutOfRange { asked, steps } => write!(
                f,
                "there is no hint {asked}: there are {steps} hints, ask for 1 to {steps}"
            ),
        }
    }
}

/// Step `number` (counted from 1).
pub fn step(hints: &[Hint], number: usize) -> Result<&Hint, StepError> {
    let out_of_range = StepError::OutOfRange {
        asked: number,
        steps: hints.len(),
    };
    let index = number.checked_sub(1).ok_or(out_of_range)?;
    hints.get(index).ok_or(out_of_range)
}

/// What `hint NAME N` prints: the step, where it stands, and what comes next.
pub fn render(
    exercise: &str,
    hints: &[Hint],
    number: usize,
) -> Result<String, StepError> {
    let hint = step(hints, number)?;
    let total = hints.len();
    let next = if number < total {
        format!(
            "Still stuck? The next hint: `cargo run -p exercises -- hint {exercise} {}`",
            number + 1
        )
    } else {
        format!("That was the last hint. A solution is in solutions/{exercise}.")
    };
    Ok(format!(
        "{exercise}, hint {number} of {total}: {title}\n\n{text}\n\n{next}\n",
        title = hint.topic(),
        text = hint.text
    ))
}

impl Hint {
    /// The title without its `Step N: `, which the count already says.
    pub fn topic(&self) -> &str {
        let topic = self.title.split_once(": ").map(|(_, topic)| topic);
        topic.unwrap_or(&self.title)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HINTS: &str = "\
# Hints for ch1-countdown

## Step 1: where to start
Build the first state.

## Step 2: the poll
Match on the state.

Two paragraphs.
";

    #[test]
    fn steps_are_read_from_their_headings_and_the_title_is_left_out() {
        let hints = parse(HINTS);
        assert_eq!(hints.len(), 2);
        assert_eq!(hints[0].title, "Step 1: where to start");
        assert_eq!(hints[0].text, "Build the first state.");
        assert_eq!(hints[1].text, "Match on the state.\n\nTwo paragraphs.");
        assert_eq!(problems(&hints), Vec::<String>::new());
    }

    #[test]
    fn the_first_hint_says_how_to_get_the_next() {
        let shown = render("ch1-countdown", &parse(HINTS), 1).unwrap();
        let heading = "ch1-countdown, hint 1 of 2: where to start\n";
        assert!(shown.starts_with(heading), "{shown}");
        assert!(shown.contains("Build the first state."), "{shown}");
        assert!(!shown.contains("Match on the state."), "one step at a time");
        assert!(shown.contains("hint ch1-countdown 2`"), "{shown}");
    }

    #[test]
    fn the_last_hint_points_at_the_solution() {
        let shown = render("ch1-countdown", &parse(HINTS), 2).unwrap();
        assert!(shown.contains("Match on the state."), "{shown}");
        assert!(shown.contains("solutions/ch1-countdown"), "{shown}");
    }

    #[test]
    fn asking_past_the_last_hint_says_how_many_there_are() {
        let hints = parse(HINTS);
        for asked in [0, 3, usize::MAX] {
            let error = render("ch1-countdown", &hints, asked).unwrap_err();
            assert_eq!(error, StepError::OutOfRange { asked, steps: 2 });
            let message = error.to_string();
            assert!(
                message.contains("there are 2 hints, ask for 1 to 2"),
                "{message}"
            );
        }
    }

    #[test]
    fn hints_out_of_order_or_alone_are_problems() {
        let one = parse("## Step 1: all of it\nThe answer.\n");
        assert_eq!(problems(&one).len(), 1, "{:?}", problems(&one));
        let swapped = parse("## Step 2: b\nB.\n## Step 1: a\nA.\n");
        assert_eq!(problems(&swapped).len(), 2, "{:?}", problems(&swapped));
        let empty = parse("## Step 1: a\n## Step 2: b\nB.\n");
        assert_eq!(problems(&empty), ["HINT.md: `Step 1: a` has no text"]);
    }
}
