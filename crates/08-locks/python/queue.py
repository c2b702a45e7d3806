"""Chapter 8 in asyncio: a bounded Queue holds a fast producer back.

Usage: python3 queue.py
"""
import asyncio


# ANCHOR: queue
async def producer(queue, log):
    for n in range(1, 6):
        await queue.put(n)  # waits while the queue holds 2 items
        log.append(f"put {n}")


async def main():
    queue, log = asyncio.Queue(maxsize=2), []
    task = asyncio.create_task(producer(queue, log))
    await asyncio.sleep(0.01)
    print(f"before any get: {', '.join(log)}")
    for _ in range(5):
        log.append(f"got {await queue.get()}")
    await task
    print(f"gets in order: {', '.join(l for l in log if l.startswith('got'))}")
# ANCHOR_END: queue


if __name__ == "__main__":
    asyncio.run(main())
