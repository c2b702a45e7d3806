"""Chapter 3 in asyncio: three fetches started as tasks, collected in order.

Usage: python3 fetch.py [DELAY_SECONDS]
"""
import asyncio
import sys

URLS = ["api/users", "api/posts", "api/comments"]


# ANCHOR: fetch
async def fetch(url, delay):
    print(f"fetching {url}")
    await asyncio.sleep(delay)  # stands in for the network
    print(f"fetched {url}")
    return f"{url} 200 OK"


async def fetch_all(delay):
    print(f"starting {len(URLS)} fetches as tasks")
    # Each task is scheduled at once, and starts when this coroutine
    # next gives the event loop a turn: at its first await.
    tasks = [asyncio.create_task(fetch(url, delay)) for url in URLS]
    results = [await task for task in tasks]
    print("results in the order asked: " + ", ".join(results))
    return results


# ANCHOR_END: fetch

if __name__ == "__main__":
    delay = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    asyncio.run(fetch_all(delay))
