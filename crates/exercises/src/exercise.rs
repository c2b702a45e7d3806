//! Finding the exercises, and what `check` proves about each one.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::hints::{self, Hint};
use crate::manifest;

/// The files every exercise ships, relative to `exercises/NAME`.
const EXERCISE_FILES: [&str; 5] = [
    "Cargo.toml",
    "README.md",
    "HINT.md",
    "src/lib.rs",
    "tests/check.rs",
];

/// One exercise crate and where its solution lives.
#[derive(Debug)]
pub struct Exercise {
    /// The package name, also the folder name: `ch1-countdown`.
    pub name: String,
    /// `exercises/NAME`.
    pub dir: PathBuf,
    /// `solutions/NAME`, which may be missing: `check` says so.
    pub solution_dir: PathBuf,
}

/// The workspace root: this crate lives in `ROOT/crates/exercises`.
pub fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = here.ancestors().nth(2);
    root.expect("crates/exercises sits two levels below the root")
        .to_path_buf()
}

/// The chapter number in a name like `ch3-abort`; names without one sort
/// after every chapter.
fn chapter_of(name: &str) -> u32 {
    name.strip_prefix("ch")
        .and_then(|rest| rest.split('-').next())
        .and_then(|number| number.parse().ok())
        .unwrap_or(u32::MAX)
}

impl Exercise {
    /// Every folder `root/exercises/NAME` with a `Cargo.toml`, in the order
    /// the book sets them: by chapter, then by each one's `order` (see
    /// [`Exercise::order`]), then by name.
    pub fn all(root: &Path) -> io::Result<Vec<Exercise>> {
        let mut exercises = Vec::new();
        for entry in fs::read_dir(root.join("exercises"))? {
            let dir = entry?.path();
            if dir.join("Cargo.toml").is_file() {
                exercises.push(Exercise::at(root, dir));
            }
        }
        exercises.sort_by_cached_key(|exercise| {
            let order = exercise.order().unwrap_or(u32::MAX);
            (chapter_of(&exercise.name), order, exercise.name.clone())
        });
        Ok(exercises)
    }

    fn at(root: &Path, dir: PathBuf) -> Exercise {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let solution_dir = root.join("solutions").join(&name);
        Exercise {
            name,
            dir,
            solution_dir,
        }
    }

    /// Its place among its chapter's exercises, from its manifest:
    ///
    /// ```toml
    /// [package.metadata.exercise]
    /// order = "1"
    /// ```
    ///
    /// (A string, since the manifest reader reads strings only.)
    pub fn order(&self) -> Option<u32> {
        manifest::value(&self.manifest(), "package.metadata.exercise", "order")?
            .parse()
            .ok()
    }

    /// The first non-empty line of the README, without its `#`.
    pub fn summary(&self) -> String {
        let readme = read(&self.dir.join("README.md"));
        let first = readme.lines().find(|line| !line.trim().is_empty());
        first
            .unwrap_or("")
            .trim_start_matches('#')
            .trim()
            .to_string()
    }

    /// The steps of `HINT.md`.
    pub fn hints(&self) -> io::Result<Vec<Hint>> {
        Ok(hints::parse(&fs::read_to_string(self.dir.join("HINT.md"))?))
    }

    /// The package name of the solution: `NAME-solution`.
    pub fn solution_name(&self) -> String {
        format!("{}-solution", self.name)
    }

    /// Everything `check` proves: the layout, that the exercise compiles but
    /// fails its tests, and that the solution passes the same tests.
    pub fn check(&self) -> Vec<String> {
        let problems = self.layout_problems();
        if !problems.is_empty() {
            return problems;
        }
        self.test_problems()
    }

    /// What is wrong with the files, found without running anything.
    pub fn layout_problems(&self) -> Vec<String> {
        let mut problems = self.exercise_problems();
        problems.extend(self.solution_problems());
        problems
    }

