//! Finding the exercises and checking them.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::{fs, io};

/// One exercise crate and where its solution lives.
#[derive(Debug)]
pub struct Exercise {
    /// The package name, also the folder name: `ch1-countdown`.
    pub name: String,
    /// `exercises/NAME`.
    pub dir: PathBuf,
    /// `solutions/NAME`.
    pub solution_dir: PathBuf,
}

/// The workspace root: this crate lives in `crates/exercises`.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

impl Exercise {
    /// Every exercise under `root/exercises`, sorted by name.
    pub fn all(root: &Path) -> io::Result<Vec<Exercise>> {
        let mut exercises = Vec::new();
        for entry in fs::read_dir(root.join("exercises"))? {
            let dir = entry?.path();
            if !dir.join("Cargo.toml").is_file() {
                continue;
            }
            let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let solution_dir = root.join("solutions").join(name);
            exercises.push(Exercise {
                name: name.to_string(),
                dir,
                solution_dir,
            });
        }
        exercises.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(exercises)
    }

    /// The first line of the README, without its `#`.
    pub fn summary(&self) -> String {
        let readme = fs::read_to_string(self.dir.join("README.md")).unwrap_or_default();
        let first = readme
            .lines()
            .find(|line| !line.trim().is_empty())
            .unwrap_or("");
        first.trim_start_matches('#').trim().to_string()
    }

    /// The package name of the solution.
    pub fn solution_name(&self) -> String {
        format!("{}-solution", self.name)
    }

    /// What is wrong with the exercise's files, without running anything.
    pub fn layout_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for file in ["README.md", "HINT.md", "src/lib.rs", "Cargo.toml"] {
            if !self.dir.join(file).is_file() {
                problems.push(format!("exercises/{}/{file} is missing", self.name));
            }
        }
        if !self.has_todo() {
            problems.push("no `// TODO` marks where the learner works".into());
        }
        let manifest = fs::read_to_string(self.solution_dir.join("Cargo.toml"));
        let Ok(manifest) = manifest else {
            problems.push(format!(
                "no solution: solutions/{}/Cargo.toml is missing",
                self.name
            ));
            return problems;
        };
        if !manifest.contains(&format!("name = \"{}\"", self.solution_name())) {
            problems.push(format!(
                "the solution's package is not `{}`",
                self.solution_name()
            ));
        }
        let lib_name = format!("name = \"{}\"", self.name.replace('-', "_"));
        if !manifest.contains(&lib_name) {
            problems.push("the solution's lib name differs from the exercise's".into());
        }
        if !manifest.contains(&format!("../../exercises/{}/tests/", self.name)) {
            problems.push("the solution does not run the exercise's tests".into());
        }
        problems
    }

    fn has_todo(&self) -> bool {
        let source =
            fs::read_to_string(self.dir.join("src/lib.rs")).unwrap_or_default();
        source.contains("// TODO")
    }

    /// Everything `check` proves: the layout, that the exercise compiles and
    /// fails its tests, and that the solution passes them.
    pub fn check(&self) -> Vec<String> {
        let mut problems = self.layout_problems();
        if !problems.is_empty() {
            return problems;
        }
        if !cargo_test(&self.name, &["--no-run"]) {
            problems.push("the exercise or its tests do not compile".into());
        } else if cargo_test(&self.name, &[]) {
            problems.push("the exercise passes its tests before it is solved".into());
        }
        if !cargo_test(&self.solution_name(), &[]) {
            problems.push("the solution fails the tests".into());
        }
        problems
    }
}

/// Runs `cargo test -q -p PACKAGE ARGS…` quietly; true when it succeeds.
pub fn cargo_test(package: &str, args: &[&str]) -> bool {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The real exercises are laid out as `check` expects (without running any).
    #[test]
    fn every_exercise_has_readme_hint_todo_and_a_solution_running_its_tests() {
        let exercises =
            Exercise::all(&workspace_root()).expect("exercises/ is readable");
        assert!(!exercises.is_empty(), "no exercises found");
        for exercise in &exercises {
            assert_eq!(
                exercise.layout_problems(),
                Vec::<String>::new(),
                "{}",
                exercise.name
            );
            assert!(
                !exercise.summary().is_empty(),
                "{} has an empty README",
                exercise.name
            );
        }
    }

    #[test]
    fn every_solution_belongs_to_an_exercise() {
        let root = workspace_root();
        let exercises = Exercise::all(&root).expect("exercises/ is readable");
        for entry in
            fs::read_dir(root.join("solutions")).expect("solutions/ is readable")
        {
            let name = entry.expect("a readable entry").file_name();
            let name = name.to_string_lossy();
            assert!(
                exercises.iter().any(|exercise| exercise.name == name),
                "solutions/{name} has no exercise"
            );
        }
    }
}
