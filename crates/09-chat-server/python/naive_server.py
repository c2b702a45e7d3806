"""Chapter 9 in asyncio: the tutorial's chat server, faults and all.

A read is taken as a message, and the relay awaits each other client's
drain in turn: `chat_server.py` is the same server, fixed.

Usage: python3 naive_server.py [--port 7878]
(`--port 0` picks a free port; the server prints `listening on IP:PORT`).
"""
import argparse
import asyncio

# ANCHOR: naive
clients = set()


async def handle(reader, writer):
    clients.add(writer)
    host, port = writer.get_extra_info("peername")[:2]
    name = f"{host}:{port}"
    while data := await reader.read(64):  # whatever has arrived, up to 64
        for other in list(clients):
            if other is not writer:
                other.write(f"{name}: ".encode() + data)
                await other.drain()  # waits while that client's buffer is full
    clients.discard(writer)
    writer.close()
# ANCHOR_END: naive


async def main(port):
    server = await asyncio.start_server(handle, "127.0.0.1", port)
    host, port = server.sockets[0].getsockname()[:2]
    print(f"listening on {host}:{port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=7878)
    try:
        asyncio.run(main(parser.parse_args().port))
    except KeyboardInterrupt:
        pass
