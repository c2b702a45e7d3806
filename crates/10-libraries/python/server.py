"""Chapter 10's API with FastAPI, served by uvicorn on loopback.

Usage: python3 server.py [STEP_SECONDS]
Prints "listening on port PORT" once it accepts connections.
"""
import asyncio
import socket
import sys

import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse

# ANCHOR: api
ENDPOINTS = {
    "users": (3, ["Ada", "Grace", "Linus"]),
    "posts": (1, ["Futures are lazy", "Pin, explained"]),
    "comments": (2, "the comments service is down for maintenance"),
}
STEP = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5

app = FastAPI()


@app.get("/api/{name}")
async def endpoint(name: str):
    url = f"api/{name}"
    if name not in ENDPOINTS:
        return JSONResponse({"error": f"no endpoint {url}"}, status_code=404)
    steps, answer = ENDPOINTS[name]
    await asyncio.sleep(STEP * steps)
    if isinstance(answer, str):
        return JSONResponse({"error": answer}, status_code=503)
    return {"url": url, "items": answer}


# ANCHOR_END: api

if __name__ == "__main__":
    # Bound and listening before uvicorn starts, so the port can be printed
    # and a client that connects at once waits in the backlog.
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    print(f"listening on port {sock.getsockname()[1]}", flush=True)
    config = uvicorn.Config(app, log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])
