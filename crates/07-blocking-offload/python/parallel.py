"""Concurrency is not parallelism, in asyncio: four CPU-bound jobs as
coroutines on one loop, through asyncio.to_thread (threads, but one GIL),
and through a ProcessPoolExecutor (processes, one GIL each).

Run: python3 parallel.py LIMIT JOBS. Prints how<TAB>seconds<TAB>counts."""

import asyncio
import sys
import time
from concurrent.futures import ProcessPoolExecutor


def count_primes(limit):
    """The CPU-bound job: counts the primes below limit by trial division."""
    count = 0
    for n in range(2, limit):
        d = 2
        while d * d <= n:
            if n % d == 0:
                break
            d += 1
        else:
            count += 1
    return count


async def as_coroutine(limit):
    return count_primes(limit)  # never awaits: holds the loop to the end


async def main(limit, jobs):
    rows = []

    async def timed(how, run):
        started = time.perf_counter()
        counts = await run()
        rows.append((how, time.perf_counter() - started, counts))

    async def alone():
        return [count_primes(limit)]

    # ANCHOR: ways
    async def as_tasks():
        tasks = [asyncio.create_task(as_coroutine(limit)) for _ in range(jobs)]
        return await asyncio.gather(*tasks)

    async def to_thread():
        calls = [asyncio.to_thread(count_primes, limit) for _ in range(jobs)]
        return await asyncio.gather(*calls)

    async def in_processes():
        loop = asyncio.get_running_loop()
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            # Start the workers first, so the row times the work alone.
            await asyncio.gather(*[loop.run_in_executor(pool, count_primes, 3)
                                   for _ in range(jobs)])
            calls = [loop.run_in_executor(pool, count_primes, limit)
                     for _ in range(jobs)]
            started = time.perf_counter()
            counts = await asyncio.gather(*calls)
            return counts, time.perf_counter() - started
    # ANCHOR_END: ways

    await timed("one job alone, for scale", alone)
    await timed(f"{jobs} tasks on one asyncio loop", as_tasks)
    await timed("`asyncio.to_thread`", to_thread)
    counts, seconds = await in_processes()
    rows.append(("`ProcessPoolExecutor`", seconds, counts))
    for how, seconds, counts in rows:
        print(f"{how}\t{seconds:.6f}\t{','.join(map(str, counts))}")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
