"""The appendix's five workloads on asyncio, for the asyncio and uvloop rows.

Each subcommand runs one workload the way crates/bench/src/hand.rs runs it on
the hand-rolled loop, with the same sizes (the report passes them), on one
event loop built once (asyncio's, or uvloop's with --uvloop). It checks the
work was done (a wrong answer exits with an error, never a figure), runs it
once untimed, then --repeats times timed with time.perf_counter_ns(), and
prints one `NAME NUMBER` line per figure: the median time in nanoseconds
(`*_ns`), or a count that shows the work was done.

Usage:
    python3 workloads.py about
    python3 workloads.py spawn --tasks 100000 [--uvloop] [--repeats 5]
    python3 workloads.py sleep --sleepers 10000 --sleep-ms 100 [--uvloop]
    python3 workloads.py ping-pong --messages 100000 [--uvloop]
    python3 workloads.py echo --clients 1000 --rounds 100 [--uvloop]
    python3 workloads.py lateness --sleepers 100 --sleep-ms 10 --block-ms 200
                                  [--runs 10] [--uvloop]
"""
import argparse
import asyncio
import gc
import platform
import resource
import statistics
import sys
import time
import tracemalloc


def fail(message):
    sys.exit(f"error: {message}; no figure is worth a wrong answer")


def median_ns(runner, make, repeats, check):
    """Runs `make()` once to warm up, then `repeats` times timed; each
    result must pass `check`. Returns the median time in nanoseconds."""
    check(runner.run(make()))
    times = []
    for _ in range(repeats):
        started = time.perf_counter_ns()
        result = runner.run(make())
        times.append(time.perf_counter_ns() - started)
        check(result)
    return statistics.median(times)


# ANCHOR: spawn
async def number(n):
    return n


async def spawn_and_join(tasks):
    """Spawns `tasks` tasks that each return their number, then awaits them
    in order. Returns how many gave back the right number."""
    handles = [asyncio.create_task(number(n)) for n in range(tasks)]
    right = 0
    for n, handle in enumerate(handles):
        if await handle == n:
            right += 1
    return right
# ANCHOR_END: spawn


def spawn(runner, args):
    def check(right):
        if right != args.tasks:
            fail(f"{right} of {args.tasks} tasks handed back their number")

    ns = median_ns(runner, lambda: spawn_and_join(args.tasks), args.repeats, check)
    print(f"spawn_ns {ns:.0f}")
    print(f"spawn_right {args.tasks}")


class Census:
    """Counts sleepers in and out, and calls `probe` when the last one goes
    to sleep, as crates/bench/src/census.rs does."""

    def __init__(self, total, probe=None):
        self.total, self.started, self.probe = total, 0, probe

    def falls_asleep(self):
        self.started += 1
        if self.started == self.total and self.probe:
            self.probe()


# ANCHOR: sleep
async def sleeper(census, seconds):
    census.falls_asleep()
    await asyncio.sleep(seconds)


async def sleep_all(census, sleepers, seconds):
    """`sleepers` tasks sleep for `seconds` at once. Returns how many woke."""
    handles = [asyncio.create_task(sleeper(census, seconds)) for _ in range(sleepers)]
    woke = 0
    for handle in handles:
        await handle
        woke += 1
    return woke
# ANCHOR_END: sleep


def heap_per_sleeper(runner, sleepers, seconds):
    """The bytes Python's allocators hand out per sleeper, read by
    tracemalloc when the last sleeper goes to sleep, less what was live
    before: the requested sizes, as the report's counting allocator reads
    them. tracemalloc sees every Python allocator, uvloop's too (it takes
    its libuv timers from PyMem_RawMalloc)."""
    seen = []
    tracemalloc.start()
    runner.run(sleep_all(Census(10), 10, 0.001))
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    probe = lambda: seen.append(tracemalloc.get_traced_memory()[0])
    woke = runner.run(sleep_all(Census(sleepers, probe), sleepers, seconds))
    tracemalloc.stop()
    if woke != sleepers or not seen:
        fail(f"{woke} of {sleepers} sleepers woke under tracemalloc")
    return (seen[0] - before) / sleepers