    fn exercise_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for file in EXERCISE_FILES {
            if !self.dir.join(file).is_file() {
                problems.push(format!("exercises/{}/{file} is missing", self.name));
            }
        }
        let package = manifest::value(&self.manifest(), "package", "name");
        if package.as_deref() != Some(self.name.as_str()) {
            problems.push(format!("its package is not named `{}`", self.name));
        }
        if !read(&self.dir.join("src/lib.rs")).contains("// TODO") {
            problems.push("no `// TODO` marks where the learner works".into());
        }
        if let Ok(tests) = fs::read_to_string(self.dir.join("tests/check.rs")) {
            problems.extend(test_name_problems(&tests));
        }
        if let Ok(steps) = self.hints() {
            problems.extend(hints::problems(&steps));
        }
        if self.order().is_none() {
            problems.push(
                "no place among its chapter's exercises: add `order = \"N\"` under \
                 `[package.metadata.exercise]` in its Cargo.toml"
                    .into(),
            );
        }
        problems
    }

    fn solution_problems(&self) -> Vec<String> {
        let Ok(solution) = fs::read_to_string(self.solution_dir.join("Cargo.toml"))
        else {
            return vec![format!("no solution: solutions/{}/Cargo.toml", self.name)];
        };
        let mut problems = self.test_path_problems(&solution);
        let package = manifest::value(&solution, "package", "name");
        if package != Some(self.solution_name()) {
            problems.push(format!(
                "the solution is not named `{}`",
                self.solution_name()
            ));
        }
        if manifest::lib_name(&solution) != manifest::lib_name(&self.manifest()) {
            problems.push("the solution's lib name differs from the exercise's".into());
        }
        if read(&self.solution_dir.join("src/lib.rs")).contains("// TODO") {
            problems.push("the solution still has a `// TODO`".into());
        }
        problems
    }

    /// The solution must run the exercise's tests, and only those.
    fn test_path_problems(&self, solution: &str) -> Vec<String> {
        let ours = format!("../../exercises/{}/tests/", self.name);
        let paths = manifest::values(solution, "test", "path");
        let mut problems: Vec<String> = paths
            .iter()
            .filter(|path| {
                !path.starts_with(&ours) || !self.solution_dir.join(path).is_file()
            })
            .map(|path| format!("the solution's test `{path}` is not the exercise's"))
            .collect();
        if paths.is_empty() {
            problems.push(format!(
                "the solution has no `[[test]]` with a path in {ours}"
            ));
        }
        if self.solution_dir.join("tests").exists() {
            problems.push("the solution has a tests/ folder of its own".into());
        }
        problems
    }

    /// Each problem names the command that shows the details.
    fn test_problems(&self) -> Vec<String> {
        let (name, solution) = (&self.name, self.solution_name());
        let mut problems = Vec::new();
        if !cargo_test(name, &["--no-run"]) {
            problems.push(format!(
                "it does not compile (`cargo test -p {name} --no-run`)"
            ));
        } else if cargo_test(name, &[]) {
            problems.push(format!("it passes unsolved (`cargo test -p {name}`)"));
        }
        if !cargo_test(&solution, &[]) {
            problems.push(format!("its solution fails (`cargo test -p {solution}`)"));
        }
        problems
    }

    fn manifest(&self) -> String {
        read(&self.dir.join("Cargo.toml"))
    }
}

/// The names of the test functions in a test file: each `fn` after a
/// `#[test]` or `#[tokio::test...]` attribute (other attributes in between).
pub fn test_names(source: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut after_test_attribute = false;
    for line in source.lines().map(str::trim) {
        if line.starts_with("#[test]") || line.starts_with("#[tokio::test") {
            after_test_attribute = true;
        } else if after_test_attribute && !line.starts_with("#[") {
            let name = line
                .split("fn ")
                .nth(1)
                .and_then(|rest| rest.split('(').next());
            names.extend(name.map(str::trim));
            after_test_attribute = false;
        }
    }
    names
}

/// libtest runs and reports tests in name order, so each is named
/// `step_N_...` (N from 1 to 9, one digit so that the order is the number's):
/// the first to fail is then the first thing to do.
fn test_name_problems(source: &str) -> Vec<String> {
    let names = test_names(source);
    let step = |name: &str| -> Option<u8> {
        let (digit, behaviour) = name.strip_prefix("step_")?.split_once('_')?;
        let digit: u8 = digit.parse().ok().filter(|_| digit.len() == 1)?;
        (digit >= 1 && !behaviour.is_empty()).then_some(digit)
    };
    let mut problems: Vec<String> = names
        .iter()
        .filter(|name| step(name).is_none())
        .map(|name| format!("tests/check.rs: test `{name}` is not named `step_N_...` (N from 1 to 9)"))
        .collect();
    if names.is_empty() {
        problems.push("tests/check.rs has no tests".into());
    } else if !names.iter().any(|name| step(name) == Some(1)) {
        problems.push("tests/check.rs: no test is step 1 (`step_1_...`)".into());
    }
    problems
}

