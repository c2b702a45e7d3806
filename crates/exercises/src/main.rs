//! The exercises' companion: lists them, shows hints one step at a time and
//! progress test by test, reruns an exercise's tests on every save, and proves
//! to CI that every exercise starts unsolved and every solution passes.
//!
//! Each exercise is a crate `exercises/NAME` with a `README.md`, a `HINT.md`
//! (its hints as `## Step N: ...` sections), `// TODO` marks in `src/lib.rs`
//! and its tests in `tests/check.rs`, named `step_N_...` in the order to make
//! them pass. Its solution is `solutions/NAME`, package `NAME-solution` with
//! the same lib name, which runs the exercise's own test files: one set of
//! tests judges both.
//!
//! | module | role |
//! |---|---|
//! | `exercise` | finding the exercises, and what `check` proves about each |
//! | `hints` | reading `HINT.md` into steps and showing one |
//! | `progress` | one exercise's tests run, libtest's output counted |
//! | `watch` | rerunning the tests when the files change |
//! | `manifest` | the few `Cargo.toml` values the checks read |
//!
//! Run it with `cargo run -p exercises -- COMMAND` (`--help` lists them).
#![forbid(unsafe_code)]

mod exercise;
mod hints;
mod manifest;
mod progress;
mod watch;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser, Subcommand};

use exercise::{Exercise, workspace_root};
use progress::TestRun;

/// Exit code for a command line we cannot act on (clap's, too).
const USAGE_ERROR: u8 = 2;

/// The command line: `clap` parses it, prints `--help` and names what is
/// valid when a command or an argument is wrong.
#[derive(Debug, Parser)]
#[command(
    name = "exercises",
    bin_name = "cargo run -p exercises --",
    about = "The exercises' companion: hints in steps, progress test by test, \
             tests rerun on save, and the check CI runs.",
    disable_version_flag = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq, Subcommand)]
enum Command {
    /// Every exercise, with what it asks
    List,
    /// Hint STEP (from 1) for one exercise, in steps: the first, then 2...
    Hint {
        /// The exercise, as `list` names it
        name: String,
        /// Which hint: 1 is the first, the last is close to the answer
        #[arg(
            default_value_t = 1,
            value_parser = parse_step,
            allow_negative_numbers = true
        )]
        step: usize,
    },
    /// How many tests of each exercise pass, and what to run next
    Progress,
    /// Rerun the tests of NAME (or of the first unfinished exercise) on every
    /// save; Ctrl-C ends
    Watch {
        /// The exercise to watch; without it, the first unfinished one
        name: Option<String>,
    },
    /// Prove each exercise fails as shipped and its solution passes
    Check,
}

/// Reads the arguments (without the program name). `None` is no command at
/// all, which shows the help; `--help` comes back as clap's `DisplayHelp`
/// error, which prints to stdout and exits 0.
fn parse<I, T>(args: I) -> Result<Option<Command>, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let program = OsString::from("exercises");
    let args = std::iter::once(program).chain(args.into_iter().map(Into::into));
    Ok(Cli::try_parse_from(args)?.command)
}

/// A hint's step: a whole number, counted from 1 (the range is checked once
/// the exercise is known).
fn parse_step(step: &str) -> Result<usize, String> {
    step.parse().map_err(|_| {
        format!(
            "the hint step must be a number from 1 up, like `hint NAME 2`, not `{step}`"
        )
    })
}

fn main() -> ExitCode {
    match parse(std::env::args_os().skip(1)) {
        Ok(Some(command)) => run(command),
        Ok(None) => {
            print!("{}", Cli::command().render_help());
            ExitCode::SUCCESS
        }
        Err(error) => {
            let _ = error.print();
            if error.kind() == ErrorKind::InvalidSubcommand {
                eprintln!("The commands are: {}.", command_names().join(", "));
            }
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(USAGE_ERROR))
        }
    }
}

/// The commands, in the order `--help` lists them (clap's `help` left out).
fn command_names() -> Vec<String> {
    let cli = Cli::command();
    let names = cli.get_subcommands().map(|command| command.get_name());
    names.map(String::from).collect()
}

fn run(command: Command) -> ExitCode {
    match command {
        Command::List => with_exercises(list),
        Command::Hint { name, step } => {
            with_exercises(|exercises| hint(exercises, &name, step))
        }
        Command::Progress => with_exercises(progress),
        Command::Watch { name } => with_exercises(|exercises| watch(exercises, name)),
        Command::Check => with_exercises(check),
    }
}

/// Finds the exercises and hands them to `command`.
fn with_exercises(command: impl FnOnce(&[Exercise]) -> ExitCode) -> ExitCode {
    match Exercise::all(&workspace_root()) {
        Ok(exercises) => command(&exercises),
        Err(error) => {
            eprintln!("error: cannot read the exercises folder: {error}");
            ExitCode::FAILURE
        }
    }
}

