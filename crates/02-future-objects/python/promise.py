"""Chapter 2 in asyncio: a worker thread computes the answer while the
coroutine that asked for it ticks; or the worker gives up.

Usage: python3 promise.py [WORK_SECONDS] [TICK_SECONDS] [--gives-up]
"""
import asyncio
import sys
import threading
import time


# ANCHOR: worker
def worker(loop, answer, work):
    time.sleep(work)  # stands for the computation
    print("worker: the answer is 42")
    # A Future is not thread-safe: ask its loop to call set_result for us.
    loop.call_soon_threadsafe(answer.set_result, 42)
# ANCHOR_END: worker


# ANCHOR: wait
async def wait_for_answer(answer, tick):
    ticks = 0
    while True:
        # wait() with a timeout leaves the future alone when time runs out.
        done, _ = await asyncio.wait([answer], timeout=tick)
        if done:
            print(f"got the answer: {answer.result()}")
            return ticks
        ticks += 1
        print(f"tick {ticks}")


async def main(work, tick):
    loop = asyncio.get_running_loop()
    answer = loop.create_future()
    print("asking a worker for the answer")
    threading.Thread(target=worker, args=(loop, answer, work)).start()
    await wait_for_answer(answer, tick)
# ANCHOR_END: wait


# ANCHOR: gives_up
def quitter(after):
    time.sleep(after)
    print("worker: giving up")
    # It returns without set_result, set_exception or cancel: the future
    # stays pending, and nothing tells the coroutine waiting for it.


async def main_gives_up(after, tick):
    loop = asyncio.get_running_loop()
    answer = loop.create_future()
    print("asking a worker for the answer")
    threading.Thread(target=quitter, args=(after,)).start()
    try:
        await asyncio.wait_for(wait_for_answer(answer, tick), timeout=4 * after)
    except asyncio.TimeoutError:
        print("still no answer: nothing tells the future its worker is gone")
# ANCHOR_END: gives_up


if __name__ == "__main__":
    args = [float(arg) for arg in sys.argv[1:] if not arg.startswith("--")]
    work, tick = args if args else (1.0, 0.3)
    if "--gives-up" in sys.argv:
        asyncio.run(main_gives_up(work, tick))
    else:
        asyncio.run(main(work, tick))