/// Runs `cargo test -q -p PACKAGE ARGS...` with its output hidden; true when it
/// succeeds. `CARGO` is set when we run under `cargo run`: use the same cargo.
pub fn cargo_test(package: &str, args: &[&str]) -> bool {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    Command::new(cargo)
        .current_dir(workspace_root())
        .args(["test", "-q", "-p", package])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// The file's text, or nothing if it cannot be read (a missing file is reported
/// by the checks that need it).
fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn real_exercises() -> Vec<Exercise> {
        let exercises =
            Exercise::all(&workspace_root()).expect("exercises/ is readable");
        assert!(!exercises.is_empty(), "no exercises found");
        exercises
    }

    /// The real exercises are laid out as `check` expects; nothing is run.
    #[test]
    fn every_exercise_has_its_files_a_todo_and_a_solution_running_its_tests() {
        for exercise in real_exercises() {
            let problems = exercise.layout_problems();
            assert!(problems.is_empty(), "{}: {problems:?}", exercise.name);
        }
    }

    #[test]
    fn every_exercise_has_a_one_line_summary() {
        for exercise in real_exercises() {
            assert!(
                !exercise.summary().is_empty(),
                "{}: empty README",
                exercise.name
            );
        }
    }

    #[test]
    fn every_solution_belongs_to_an_exercise() {
        let names: Vec<String> = real_exercises().into_iter().map(|e| e.name).collect();
        let solutions = fs::read_dir(workspace_root().join("solutions"));
        for entry in solutions.expect("solutions/ is readable") {
            let name = entry.expect("a readable entry").file_name();
            let name = name.to_string_lossy();
            assert!(
                names.iter().any(|n| *n == name),
                "solutions/{name}: no exercise"
            );
        }
    }

    #[test]
    fn a_missing_solution_is_reported() {
        let root = workspace_root();
        let mut exercise = Exercise::at(&root, root.join("exercises/ch1-countdown"));
        exercise.solution_dir = root.join("solutions/no-such-exercise");
        let problems = exercise.layout_problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("no solution"), "{problems:?}");
    }

    #[test]
    fn an_exercise_with_the_solution_for_its_code_is_reported() {
        // The solution's folder, seen as an exercise: no README, HINT, tests,
        // `// TODO` or place in reading order, and a package named
        // `...-solution`.
        let root = workspace_root();
        let exercise = Exercise::at(&root, root.join("solutions/ch1-countdown"));
        let problems = exercise.exercise_problems();
        assert_eq!(problems.len(), 6, "{problems:?}");
    }

    #[test]
    fn test_names_are_read_after_test_attributes_only() {
        let source = "\
fn helper() {}

#[test]
fn step_1_first() {}

#[tokio::test(start_paused = true)]
async fn step_2_second() {}

#[test]
#[should_panic(expected = \"polled after it completed\")]
fn step_3_third() {}
";
        assert_eq!(
            test_names(source),
            ["step_1_first", "step_2_second", "step_3_third"]
        );
        assert_eq!(test_name_problems(source), Vec::<String>::new());
    }

    #[test]
    fn tests_not_named_in_steps_are_reported() {
        let source = "#[test]\nfn counts_down() {}\n#[test]\nfn step_10_late() {}\n";
        let problems = test_name_problems(source);
        assert_eq!(problems.len(), 3, "two names, and no step 1: {problems:?}");
        assert!(problems[0].contains("`counts_down`"), "{problems:?}");
        assert!(problems[1].contains("`step_10_late`"), "{problems:?}");
    }

    #[test]
    fn every_exercise_names_its_tests_in_the_order_of_its_steps() {
        for exercise in real_exercises() {
            let source = read(&exercise.dir.join("tests/check.rs"));
            let problems = test_name_problems(&source);
            assert!(problems.is_empty(), "{}: {problems:?}", exercise.name);
        }
    }

    #[test]
    fn the_chapter_comes_from_the_name() {
        assert_eq!(chapter_of("ch4-call-later"), 4);
        assert_eq!(chapter_of("ch12-chat"), 12);
        assert_eq!(chapter_of("warm-up"), u32::MAX, "no chapter: last");
    }

    #[test]
    fn every_exercise_of_the_workspace_has_a_place_in_reading_order() {
        let exercises = real_exercises();
        let names: Vec<_> = exercises.iter().map(|e| e.name.as_str()).collect();
        assert!(exercises.iter().all(|e| e.order().is_some()), "{names:?}");
        let countdown = names.iter().position(|n| *n == "ch1-countdown");
        let concurrent = names.iter().position(|n| *n == "ch1-concurrent");
        assert!(
            countdown < concurrent,
            "the book's order, not the alphabet's"
        );
    }
}