fn list(exercises: &[Exercise]) -> ExitCode {
    let width = name_width(exercises);
    for exercise in exercises {
        println!("  {:<width$}{}", exercise.name, exercise.summary());
    }
    ExitCode::SUCCESS
}

fn hint(exercises: &[Exercise], name: &str, step: usize) -> ExitCode {
    let exercise = match find(exercises, name) {
        Ok(exercise) => exercise,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(USAGE_ERROR);
        }
    };
    let steps = match exercise.hints() {
        Ok(steps) => steps,
        Err(error) => {
            eprintln!("error: cannot read the hints of {name}: {error}");
            return ExitCode::FAILURE;
        }
    };
    match hints::render(name, &steps, step) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {name}: {error}");
            ExitCode::from(USAGE_ERROR)
        }
    }
}

fn watch(exercises: &[Exercise], name: Option<String>) -> ExitCode {
    let Some(name) = name else {
        return watch::watch(exercises, None);
    };
    match find(exercises, &name) {
        Ok(exercise) => watch::watch(exercises, Some(exercise)),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(USAGE_ERROR)
        }
    }
}

/// The exercise called `name`, or an error that names the ones there are.
fn find<'a>(exercises: &'a [Exercise], name: &str) -> Result<&'a Exercise, String> {
    let found = exercises.iter().find(|exercise| exercise.name == name);
    found.ok_or_else(|| {
        let names: Vec<&str> = exercises.iter().map(|e| e.name.as_str()).collect();
        format!(
            "no exercise is called `{name}`; the exercises are: {}",
            names.join(", ")
        )
    })
}

/// Progress is information, not a verdict: it exits 0 however far along you are.
fn progress(exercises: &[Exercise]) -> ExitCode {
    let width = name_width(exercises);
    let mut runs = Vec::new();
    for exercise in exercises {
        let run = TestRun::of(&exercise.name);
        let mark = if run.passes() { "x" } else { " " };
        println!("  [{mark}] {:<width$}{}", exercise.name, run.describe());
        runs.push(run);
    }
    let passed = runs.iter().filter(|run| run.passes()).count();
    println!("\n{}", bar(passed, exercises.len()));
    let first_unfinished = exercises.iter().zip(&runs).find(|(_, run)| !run.passes());
    match first_unfinished {
        Some((exercise, run)) => print!("\n{}", next_steps(&exercise.name, run)),
        None => println!("\nEvery exercise passes. Well done!"),
    }
    ExitCode::SUCCESS
}

/// What to do next for the first exercise that does not pass yet.
fn next_steps(name: &str, run: &TestRun) -> String {
    let mut text = format!("Next: {name}. Run `cargo test -p {name}`.\n");
    if let TestRun::Failing {
        first_failure: Some(test),
        ..
    } = run
    {
        text.push_str(&format!("Start with its first failing test, `{test}`.\n"));
    }
    text.push_str(&format!(
        "`cargo run -p exercises -- watch` reruns its tests on every save.\n\
         Stuck? `cargo run -p exercises -- hint {name}` shows a first hint.\n"
    ));
    text
}

