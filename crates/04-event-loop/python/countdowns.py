"""Chapter 4 in asyncio: two countdowns on an event loop driven by hand.

Usage: python3 countdowns.py [STEP_SECONDS]
"""
import asyncio
import sys

COUNTDOWNS = [("A", 5), ("B", 3)]


# ANCHOR: countdown
async def countdown(name, start, step):
    for n in range(start, 0, -1):
        print(f"{name}: {n}")
        await asyncio.sleep(step)  # hands the loop to the other task
    print(f"{name}: done")


# ANCHOR_END: countdown


# ANCHOR: loop
async def await_each(tasks):
    for task in tasks:
        await task


def run_countdowns(step):
    # What asyncio.run does for you, one call at a time.
    loop = asyncio.new_event_loop()
    try:
        # Scheduled now; they start when the loop first runs.
        tasks = [
            loop.create_task(countdown(name, start, step))
            for name, start in COUNTDOWNS
        ]
        # Runs the loop, and with it both tasks, until both are done.
        loop.run_until_complete(await_each(tasks))
    finally:
        loop.close()


# ANCHOR_END: loop

if __name__ == "__main__":
    arg = sys.argv[1] if len(sys.argv) > 1 else "1.0"
    try:
        step = float(arg)
    except ValueError:
        step = -1.0
    if not step >= 0:  # also refuses nan
        sys.exit(f"error: the step must be zero or more seconds, not {arg!r}")
    run_countdowns(step)
