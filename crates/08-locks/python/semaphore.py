"""Chapter 8 in asyncio: a Semaphore caps how many fetches run at once.

Usage: python3 semaphore.py [FETCHES] [LIMIT]
"""
import asyncio
import sys


# ANCHOR: semaphore
async def fetch(n, semaphore, inside):
    async with semaphore:  # at most LIMIT tasks get past this line at once
        inside["now"] += 1
        inside["most"] = max(inside["most"], inside["now"])
        await asyncio.sleep(0.01)
        inside["now"] -= 1


async def main(fetches, limit):
    semaphore, inside = asyncio.Semaphore(limit), {"now": 0, "most": 0}
    await asyncio.gather(*(fetch(n, semaphore, inside) for n in range(fetches)))
    print(f"{fetches} fetches, at most {inside['most']} at once")
# ANCHOR_END: semaphore


if __name__ == "__main__":
    fetches = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    asyncio.run(main(fetches, limit))