/// One line per exercise, a summary, and a failing exit code if anything is off.
fn check(exercises: &[Exercise]) -> ExitCode {
    let width = name_width(exercises);
    let mut failed = 0;
    for exercise in exercises {
        let problems = exercise.check();
        failed += usize::from(!problems.is_empty());
        println!("  {:<width$}{}", exercise.name, verdict(&problems));
    }
    println!("\n{}", summary(exercises.len(), failed));
    if failed > 0 || exercises.is_empty() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn verdict(problems: &[String]) -> String {
    if problems.is_empty() {
        return "ok: fails as shipped, its solution passes".to_string();
    }
    format!("FAILED: {}", problems.join("; "))
}

fn summary(total: usize, failed: usize) -> String {
    match (total, failed) {
        (0, _) => "check: no exercises found".to_string(),
        (_, 0) => format!("check: all {total} exercises OK"),
        _ => format!("check: {failed} of {total} exercises have problems"),
    }
}

/// The column width that lines names up: the longest name and four spaces.
fn name_width(exercises: &[Exercise]) -> usize {
    exercises.iter().map(|e| e.name.len()).max().unwrap_or(0) + 4
}

/// `progress [#####-----] 1/2 exercises pass`
fn bar(passed: usize, total: usize) -> String {
    const WIDTH: usize = 10;
    let filled = (passed * WIDTH).checked_div(total).unwrap_or(0);
    let (done, to_do) = ("#".repeat(filled), "-".repeat(WIDTH - filled));
    format!("progress [{done}{to_do}] {passed}/{total} exercises pass")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_words(words: &[&str]) -> Result<Command, String> {
        match parse(words) {
            Ok(Some(command)) => Ok(command),
            Ok(None) => Err("no command".into()),
            Err(error) => Err(error.to_string()),
        }
    }

    fn error_kind(words: &[&str]) -> Option<ErrorKind> {
        parse(words).err().map(|error| error.kind())
    }

    #[test]
    fn bar_fills_in_proportion_to_the_exercises_passed() {
        assert_eq!(bar(0, 2), "progress [----------] 0/2 exercises pass");
        assert_eq!(bar(1, 2), "progress [#####-----] 1/2 exercises pass");
        assert_eq!(bar(2, 2), "progress [##########] 2/2 exercises pass");
        assert_eq!(bar(1, 3), "progress [###-------] 1/3 exercises pass");
    }

    #[test]
    fn bar_with_no_exercises_is_empty_not_a_division_by_zero() {
        assert_eq!(bar(0, 0), "progress [----------] 0/0 exercises pass");
    }

    #[test]
    fn each_command_parses() {
        assert_eq!(parse_words(&["list"]), Ok(Command::List));
        assert_eq!(parse_words(&["progress"]), Ok(Command::Progress));
        assert_eq!(parse_words(&["check"]), Ok(Command::Check));
        assert_eq!(parse_words(&["watch"]), Ok(Command::Watch { name: None }));
        let named = parse_words(&["watch", "ch1-countdown"]);
        let name = Some("ch1-countdown".to_string());
        assert_eq!(named, Ok(Command::Watch { name }));
    }

    #[test]
    fn hint_alone_asks_for_the_first_step_and_a_number_for_that_step() {
        let first = parse_words(&["hint", "ch1-countdown"]);
        let name = "ch1-countdown".to_string();
        assert_eq!(first, Ok(Command::Hint { name, step: 1 }));
        let third = parse_words(&["hint", "ch1-countdown", "3"]);
        let name = "ch1-countdown".to_string();
        assert_eq!(third, Ok(Command::Hint { name, step: 3 }));
    }

    #[test]
    fn a_hint_step_that_is_not_a_number_is_named_in_the_error() {
        for step in ["two", "-1", "1.5", ""] {
            let error = parse_words(&["hint", "ch1-countdown", step]).unwrap_err();
            assert!(error.contains("a number from 1 up"), "{error}");
            assert!(error.contains(&format!("not `{step}`")), "{error}");
        }
    }

    #[test]
    fn no_command_shows_the_help_and_help_in_every_spelling_too() {
        assert_eq!(parse(&[] as &[&str]).ok(), Some(None));
        for words in [&["--help"][..], &["-h"], &["help"], &["help", "hint"]] {
            assert_eq!(error_kind(words), Some(ErrorKind::DisplayHelp), "{words:?}");
        }
        let help = Cli::command().render_help().to_string();
        for command in ["list", "hint", "progress", "watch", "check"] {
            assert!(help.contains(&format!("  {command} ")), "{help}");
        }
        Cli::command().debug_assert();
    }

    #[test]
    fn the_commands_are_named_in_the_order_help_lists_them() {
        let names = command_names();
        assert_eq!(names, ["list", "hint", "progress", "watch", "check"]);
    }

    #[test]
    fn bad_command_lines_are_named_in_the_error() {
        let unknown = parse_words(&["solve"]).unwrap_err();
        assert!(
            unknown.contains("unrecognized subcommand 'solve'"),
            "{unknown}"
        );
        let no_name = parse_words(&["hint"]).unwrap_err();
        assert!(
            no_name.contains("required arguments were not provided"),
            "{no_name}"
        );
        assert!(no_name.contains("<NAME>"), "{no_name}");
        let extras = [
            &["list", "ch1-countdown"][..],
            &["watch", "ch1-countdown", "ch1-concurrent"],
            &["hint", "ch1-countdown", "2", "3"],
        ];
        for words in extras {
            let error = parse_words(words).unwrap_err();
            let extra = words.last().expect("not empty");
            let expected = format!("unexpected argument '{extra}'");
            assert!(error.contains(&expected), "{words:?}: {error}");
        }
        assert_eq!(parse(["--fast"]).unwrap_err().exit_code(), 2);
    }

    #[test]
    fn next_steps_name_the_command_and_the_first_failing_test() {
        let run = TestRun::Failing {
            passed: 1,
            failed: 2,
            first_failure: Some("step_1_creating".into()),
        };
        let next = next_steps("ch1-countdown", &run);
        assert!(next.starts_with("Next: ch1-countdown."), "{next}");
        assert!(next.contains("`cargo test -p ch1-countdown`"), "{next}");
        assert!(
            next.contains("first failing test, `step_1_creating`"),
            "{next}"
        );
        assert!(next.contains("hint ch1-countdown`"), "{next}");
        let broken = next_steps("ch1-countdown", &TestRun::DidNotCompile);
        assert!(!broken.contains("failing test"), "{broken}");
    }

    #[test]
    fn check_summary_counts_the_exercises_with_problems() {
        assert_eq!(summary(2, 0), "check: all 2 exercises OK");
        assert_eq!(summary(2, 1), "check: 1 of 2 exercises have problems");
        assert_eq!(summary(0, 0), "check: no exercises found");
    }
}
