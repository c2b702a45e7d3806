"""The scene in asyncio: a ticker every 100 ms beside a 320 ms blocking call,
inline (the ticks fire late), then through asyncio.to_thread and
loop.run_in_executor (on time). Prints how late each tick fired.

Run: python3 blocking.py"""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

TICK = 0.1
BLOCK = 0.32


async def ticker(ticks=6):
    loop = asyncio.get_running_loop()
    start = loop.time()
    late = []
    for n in range(1, ticks + 1):
        due = start + TICK * n
        await asyncio.sleep(due - loop.time())
        late.append(loop.time() - due)
    return late


# ANCHOR: shapes
async def blocker(how):
    await asyncio.sleep(TICK / 2)
    if how == "inline":
        time.sleep(BLOCK)  # the bug: blocks the loop's thread
    elif how == "to_thread":
        await asyncio.to_thread(time.sleep, BLOCK)
    else:  # run_in_executor, with a pool of our own
        loop = asyncio.get_running_loop()
        with ThreadPoolExecutor(max_workers=1) as pool:
            await loop.run_in_executor(pool, time.sleep, BLOCK)
# ANCHOR_END: shapes


async def scene(how):
    ticks = asyncio.create_task(ticker())
    await blocker(how)
    return await ticks


for how in ["inline", "to_thread", "run_in_executor"]:
    late = asyncio.run(scene(how))
    print(how, " ".join(f"{seconds * 1000:.0f}" for seconds in late))
