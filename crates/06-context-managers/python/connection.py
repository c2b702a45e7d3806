"""Chapter 6 in asyncio: a database connection as an async context manager.

Usage: python3 connection.py SCALE PATH
  SCALE  a factor for every delay (1 for the scene's real times)
  PATH   success | error | panic | timeout | contextmanager

Connect takes 1 s, each query 0.5 s, close 0.5 s (times SCALE). On the
timeout path the second query hangs and asyncio.timeout cancels the body
at 1.75 s: __aexit__ still runs, receives the CancelledError, and awaits
the close.
"""
import asyncio
import contextlib
import sys

QUERIES = ["SELECT * FROM users", "SELECT * FROM orders"]


# ANCHOR: manager
class AsyncDatabaseConnection:
    def __init__(self, scale):
        self.scale = scale

    async def __aenter__(self):
        print("connection 1: connecting")
        await asyncio.sleep(1.0 * self.scale)
        print("connection 1: open")
        return self

    async def query(self, sql, hangs=False):
        if hangs:
            print(f"connection 1: {sql} (the server hangs)")
            await asyncio.Event().wait()  # never set
        print(f"connection 1: {sql}")
        await asyncio.sleep(0.5 * self.scale)
        return f"rows of {sql!r}"

    async def __aexit__(self, exc_type, exc, tb):
        # Runs on every way out: a return, an exception, a cancellation.
        print(f"__aexit__ got {exc_type.__name__ if exc_type else None}")
        print("connection 1: closing")
        await asyncio.sleep(0.5 * self.scale)  # awaiting in cleanup: allowed
        print("connection 1: closed")
        return False  # do not swallow the exception
# ANCHOR_END: manager


# ANCHOR: paths
async def session(conn, path):
    first = await conn.query(QUERIES[0])
    if path == "error":
        raise LookupError('relation "orders" does not exist')
    if path == "panic":
        raise RuntimeError("the body panicked after the first query")
    second = await conn.query(QUERIES[1], hangs=(path == "timeout"))
    return [first, second]


async def main(scale, path):
    limit = 1.75 * scale if path == "timeout" else None  # None: no timeout
    try:
        async with asyncio.timeout(limit):
            async with AsyncDatabaseConnection(scale) as conn:
                rows = await session(conn, path)
        print(f"{len(rows)} rows")
    except TimeoutError:
        print("timed out")
    except (LookupError, RuntimeError) as error:
        print(f"raised {type(error).__name__}: {error}")
# ANCHOR_END: paths


# ANCHOR: contextmanager
@contextlib.asynccontextmanager
async def connection(scale):
    print("connection 1: connecting")
    await asyncio.sleep(1.0 * scale)
    print("connection 1: open")
    try:
        yield AsyncDatabaseConnection(scale)
    finally:
        # The `finally` of a generator: it runs, awaits included, on every
        # way out, cancellation too.
        print("connection 1: closing")
        await asyncio.sleep(0.5 * scale)
        print("connection 1: closed")


async def main_contextmanager(scale):
    try:
        async with asyncio.timeout(1.75 * scale):
            async with connection(scale) as conn:
                await conn.query(QUERIES[0])
                await conn.query(QUERIES[1], hangs=True)
    except TimeoutError:
        print("timed out")
# ANCHOR_END: contextmanager


if __name__ == "__main__":
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    path = sys.argv[2] if len(sys.argv) > 2 else "success"
    if path == "contextmanager":
        asyncio.run(main_contextmanager(scale))
    else:
        asyncio.run(main(scale, path))
