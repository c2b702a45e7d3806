"""Chapter 9 in asyncio: a chat client (standard library only).

Connects, sends the lines given as arguments (or, with none, the lines typed
on stdin), and prints every line it receives. It exits once it has received
`--count` lines, or after `--timeout` seconds, or when the server closes.

Usage: python3 chat_client.py [--addr 127.0.0.1:7878] [--name NAME]
                              [--count N] [--timeout SECONDS] [LINE...]
"""
import argparse
import asyncio
import sys


# ANCHOR: client
async def receive(reader, count):
    """Prints each line received, until `count` lines or the end."""
    received = 0
    while count is None or received < count:
        line = await reader.readline()
        if not line:
            break
        print(line.decode(errors="replace").rstrip("\r\n"), flush=True)
        received += 1


async def send_stdin(writer):
    """Sends each line typed, read on a thread so the loop never blocks."""
    while line := await asyncio.to_thread(sys.stdin.readline):
        writer.write(line.encode())
        await writer.drain()


async def main(args):
    host, _, port = args.addr.rpartition(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    if args.name:
        writer.write(f"/nick {args.name}\n".encode())
    for line in args.lines:
        writer.write(line.encode() + b"\n")
    await writer.drain()
    typing = None if args.lines else asyncio.create_task(send_stdin(writer))
    try:
        async with asyncio.timeout(args.timeout):
            await receive(reader, args.count)
    except TimeoutError:
        pass
    finally:
        if typing is not None:
            typing.cancel()
        writer.close()
# ANCHOR_END: client


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addr", default="127.0.0.1:7878")
    parser.add_argument("--name", help="send /nick NAME first")
    parser.add_argument("--count", type=int, help="exit after N lines received")
    parser.add_argument("--timeout", type=float, help="exit after SECONDS")
    parser.add_argument("lines", nargs="*", metavar="LINE", help="lines to send")
    args = parser.parse_args()
    try:
        asyncio.run(main(args))
    except OSError as error:
        sys.exit(f"chat_client.py: {args.addr}: {error}")
    except KeyboardInterrupt:
        pass
