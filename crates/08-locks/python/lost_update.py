"""Chapter 8 in asyncio: 100 tasks update a counter across an await,
without a lock and then with asyncio.Lock.

Usage: python3 lost_update.py [TASKS] [IO_SECONDS]
"""
import asyncio
import sys


class Counter:
    value = 0


# ANCHOR: race
async def increment(counter, io):
    value = counter.value
    await asyncio.sleep(io)  # every other task runs meanwhile
    counter.value = value + 1


# ANCHOR_END: race


# ANCHOR: lock
async def increment_locked(counter, lock, io):
    async with lock:  # the others wait in line here
        value = counter.value
        await asyncio.sleep(io)
        counter.value = value + 1


# ANCHOR_END: lock


async def main(tasks, io):
    counter = Counter()
    await asyncio.gather(*(increment(counter, io) for _ in range(tasks)))
    print(f"without a lock: {tasks - counter.value} of {tasks} updates lost")
    counter, lock = Counter(), asyncio.Lock()
    await asyncio.gather(*(increment_locked(counter, lock, io) for _ in range(tasks)))
    print(f"with a lock: {tasks - counter.value} of {tasks} updates lost")


if __name__ == "__main__":
    tasks = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    io = float(sys.argv[2]) if len(sys.argv) > 2 else 0.01
    asyncio.run(main(tasks, io))
