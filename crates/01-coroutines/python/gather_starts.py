"""asyncio.gather wraps each coroutine in a task at once: they start at the
loop's next turn, before the gather itself is awaited.

Usage: python3 gather_starts.py
"""
import asyncio


async def greet(name):
    print(f"Hello, {name}!")
    await asyncio.sleep(0)
    print(f"Goodbye, {name}!")


# ANCHOR: gather
async def main():
    gathering = asyncio.gather(greet("Ada"), greet("Grace"))
    print("gathering, not awaited yet")
    await asyncio.sleep(0)  # one turn of the loop, for the tasks
    print("awaiting the gathering")
    await gathering
    # ANCHOR_END: gather


if __name__ == "__main__":
    asyncio.run(main())
