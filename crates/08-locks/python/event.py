"""Chapter 8 in asyncio: Event is level-triggered. Once set, every wait
returns at once until clear(); a set followed at once by clear() still
releases the tasks that were waiting.

Usage: python3 event.py
"""
import asyncio


# ANCHOR: event
async def main():
    event = asyncio.Event()
    event.set()
    for n in range(3):
        await event.wait()  # set: returns at once, every time
    print("set: 3 waits returned at once")

    event.clear()
    waiter = asyncio.create_task(event.wait())
    await asyncio.sleep(0)  # the waiter starts, and waits
    event.set()
    event.clear()  # too late: the waiter was released by the set
    await waiter
    print(f"set then clear: the waiter returned; is_set() = {event.is_set()}")
# ANCHOR_END: event


if __name__ == "__main__":
    asyncio.run(main())
