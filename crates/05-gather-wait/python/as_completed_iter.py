"""Chapter 5 in asyncio 3.13+: as_completed as an async iterator, which
yields the original tasks as they finish.

Usage: python3 as_completed_iter.py [STEP_SECONDS]   (needs Python 3.13)
"""
import asyncio
import sys


async def job(seconds):
    await asyncio.sleep(seconds)
    return seconds


# ANCHOR: as_completed_iter
async def completion_order(step):
    tasks = [asyncio.create_task(job(n * step)) for n in (3, 1, 2)]
    order = [tasks.index(task) async for task in asyncio.as_completed(tasks)]
    print(f"as_completed: indices {order}")
# ANCHOR_END: as_completed_iter


if __name__ == "__main__":
    asyncio.run(completion_order(float(sys.argv[1]) if len(sys.argv) > 1 else 0.1))
