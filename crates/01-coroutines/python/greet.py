"""Chapter 1 in asyncio: three greeters at once, then one after the other.

Usage: python3 greet.py [PAUSE_SECONDS] [--one-by-one]
"""
import asyncio
import sys


# ANCHOR: greet
async def greet(name, pause):
    print(f"Hello, {name}!")
    await asyncio.sleep(pause)
    print(f"Goodbye, {name}!")


async def greet_all(pause):
    await asyncio.gather(
        greet("Ada", pause), greet("Grace", pause), greet("Linus", pause)
    )


async def greet_one_by_one(pause):
    for name in ["Ada", "Grace", "Linus"]:
        await greet(name, pause)


# ANCHOR_END: greet

if __name__ == "__main__":
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    pause = float(args[0]) if args else 1.0
    if "--one-by-one" in sys.argv:
        asyncio.run(greet_one_by_one(pause))
    else:
        asyncio.run(greet_all(pause))
