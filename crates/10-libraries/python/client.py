"""Chapter 10's three fetches with aiohttp, collected in the order asked.

Usage: python3 client.py BASE_URL
"""
import asyncio
import sys

import aiohttp

URLS = ["api/users", "api/posts", "api/comments"]


# ANCHOR: client
async def fetch(session, base, url):
    async with session.get(f"{base}/{url}") as response:
        body = await response.json()  # aiohttp checks the content type
        if response.ok:
            return f"{url}: {response.status} {response.reason}: " + ", ".join(
                body["items"]
            )
        return f"{url}: {response.status} {response.reason}: {body['error']}"


async def fetch_all(base):
    # One session: a pool of connections, as one reqwest::Client is.
    async with aiohttp.ClientSession() as session:
        tasks = [asyncio.create_task(fetch(session, base, url)) for url in URLS]
        for task in tasks:
            print(await task)


# ANCHOR_END: client

if __name__ == "__main__":
    asyncio.run(fetch_all(sys.argv[1]))
