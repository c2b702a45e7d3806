//! The appendix's five workloads on CPython's asyncio, and on uvloop where it
//! is installed: the reader's own baseline, in the same tables.
//!
//! `crates/bench/python/workloads.py` runs each workload as
//! [`hand`](crate::hand) does, at the same [`Scale`], on one event loop built
//! once (`asyncio.Runner`, with uvloop's loop factory for `--uvloop`). It
//! checks its own answer, times a few runs with `time.perf_counter_ns()` and
//! prints one `NAME NUMBER` line per figure: a median in nanoseconds
//! (`spawn_ns`), or a count that shows the work was done (`spawn_right`),
//! which [`measure`] checks again against the scale.
//!
//! Where the interpreter is missing, every function here answers `Ok(None)`,
//! and the report says in one line that asyncio was not measured
//! ([`note`]). A script that fails, or prints a wrong count, is an error: no
//! figure is worth a wrong answer.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::{Blocking, Lateness, Scale};

/// The script that runs the workloads.
pub fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("python/workloads.py")
}

/// A Python interpreter, by the name (looked up on `PATH`) or the path it is
/// started with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Python {
    program: OsString,
    /// How long one run of the script may take before it is killed.
    limit: Duration,
}

impl Default for Python {
    /// `python3`, as the book's listings are run.
    fn default() -> Python {
        Python::new("python3")
    }
}

impl Python {
    /// The interpreter started as `program`.
    /// The interpreter started as `program`; a run of the script that takes
    /// over five minutes (the report's longest takes well under one) is
    /// killed, and is an error.
    pub fn new(program: impl Into<OsString>) -> Python {
        Python {
            program: program.into(),
            limit: Duration::from_secs(300),
        }
    }

    /// The same interpreter, whose runs are killed after `limit`.
    pub fn with_limit(self, limit: Duration) -> Python {
        Python { limit, ..self }
    }

    /// The name it is started by, for messages.
    pub fn name(&self) -> String {
        self.program.to_string_lossy().into_owned()
    }

    /// Runs the script with `args` and returns every line it printed, by
    /// name; `Ok(None)` when the interpreter is not installed.
    pub fn run(&self, args: &[String]) -> Result<Option<Printed>, String> {
        // `-B`: no `__pycache__` left beside the script.
        let started = Command::new(&self.program)
            .arg("-B")
            .arg(script())
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let mut child = match started {
            Ok(child) => child,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(error) => {
                return Err(format!("could not start {}: {error}", self.name()));
            }
        };
        let shown = format!("workloads.py {}", args.join(" "));
        // Read both pipes while the script runs, so that neither fills up.
        let stdout = read_all(child.stdout.take());
        let stderr = read_all(child.stderr.take());
        let began = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if began.elapsed() < self.limit => {
                    thread::sleep(Duration::from_millis(10))
                }
                Ok(None) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!("{shown} still ran after {:?}", self.limit));
                }
                Err(error) => return Err(format!("waiting for {shown}: {error}")),
            }
        };
        let (stdout, stderr) = (joined(stdout), joined(stderr));
        if !status.success() {
            return Err(format!("{shown} failed ({status}): {}", stderr.trim()));
        }
        Printed::parse(&stdout)
            .map(Some)
            .map_err(|error| format!("{shown}: {error}"))
    }

    /// The interpreter's name and version, and uvloop's if it is importable.
    pub fn about(&self) -> Result<Option<About>, String> {
        let Some(printed) = self.run(&["about".to_string()])? else {
            return Ok(None);
        };
        let text = |name: &str| printed.text(name).map(str::to_string);
        let uvloop = text("uvloop")?;
        Ok(Some(About {
            implementation: text("implementation")?,
            version: text("version")?,
            uvloop: (uvloop != "none").then_some(uvloop),
        }))
    }
}

/// Reads a child's pipe to its end on a thread of its own.
fn read_all(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// What a pipe's reader read (nothing, if it panicked).
fn joined(reader: thread::JoinHandle<String>) -> String {
    reader.join().unwrap_or_default()
}

/// What the script printed: one `NAME VALUE` line each.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Printed(BTreeMap<String, String>);

impl Printed {
    /// Reads `NAME VALUE` lines; any other line is an error.
    pub fn parse(stdout: &str) -> Result<Printed, String> {
        let mut lines = BTreeMap::new();
        for line in stdout.lines().filter(|line| !line.trim().is_empty()) {
            let (name, value) = line
                .trim()
                .split_once(' ')
                .ok_or_else(|| format!("not a `NAME VALUE` line: {line:?}"))?;
            lines.insert(name.to_string(), value.trim().to_string());
        }
        Ok(Printed(lines))
    }

    /// The text printed after `name`.
    pub fn text(&self, name: &str) -> Result<&str, String> {
        self.0
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| format!("printed no `{name}` line"))
    }

    /// The number printed after `name`.
    pub fn number(&self, name: &str) -> Result<f64, String> {
        let text = self.text(name)?;
        text.parse()
            .ok()
            .filter(|number: &f64| number.is_finite() && *number >= 0.0)
            .ok_or_else(|| format!("`{name}` is not a number: {text:?}"))
    }

    /// The time in nanoseconds printed after `name`.
    pub fn time(&self, name: &str) -> Result<Duration, String> {
        Ok(Duration::from_secs_f64(self.number(name)? / 1e9))
    }

    /// The count printed after `name`, which must be `expected`.
    pub fn count(&self, name: &str, expected: usize) -> Result<(), String> {
        let count = self.number(name)?;
        if count == expected as f64 {
            Ok(())
        } else {
            Err(format!("`{name}` is {count}, not {expected}"))
        }
    }
}

