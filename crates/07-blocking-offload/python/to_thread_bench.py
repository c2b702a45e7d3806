"""asyncio's side of the spawn_blocking benchmark: 10,000 tiny jobs through
asyncio.to_thread at once (throughput), and one job's round trip, many times
in a row (latency). Prints throughput_ns and latency_ns: the median of a few
runs, in nanoseconds, per batch and per round trip.

Run: python3 to_thread_bench.py JOBS ROUND_TRIPS"""

import asyncio
import statistics
import sys
import time


def job(number):
    return number


async def throughput(jobs):
    started = time.perf_counter_ns()
    results = await asyncio.gather(*[asyncio.to_thread(job, n) for n in range(jobs)])
    assert results == list(range(jobs))
    return time.perf_counter_ns() - started


async def latency(round_trips):
    started = time.perf_counter_ns()
    for n in range(round_trips):
        assert await asyncio.to_thread(job, n) == n
    return (time.perf_counter_ns() - started) / round_trips


async def main(jobs, round_trips):
    await throughput(10)  # start the default executor's threads
    batches = [await throughput(jobs) for _ in range(5)]
    trips = [await latency(round_trips) for _ in range(5)]
    print(f"throughput_ns {statistics.median(batches):.0f}")
    print(f"latency_ns {statistics.median(trips):.0f}")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
