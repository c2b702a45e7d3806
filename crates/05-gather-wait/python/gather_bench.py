"""Chapter 5's gather benchmark in asyncio, for the appendix: gather of N
coroutines (gather wraps each in a task), and gather of N tasks made first
with create_task. Each coroutine yields once (sleep(0)) and returns its
number. Prints nanoseconds per whole gather, the median of five runs.

Usage: python3 gather_bench.py [N]
"""
import asyncio
import statistics
import sys
import time


async def job(number):
    await asyncio.sleep(0)  # one yield, as the Rust futures make
    return number


async def gather_coroutines(count):
    results = await asyncio.gather(*(job(n) for n in range(count)))
    assert results == list(range(count))


async def gather_tasks(count):
    tasks = [asyncio.create_task(job(n)) for n in range(count)]
    results = await asyncio.gather(*tasks)
    assert results == list(range(count))


def median_ns(run, count):
    times = []
    for _ in range(5):
        started = time.perf_counter()
        asyncio.run(run(count))
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e9


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print(f"futures_ns {median_ns(gather_coroutines, count):.0f}")
    print(f"tasks_ns {median_ns(gather_tasks, count):.0f}")