/// The interpreter, as `workloads.py about` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct About {
    /// `CPython`.
    pub implementation: String,
    /// `3.11.7`.
    pub version: String,
    /// uvloop's version, if it is importable.
    pub uvloop: Option<String>,
}

impl About {
    /// The row's name in the tables: `asyncio (CPython 3.11)`, `uvloop 0.23.0`.
    pub fn describe(&self, event_loop: Loop) -> String {
        match (event_loop, &self.uvloop) {
            (Loop::Uvloop, Some(version)) => format!("uvloop {version}"),
            _ => {
                let minor: Vec<&str> = self.version.split('.').take(2).collect();
                format!("asyncio ({} {})", self.implementation, minor.join("."))
            }
        }
    }
}

/// Which event loop the script runs its workloads on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loop {
    /// asyncio's own: a selector loop, in Python.
    Asyncio,
    /// uvloop's: libuv underneath, in Cython.
    Uvloop,
}

/// How many times the script repeats each workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeats {
    /// What the report runs: the script's few timed runs per workload (the
    /// median is printed), and ten runs of each lateness variant, as on the
    /// Rust runtimes.
    Report,
    /// One of each, for a test.
    Once,
}

impl Repeats {
    /// How many runs of each lateness variant are pooled.
    pub fn lateness_runs(self) -> usize {
        match self {
            Repeats::Report => LATENESS_RUNS,
            Repeats::Once => 1,
        }
    }
}

/// The five workloads, by the script's name for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    Spawn,
    Sleep,
    PingPong,
    Echo,
    Lateness,
}

impl Workload {
    /// Every workload, in the order of the appendix's tables.
    pub const ALL: [Workload; 5] = [
        Workload::Spawn,
        Workload::Sleep,
        Workload::PingPong,
        Workload::Echo,
        Workload::Lateness,
    ];

    /// The script's command line for this workload at `scale`.
    pub fn args(self, scale: Scale, event_loop: Loop, repeats: Repeats) -> Vec<String> {
        let millis = |time: Duration| time.as_millis();
        let (command, sizes): (&str, Vec<(&str, u128)>) = match self {
            Workload::Spawn => ("spawn", vec![("tasks", scale.spawned_tasks as u128)]),
            Workload::Sleep => (
                "sleep",
                vec![
                    ("sleepers", scale.sleepers as u128),
                    ("sleep-ms", millis(scale.sleep)),
                ],
            ),
            Workload::PingPong => {
                ("ping-pong", vec![("messages", scale.messages as u128)])
            }
            Workload::Echo => (
                "echo",
                vec![
                    ("clients", scale.echo_clients as u128),
                    ("rounds", scale.echo_rounds as u128),
                ],
            ),
            Workload::Lateness => (
                "lateness",
                vec![
                    ("sleepers", scale.late_sleepers as u128),
                    ("sleep-ms", millis(scale.late_sleep)),
                    ("block-ms", millis(scale.block)),
                    ("runs", repeats.lateness_runs() as u128),
                ],
            ),
        };
        let mut args = vec![command.to_string()];
        for (size, value) in sizes {
            args.extend([format!("--{size}"), value.to_string()]);
        }
        if repeats == Repeats::Once {
            args.extend(["--repeats".to_string(), "1".to_string()]);
        }
        if event_loop == Loop::Uvloop {
            args.push("--uvloop".to_string());
        }
        args
    }
}

/// How many runs of each lateness variant the report pools, as it does on
/// the Rust runtimes.
pub const LATENESS_RUNS: usize = 10;

/// How late the timers of one lateness variant fired, pooled over its runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Late {
    /// The median and maximum; `None` for a run with no sleepers.
    pub lateness: Option<Lateness>,
    /// How many fired before their deadline (counted as on time).
    pub early: usize,
}

/// One event loop's figures, as the appendix's tables show them.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// Spawn: the median time to spawn and await every task.
    pub spawn: Duration,
    /// Sleep: the median wall time, first spawn to last await.
    pub sleep: Duration,
    /// Sleep: heap bytes per sleeping task, as tracemalloc reads them.
    pub sleep_heap: f64,
    /// Ping-pong: the median time to pass every message.
    pub ping_pong: Duration,
    /// Echo: the median wall time of every round trip of every client.
    pub echo: Duration,
    /// Lateness, in [`Blocking::ALL`]'s order.
    pub lateness: [Late; 3],
}

impl Measured {
    /// How late the timers fired with `blocking`.
    pub fn late(&self, blocking: Blocking) -> Late {
        let at = Blocking::ALL
            .iter()
            .position(|&variant| variant == blocking)
            .expect("every variant is in Blocking::ALL");
        self.lateness[at]
    }
}

