//! `cargo run -p exercises -- COMMAND`: the exercises' companion.
//!
//! - `list`: every exercise with its one-line summary;
//! - `hint NAME`: the exercise's hint;
//! - `progress`: which exercises pass, with a bar;
//! - `check`: proves that every exercise fails its tests as shipped and every
//!   solution passes the same tests (CI runs this).
//!
//! Each exercise is a crate `exercises/NAME` (with `README.md`, `HINT.md` and
//! `// TODO` markers); its solution is `solutions/NAME`, package `NAME-solution`,
//! which runs the exercise's own `tests/` files.
#![forbid(unsafe_code)]

mod exercise;

use std::process::ExitCode;

use exercise::{Exercise, cargo_test, workspace_root};

const USAGE: &str = "\
Usage: cargo run -p exercises -- COMMAND

Commands:
  list         every exercise, with what it asks
  hint NAME    a hint for one exercise
  progress     which exercises pass so far
  check        prove each exercise fails as shipped and its solution passes
";

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
enum Command {
    List,
    Hint(String),
    Progress,
    Check,
    Help,
}

fn parse(args: &[String]) -> Result<Command, String> {
    match args {
        [] => Ok(Command::Help),
        [one] if one == "-h" || one == "--help" || one == "help" => Ok(Command::Help),
        [one] if one == "list" => Ok(Command::List),
        [one] if one == "progress" => Ok(Command::Progress),
        [one] if one == "check" => Ok(Command::Check),
        [one, name] if one == "hint" => Ok(Command::Hint(name.clone())),
        [one] if one == "hint" => Err("`hint` needs the name of an exercise".into()),
        [other, ..] => Err(format!("unknown command `{other}`")),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match parse(&args) {
        Ok(command) => command,
        Err(error) => {
            eprintln!("error: {error}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let exercises = match Exercise::all(&workspace_root()) {
        Ok(exercises) => exercises,
        Err(error) => {
            eprintln!("error: cannot read the exercises: {error}");
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Help => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Command::List => list(&exercises),
        Command::Hint(name) => hint(&exercises, &name),
        Command::Progress => progress(&exercises),
        Command::Check => check(&exercises),
    }
}

fn list(exercises: &[Exercise]) -> ExitCode {
    for exercise in exercises {
        println!("{:<24} {}", exercise.name, exercise.summary());
    }
    ExitCode::SUCCESS
}

fn hint(exercises: &[Exercise], name: &str) -> ExitCode {
    let Some(exercise) = exercises.iter().find(|exercise| exercise.name == name) else {
        let names: Vec<_> = exercises
            .iter()
            .map(|exercise| exercise.name.as_str())
            .collect();
        eprintln!(
            "error: no exercise is called `{name}`; there are: {}",
            names.join(", ")
        );
        return ExitCode::from(2);
    };
    match std::fs::read_to_string(exercise.dir.join("HINT.md")) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {name} has no readable HINT.md: {error}");
            ExitCode::from(2)
        }
    }
}

fn progress(exercises: &[Exercise]) -> ExitCode {
    println!("Running each exercise's tests (cargo test -q -p NAME)...\n");
    let mut passed = 0;
    for exercise in exercises {
        let passes = cargo_test(&exercise.name, &[]);
        passed += usize::from(passes);
        let (mark, word) = if passes {
            ("x", "passed")
        } else {
            (" ", "not yet")
        };
        println!("  [{mark}] {:<24} {word}", exercise.name);
    }
    println!("\n{}", bar(passed, exercises.len()));
    if passed < exercises.len() {
        println!("Stuck? `cargo run -p exercises -- hint NAME`.");
    }
    ExitCode::SUCCESS
}

fn check(exercises: &[Exercise]) -> ExitCode {
    let mut failures = 0;
    for exercise in exercises {
        let problems = exercise.check();
        if problems.is_empty() {
            println!(
                "ok    {}: fails as shipped, its solution passes",
                exercise.name
            );
        } else {
            failures += 1;
            println!("FAIL  {}: {}", exercise.name, problems.join("; "));
        }
    }
    println!(
        "\n{} exercises checked, {} with problems",
        exercises.len(),
        failures
    );
    if failures > 0 || exercises.is_empty() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// `progress [#####-----] 1/2 exercises pass`
fn bar(passed: usize, total: usize) -> String {
    const WIDTH: usize = 20;
    let filled = (passed * WIDTH).checked_div(total).unwrap_or(0);
    format!(
        "progress [{}{}] {passed}/{total} exercises pass",
        "#".repeat(filled),
        "-".repeat(WIDTH - filled)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|word| word.to_string()).collect()
    }

    #[test]
    fn bar_fills_in_proportion() {
        assert_eq!(
            bar(0, 4),
            "progress [--------------------] 0/4 exercises pass"
        );
        assert_eq!(
            bar(1, 2),
            "progress [##########----------] 1/2 exercises pass"
        );
        assert_eq!(
            bar(3, 3),
            "progress [####################] 3/3 exercises pass"
        );
        assert_eq!(
            bar(0, 0),
            "progress [--------------------] 0/0 exercises pass"
        );
    }

    #[test]
    fn commands_parse_and_bad_ones_are_named() {
        assert_eq!(parse(&args(&["progress"])), Ok(Command::Progress));
        assert_eq!(
            parse(&args(&["hint", "ch1-countdown"])),
            Ok(Command::Hint("ch1-countdown".into()))
        );
        assert_eq!(parse(&args(&[])), Ok(Command::Help));
        assert_eq!(
            parse(&args(&["hint"])),
            Err("`hint` needs the name of an exercise".into())
        );
        assert_eq!(
            parse(&args(&["solve"])),
            Err("unknown command `solve`".into())
        );
    }
}
