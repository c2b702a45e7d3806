"""Chapter 8's lock benchmark in asyncio, for the appendix: asyncio.Lock
contended (TASKS tasks each add one INCREMENTS times, holding the lock across
a yield) and uncontended (one task, LONE increments). Prints nanoseconds per
increment, the median of five runs.

Usage: python3 lock_bench.py [TASKS] [INCREMENTS] [LONE]
"""
import asyncio
import statistics
import sys
import time


async def contended(tasks, increments):
    lock, counter = asyncio.Lock(), [0]

    async def add():
        for _ in range(increments):
            async with lock:
                await asyncio.sleep(0)  # a yield, the lock held
                counter[0] += 1

    await asyncio.gather(*(add() for _ in range(tasks)))
    assert counter[0] == tasks * increments, counter


async def uncontended(increments):
    lock, counter = asyncio.Lock(), [0]
    for _ in range(increments):
        async with lock:
            counter[0] += 1
    assert counter[0] == increments, counter


def per_increment(run, count):
    times = []
    for _ in range(5):
        started = time.perf_counter()
        asyncio.run(run())
        times.append((time.perf_counter() - started) / count)
    return statistics.median(times) * 1e9


if __name__ == "__main__":
    tasks = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    increments = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    lone = int(sys.argv[3]) if len(sys.argv) > 3 else 100000
    ns = per_increment(lambda: contended(tasks, increments), tasks * increments)
    print(f"contended_ns {ns:.0f}")
    ns = per_increment(lambda: uncontended(lone), lone)
    print(f"uncontended_ns {ns:.0f}")
