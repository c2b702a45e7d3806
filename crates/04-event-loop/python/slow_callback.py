"""asyncio's debug mode names a task that blocks the loop.

A task that calls time.sleep() instead of awaiting asyncio.sleep() holds
the loop's only thread: no other task runs until it returns. In debug mode
the loop times every step it runs and logs the ones slower than
loop.slow_callback_duration (0.1 s by default). PYTHONASYNCIODEBUG=1 in the
environment turns debug mode on without changing the code.

Usage: python3 slow_callback.py
"""
import asyncio
import logging
import sys
import time


# ANCHOR: blocker
async def blocker():
    print("blocker: time.sleep(0.2), and the loop waits with it")
    time.sleep(0.2)  # blocks: should be `await asyncio.sleep(0.2)`
    print("blocker: done")


# ANCHOR_END: blocker


# ANCHOR: debug
def main():
    # asyncio reports through the `logging` module; print it with the rest.
    logging.basicConfig(
        stream=sys.stdout, format="%(name)s %(levelname)s: %(message)s"
    )
    loop = asyncio.new_event_loop()
    loop.set_debug(True)
    try:
        task = loop.create_task(blocker(), name="blocker")
        loop.run_until_complete(task)
    finally:
        loop.close()


# ANCHOR_END: debug

if __name__ == "__main__":
    main()
