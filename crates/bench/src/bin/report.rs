//! Writes the results the book includes: `crates/bench/results/appendix.md`
//! ("How fast is the hand-rolled runtime?"), `why-async.md` (tasks against
//! threads, for the introduction), and a file for each later chapter's
//! workloads (`gather-wait.md`, `blocking-offload.md`, `locks.md`), which
//! that chapter's module in `bench` writes.
//!
//! ```text
//! cargo bench -p bench                            # first: criterion's figures
//! cargo run --release -p bench --bin report       # then this
//! ```
//!
//! Times come from criterion's analysis. What criterion cannot measure, this
//! program measures itself:
//!
//! - allocations per spawned task, with a global allocator that counts;
//! - memory per sleeping task or thread, read at the moment all of them
//!   sleep: heap bytes from the same allocator, resident and reserved memory
//!   from `/proc`. Each runtime is measured in a fresh process (this program
//!   runs itself again), since memory a process has once freed still counts
//!   as resident, and would hide the cost of the next runtime measured.
//!   The same allocator counts the live blocks by size, which shows what a
//!   sleeping task is made of: a block or two of its own, and its share of
//!   the runtime's tables;
//! - timer lateness, which is not a time per iteration at all;
//! - system calls per echo round trip: this program runs itself under
//!   `strace` (see [`bench::syscalls`]); where there is no `strace`, the
//!   report says so and goes on;
//! - whether the hand-rolled loop meets its targets, each a ratio to a peer
//!   measured in the same run (see [`bench::targets`]);
//! - the same workloads on asyncio, and on uvloop where it is importable, by
//!   running `crates/bench/python/workloads.py` with `python3` (see
//!   [`bench::asyncio`]); where there is no `python3`, the report says so in
//!   one line and goes on.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use std::{env, fmt, fs};

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand};

use bench::asyncio::{self, Asyncio, Python, Repeats};
use bench::estimates::{self, BENCH_COMMAND, ECHO, PING_PONG, SLEEP, SPAWN, THREADS};
use bench::machine::{self, Memory};
use bench::markdown::{self, Table, grouped};
use bench::syscalls::{self, NotMeasured};
use bench::targets::{self, Bound, Target};
use bench::{Blocking, Census, Lateness, Runner, Runtime, Scale, threads};

// ANCHOR: counting
/// The global allocator: the system's, counting as it goes.
struct Counting;

/// How many times memory was asked for (`alloc`, `alloc_zeroed`, `realloc`).
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

/// How many bytes are allocated and not yet freed.
static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

/// Blocks allocated and not yet freed, by their size in bytes; every block
/// of `LARGEST` bytes or more counts in the last place. What a sleeping
/// task is made of shows here: a block per task, of the same size.
static LIVE_BLOCKS: Blocks = [const { AtomicU64::new(0) }; LARGEST + 1];

/// The size from which blocks are counted together.
const LARGEST: usize = 4096;

/// A count of blocks by size.
type Blocks = [AtomicU64; LARGEST + 1];

/// The count of live blocks of `size` bytes.
fn blocks_of(size: usize) -> &'static AtomicU64 {
    &LIVE_BLOCKS[size.min(LARGEST)]
}

/// The sizes of the live blocks of `LARGEST` bytes or more, one a place
/// (0 for a free place): few enough to keep each (a table that grew to
/// room for 16,384 entries is one of them). Beyond the first 64, large
/// blocks are only counted in `LIVE_BLOCKS`.
static LIVE_LARGE: Large = [const { AtomicUsize::new(0) }; 64];

/// The sizes of large blocks, one a place.
type Large = [AtomicUsize; 64];

/// Notes a block allocated.
fn allocated(size: usize) {
    ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    LIVE_BYTES.fetch_add(size, Ordering::Relaxed);
    blocks_of(size).fetch_add(1, Ordering::Relaxed);
    if size >= LARGEST {
        // Into the first free place, if there is one.
        let _ = LIVE_LARGE.iter().find(|place| {
            place
                .compare_exchange(0, size, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
        });
    }
}

/// Notes a block freed.
fn freed(size: usize) {
    LIVE_BYTES.fetch_sub(size, Ordering::Relaxed);
    blocks_of(size).fetch_sub(1, Ordering::Relaxed);
    if size >= LARGEST {
        // Blocks of one size are alike: any place that holds it will do.
        let _ = LIVE_LARGE.iter().find(|place| {
            place
                .compare_exchange(size, 0, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
        });
    }
}

// SAFETY: every method passes its arguments unchanged to `System`, which
// upholds `GlobalAlloc`'s contract; the counting around the calls touches
// only atomics (in statics) and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: our caller's promises about `layout` are `System`'s.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            allocated(layout.size());
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if !pointer.is_null() {
            allocated(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: our caller allocated `pointer` with `layout` through us,
        // that is through `System`.
        unsafe { System.dealloc(pointer, layout) };
        freed(layout.size());
    }

    unsafe fn realloc(
        &self,
        pointer: *mut u8,
        layout: Layout,
        new_size: usize,
    ) -> *mut u8 {
        // SAFETY: as for `dealloc`, and our caller's promises about
        // `new_size` are `System`'s.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            allocated(new_size);
            freed(layout.size());
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;
// ANCHOR_END: counting

/// The command line: none, to write the report. The two hidden modes are how
/// this program runs itself again, to measure what must be measured alone.
#[derive(Debug, Parser)]
#[command(
    name = "report",
    bin_name = "cargo run --release -p bench --bin report --",
    override_usage = "cargo run --release -p bench --bin report",
    about = "Writes crates/bench/results/appendix.md and why-async.md: \
             criterion's times and what this program measures itself.",
    after_help = "Run `cargo bench -p bench` first: the times are criterion's.",
    disable_help_subcommand = true,
    disable_version_flag = true
)]
struct Args {
    #[command(subcommand)]
    mode: Option<Mode>,
}

/// What a fresh process of this program is run for.
#[derive(Debug, Subcommand)]
enum Mode {
    /// Measure one runtime's sleepers (or threads') and print the figures
    #[command(long_flag = "sleep-memory", hide = true)]
    SleepMemory {
        #[arg(value_name = "RUNTIME", value_parser = sleepers())]
        who: Sleepers,
    },
    /// Run a one-connection echo of ROUNDS round trips on RUNTIME, and nothing
    /// else: what `strace` counts the system calls of
    #[command(long_flag = "echo-once", hide = true)]
    EchoOnce { runtime: Runtime, rounds: usize },
}

/// Whose sleepers `--sleep-memory` measures: a runtime's tasks, or threads.
#[derive(Debug, Clone, Copy)]
enum Sleepers {
    Tasks(Runtime),
    Threads,
}

impl fmt::Display for Sleepers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Sleepers::Tasks(runtime) => write!(f, "{runtime}"),
            Sleepers::Threads => f.write_str(THREADS),
        }
    }
}

