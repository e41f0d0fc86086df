"""The fake LINE server: a ThreadingHTTPServer on 127.0.0.1 that checks requests against LINE's spec.

A request the spec rejects, or one no route answers, gets 400 and is kept in
`violations`; the pytest fixture fails the test when any are left.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from fake_line import insight_routes, routes  # noqa: F401 - insight_routes adds its routes to routes.ROUTES
from fake_line.spec import INSIGHT_PREFIX, RequestChecker, load_insight_spec

TOKEN = "fake-channel-token-0123456789abcdefABCDEF+/="


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # names in lower case
    body: bytes
    at: float = field(default_factory=time.monotonic)  # arrival, for rate measurements


@dataclass
class Fault:
    """What goes wrong, for requests whose `method path` matches, for the next `times` of them (None: always)."""

    pattern: re.Pattern
    status: int | None = None
    body: dict = field(default_factory=lambda: {"message": "An error occurred in the server"})
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False
    times: int | None = 1
    accept_first: bool = False  # LINE does the work, then the answer is lost to this error (or to the drop)
    raw: bytes | None = None  # an answer that is not LINE's (a captive portal's page), sent as it is
    content_type: str = "text/html; charset=utf-8"  # for `raw`


def peak_per_second(times: list[float]) -> int:
    """The most of `times` (arrival times, seconds) within any one-second window."""
    times, best, first = sorted(times), 0, 0
    for last, t in enumerate(times):
        while t - times[first] >= 1.0:
            first += 1
        best = max(best, last - first + 1)
    return best


def user_id(n: int) -> str:
    return f"U{n:032x}"


class FakeLine:
    def __init__(self, spec, *, token: str = TOKEN, validate_responses: bool = True) -> None:
        self.spec = spec
        self.checker = RequestChecker(spec)
        self.token = token
        self.validate_responses = validate_responses
        self.bot = {
            "userId": "U" + "b" * 32,
            "basicId": "@123abcde",
            "displayName": "テスト商店",
            "chatMode": "chat",
            "markAsReadMode": "manual",
        }
        self.followers: list[str] = []
        self.profiles: dict[str, dict] = {}
        self.blocked: set[str] = set()
        self.followers_forbidden = False
        # Sending (routes.py): the month's quota and usage, retry keys LINE remembers, who got what.
        self.clock = time.monotonic  # tests move it to make LINE forget keys after 24 hours
        self.quota: dict = {"type": "none"}
        self.total_usage = 0
        # Called under the lock after each accepted send: what happens elsewhere meanwhile (the web manager sends).
        self.after_send: Callable[[FakeLine], None] | None = None
        self.retry_keys: dict[str, tuple[float, str]] = {}  # key -> (accepted at, request id)
        self.delivered: Counter[str] = Counter()  # user ID -> campaign messages received
        self.multicasts: list[dict] = []  # accepted multicast bodies, with their retry key
        self.pushes: list[dict] = []
        self.rejected_texts: set[str] = set()  # texts validate/multicast refuses
        self.expected_texts: dict[str, list[str]] | None = None  # user ID -> the texts its push must carry
        self.insight = insight_routes.InsightData()  # what the insight endpoints answer (insight_routes.py)
        self._insight_checker: RequestChecker | None = None  # checked against insight.yml, loaded when first asked
        self.requests: list[Recorded] = []
        self.violations: list[str] = []
        self.faults: list[Fault] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None

    # Scripting -----------------------------------------------------------------------------------

    def add_followers(self, count: int, first: int = 0) -> list[str]:
        """`count` friends with profiles; the ones at odd numbers have no picture or language."""
        added = []
        for n in range(first, first + count):
            uid = user_id(n)
            profile = {"userId": uid, "displayName": f"友だち{n}"}
            if n % 2 == 0:
                profile |= {"pictureUrl": f"https://profile.line-scdn.net/p{n}", "language": "ja"}
            self.profiles[uid] = profile
            added.append(uid)
        self.followers.extend(added)
        return added

    def fault(self, pattern: str, **kwargs) -> Fault:
        """Script a failure for requests matching `pattern` against "METHOD /path?query"."""
        fault = Fault(re.compile(pattern), **kwargs)
        with self._lock:
            self.faults.append(fault)
        return fault

    def requests_to(self, path_prefix: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path.startswith(path_prefix)]

    def peak_per_second(self, path_prefix: str) -> int:
        """The most requests to `path_prefix` that arrived within any one-second window."""
        return peak_per_second([r.at for r in self.requests_to(path_prefix)])

    # Lifecycle -----------------------------------------------------------------------------------

    def start(self, lifetime: float = 120.0) -> str:
        """Serve on a random port; the server stops by itself after `lifetime` seconds."""
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = _Server(("127.0.0.1", 0), handler)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        timer = threading.Timer(lifetime, self.stop)
        timer.daemon = True
        timer.start()
        self._timer = timer
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        return self.url

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            server, self._server = self._server, None
            self._timer.cancel()
            server.shutdown()
            server.server_close()

    # Answering -----------------------------------------------------------------------------------

    def _take_fault(self, target: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.pattern.search(target) and (fault.times is None or fault.times > 0):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None

    def _check_response(self, request: Recorded, status: int, body: bytes) -> str | None:
        from openapi_core.templating.responses.exceptions import ResponseNotFound
        from openapi_core.testing import MockRequest, MockResponse

        mock = MockRequest(RequestChecker.SPEC_HOST, request.method.lower(), request.path, headers=request.headers)
        spec = self._checker_for(request.path).spec
        try:
            spec.validate_response(mock, MockResponse(body, status_code=status))
        except ResponseNotFound:  # the spec documents only 200 for most operations
            return None
        except Exception as exc:
            return f"fake answered against the spec: {type(exc).__name__}: {exc}"
        return None

    def _checker_for(self, path: str) -> RequestChecker:
        if not path.startswith(INSIGHT_PREFIX):
            return self.checker
        if self._insight_checker is None:
            self._insight_checker = RequestChecker(load_insight_spec())
        return self._insight_checker

    def answer(self, request: Recorded) -> tuple[int, dict, dict[str, str]]:
        query = {k: v[-1] for k, v in request.query.items()}
        checker = self._checker_for(request.path)
        problem = checker.check(request.method, request.path, query, request.headers, request.body)
        if problem is None:
            for method, pattern, handler in routes.ROUTES:
                match = pattern.match(request.path)
                if method == request.method and match:
                    if request.headers.get("authorization") != f"Bearer {self.token}":
                        return (
                            401,
                            {
                                "message": "Authentication failed. Confirm that the access token in the "
                                "authorization header is valid."
                            },
                            {},
                        )
                    return handler(self, request, match)
            problem = "valid per spec, but the fake has no route for it"
        with self._lock:
            self.violations.append(f"{request.method} {request.path}: {problem}")
        return 400, {"message": "The request is invalid (fake LINE)", "details": [{"message": problem[:500]}]}, {}


    def reply(self, request: Recorded, fault: Fault | None) -> tuple[int, bytes, dict[str, str]]:
        """Status, body and headers for a request that is answered (no drop, no raw page), checked when asked."""
        if fault and fault.status:
            if fault.accept_first:
                self.answer(request)
            status, body, headers = fault.status, fault.body, fault.headers
        else:
            status, body, headers = self.answer(request)
        data = json.dumps(body, ensure_ascii=False).encode()
        if self.validate_responses and status < 300:
            problem = self._check_response(request, status, data)
            if problem:
                with self._lock:
                    self.violations.append(problem)
        # A route may name its own request ID.
        return status, data, {"Content-Type": "application/json", "Content-Length": str(len(data)),
                              "x-line-request-id": f"fake-{len(self.requests)}"} | headers


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # keep-alive connections must not hold up stop()
    # A personal send opens 64 connections at once; socketserver's backlog of 5 dropped the rest's SYNs, which
    # TCP sends again a second later: requests that left before a Ctrl-C arrived after it.
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that hangs up (dropped-connection faults, a killed sender) is part of the tests.
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    fake: FakeLine
    protocol_version = "HTTP/1.1"  # keep-alive, as urllib3 pools connections
    disable_nagle_algorithm = True  # otherwise every small answer waits ~40 ms for a delayed ACK
    timeout = 10  # an idle connection's thread ends by itself

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def _serve(self) -> None:
        fake = self.fake
        url = urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            # The client died mid-request (the SIGKILL test does this on purpose): LINE would see a
            # dropped connection, not a request, so neither answer it nor judge it against the spec.
            self.close_connection = True
            return
        request = Recorded(
            self.command,
            url.path,
            parse_qs(url.query, keep_blank_values=True),
            {k.lower(): v for k, v in self.headers.items()},
            body,
        )
        with fake._lock:
            fake.requests.append(request)
        fault = fake._take_fault(f"{self.command} {self.path}")
        if fault and fault.delay:
            fake._stopping.wait(fault.delay)
        if fault and fault.drop:
            if fault.accept_first:  # LINE took it, then the connection broke before its answer
                fake.answer(request)
            self.close_connection = True
            return
        if fault and fault.raw is not None:
            self._send_raw(fault.status or 200, fault.raw, fault.content_type)
            return
        status, data, headers = fake.reply(request, fault)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _send_raw(self, status: int, data: bytes, content_type: str) -> None:
        """Someone else's answer: none of LINE's headers (no x-line-request-id)."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
