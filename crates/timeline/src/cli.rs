//! The runtimes a chapter runs on and its command line.
//!
//! The command line is `clap`'s: [`parse`] builds it for one chapter, so that
//! `--help` names the chapter, its package and its runtimes, and a wrong flag
//! or runtime is an error that names what is valid (exit code 2).

use std::ffi::OsString;
use std::fmt;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{CommandFactory, FromArgMatches, Parser, ValueEnum};

/// One of the runtimes a chapter compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ValueEnum)]
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

/// The chapter's arguments; [`command`] fills in what depends on the chapter.
#[derive(Debug, Parser)]
#[command(disable_version_flag = true)]
struct Args {
    /// Run on this runtime only (repeat for several)
    #[arg(short, long = "runtime", value_name = "NAME", value_enum)]
    runtimes: Vec<Runtime>,
}

/// The chapter's command line: its title, its usage, and `--runtime` taking
/// only the runtimes it shows.
pub fn command(chapter: &Chapter) -> clap::Command {
    let names: Vec<_> = chapter.runtimes.iter().map(|r| r.name()).collect();
    let names = names.join(", ");
    // The values are listed in the help line itself, one line for all of them,
    // rather than clap's list of each with its doc comment.
    let runtimes = chapter.runtimes.iter().map(|r| r.name());
    let values = PossibleValuesParser::new(runtimes)
        .map(|name| Runtime::from_str(&name, false).expect("a possible value"));
    Args::command()
        .name(chapter.package)
        .bin_name(format!("cargo run -p {} --", chapter.package))
        .about(chapter.title)
        .override_usage(format!(
            "cargo run -p {} [-- --runtime NAME]...",
            chapter.package
        ))
        .after_help(
            "Without --runtime, every runtime runs in turn.\n\
             RUST_LOG sets the detail: RUST_LOG=debug shows every poll and wake.",
        )
        .mut_arg("runtimes", |arg| {
            arg.value_parser(values)
                .hide_possible_values(true)
                .help(format!(
                    "Run on this runtime only (repeat for several): {names}"
                ))
        })
}

/// Reads the chapter's arguments (without the program name) into the runtimes
/// to run, in order, each once; none named means all of the chapter's.
///
/// `--help` comes back as an error too, of kind `DisplayHelp`: printing it
/// with [`clap::Error::print`] and exiting with [`clap::Error::exit_code`]
/// does the right thing for both.
///
/// ```
/// use timeline::{Chapter, Runtime, cli};
///
/// let chapter = Chapter { package: "demo", title: "Demo", runtimes: &Runtime::ALL };
/// let runtimes = cli::parse(&chapter, ["--runtime", "tokio"]).unwrap();
/// assert_eq!(runtimes, [Runtime::Tokio]);
/// ```
pub fn parse<I, T>(chapter: &Chapter, args: I) -> Result<Vec<Runtime>, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let program = OsString::from(chapter.package);
    let args = std::iter::once(program).chain(args.into_iter().map(Into::into));
    let matches = command(chapter).try_get_matches_from(args)?;
    let named = Args::from_arg_matches(&matches)?.runtimes;
    let mut chosen = Vec::new();
    for runtime in named {
        if !chosen.contains(&runtime) {
            chosen.push(runtime);
        }
    }
    if chosen.is_empty() {
        chosen = chapter.runtimes.to_vec();
    }
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use clap::error::ErrorKind;

    use super::*;

    const CHAPTER: Chapter = Chapter {
        package: "demo",
        title: "Demo",
        runtimes: &[Runtime::Hand, Runtime::Tokio, Runtime::AsyncStd],
    };

    fn parse_strs(args: &[&str]) -> Result<Vec<Runtime>, clap::Error> {
        parse(&CHAPTER, args)
    }

    fn error_of(args: &[&str]) -> (ErrorKind, String) {
        let error = parse_strs(args).unwrap_err();
        (error.kind(), error.to_string())
    }

    #[test]
    fn no_arguments_run_every_runtime_of_the_chapter() {
        assert_eq!(parse_strs(&[]).unwrap(), CHAPTER.runtimes);
    }

    #[test]
    fn runtime_flag_selects_one_in_both_spellings() {
        for args in [
            &["--runtime", "tokio"][..],
            &["--runtime=tokio"],
            &["-r", "tokio"],
        ] {
            assert_eq!(parse_strs(args).unwrap(), [Runtime::Tokio], "{args:?}");
        }
    }

    #[test]
    fn repeated_runtime_flags_keep_their_order_once() {
        let args = ["-r", "async-std", "-r", "hand", "-r", "async-std"];
        assert_eq!(
            parse_strs(&args).unwrap(),
            [Runtime::AsyncStd, Runtime::Hand]
        );
    }

    #[test]
    fn help_wins_over_everything() {
        for args in [&["--runtime", "tokio", "--help"][..], &["-h"]] {
            let (kind, _) = error_of(args);
            assert_eq!(kind, ErrorKind::DisplayHelp, "{args:?}");
        }
        let help = parse_strs(&["--help"]).unwrap_err();
        assert_eq!(help.exit_code(), 0);
    }

    #[test]
    fn bad_input_gets_an_error_that_names_it() {
        let (kind, text) = error_of(&["--fast"]);
        assert_eq!(kind, ErrorKind::UnknownArgument);
        assert!(text.contains("unexpected argument '--fast'"), "{text}");
        let (kind, text) = error_of(&["--runtime"]);
        assert_eq!(kind, ErrorKind::InvalidValue);
        assert!(
            text.contains("a value is required for '--runtime <NAME>'"),
            "{text}"
        );
        let (kind, text) = error_of(&["--runtime", "node"]);
        assert_eq!(kind, ErrorKind::InvalidValue);
        assert!(
            text.contains("invalid value 'node' for '--runtime <NAME>'"),
            "{text}"
        );
        assert!(
            text.contains("[possible values: hand, tokio, async-std]"),
            "{text}"
        );
        assert_eq!(parse_strs(&["--fast"]).unwrap_err().exit_code(), 2);
    }

    #[test]
    fn a_runtime_the_chapter_does_not_show_is_not_a_possible_value() {
        let (kind, text) = error_of(&["--runtime", "smol"]);
        assert_eq!(kind, ErrorKind::InvalidValue);
        assert!(
            text.contains("[possible values: hand, tokio, async-std]"),
            "{text}"
        );
    }

    #[test]
    fn usage_lists_the_chapter_runtimes() {
        let text = command(&CHAPTER).render_help().to_string();
        assert!(text.starts_with("Demo\n"), "{text}");
        assert!(text.contains("cargo run -p demo"), "{text}");
        assert!(text.contains("hand, tokio, async-std\n"), "{text}");
        assert!(
            text.contains("Without --runtime, every runtime runs"),
            "{text}"
        );
    }

    #[test]
    fn command_line_names_match_the_runtime_names() {
        for runtime in Runtime::ALL {
            let value = runtime.to_possible_value().expect("no runtime is skipped");
            assert_eq!(value.get_name(), runtime.name());
        }
        command(&CHAPTER).debug_assert();
    }
}