/// `--sleep-memory`'s argument: a runtime's name, or `threads`.
fn sleepers() -> impl TypedValueParser<Value = Sleepers> {
    let names = Runtime::ALL.map(Runtime::name).into_iter().chain([THREADS]);
    PossibleValuesParser::new(names).map(|name| match name.parse() {
        Ok(runtime) => Sleepers::Tasks(runtime),
        Err(_) => Sleepers::Threads,
    })
}

/// The arguments of the hidden mode that `strace` watches.
fn echo_once_args(runtime: Runtime, rounds: usize) -> [String; 3] {
    [
        "--echo-once".into(),
        runtime.name().into(),
        rounds.to_string(),
    ]
}

/// How many times each lateness variant runs; the report pools the
/// latenesses of every run.
const LATENESS_RUNS: usize = 10;

// asyncio's lateness is pooled over as many runs, so one sentence says both.
const _: () = assert!(LATENESS_RUNS == asyncio::LATENESS_RUNS);

/// The yardstick of every ratio.
const YARDSTICK: Runtime = Runtime::TokioCurrentThread;

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(error) => {
            // `--help` too: clap prints it to stdout and exits 0; a wrong
            // argument goes to stderr and exits 2.
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    let outcome = match args.mode {
        None => report(),
        Some(Mode::SleepMemory { who }) => sleep_memory(who),
        Some(Mode::EchoOnce { runtime, rounds }) => echo_once(runtime, rounds),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Reads, measures, and writes both files.
fn report() -> Result<(), String> {
    if cfg!(debug_assertions) {
        eprintln!("warning: an unoptimised build; the figures need `--release`");
    }
    let medians = Medians::read()?;
    let figures = Figures {
        medians,
        allocations: measure_allocations()?,
        memory: measure_memory()?,
        lateness: measure_lateness()?,
        syscalls: measure_syscalls(),
        asyncio: measure_asyncio()?,
    };
    let results = Path::new(env!("CARGO_MANIFEST_DIR")).join("results");
    fs::create_dir_all(&results)
        .map_err(|error| format!("cannot create {}: {error}", results.display()))?;
    let measured_on = machine::description();
    write(
        &results.join("appendix.md"),
        &appendix(&figures, &measured_on),
    )?;
    write(
        &results.join("why-async.md"),
        &why_async(&figures, &measured_on),
    )?;
    // The later chapters' workloads: each chapter's module writes its own
    // section, from the same criterion run.
    let criterion = estimates::criterion_dir();
    type Section = fn(&Path) -> Result<String, String>;
    let chapters: [(&str, Section); 4] = [
        ("gather-wait.md", bench::gather_wait::section),
        ("blocking-offload.md", bench::blocking_offload::section),
        ("locks.md", bench::locks::section),
        ("chat-server.md", bench::chat_server::section),
    ];
    for (file, section) in chapters {
        write(&results.join(file), &section(&criterion)?)?;
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text)
        .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

/// Criterion's median time per iteration of every benchmark.
struct Medians(BTreeMap<(&'static str, &'static str), Duration>);

impl Medians {
    /// Reads them all; if any is missing, says which, and how to make them.
    fn read() -> Result<Medians, String> {
        let dir = estimates::criterion_dir();
        let runtimes = Runtime::ALL.map(Runtime::name);
        let wanted = [SPAWN, SLEEP, PING_PONG, ECHO]
            .into_iter()
            .flat_map(|group| runtimes.into_iter().map(move |id| (group, id)))
            .chain([(SLEEP, THREADS)]);
        let mut medians = BTreeMap::new();
        let mut missing = Vec::new();
        for (group, id) in wanted {
            match estimates::median(&dir, group, id) {
                Ok(median) => {
                    medians.insert((group, id), median);
                }
                Err(error) => missing.push(error.to_string()),
            }
        }
        if medians.is_empty() {
            Err(format!(
                "no criterion results in {}: run `{BENCH_COMMAND}` first",
                dir.display()
            ))
        } else if missing.is_empty() {
            Ok(Medians(medians))
        } else {
            Err(missing.join("\nerror: "))
        }
    }

    fn get(&self, group: &'static str, id: &'static str) -> Duration {
        // `read` fails unless every (group, id) the report asks for is here.
        self.0[&(group, id)]
    }
}

/// Everything the two files show.
struct Figures {
    medians: Medians,
    /// Allocations per spawned task, by runtime.
    allocations: BTreeMap<&'static str, f64>,
    /// Memory of the sleepers, by runtime name or `threads`.
    memory: BTreeMap<&'static str, SleepMemory>,
    /// Lateness, by runtime and variant.
    lateness: BTreeMap<(&'static str, &'static str), Lateness>,
    /// System calls per echo round trip, by runtime and by call; or why
    /// they were not counted.
    syscalls: Result<BTreeMap<&'static str, PerTrip>, NotMeasured>,
    /// The same workloads on asyncio and uvloop; `None` without `python3`.
    asyncio: Option<Asyncio>,
}

/// System calls per round trip, by name.
type PerTrip = BTreeMap<String, f64>;

// ANCHOR: allocations
/// Allocations per spawned task: the spawn workload runs once to let each
/// runtime's queues grow to size, then once counted.
fn measure_allocations() -> Result<BTreeMap<&'static str, f64>, String> {
    let tasks = Scale::FULL.spawned_tasks;
    let mut allocations = BTreeMap::new();
    for runtime in Runtime::ALL {
        eprintln!("counting allocations on {runtime}");
        let runner = build(runtime)?;
        runner.spawn_and_join(tasks);
        let before = ALLOCATIONS.load(Ordering::SeqCst);
        let right = runner.spawn_and_join(tasks);
        let counted = ALLOCATIONS.load(Ordering::SeqCst) - before;
        if right != tasks {
            return Err(format!("{runtime}: {right} of {tasks} handles were right"));
        }
        allocations.insert(runtime.name(), counted as f64 / tasks as f64);
    }
    Ok(allocations)
}
// ANCHOR_END: allocations

fn build(runtime: Runtime) -> Result<Runner, String> {
    Runner::new(runtime).map_err(|error| format!("cannot build {runtime}: {error}"))
}

/// The memory sleepers use, per sleeper.
#[derive(Debug, Clone)]
struct SleepMemory {
    /// How many were asleep when it was read.
    asleep: usize,
    /// Heap bytes per sleeper (the allocations a task or a thread holds).
    heap: f64,
    /// Resident bytes per sleeper asleep at the moment of reading.
    resident: Option<f64>,
    /// Reserved address space per sleeper asleep at the moment of reading.
    reserved: Option<f64>,
    /// The blocks each sleeper holds of its own: the sizes of which about
    /// one block per sleeper (or two, or more) was live at the moment of
    /// reading, beyond the baseline, with how many per sleeper.
    blocks: Vec<(usize, f64)>,
    /// The large blocks (tables, mostly) live then beyond the baseline,
    /// largest first: their sizes in bytes, not per sleeper.
    large: Vec<usize>,
}

impl SleepMemory {
    /// The heap per sleeper that is not in blocks of its own: its share of
    /// the runtime's tables (and of the benchmark's list of handles).
    fn shared(&self) -> f64 {
        let own: f64 = self
            .blocks
            .iter()
            .map(|&(size, per_sleeper)| size as f64 * per_sleeper)
            .sum();
        self.heap - own
    }
}

/// Runs this program again for each runtime, and for threads, to measure
/// its sleepers' memory in a fresh process.
fn measure_memory() -> Result<BTreeMap<&'static str, SleepMemory>, String> {
    let me =
        env::current_exe().map_err(|error| format!("cannot find myself: {error}"))?;
    let mut memory = BTreeMap::new();
    for who in Runtime::ALL.map(Runtime::name).into_iter().chain([THREADS]) {
        eprintln!("measuring the memory of sleepers on {who}");
        let output = Command::new(&me)
            .args(["--sleep-memory", who])
            .output()
            .map_err(|error| format!("cannot run {}: {error}", me.display()))?;
        if !output.status.success() {
            return Err(format!(
                "measuring {who}'s sleepers failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        let line = String::from_utf8_lossy(&output.stdout);
        let figures = parse_sleep_memory(&line)
            .ok_or_else(|| format!("measuring {who}'s sleepers printed {line:?}"))?;
        memory.insert(who, figures);
    }
    Ok(memory)
}

/// Reads the line [`sleep_memory`] prints.
fn parse_sleep_memory(line: &str) -> Option<SleepMemory> {
    let mut fields = BTreeMap::new();
    for field in line.split_whitespace() {
        let (key, value) = field.split_once('=')?;
        fields.insert(key, value);
    }
    let number = |key: &str| fields.get(key)?.parse::<f64>().ok();
    let mut blocks = Vec::new();
    for block in fields.get("blocks")?.split(',').filter(|b| *b != "none") {
        let (size, per_sleeper) = block.split_once('x')?;
        blocks.push((size.parse().ok()?, per_sleeper.parse().ok()?));
    }
    let mut large = Vec::new();
    for size in fields.get("large")?.split(',').filter(|b| *b != "none") {
        large.push(size.parse().ok()?);
    }
    Some(SleepMemory {
        asleep: fields.get("asleep")?.parse().ok()?,
        heap: number("heap")?,
        resident: number("resident"),
        reserved: number("reserved"),
        blocks,
        large,
    })
}

// ANCHOR: sleep_memory
/// What the probe saw, at the moment the last sleeper went to sleep.
struct Seen {
    heap: usize,
    memory: Option<Memory>,
}

static SEEN: OnceLock<Seen> = OnceLock::new();

/// The live blocks by size at the baseline and at the probe: statics, since
/// a copy on the heap would count in what it counts.
static BLOCKS_BEFORE: Blocks = [const { AtomicU64::new(0) }; LARGEST + 1];
static BLOCKS_SEEN: Blocks = [const { AtomicU64::new(0) }; LARGEST + 1];
static LARGE_BEFORE: Large = [const { AtomicUsize::new(0) }; 64];
static LARGE_SEEN: Large = [const { AtomicUsize::new(0) }; 64];

/// Copies the live blocks by size, and the large ones, into `blocks` and
/// `large`.
fn copy_blocks(blocks: &Blocks, large: &Large) {
    for (live, copy) in LIVE_BLOCKS.iter().zip(blocks) {
        copy.store(live.load(Ordering::SeqCst), Ordering::SeqCst);
    }
    for (live, copy) in LIVE_LARGE.iter().zip(large) {
        copy.store(live.load(Ordering::SeqCst), Ordering::SeqCst);
    }
}

/// The probe: reads the heap first, since reading `/proc` allocates.
fn probe() {
    let heap = LIVE_BYTES.load(Ordering::SeqCst);
    copy_blocks(&BLOCKS_SEEN, &LARGE_SEEN);
    let memory = machine::memory();
    let _ = SEEN.set(Seen { heap, memory });
}

/// The large blocks live at the probe and not at the baseline, largest
/// first, as `SIZE,...` (`none` if none). Only those of a byte per sleeper
/// or more: a smaller one is no part of what a sleeper costs.
fn new_large_blocks(sleepers: usize) -> String {
    let sizes = |large: &Large| -> Vec<usize> {
        let mut sizes: Vec<usize> = large
            .iter()
            .map(|place| place.load(Ordering::SeqCst))
            .filter(|&size| size > 0)
            .collect();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        sizes
    };
    let mut seen = sizes(&LARGE_SEEN);
    for before in sizes(&LARGE_BEFORE) {
        if let Some(at) = seen.iter().position(|&size| size == before) {
            seen.remove(at);
        }
    }
    let new: Vec<String> = seen
        .into_iter()
        .filter(|&size| size >= sleepers)
        .map(|size| size.to_string())
        .collect();
    if new.is_empty() {
        "none".to_string()
    } else {
        new.join(",")
    }
}

/// The sizes of which at least one block per two sleepers was live at the
/// probe beyond the baseline, as `SIZExPER,...` (`none` if none).
fn own_blocks(sleepers: usize) -> String {
    let own: Vec<String> = BLOCKS_SEEN
        .iter()
        .zip(&BLOCKS_BEFORE)
        .enumerate()
        .filter_map(|(size, (seen, before))| {
            let added = seen.load(Ordering::SeqCst) as i64
                - before.load(Ordering::SeqCst) as i64;
            let per_sleeper = added as f64 / sleepers as f64;
            (per_sleeper >= 0.5 && size < LARGEST)
                .then(|| format!("{size}x{per_sleeper}"))
        })
        .collect();
    if own.is_empty() {
        "none".to_string()
    } else {
        own.join(",")
    }
}

/// In the fresh process: `who`'s sleepers, all asleep at once, and what
/// they add to the heap and to the process's memory, per sleeper, printed
/// as `asleep=N heap=B resident=B reserved=B blocks=SIZExPER,...
/// large=SIZE,...` (`n/a` where `/proc` is missing).
fn sleep_memory(who: Sleepers) -> Result<(), String> {
    let Scale {
        sleepers, sleep, ..
    } = Scale::FULL;
    let runner = match who {
        Sleepers::Threads => None,
        Sleepers::Tasks(runtime) => Some(build(runtime)?),
    };
    let run = |census: &Arc<Census>, sleepers, sleep| match &runner {
        Some(runner) => Ok(runner.sleep_all(census, sleepers, sleep)),
        // Together: the memory of threads that all exist at once.
        None => threads::sleep_all_together(census, sleepers, sleep)
            .map_err(|error| error.to_string()),
    };
    // A few sleepers first, so the runtime's threads and timers exist
    // before the baseline: they are not what a sleeper costs.
    run(&Arc::new(Census::new(10)), 10, Duration::from_millis(1))?;
    copy_blocks(&BLOCKS_BEFORE, &LARGE_BEFORE);
    let heap_before = LIVE_BYTES.load(Ordering::SeqCst);
    let before = machine::memory();
    let census = Arc::new(Census::with_probe(sleepers, probe));
    let woke = run(&census, sleepers, sleep)?;
    if woke != sleepers {
        return Err(format!("{who}: {woke} of {sleepers} sleepers woke"));
    }
    let seen = SEEN.get().ok_or("the probe never ran")?;
    let asleep = census.asleep_at_probe().max(1);
    let per_sleeper = |after: u64, before: u64| {
        format!("{}", after.saturating_sub(before) as f64 / asleep as f64)
    };
    let (resident, reserved) = match (seen.memory, before) {
        (Some(after), Some(before)) => (
            per_sleeper(after.resident, before.resident),
            per_sleeper(after.reserved, before.reserved),
        ),
        _ => ("n/a".to_string(), "n/a".to_string()),
    };
    let heap = seen.heap.saturating_sub(heap_before) as f64 / sleepers as f64;
    let blocks = own_blocks(sleepers);
    let large = new_large_blocks(sleepers);
    println!(
        "asleep={asleep} heap={heap} resident={resident} reserved={reserved} \
         blocks={blocks} large={large}"
    );
    Ok(())
}
// ANCHOR_END: sleep_memory

// ANCHOR: syscalls
/// Counts the system calls of a one-connection echo on every runtime: this
/// program runs itself under `strace` with [`syscalls::ROUNDS`] round trips
/// and with none, and the difference is what the round trips cost.
fn measure_syscalls() -> Result<BTreeMap<&'static str, PerTrip>, NotMeasured> {
    let me = env::current_exe()
        .map_err(|error| NotMeasured(format!("cannot find myself: {error}")))?;
    let rounds = syscalls::ROUNDS;
    let mut per_trip = BTreeMap::new();
    for runtime in Runtime::ALL {
        eprintln!("counting the system calls of an echo on {runtime}");
        let count = |rounds: usize| {
            let summary = env::temp_dir().join(format!(
                "bench-syscalls-{}-{runtime}-{rounds}.txt",
                std::process::id()
            ));
            let args = echo_once_args(runtime, rounds);
            let args = args.each_ref().map(String::as_str);
            let counted = syscalls::count(&me, &args, &summary);
            let _ = fs::remove_file(&summary);
            counted
        };
        let (with, without) = (count(rounds)?, count(0)?);
        per_trip.insert(
            runtime.name(),
            syscalls::per_round_trip(&with, &without, rounds),
        );
    }
    Ok(per_trip)
}

/// In the process `strace` watches: one client, one connection, `rounds`
/// round trips on `who`, the runtime built first.
fn echo_once(runtime: Runtime, rounds: usize) -> Result<(), String> {
    let runner = build(runtime)?;
    let echoed = runner
        .echo(1, rounds)
        .map_err(|error| format!("the echo on {runtime} failed: {error}"))?;
    let sent = rounds * bench::MESSAGE_BYTES;
    if echoed != sent {
        return Err(format!("{runtime}: {echoed} of {sent} bytes came back"));
    }
    Ok(())
}
// ANCHOR_END: syscalls

/// Every lateness variant on every runtime, each pooled over a few runs.
fn measure_lateness() -> Result<BTreeMap<(&'static str, &'static str), Lateness>, String>
{
    let scale = Scale::FULL;
    let mut lateness = BTreeMap::new();
    for runtime in Runtime::ALL {
        eprintln!("measuring timer lateness on {runtime}");
        let runner = build(runtime)?;
        // A first run starts what starts lazily (async-std's threads).
        runner.lateness(10, scale.late_sleep, scale.block, Blocking::Nothing);
        for blocking in Blocking::ALL {
            let mut samples = Vec::new();
            for _ in 0..LATENESS_RUNS {
                samples.extend(runner.lateness(
                    scale.late_sleepers,
                    scale.late_sleep,
                    scale.block,
                    blocking,
                ));
            }
            let summary = Lateness::of(&samples)
                .ok_or_else(|| format!("{runtime}: no sleeper woke ({blocking:?})"))?;
            lateness.insert((runtime.name(), blocking.describe()), summary);
        }
    }
    Ok(lateness)
}

// ANCHOR: measure_asyncio
/// The five workloads on asyncio, and on uvloop where it is importable, at
/// the same scale; `None` where `python3` is not installed.
fn measure_asyncio() -> Result<Option<Asyncio>, String> {
    eprintln!("measuring the workloads on asyncio (and uvloop) with python3");
    let measured =
        asyncio::measure_all(&Python::default(), Scale::FULL, Repeats::Report)?;
    if measured.is_none() {
        eprintln!("python3 is not installed: asyncio is not measured");
    }
    Ok(measured)
}
// ANCHOR_END: measure_asyncio

/// The rows of asyncio and uvloop, each named, in a table's order: none
/// where Python was not measured.
fn python_rows(figures: &Figures) -> Vec<(String, &asyncio::Measured)> {
    figures
        .asyncio
        .as_ref()
        .map(Asyncio::rows)
        .unwrap_or_default()
}

/// `sentence` on a line of its own under a table, where the table has rows
/// for asyncio and uvloop; nothing where it has none.
fn under_python(figures: &Figures, sentence: &str) -> String {
    if python_rows(figures).is_empty() {
        String::new()
    } else {
        format!("\n{sentence}\n")
    }
}

/// What differs in Python's lateness workload, and how many of its timers
/// fired early (an early timer counts as on time, as on every runtime).
fn python_lateness(figures: &Figures, scale: Scale) -> String {
    let rows = python_rows(figures);
    if rows.is_empty() {
        return String::new();
    }
    let block = seconds(scale.block);
    let mut text = format!(
        "\nOn asyncio and uvloop the blocking call is `time.sleep({block})` inline, \
         and `asyncio.to_thread(time.sleep, {block})` offloaded; each sleeper is an \
         `asyncio.sleep` to its deadline. asyncio's selector waits in whole \
         milliseconds, rounded up (`EpollSelector.select` in CPython 3.11's \
         `selectors.py`), as tokio does; uvloop rounds each delay to the \
         nearest millisecond (`call_later` in uvloop's `loop.pyx`) and libuv \
         keeps the loop's time in whole milliseconds, so some of its timers \
         fire early."
    );
    let early: Vec<String> = rows
        .iter()
        .flat_map(|(name, python)| {
            Blocking::ALL.into_iter().filter_map(move |blocking| {
                let late = python.late(blocking);
                let samples = late.lateness.map_or(0, |late| late.samples);
                (late.early > 0).then(|| {
                    format!(
                        "{name}, {}: {} of {}",
                        blocking.describe(),
                        late.early,
                        grouped(samples as u64)
                    )
                })
            })
        })
        .collect();
    if early.is_empty() {
        text.push_str(" In this run none did.\n");
    } else {
        let _ = writeln!(
            text,
            " Timers that fired early in this run, counted as on time: {}.",
            early.join("; ")
        );
    }
    text
}

/// A duration as Python writes it in a listing: `0.2`.
fn seconds(time: Duration) -> String {
    format!("{}", time.as_secs_f64())
}

/// A round duration as a sentence says it: `100 ms`.
fn prose(time: Duration) -> String {
    format!("{} ms", time.as_millis())
}

/// A time as a multiple of the yardstick's: above 1 is slower.
fn time_ratio(time: Duration, yardstick: Duration) -> String {
    markdown::ratio(time.as_secs_f64() / yardstick.as_secs_f64())
}

/// A throughput as a multiple of the yardstick's: above 1 is faster.
fn throughput_ratio(time: Duration, yardstick: Duration) -> f64 {
    yardstick.as_secs_f64() / time.as_secs_f64()
}

/// `appendix.md`: one table per workload, what a sleeping task is made of,
/// the system calls of a round trip, then the targets.
fn appendix(figures: &Figures, measured_on: &str) -> String {
    let scale = Scale::FULL;
    let medians = &figures.medians;
    let mut text = format!(
        "Measured on {measured_on}. Times are the medians of criterion's samples \
         (`{BENCH_COMMAND}`, then `cargo run --release -p bench --bin report`); \
         each ratio in the workloads' tables compares with tokio's \
         current-thread runtime, and each target names its own peer."
    );
    if figures.asyncio.is_some() {
        text.push_str(
            " The asyncio and uvloop rows are the same workloads in Python \
             (`crates/bench/python/workloads.py`), which this program runs with \
             `python3`: each time is the median of the script's own few runs.",
        );
    }
    text.push_str("\n\n");
    if let Some(note) = asyncio::note(&Python::default(), figures.asyncio.as_ref()) {
        let _ = writeln!(text, "{note}\n");
    }

    let tasks = scale.spawned_tasks;
    let _ = writeln!(
        text,
        "**Spawn.** {} trivial tasks spawned, then every handle awaited; \
         time and allocations per task.\n",
        grouped(tasks as u64)
    );
    let yardstick = medians.get(SPAWN, YARDSTICK.name());
    let mut table = Table::new(&[
        "runtime",
        "time per task",
        "allocations per task",
        "time ÷ tokio current-thread",
    ]);
    for runtime in Runtime::ALL {
        let time = medians.get(SPAWN, runtime.name());
        table.row(vec![
            runtime.describe().to_string(),
            markdown::duration(time / tasks as u32),
            format!("{:.2}", figures.allocations[runtime.name()]),
            time_ratio(time, yardstick),
        ]);
    }
    for (name, python) in python_rows(figures) {
        table.row(vec![
            name,
            markdown::duration(python.spawn / tasks as u32),
            "—".to_string(),
            time_ratio(python.spawn, yardstick),
        ]);
    }
    text.push_str(&table.render());
    text.push_str(&under_python(
        figures,
        "On asyncio and uvloop each task is `asyncio.create_task` of a coroutine \
         that returns its number, awaited in order; Python does not count its \
         allocations, hence the dashes.",
    ));

    let _ = writeln!(
        text,
        "\n**Sleep.** {} tasks sleep {} at once; the wall time from the first \
         spawn to the last handle. The comparison with threads is in the \
         introduction.\n",
        grouped(scale.sleepers as u64),
        prose(scale.sleep)
    );
    let yardstick = medians.get(SLEEP, YARDSTICK.name());
    let mut table = Table::new(&[
        "runtime",
        "wall time",
        "heap per task",
        "time ÷ tokio current-thread",
    ]);
    for runtime in Runtime::ALL {
        let time = medians.get(SLEEP, runtime.name());
        table.row(vec![
            runtime.describe().to_string(),
            markdown::duration(time),
            markdown::bytes(figures.memory[runtime.name()].heap),
            time_ratio(time, yardstick),
        ]);
    }
    for (name, python) in python_rows(figures) {
        table.row(vec![
            name,
            markdown::duration(python.sleep),
            markdown::bytes(python.sleep_heap),
            time_ratio(python.sleep, yardstick),
        ]);
    }
    text.push_str(&table.render());
    text.push_str(&under_python(
        figures,
        "On asyncio and uvloop each sleeper is a task in `asyncio.sleep`; its \
         heap is what `tracemalloc` sees Python's allocators hand out (uvloop's \
         libuv timers included), read as for the Rust runtimes: when the last \
         sleeper goes to sleep, less what was live before.",
    ));

    text.push_str(&sleeping_task_heap(figures));
    text.push_str(&sizes());

    let messages = 2 * bench::ping_pong_rounds(scale.messages);
    let _ = writeln!(
        text,
        "\n**Ping-pong.** Two tasks pass {} messages ({} each way) over two \
         `async_channel::bounded(1)` channels, the same channel on every runtime.\n",
        grouped(messages as u64),
        grouped(messages as u64 / 2)
    );
    let yardstick = medians.get(PING_PONG, YARDSTICK.name());
    let mut table = Table::new(&[
        "runtime",
        "messages per second",
        "time per message",
        "throughput ÷ tokio current-thread",
    ]);
    for runtime in Runtime::ALL {
        let time = medians.get(PING_PONG, runtime.name());
        table.row(vec![
            runtime.describe().to_string(),
            markdown::rate(messages as f64 / time.as_secs_f64()),
            markdown::duration(time / messages as u32),
            markdown::ratio(throughput_ratio(time, yardstick)),
        ]);
    }
    for (name, python) in python_rows(figures) {
        let time = python.ping_pong;
        table.row(vec![
            name,
            markdown::rate(messages as f64 / time.as_secs_f64()),
            markdown::duration(time / messages as u32),
            markdown::ratio(throughput_ratio(time, yardstick)),
        ]);
    }
    text.push_str(&table.render());
    text.push_str(&under_python(
        figures,
        "On asyncio and uvloop the two tasks pass as many messages over two \
         `asyncio.Queue(maxsize=1)`, and a last `None` stands for closing the \
         channel (an asyncio queue cannot be closed before Python 3.13).",
    ));

    let trips = scale.echo_clients * scale.echo_rounds;
    let _ = writeln!(
        text,
        "\n**Echo.** {} loopback TCP clients at once, {} round trips of {} bytes \
         each, to a server with one task per connection.\n",
        grouped(scale.echo_clients as u64),
        scale.echo_rounds,
        bench::MESSAGE_BYTES
    );
    let yardstick = medians.get(ECHO, YARDSTICK.name());
    let mut table = Table::new(&[
        "runtime",
        "round trips per second",
        "wall time",
        "throughput ÷ tokio current-thread",
    ]);
    for runtime in Runtime::ALL {
        let time = medians.get(ECHO, runtime.name());
        table.row(vec![
            runtime.describe().to_string(),
            markdown::rate(trips as f64 / time.as_secs_f64()),
            markdown::duration(time),
            markdown::ratio(throughput_ratio(time, yardstick)),
        ]);
    }
    for (name, python) in python_rows(figures) {
        let time = python.echo;
        table.row(vec![
            name,
            markdown::rate(trips as f64 / time.as_secs_f64()),
            markdown::duration(time),
            markdown::ratio(throughput_ratio(time, yardstick)),
        ]);
    }
    text.push_str(&table.render());
    text.push_str(&under_python(
        figures,
        "On asyncio and uvloop the server and the clients use asyncio's streams \
         (`start_server`, whose callback is a task per connection, and \
         `open_connection`), with the same tickets in an \
         `asyncio.Queue(maxsize=64)`.",
    ));

    text.push_str(&system_calls(&figures.syscalls));

    let _ = writeln!(
        text,
        "\n**Timer lateness.** {} tasks sleep {} while another task blocks for {}, \
         inline or offloaded to a thread, or nothing blocks; how late the timers \
         fired, median / maximum over {LATENESS_RUNS} runs. tokio counts time in \
         whole milliseconds and rounds a deadline up, so its timers fire about a \
         millisecond late even when nothing blocks; smol's, like the hand-rolled \
         loop's, end at the deadline itself (both wait on a timer descriptor of \
         the `polling` crate), so the target compares with smol's.\n",
        scale.late_sleepers,
        prose(scale.late_sleep),
        prose(scale.block)
    );
    let header: Vec<&str> = ["runtime"]
        .into_iter()
        .chain(Blocking::ALL.map(Blocking::describe))
        .collect();
    let mut table = Table::new(&header);
    for runtime in Runtime::ALL {
        let mut row = vec![runtime.describe().to_string()];
        for blocking in Blocking::ALL {
            let late = figures.lateness[&(runtime.name(), blocking.describe())];
            row.push(format!(
                "{} / {}",
                markdown::millis(late.median),
                markdown::millis(late.max)
            ));
        }
        table.row(row);
    }
    for (name, python) in python_rows(figures) {
        let mut row = vec![name];
        for blocking in Blocking::ALL {
            row.push(match python.late(blocking).lateness {
                Some(late) => format!(
                    "{} / {}",
                    markdown::millis(late.median),
                    markdown::millis(late.max)
                ),
                None => "—".to_string(),
            });
        }
        table.row(row);
    }
    text.push_str(&table.render());
    text.push_str(&python_lateness(figures, scale));

    text.push_str(
        "\n**Targets for the hand-rolled loop.** Each is a ratio to a peer \
         measured in this same run; met or missed is worked out from the \
         figures above.\n\n",
    );
    text.push_str(&targets::table(&targets(figures)).render());
    text
}

// ANCHOR: heap
/// Where a sleeping task's heap goes, on each runtime: the blocks it has of
/// its own, and its share of the rest (the runtime's tables, the list of
/// handles). Then the hand-rolled loop's rest, block by block.
fn sleeping_task_heap(figures: &Figures) -> String {
    let mut text = String::from(
        "\n**Where a sleeping task's heap goes.** The same sleepers, in the \
         process of their own where the heap above was measured: the blocks \
         allocated once per task and still live while all of them sleep, by \
         size; the rest of the heap per task is its share of the runtime's \
         tables and of the benchmark's list of handles.\n\n",
    );
    let mut table =
        Table::new(&["runtime", "heap per task", "blocks of its own", "the rest"]);
    for runtime in Runtime::ALL {
        let memory = &figures.memory[runtime.name()];
        let blocks: Vec<String> = memory
            .blocks
            .iter()
            .map(|&(size, per_task)| {
                let count = per_task.round();
                if count > 1.0 {
                    format!("{count:.0} × {}", markdown::bytes(size as f64))
                } else {
                    markdown::bytes(size as f64)
                }
            })
            .collect();
        let blocks = if blocks.is_empty() {
            "none".to_string()
        } else {
            blocks.join(" + ")
        };
        table.row(vec![
            runtime.describe().to_string(),
            markdown::bytes(memory.heap),
            blocks,
            markdown::bytes(memory.shared()),
        ]);
    }
    text.push_str(&table.render());

    let hand = &figures.memory[Runtime::Hand.name()];
    let sleepers = Scale::FULL.sleepers as f64;
    let large: Vec<String> = hand
        .large
        .iter()
        .map(|&size| {
            format!(
                "{}, {} per task",
                markdown::bytes(size as f64),
                markdown::bytes(size as f64 / sleepers)
            )
        })
        .collect();
    let in_large = hand.large.iter().sum::<usize>() as f64 / sleepers;
    let _ = writeln!(
        text,
        "\nThe hand-rolled loop's rest, per task: {} in {} blocks of {} or more \
         ({}), and {} in smaller blocks, each size fewer than one block for \
         every two tasks.",
        markdown::bytes(in_large),
        hand.large.len(),
        markdown::bytes(LARGEST as f64),
        if large.is_empty() {
            "none".to_string()
        } else {
            large.join("; ")
        },
        markdown::bytes(hand.shared() - in_large)
    );
    text
}
// ANCHOR_END: heap

// ANCHOR: sizes
/// The sizes the compiler gives the types a sleeping task is made of.
fn sizes() -> String {
    use std::mem::size_of;
    let mut text = String::from(
        "\n**Sizes.** What `std::mem::size_of` says, in this build, of types a \
         task holds.\n\n",
    );
    let mut table = Table::new(&["type", "size"]);
    let rows = [
        ("`std::task::Waker`", size_of::<std::task::Waker>()),
        ("`Option<Box<str>>`", size_of::<Option<Box<str>>>()),
        ("`std::time::Instant`", size_of::<std::time::Instant>()),
        (
            "hand-rolled `JoinError`",
            size_of::<event_loop::hand::JoinError>(),
        ),
        (
            "hand-rolled `JoinHandle<()>`",
            size_of::<event_loop::hand::JoinHandle<()>>(),
        ),
        (
            "tokio's `JoinHandle<()>`",
            size_of::<tokio::task::JoinHandle<()>>(),
        ),
        ("hand-rolled `Sleep`", size_of::<event_loop::hand::Sleep>()),
        ("tokio's `Sleep`", size_of::<tokio::time::Sleep>()),
        ("smol's `Timer`", size_of::<smol::Timer>()),
    ];
    for (name, size) in rows {
        table.row(vec![name.to_string(), markdown::bytes(size as f64)]);
    }
    // The loop's own parts, which only it can name.
    for (name, size) in event_loop::hand::part_sizes() {
        let name = format!("hand-rolled {name}");
        table.row(vec![name, markdown::bytes(size as f64)]);
    }
    text.push_str(&table.render());
    text
}
// ANCHOR_END: sizes

/// The system calls of one round trip on one connection, by runtime, and
/// the single-threaded runtimes' calls by name.
fn system_calls(
    syscalls: &Result<BTreeMap<&'static str, PerTrip>, NotMeasured>,
) -> String {
    let mut text = format!(
        "\n**System calls per round trip.** One client and the server's task \
         for it, on one connection, {} round trips of {} bytes, counted by \
         `strace -f -c` (every thread), less a run with no round trips.",
        grouped(syscalls::ROUNDS as u64),
        bench::MESSAGE_BYTES
    );
    let per_trip = match syscalls {
        Ok(per_trip) => per_trip,
        Err(why) => {
            let _ = writeln!(text, " Not measured in this run: {why}.");
            return text;
        }
    };
    text.push_str("\n\n");
    let total = |runtime: Runtime| per_trip[runtime.name()].values().sum::<f64>();
    let yardstick = total(YARDSTICK);
    let mut table = Table::new(&["runtime", "system calls", "÷ tokio current-thread"]);
    for runtime in Runtime::ALL {
        table.row(vec![
            runtime.describe().to_string(),
            format!("{:.2}", total(runtime)),
            markdown::ratio(total(runtime) / yardstick),
        ]);
    }
    text.push_str(&table.render());

    let shown = [Runtime::Hand, Runtime::TokioCurrentThread, Runtime::Smol];
    let _ = writeln!(
        text,
        "\nBy call, on the single-threaded runtimes (calls made less than once \
         per hundred round trips left out):\n"
    );
    let header: Vec<&str> = ["system call"]
        .into_iter()
        .chain(shown.map(Runtime::describe))
        .collect();
    let mut table = Table::new(&header);
    let mut names: Vec<&String> = shown
        .iter()
        .flat_map(|runtime| per_trip[runtime.name()].keys())
        .collect();
    names.sort_unstable();
    names.dedup();
    let made = |runtime: Runtime, name: &str| {
        per_trip[runtime.name()].get(name).copied().unwrap_or(0.0)
    };
    // Most made first, on the hand-rolled loop, then on the others.
    names.sort_by(|a, b| {
        let key = |name: &str| shown.map(|runtime| made(runtime, name));
        let (a_made, b_made) = (key(a), key(b));
        b_made
            .iter()
            .zip(&a_made)
            .map(|(b, a)| b.total_cmp(a))
            .find(|order| order.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    for name in names {
        if shown
            .iter()
            .all(|&runtime| made(runtime, name).abs() < 0.01)
        {
            continue;
        }
        let mut row = vec![format!("`{name}`")];
        row.extend(shown.map(|runtime| format!("{:.2}", made(runtime, name))));
        table.row(row);
    }
    text.push_str(&table.render());
    text
}

/// The hand-rolled loop's targets, each a ratio to a peer of this run.
fn targets(figures: &Figures) -> Vec<Target> {
    let scale = Scale::FULL;
    let medians = &figures.medians;
    let (hand, tokio) = (Runtime::Hand.name(), YARDSTICK.name());
    let tokio_s = format!("{}'s", YARDSTICK.describe());
    let mut targets = Vec::new();

    let per_task = |id| medians.get(SPAWN, id) / scale.spawned_tasks as u32;
    let (mine, theirs) = (per_task(hand), per_task(tokio));
    targets.push(Target {
        what: "time per spawned task".to_string(),
        peer: tokio_s.clone(),
        figures: (markdown::duration(mine), markdown::duration(theirs)),
        ratio: mine.as_secs_f64() / theirs.as_secs_f64(),
        bound: Bound::AtMost(1.0),
    });

    let trips = (scale.echo_clients * scale.echo_rounds) as f64;
    let messages = 2.0 * bench::ping_pong_rounds(scale.messages) as f64;
    for (group, what, count) in [
        (PING_PONG, "ping-pong throughput", messages),
        (ECHO, "echo throughput", trips),
    ] {
        let (mine, theirs) = (medians.get(group, hand), medians.get(group, tokio));
        targets.push(Target {
            what: what.to_string(),
            peer: tokio_s.clone(),
            figures: (
                markdown::rate(count / mine.as_secs_f64()),
                markdown::rate(count / theirs.as_secs_f64()),
            ),
            ratio: throughput_ratio(mine, theirs),
            bound: Bound::AtLeast(0.9),
        });
    }

    // The sleep is most of the wall time: 1.05× leaves the loop's own work
    // around it (the spawns, the timers) a few milliseconds more than the
    // fastest peer's, no more. Against the fastest, not tokio's: tokio
    // rounds every deadline up to the next millisecond.
    let wall = |id| medians.get(SLEEP, id).as_secs_f64();
    let others = Runtime::ALL
        .into_iter()
        .filter(|&runtime| runtime != Runtime::Hand)
        .map(|runtime| (runtime.name(), wall(runtime.name())));
    let (fastest, theirs) = targets::lowest(others).expect("four other runtimes");
    targets.push(Target {
        what: "sleep wall time".to_string(),
        peer: format!("the fastest other's ({fastest})"),
        figures: (
            markdown::duration(Duration::from_secs_f64(wall(hand))),
            markdown::duration(Duration::from_secs_f64(theirs)),
        ),
        ratio: wall(hand) / theirs,
        bound: Bound::AtMost(1.05),
    });

    let (mine, theirs) = (figures.memory[hand].heap, figures.memory[tokio].heap);
    targets.push(Target {
        what: "heap per sleeping task".to_string(),
        peer: tokio_s,
        figures: (markdown::bytes(mine), markdown::bytes(theirs)),
        ratio: mine / theirs,
        bound: Bound::AtMost(1.0),
    });

    // Both timers end at the deadline, through the same timer descriptor;
    // what differs is the loop's work between the wake and the poll.
    // Latenesses are a tenth of a millisecond: 1.5× allows for the noise of
    // a shared machine, and no more.
    let idle = |id| figures.lateness[&(id, Blocking::Nothing.describe())].median;
    let (mine, theirs) = (idle(hand), idle(Runtime::Smol.name()));
    targets.push(Target {
        what: "median timer lateness, nothing blocking,".to_string(),
        peer: "smol's".to_string(),
        figures: (markdown::millis(mine), markdown::millis(theirs)),
        ratio: mine.as_secs_f64() / theirs.as_secs_f64(),
        bound: Bound::AtMost(1.5),
    });
    targets
}

/// `why-async.md`: sleeping tasks against sleeping threads.
fn why_async(figures: &Figures, measured_on: &str) -> String {
    let scale = Scale::FULL;
    let sleepers = grouped(scale.sleepers as u64);
    let mut text = format!(
        "{sleepers} sleepers, each sleeping {}, as tasks on each runtime and as \
         OS threads. Measured on {measured_on}. Wall time is criterion's median, \
         from the first spawn to the last join. Memory is read while they all \
         sleep, per sleeper: heap is what the program allocated; resident is \
         what the process holds in RAM (stacks included); reserved is address \
         space set aside, used or not.\n\n",
        prose(scale.sleep)
    );
    let mut table = Table::new(&[
        "what sleeps",
        "wall time",
        "heap per sleeper",
        "resident per sleeper",
        "reserved per sleeper",
    ]);
    let optional =
        |size: Option<f64>| size.map_or_else(|| "n/a".to_string(), markdown::bytes);
    let mut row = |label: String, id: &'static str| {
        let memory = &figures.memory[id];
        table.row(vec![
            label,
            markdown::duration(figures.medians.get(SLEEP, id)),
            markdown::bytes(memory.heap),
            optional(memory.resident),
            optional(memory.reserved),
        ]);
    };
    for runtime in Runtime::ALL {
        row(
            format!("{sleepers} tasks, {}", runtime.describe()),
            runtime.name(),
        );
    }
    row(format!("{sleepers} OS threads"), THREADS);
    text.push_str(&table.render());

    text.push_str(
        "\nFor the memory figures each thread waits until the last one has \
         started, so that all of them exist at once: started one by one, the \
         first would end before the last began, as the wall time shows. A \
         thread reserves the address space of a whole stack, but only the \
         pages it touches take up memory.\n",
    );
    for (who, memory) in &figures.memory {
        if memory.asleep < scale.sleepers {
            let _ = writeln!(
                text,
                "\nOn {who}, {} of {sleepers} were asleep when memory was read \
                 (the first had woken already): the resident and reserved figures \
                 are per sleeper asleep then.",
                grouped(memory.asleep as u64)
            );
        }
    }
    text
}
