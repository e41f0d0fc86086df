"""The fake LINE served by aiohttp on one event loop: the same FakeLine, routes, spec checks and faults.

For benchmarks (`python -m fake_line --aio`): the ThreadingHTTPServer parses HTTP in Python with a thread per
connection, ~400 us of CPU a request, so at 1,500 pushes a second on two cores the fake, not the client, set the
pace a benchmark measured. aiohttp parses in C and waits out `--latency` on the loop instead of in a thread.
Every request is still recorded and checked against LINE's OpenAPI spec (FakeLine.answer), as in the tests.
"""

from __future__ import annotations

import asyncio
import threading
from urllib.parse import parse_qs

from aiohttp import web

from fake_line.server import FakeLine, Recorded


class AioServer:
    def __init__(self, fake: FakeLine) -> None:
        self.fake = fake
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        """Serve on a random port of 127.0.0.1 from a thread of its own; the base URL."""
        started: threading.Event = threading.Event()
        urls: list[str] = []

        async def serve() -> None:
            app = web.Application(client_max_size=4 * 1024 * 1024)
            app.router.add_route("*", "/{tail:.*}", self._handle)
            self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            await site.start()
            port = self._runner.addresses[0][1]
            urls.append(f"http://127.0.0.1:{port}")
            started.set()

        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake_line_aio", daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(serve(), self._loop).result(timeout=30)
        started.wait(30)
        self.fake.url = urls[0]
        return urls[0]

    def stop(self) -> None:
        if self._loop is None or self._runner is None:
            return
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=30)
        self._loop = None

    async def _handle(self, http: web.Request) -> web.StreamResponse:
        fake = self.fake
        body = await http.read()  # a client that dies mid-body raises here: a dropped connection, not a request
        request = Recorded(http.method, http.path, parse_qs(http.query_string, keep_blank_values=True),
                           {k.lower(): v for k, v in http.headers.items()}, body)
        with fake._lock:
            fake.requests.append(request)
        fault = fake._take_fault(f"{http.method} {http.path_qs}")
        if fault and fault.delay:
            await asyncio.sleep(fault.delay)
        if fault and fault.drop:
            if fault.accept_first:
                fake.answer(request)
            if http.transport is not None:
                http.transport.close()
            return web.Response()  # never reaches the client: its connection is gone
        if fault and fault.raw is not None:
            return web.Response(status=fault.status or 200, body=fault.raw,
                                headers={"Content-Type": fault.content_type})
        status, data, headers = fake.reply(request, fault)
        headers.pop("Content-Length", None)  # aiohttp writes its own
        return web.Response(status=status, body=data, headers=headers)
