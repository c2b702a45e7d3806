"""Chapter 9 in asyncio: the tutorial's chat server, fixed.

The naive version reads `reader.read(64)` as a message and relays it with
`other.write(data); await other.drain()`, one client after the other. This
one speaks the chapter's protocol, byte for byte as the Rust servers do:

- a message is a line (`readline`, at most 4,096 bytes; `\\r\\n` is accepted);
- each client has a bounded outbox (an `asyncio.Queue`) and a writer task of
  its own, so a client that stops reading never delays the others;
- a client whose outbox is full is dropped, never the sender: memory stays
  bounded whatever the clients do.

Usage: python3 chat_server.py [--host 127.0.0.1] [--port 7878] [--uvloop]
(`--port 0` picks a free port; the server prints `listening on IP:PORT`).
"""
import argparse
import asyncio
import signal
import sys
import unicodedata

# ANCHOR: limits
LINE_LIMIT = 4096  # bytes in a line, not counting its `\n` or `\r\n`
OUTBOX = 1024  # lines queued for one client before it is dropped as too slow
NAME_LIMIT = 32  # characters in a /nick name
# ANCHOR_END: limits


# ANCHOR: client
class Client:
    """One connection: its name, its socket's writer, its bounded outbox."""

    def __init__(self, name, writer):
        self.name = name
        self.writer = writer
        self.outbox = asyncio.Queue(maxsize=OUTBOX)
        self.gone = False
        self.writer_task = asyncio.create_task(self.write_outbox())

    def deliver(self, line):
        """Queues a line without waiting; False when the outbox is full."""
        if self.gone:
            return True
        try:
            self.outbox.put_nowait(line.encode() + b"\n")
            return True
        except asyncio.QueueFull:
            return False

    async def write_outbox(self):
        """The writer task: only it waits for this client's socket."""
        while (data := await self.outbox.get()) is not None:
            self.writer.write(data)
            await self.writer.drain()
# ANCHOR_END: client

    def drop(self, last_line):
        """Closes the connection now, whatever is queued, with `last_line`
        if the socket can still take it."""
        self.gone = True
        self.writer_task.cancel()
        transport = self.writer.transport
        transport.write(last_line.encode() + b"\n")
        if transport.get_write_buffer_size() == 0:
            transport.close()
        else:
            transport.abort()  # close() would wait to flush, for ever

    async def finish(self):
        """Lets the writer task send what is queued, then closes."""
        if not self.gone:
            self.gone = True
            try:
                await asyncio.wait_for(self.outbox.put(None), timeout=5)
                await asyncio.wait_for(self.writer_task, timeout=5)
            except (asyncio.TimeoutError, ConnectionError):
                pass
        self.writer_task.cancel()
        self.writer.close()


class Room:
    """Everyone connected, and the relay."""

    def __init__(self):
        self.clients = set()

    # ANCHOR: broadcast
    def broadcast(self, line, sender=None):
        """Hands `line` to everyone but `sender`; waits for no one."""
        for client in list(self.clients):
            if client is not sender and not client.deliver(line):
                self.leave(client)
                client.drop("* error: too slow")
    # ANCHOR_END: broadcast

    def leave(self, client):
        if client in self.clients:
            self.clients.discard(client)
            self.broadcast(f"* {client.name} left")

    # ANCHOR: handle
    async def handle(self, reader, writer):
        host, port = writer.get_extra_info("peername")[:2]
        client = Client(f"{host}:{port}", writer)
        client.deliver(f"* welcome {client.name}")
        self.broadcast(f"* {client.name} joined")
        self.clients.add(client)
        try:
            while client in self.clients:
                try:
                    raw = await reader.readline()
                except ValueError:  # longer than the reader's limit
                    client.deliver("* error: line too long")
                    break
                # An unfinished last line, at the end, counts as a line.
                if not raw or not self.on_line(client, raw) or raw[-1:] != b"\n":
                    break
        except ConnectionError:
            pass
        finally:
            self.leave(client)
            await client.finish()
    # ANCHOR_END: handle

    def on_line(self, client, raw):
        """Acts on one line; False when the client is to be let go."""
        raw = raw.removesuffix(b"\n").removesuffix(b"\r")
        if len(raw) > LINE_LIMIT:  # the reader's limit let a `\r` more in
            client.deliver("* error: line too long")
            return False
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            client.deliver("* error: not UTF-8")
            return True
        command, _, rest = text.removeprefix("/").partition(" ")
        if not text:
            pass
        elif not text.startswith("/"):
            self.broadcast(f"{client.name}: {text}", sender=client)
        elif command == "quit":
            client.deliver("* bye")
            return False
        elif command == "nick":
            self.nick(client, rest)
        else:
            client.deliver("* error: unknown command")
        return True

    def nick(self, client, new):
        if not valid_name(new):
            client.deliver("* error: bad name")
        elif any(other.name == new for other in self.clients if other is not client):
            client.deliver("* error: name taken")
        else:
            old, client.name = client.name, new
            self.broadcast(f"* {old} is now {new}")  # to the renamed one too


def valid_name(name):
    """1 to 32 characters, none a space or a control character."""
    return 1 <= len(name) <= NAME_LIMIT and not any(
        c.isspace() or unicodedata.category(c) == "Cc" for c in name
    )


async def main(host, port):
    room = Room()
    # `readline` counts a `\r` before the `\n` as text: one byte more.
    server = await asyncio.start_server(room.handle, host, port, limit=LINE_LIMIT + 1)
    host, port = server.sockets[0].getsockname()[:2]
    print(f"listening on {host}:{port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with server:
        await stop.wait()
        clients = list(room.clients)
        room.clients.clear()
        for client in clients:
            if not client.deliver("* bye"):
                client.drop("* error: too slow")
        await asyncio.gather(*(client.finish() for client in clients))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7878)
    parser.add_argument("--uvloop", action="store_true", help="run on uvloop")
    args = parser.parse_args()
    loop_factory = None
    if args.uvloop:
        try:
            import uvloop
        except ImportError:
            sys.exit("--uvloop: uvloop is not installed (pip install uvloop)")
        loop_factory = uvloop.new_event_loop
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        runner.run(main(args.host, args.port))
