"""Chapter 5 in asyncio: fetches gathered in order, the first one back,
and one that fails, met by gather, gather(return_exceptions=True) and a
TaskGroup.

Usage: python3 scene.py [STEP_SECONDS]   (needs Python 3.11 for TaskGroup)
"""
import asyncio
import sys

FETCHES = [("api/users", 3), ("api/posts", 1), ("api/comments", 2)]
BROKEN = ("api/broken", 1)
WITH_BROKEN = [FETCHES[0], BROKEN, FETCHES[2]]


# ANCHOR: fetch
async def fetch(url, steps, step):
    print(f"fetching {url}")
    try:
        await asyncio.sleep(steps * step)  # stands in for the network
    except asyncio.CancelledError:
        print(f"{url}: cancelled while waiting")
        raise
    if (url, steps) == BROKEN:
        print(f"{url} failed")
        raise ConnectionResetError(f"connection to {url} reset")
    print(f"fetched {url}")
    return f"{url} 200 OK"
# ANCHOR_END: fetch


# ANCHOR: gather
async def fetch_all(step):
    # gather wraps each coroutine in a task, scheduled now.
    results = await asyncio.gather(*(fetch(u, s, step) for u, s in FETCHES))
    print("results in the order asked: " + ", ".join(results))
    return results
# ANCHOR_END: gather


# ANCHOR: first_back
async def first_back(step):
    tasks = [asyncio.create_task(fetch(u, s, step)) for u, s in FETCHES]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()  # asyncio cancels by asking; Rust drops
    await asyncio.gather(*pending, return_exceptions=True)
    first = done.pop().result()
    print(f"first back: {first}")
# ANCHOR_END: first_back


# ANCHOR: failures
async def failures(step):
    print("-- gather: the first error; the others run on --")
    fetches = [fetch(u, s, step) for u, s in WITH_BROKEN]
    try:
        await asyncio.gather(*fetches)
    except ConnectionResetError as error:
        print(f"gather raised: {error}")
    await asyncio.sleep(3 * step)  # the others finish meanwhile
    print("-- gather(return_exceptions=True): every outcome --")
    fetches = [fetch(u, s, step) for u, s in WITH_BROKEN]
    outcomes = await asyncio.gather(*fetches, return_exceptions=True)
    failed = sum(isinstance(outcome, Exception) for outcome in outcomes)
    print(f"{failed} of {len(outcomes)} failed")
    print("-- a TaskGroup: the first failure cancels the rest --")
    try:
        async with asyncio.TaskGroup() as group:
            for url, steps in WITH_BROKEN:
                group.create_task(fetch(url, steps, step))
    except* ConnectionResetError as errors:
        print(f"task group: {len(errors.exceptions)} failure")
# ANCHOR_END: failures


async def main(step):
    await fetch_all(step)
    await first_back(step)
    await failures(step)


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1]) if len(sys.argv) > 1 else 0.1))
