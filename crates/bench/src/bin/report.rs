//! Writes the results the book includes: `crates/bench/results/appendix.md`
//! ("How fast is the hand-rolled runtime?") and `why-async.md` (tasks
//! against threads, for the introduction).
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
//!   as resident, and would hide the cost of the next runtime measured;
//! - timer lateness, which is not a time per iteration at all.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use std::{env, fs};

use bench::estimates::{self, BENCH_COMMAND, ECHO, PING_PONG, SLEEP, SPAWN, THREADS};
use bench::machine::{self, Memory};
use bench::markdown::{self, Table, grouped};
use bench::{Blocking, Census, Lateness, Runner, Runtime, Scale, threads};

// ANCHOR: counting
/// The global allocator: the system's, counting as it goes.
struct Counting;

/// How many times memory was asked for (`alloc`, `alloc_zeroed`, `realloc`).
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

/// How many bytes are allocated and not yet freed.
static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every method passes its arguments unchanged to `System`, which
// upholds `GlobalAlloc`'s contract; the counting around the calls touches
// only atomics and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: our caller's promises about `layout` are `System`'s.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if !pointer.is_null() {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: our caller allocated `pointer` with `layout` through us,
        // that is through `System`.
        unsafe { System.dealloc(pointer, layout) };
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
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
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            LIVE_BYTES.fetch_add(new_size, Ordering::Relaxed);
            LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;
// ANCHOR_END: counting

/// The argument that makes this program measure one runtime's sleepers and
/// print the figures, instead of writing the report.
const SLEEP_MEMORY: &str = "--sleep-memory";

/// How many times each lateness variant runs; the report pools the
/// latenesses of every run.
const LATENESS_RUNS: usize = 3;

/// The yardstick of every ratio.
const YARDSTICK: Runtime = Runtime::TokioCurrentThread;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = match args.as_slice() {
        [] => report(),
        [SLEEP_MEMORY, who] => sleep_memory(who),
        _ => Err(format!(
            "unexpected arguments {args:?}: run `{BENCH_COMMAND}`, then \
             `cargo run --release -p bench --bin report` with no arguments"
        )),
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
}

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
#[derive(Debug, Clone, Copy)]
struct SleepMemory {
    /// How many were asleep when it was read.
    asleep: usize,
    /// Heap bytes per sleeper (the allocations a task or a thread holds).
    heap: f64,
    /// Resident bytes per sleeper asleep at the moment of reading.
    resident: Option<f64>,
    /// Reserved address space per sleeper asleep at the moment of reading.
    reserved: Option<f64>,
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
            .args([SLEEP_MEMORY, who])
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
    Some(SleepMemory {
        asleep: fields.get("asleep")?.parse().ok()?,
        heap: number("heap")?,
        resident: number("resident"),
        reserved: number("reserved"),
    })
}

// ANCHOR: sleep_memory
/// What the probe saw, at the moment the last sleeper went to sleep.
struct Seen {
    heap: usize,
    memory: Option<Memory>,
}

static SEEN: OnceLock<Seen> = OnceLock::new();

/// The probe: reads the heap first, since reading `/proc` allocates.
fn probe() {
    let heap = LIVE_BYTES.load(Ordering::SeqCst);
    let memory = machine::memory();
    let _ = SEEN.set(Seen { heap, memory });
}

/// In the fresh process: `who`'s sleepers, all asleep at once, and what
/// they add to the heap and to the process's memory, per sleeper, printed
/// as `asleep=N heap=B resident=B reserved=B` (`n/a` where `/proc` is
/// missing).
fn sleep_memory(who: &str) -> Result<(), String> {
    let Scale {
        sleepers, sleep, ..
    } = Scale::FULL;
    let runner = match who {
        THREADS => None,
        runtime => Some(build(runtime.parse().map_err(|error| format!("{error}"))?)?),
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
    println!("asleep={asleep} heap={heap} resident={resident} reserved={reserved}");
    Ok(())
}
// ANCHOR_END: sleep_memory

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

/// `appendix.md`: one table per workload, then the targets.
fn appendix(figures: &Figures, measured_on: &str) -> String {
    let scale = Scale::FULL;
    let medians = &figures.medians;
    let mut text = format!(
        "Measured on {measured_on}. Times are the medians of criterion's samples \
         (`{BENCH_COMMAND}`, then `cargo run --release -p bench --bin report`); \
         each ratio compares with tokio's current-thread runtime.\n\n"
    );

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
    text.push_str(&table.render());

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
    text.push_str(&table.render());

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
    text.push_str(&table.render());

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
    text.push_str(&table.render());

    let _ = writeln!(
        text,
        "\n**Timer lateness.** {} tasks sleep {} while another task blocks for {}, \
         inline or offloaded to a thread, or nothing blocks; how late the timers \
         fired, median / maximum over {LATENESS_RUNS} runs. No ratio: next to a \
         lateness near zero, a ratio means little. tokio counts time in whole \
         milliseconds and rounds a deadline up, so its timers fire about a \
         millisecond late even when nothing blocks.\n",
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
    text.push_str(&table.render());

    text.push_str("\n**Targets for the hand-rolled loop.**\n\n");
    text.push_str(&targets(figures).render());
    text
}

/// The hand-rolled loop's targets, met or not.
fn targets(figures: &Figures) -> Table {
    let scale = Scale::FULL;
    let medians = &figures.medians;
    let (hand, tokio) = (Runtime::Hand.name(), YARDSTICK.name());
    let met = |ok: bool| if ok { "met" } else { "not met" }.to_string();
    let mut table = Table::new(&["target", "figure", "met?"]);

    let per_task = |id| medians.get(SPAWN, id) / scale.spawned_tasks as u32;
    let (mine, theirs) = (per_task(hand), per_task(tokio));
    table.row(vec![
        "time per spawned task no more than tokio current-thread's".to_string(),
        format!(
            "{} against {}",
            markdown::duration(mine),
            markdown::duration(theirs)
        ),
        met(mine <= theirs),
    ]);

    for (group, what) in [(PING_PONG, "ping-pong"), (ECHO, "echo")] {
        let ratio =
            throughput_ratio(medians.get(group, hand), medians.get(group, tokio));
        table.row(vec![
            format!("{what} throughput at least 0.9× tokio current-thread's"),
            markdown::ratio(ratio),
            met(ratio >= 0.9),
        ]);
    }

    let wall = medians.get(SLEEP, hand);
    table.row(vec![
        format!(
            "{} sleeps of {} end within 10% of {}",
            grouped(scale.sleepers as u64),
            prose(scale.sleep),
            prose(scale.sleep)
        ),
        markdown::duration(wall),
        met(wall.as_secs_f64() <= scale.sleep.as_secs_f64() * 1.1),
    ]);

    let (mine, theirs) = (figures.memory[hand].heap, figures.memory[tokio].heap);
    table.row(vec![
        "memory (heap) per sleeping task no more than tokio current-thread's"
            .to_string(),
        format!(
            "{} against {}",
            markdown::bytes(mine),
            markdown::bytes(theirs)
        ),
        met(mine <= theirs),
    ]);

    let idle = figures.lateness[&(hand, Blocking::Nothing.describe())].median;
    table.row(vec![
        "timer lateness when nothing blocks: median under 0.5 ms".to_string(),
        markdown::millis(idle),
        met(idle < Duration::from_micros(500)),
    ]);
    table
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
        let memory = figures.memory[id];
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
