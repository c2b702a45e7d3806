//! The runtimes a chapter runs on and its command line.

use std::fmt;
use std::str::FromStr;

/// One of the runtimes a chapter compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Runtime {
    /// Our own code, built in the chapter on `std` only.
    Hand,
    /// tokio, the most used runtime.
    Tokio,
    /// async-std: discontinued by its maintainers, who point to smol.
    AsyncStd,
    /// smol, async-std's successor; shown where it behaves differently.
    Smol,
}

impl Runtime {
    /// Every runtime, in the order the chapters show them.
    pub const ALL: [Runtime; 4] = [
        Runtime::Hand,
        Runtime::Tokio,
        Runtime::AsyncStd,
        Runtime::Smol,
    ];

    /// The name used on the command line (`--runtime async-std`).
    pub fn name(self) -> &'static str {
        match self {
            Runtime::Hand => "hand",
            Runtime::Tokio => "tokio",
            Runtime::AsyncStd => "async-std",
            Runtime::Smol => "smol",
        }
    }

    /// The name used in headings and tables.
    pub fn title(self) -> &'static str {
        match self {
            Runtime::Hand => "hand-rolled",
            other => other.name(),
        }
    }
}

impl fmt::Display for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

impl FromStr for Runtime {
    type Err = ArgError;

    fn from_str(name: &str) -> Result<Self, ArgError> {
        Runtime::ALL
            .into_iter()
            .find(|runtime| runtime.name() == name)
            .ok_or_else(|| ArgError::UnknownRuntime(name.to_string()))
    }
}

/// What a chapter is called and which runtimes it runs on.
#[derive(Debug)]
pub struct Chapter {
    /// The package name, as in `cargo run -p coroutines`.
    pub package: &'static str,
    /// The heading printed first.
    pub title: &'static str,
    /// The runtimes this chapter shows, in order.
    pub runtimes: &'static [Runtime],
}

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// Run the scene on these runtimes, in this order.
    Run(Vec<Runtime>),
    /// Print the usage and stop.
    Help,
}

/// A command line the chapter cannot follow.
#[derive(Debug, PartialEq, Eq)]
pub enum ArgError {
    /// An argument that is not a known flag.
    UnknownArgument(String),
    /// `--runtime` without a name after it.
    MissingRuntime,
    /// A runtime name that does not exist.
    UnknownRuntime(String),
    /// A runtime that exists but that this chapter does not show.
    NotInChapter(Runtime),
}

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = || {
            Runtime::ALL
                .iter()
                .map(|r| r.name())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            ArgError::UnknownArgument(arg) => write!(f, "unknown argument `{arg}`"),
            ArgError::MissingRuntime => {
                write!(f, "`--runtime` needs a name: one of {}", names())
            }
            ArgError::UnknownRuntime(name) => {
                write!(f, "unknown runtime `{name}`: choose one of {}", names())
            }
            ArgError::NotInChapter(runtime) => {
                write!(f, "this chapter does not run on {runtime}")
            }
        }
    }
}

impl std::error::Error for ArgError {}

/// Reads the chapter's arguments (without the program name).
///
/// ```
/// use timeline::{Chapter, Command, Runtime, cli};
///
/// let chapter = Chapter { package: "demo", title: "Demo", runtimes: &Runtime::ALL };
/// let args = ["--runtime", "tokio"].map(String::from);
/// assert_eq!(cli::parse(&chapter, args), Ok(Command::Run(vec![Runtime::Tokio])));
/// ```
pub fn parse(
    chapter: &Chapter,
    args: impl IntoIterator<Item = String>,
) -> Result<Command, ArgError> {
    let mut chosen = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let name = match arg.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "-r" | "--runtime" => args.next().ok_or(ArgError::MissingRuntime)?,
            other => match other.strip_prefix("--runtime=") {
                Some(name) => name.to_string(),
                None => return Err(ArgError::UnknownArgument(arg)),
            },
        };
        let runtime: Runtime = name.parse()?;
        if !chapter.runtimes.contains(&runtime) {
            return Err(ArgError::NotInChapter(runtime));
        }
        if !chosen.contains(&runtime) {
            chosen.push(runtime);
        }
    }
    if chosen.is_empty() {
        chosen = chapter.runtimes.to_vec();
    }
    Ok(Command::Run(chosen))
}

/// The text `--help` prints.
pub fn usage(chapter: &Chapter) -> String {
    let names: Vec<_> = chapter.runtimes.iter().map(|r| r.name()).collect();
    format!(
        "{title}\n\n\
         Usage: cargo run -p {package} [-- --runtime NAME]...\n\n\
         Options:\n  \
         -r, --runtime NAME  run on this runtime only (repeat for several): {names}\n  \
         -h, --help          print this help\n\n\
         Without --runtime, every runtime runs in turn.\n\
         RUST_LOG sets the detail: RUST_LOG=debug shows every poll and wake.\n",
        title = chapter.title,
        package = chapter.package,
        names = names.join(", "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAPTER: Chapter = Chapter {
        package: "demo",
        title: "Demo",
        runtimes: &[Runtime::Hand, Runtime::Tokio, Runtime::AsyncStd],
    };

    fn parse_strs(args: &[&str]) -> Result<Command, ArgError> {
        parse(&CHAPTER, args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn no_arguments_run_every_runtime_of_the_chapter() {
        assert_eq!(parse_strs(&[]), Ok(Command::Run(CHAPTER.runtimes.to_vec())));
    }

    #[test]
    fn runtime_flag_selects_one_in_both_spellings() {
        let tokio = Ok(Command::Run(vec![Runtime::Tokio]));
        assert_eq!(parse_strs(&["--runtime", "tokio"]), tokio);
        assert_eq!(parse_strs(&["--runtime=tokio"]), tokio);
        assert_eq!(parse_strs(&["-r", "tokio"]), tokio);
    }

    #[test]
    fn repeated_runtime_flags_keep_their_order_once() {
        let args = ["-r", "async-std", "-r", "hand", "-r", "async-std"];
        assert_eq!(
            parse_strs(&args),
            Ok(Command::Run(vec![Runtime::AsyncStd, Runtime::Hand]))
        );
    }

    #[test]
    fn help_wins_over_everything() {
        assert_eq!(
            parse_strs(&["--runtime", "tokio", "--help"]),
            Ok(Command::Help)
        );
        assert_eq!(parse_strs(&["-h"]), Ok(Command::Help));
    }

    #[test]
    fn bad_input_gets_an_error_that_names_it() {
        assert_eq!(
            parse_strs(&["--fast"]),
            Err(ArgError::UnknownArgument("--fast".into()))
        );
        assert_eq!(parse_strs(&["--runtime"]), Err(ArgError::MissingRuntime));
        let unknown = parse_strs(&["--runtime", "node"]).unwrap_err();
        assert_eq!(
            unknown.to_string(),
            "unknown runtime `node`: choose one of hand, tokio, async-std, smol"
        );
        assert_eq!(
            parse_strs(&["--runtime", "smol"]),
            Err(ArgError::NotInChapter(Runtime::Smol))
        );
    }

    #[test]
    fn usage_lists_the_chapter_runtimes() {
        let text = usage(&CHAPTER);
        assert!(text.contains("cargo run -p demo"), "{text}");
        assert!(text.contains("hand, tokio, async-std\n"), "{text}");
    }
}
