"""Chapter 5 in asyncio: wait's three return modes, as_completed, and the
two timeouts (wait_for, and asyncio.timeout from 3.11).

Usage: python3 wait.py [STEP_SECONDS]
"""
import asyncio
import sys


async def job(seconds, ok=True):
    await asyncio.sleep(seconds)
    if not ok:
        raise RuntimeError(f"{seconds:g} s: failed")
    return seconds


# ANCHOR: wait
async def waits(step):
    for mode in ["ALL_COMPLETED", "FIRST_COMPLETED", "FIRST_EXCEPTION"]:
        jobs = [(1, True), (2, False), (3, True)]
        tasks = [asyncio.create_task(job(n * step, ok)) for n, ok in jobs]
        done, pending = await asyncio.wait(tasks, return_when=getattr(asyncio, mode))
        done_at = sorted(tasks.index(task) for task in done)
        pending_at = sorted(tasks.index(task) for task in pending)
        print(f"{mode}: done {done_at}, pending {pending_at}")
        for task in pending:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
# ANCHOR_END: wait


# ANCHOR: as_completed
async def completion_order(step):
    order = []
    for next_done in asyncio.as_completed([job(n * step) for n in (3, 1, 2)]):
        order.append(round(await next_done / step))
    print(f"as_completed: {order}")
# ANCHOR_END: as_completed


# ANCHOR: timeout
async def timeouts(step):
    try:
        await asyncio.wait_for(job(10 * step), timeout=3 * step)
    except TimeoutError:  # asyncio.TimeoutError before 3.11
        print("wait_for: timed out")
    try:
        async with asyncio.timeout(3 * step):  # 3.11
            await job(10 * step)
    except TimeoutError:
        print("timeout: timed out")
# ANCHOR_END: timeout


async def main(step):
    await waits(step)
    await completion_order(step)
    await timeouts(step)


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1]) if len(sys.argv) > 1 else 0.1))