/// The script's name for a lateness variant.
fn variant(blocking: Blocking) -> &'static str {
    match blocking {
        Blocking::Nothing => "nothing",
        Blocking::Inline => "inline",
        Blocking::Offloaded => "offloaded",
    }
}

/// Runs one workload on `event_loop` at `scale`; checks the count that says
/// it did the work. `Ok(None)` when the interpreter is not installed.
pub fn run(
    python: &Python,
    workload: Workload,
    event_loop: Loop,
    scale: Scale,
    repeats: Repeats,
) -> Result<Option<Printed>, String> {
    let Some(printed) = python.run(&workload.args(scale, event_loop, repeats))? else {
        return Ok(None);
    };
    let runs = repeats.lateness_runs();
    let checked = match workload {
        Workload::Spawn => printed.count("spawn_right", scale.spawned_tasks),
        Workload::Sleep => printed.count("sleep_woke", scale.sleepers),
        Workload::PingPong => printed.count(
            "ping_pong_arrived",
            2 * crate::ping_pong_rounds(scale.messages),
        ),
        Workload::Echo => printed.count(
            "echo_bytes",
            scale.echo_clients * scale.echo_rounds * crate::MESSAGE_BYTES,
        ),
        Workload::Lateness => Blocking::ALL.into_iter().try_for_each(|blocking| {
            let name = format!("lateness_{}_samples", variant(blocking));
            printed.count(&name, scale.late_sleepers * runs)
        }),
    };
    checked
        .map(|()| Some(printed))
        .map_err(|error| format!("{workload:?} on {event_loop:?}: {error}"))
}

/// Every workload on `event_loop`. `Ok(None)` when the interpreter is not
/// installed.
pub fn measure(
    python: &Python,
    event_loop: Loop,
    scale: Scale,
    repeats: Repeats,
) -> Result<Option<Measured>, String> {
    let mut printed = Printed::default();
    for workload in Workload::ALL {
        match run(python, workload, event_loop, scale, repeats)? {
            Some(lines) => printed.0.extend(lines.0),
            None => return Ok(None),
        }
    }
    let late = |blocking: Blocking| -> Result<Late, String> {
        let name = |what: &str| format!("lateness_{}_{what}", variant(blocking));
        let samples = printed.number(&name("samples"))? as usize;
        let lateness = if samples == 0 {
            None
        } else {
            Some(Lateness {
                samples,
                median: printed.time(&name("median_ns"))?,
                max: printed.time(&name("max_ns"))?,
            })
        };
        let early = printed.number(&name("early"))? as usize;
        Ok(Late { lateness, early })
    };
    Ok(Some(Measured {
        spawn: printed.time("spawn_ns")?,
        sleep: printed.time("sleep_ns")?,
        sleep_heap: printed.number("sleep_heap_bytes")?,
        ping_pong: printed.time("ping_pong_ns")?,
        echo: printed.time("echo_ns")?,
        lateness: [
            late(Blocking::Nothing)?,
            late(Blocking::Inline)?,
            late(Blocking::Offloaded)?,
        ],
    }))
}

/// What the report shows of Python: the interpreter, asyncio's figures,
/// and uvloop's where it is installed.
#[derive(Debug, Clone, PartialEq)]
pub struct Asyncio {
    pub about: About,
    pub asyncio: Measured,
    pub uvloop: Option<Measured>,
}

impl Asyncio {
    /// Each event loop measured, with its row's name, asyncio first.
    pub fn rows(&self) -> Vec<(String, &Measured)> {
        let mut rows = vec![(self.about.describe(Loop::Asyncio), &self.asyncio)];
        if let Some(uvloop) = &self.uvloop {
            rows.push((self.about.describe(Loop::Uvloop), uvloop));
        }
        rows
    }
}

/// Measures asyncio, and uvloop if it is importable, on every workload.
/// `Ok(None)` when the interpreter is not installed.
pub fn measure_all(
    python: &Python,
    scale: Scale,
    repeats: Repeats,
) -> Result<Option<Asyncio>, String> {
    let Some(about) = python.about()? else {
        return Ok(None);
    };
    let Some(asyncio) = measure(python, Loop::Asyncio, scale, repeats)? else {
        return Ok(None);
    };
    let uvloop = match about.uvloop {
        Some(_) => measure(python, Loop::Uvloop, scale, repeats)?,
        None => None,
    };
    Ok(Some(Asyncio {
        about,
        asyncio,
        uvloop,
    }))
}

/// The report's one line on what was not measured, if anything was not:
/// asyncio without the interpreter, uvloop where it is not installed.
pub fn note(python: &Python, measured: Option<&Asyncio>) -> Option<String> {
    let name = python.name();
    match measured {
        None => Some(format!(
            "asyncio and uvloop were not measured in this run: `{name}` is not \
             installed."
        )),
        Some(measured) if measured.uvloop.is_none() => Some(format!(
            "uvloop was not measured in this run: it is not installed for \
             `{name}` (`just python-packages` installs it)."
        )),
        Some(_) => None,
    }
}