def sleep(runner, args):
    seconds = args.sleep_ms / 1000

    def check(woke):
        if woke != args.sleepers:
            fail(f"{woke} of {args.sleepers} sleepers woke")

    make = lambda: sleep_all(Census(args.sleepers), args.sleepers, seconds)
    print(f"sleep_ns {median_ns(runner, make, args.repeats, check):.0f}")
    print(f"sleep_woke {args.sleepers}")
    heap = heap_per_sleeper(runner, args.sleepers, seconds) if args.sleepers else 0
    print(f"sleep_heap_bytes {heap:.1f}")


# ANCHOR: ping_pong
DONE = None  # asyncio.Queue has no close before 3.13: the pinger says it is done


async def pinger(to_ponger, from_ponger, rounds):
    answered = 0
    for round in range(rounds):
        await to_ponger.put(round)
        if await from_ponger.get() != round:
            break
        answered += 1
    await to_ponger.put(DONE)
    return answered


async def ponger(from_pinger, to_pinger):
    received = 0
    while (round := await from_pinger.get()) is not DONE:
        received += 1
        await to_pinger.put(round)
    return received


async def ping_pong(messages):
    """Two tasks pass `messages` messages, half each way, over two queues of
    one slot each. Returns how many arrived."""
    to_ponger, to_pinger = asyncio.Queue(maxsize=1), asyncio.Queue(maxsize=1)
    pong = asyncio.create_task(ponger(to_ponger, to_pinger))
    ping = asyncio.create_task(pinger(to_ponger, to_pinger, messages // 2))
    return await ping + await pong
# ANCHOR_END: ping_pong


def ping_pong_workload(runner, args):
    expected = 2 * (args.messages // 2)

    def check(arrived):
        if arrived != expected:
            fail(f"{arrived} of {expected} messages arrived")

    make = lambda: ping_pong(args.messages)
    print(f"ping_pong_ns {median_ns(runner, make, args.repeats, check):.0f}")
    print(f"ping_pong_arrived {expected}")


MESSAGE_BYTES = 64
ECHO_BUFFER = 1024
WAITING_CONNECTIONS = 64

# message(client, round) in crates/bench/src/lib.rs: byte i is
# (client * 31 ^ round * 7 ^ i) as u8. With i under 256 that is
# key ^ i, key = (client * 31 ^ round * 7) & 0xFF, so 256 messages cover all.
MESSAGES = [bytes(key ^ i for i in range(MESSAGE_BYTES)) for key in range(256)]


def message(client, round):
    return MESSAGES[(client * 31 ^ round * 7) & 0xFF]


# ANCHOR: echo
async def echo_back(reader, writer, tickets, served):
    """Sends back whatever arrives, until the client hangs up."""
    tickets.get_nowait()  # the client put its ticket in before connecting
    while data := await reader.read(ECHO_BUFFER):
        writer.write(data)
        await writer.drain()
    writer.close()
    served()


async def client(port, tickets, id, rounds):
    await tickets.put(None)  # waits while 64 connections wait to be accepted
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    echoed = 0
    for round in range(rounds):
        sent = message(id, round)
        writer.write(sent)
        await writer.drain()
        if await reader.readexactly(MESSAGE_BYTES) == sent:
            echoed += MESSAGE_BYTES
    writer.close()
    await writer.wait_closed()
    return echoed


async def echo(clients, rounds):
    """A server on a loopback port, `clients` clients making `rounds` round
    trips each. Returns how many bytes came back as sent."""
    tickets = asyncio.Queue(maxsize=WAITING_CONNECTIONS)
    all_served, left = asyncio.Event(), [clients]

    def served():
        left[0] -= 1
        if left[0] == 0:
            all_served.set()

    handle = lambda r, w: echo_back(r, w, tickets, served)
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    talking = [asyncio.create_task(client(port, tickets, id, rounds))
               for id in range(clients)]
    echoed = sum([await one for one in talking])
    if clients:
        await all_served.wait()
    server.close()
    await server.wait_closed()
    return echoed
# ANCHOR_END: echo


def echo_workload(runner, args):
    # Two sockets a client, as for the Rust runtimes: raise the soft limit
    # on open files as far as the hard one allows.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = 2 * args.clients + 64
    if soft != resource.RLIM_INFINITY and soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            sys.exit(f"error: echo needs {needed} open files; the limit is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    expected = args.clients * args.rounds * MESSAGE_BYTES

    def check(echoed):
        if echoed != expected:
            fail(f"{echoed} of {expected} bytes came back as sent")

    make = lambda: echo(args.clients, args.rounds)
    print(f"echo_ns {median_ns(runner, make, args.repeats, check):.0f}")
    print(f"echo_bytes {expected}")


# ANCHOR: lateness
async def block_inline(seconds):
    time.sleep(seconds)  # the loop's one thread blocks: nothing else runs


async def late_sleeper(deadline):
    await asyncio.sleep((deadline - time.perf_counter_ns()) / 1e9)
    return time.perf_counter_ns() - deadline  # below zero: it fired early


async def lateness(sleepers, sleep_ns, block_s, blocking):
    """`sleepers` tasks sleep for `sleep_ns` while one task (spawned first)
    blocks for `block_s`. Returns how late each woke, in nanoseconds."""
    blocker = None
    if blocking == "inline":
        blocker = asyncio.create_task(block_inline(block_s))
    elif blocking == "offloaded":
        blocker = asyncio.create_task(asyncio.to_thread(time.sleep, block_s))
    handles = []
    for _ in range(sleepers):
        deadline = time.perf_counter_ns() + sleep_ns
        handles.append(asyncio.create_task(late_sleeper(deadline)))
    late = [await handle for handle in handles]
    if blocker:
        await blocker
    return late
# ANCHOR_END: lateness


BLOCKING = ["nothing", "inline", "offloaded"]


def lateness_workload(runner, args):
    """Every variant, `--runs` times each; the latenesses of all runs are
    pooled, as the report pools the Rust runtimes'."""
    sleep_ns, block_s = args.sleep_ms * 1_000_000, args.block_ms / 1000
    # A first run starts what starts lazily (the default executor's thread).
    runner.run(lateness(10, sleep_ns, block_s, "offloaded"))
    for blocking in BLOCKING:
        late = []
        for _ in range(args.runs):
            late += runner.run(lateness(args.sleepers, sleep_ns, block_s, blocking))
        if len(late) != args.sleepers * args.runs:
            fail(f"{len(late)} of {args.sleepers * args.runs} sleepers woke")
        print(f"lateness_{blocking}_samples {len(late)}")
        print(f"lateness_{blocking}_early {sum(1 for ns in late if ns < 0)}")
        # An early timer counts as on time, as in the Rust (lateness_since).
        late = [max(0, ns) for ns in late]
        if late:
            print(f"lateness_{blocking}_median_ns {statistics.median(late):.0f}")
            print(f"lateness_{blocking}_max_ns {max(late)}")


def about(args):
    print(f"implementation {platform.python_implementation()}")
    print(f"version {platform.python_version()}")
    try:
        import uvloop
    except ImportError:
        print("uvloop none")
    else:
        print(f"uvloop {uvloop.__version__}")


WORKLOADS = {
    "spawn": spawn,
    "sleep": sleep,
    "ping-pong": ping_pong_workload,
    "echo": echo_workload,
    "lateness": lateness_workload,
}


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="workload", required=True)
    commands.add_parser("about", help="the interpreter, and uvloop's version")

    def workload(name, repeats, *sizes):
        command = commands.add_parser(name)
        for size, default in sizes:
            command.add_argument(f"--{size}", type=int, default=default)
        command.add_argument("--repeats", type=int, default=repeats)
        command.add_argument("--uvloop", action="store_true", help="run on uvloop")

    workload("spawn", 5, ("tasks", 100_000))
    workload("sleep", 5, ("sleepers", 10_000), ("sleep-ms", 100))
    workload("ping-pong", 3, ("messages", 100_000))
    workload("echo", 3, ("clients", 1_000), ("rounds", 100))
    workload("lateness", 1, ("sleepers", 100), ("sleep-ms", 10),
             ("block-ms", 200), ("runs", 10))
    args = parser.parse_args(argv)
    for name, value in vars(args).items():
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            parser.error(f"--{name.replace('_', '-')} must not be negative")
    if getattr(args, "repeats", 1) < 1:
        parser.error("--repeats must be at least 1")
    return args


def main(argv):
    args = parse(argv)
    if args.workload == "about":
        return about(args)
    loop_factory = None  # asyncio's own loop
    if args.uvloop:
        try:
            import uvloop
        except ImportError:
            sys.exit("error: --uvloop: uvloop is not installed (just python-packages)")
        # uvloop.run does the same on 3.11; the Runner keeps one loop for
        # every run, as the Rust runtimes are built once.
        loop_factory = uvloop.new_event_loop
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        WORKLOADS[args.workload](runner, args)


if __name__ == "__main__":
    main(sys.argv[1:])
