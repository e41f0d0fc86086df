"""The real relay (relay/, a Cloudflare Worker) running locally under wrangler/workerd on 127.0.0.1.

RelayProcess starts `npm run dev` in its own process group with a bounded lifetime, waits for /healthz,
and can be killed with SIGKILL and started again on the same data (--persist-to). Secrets are random
per run. Without node/npm the tests that need it skip, unless SHOPLINE_REQUIRE_RELAY=1 (CI) makes that
a failure. A missing relay/node_modules is installed with `npm ci` first.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

RELAY_DIR = Path(__file__).resolve().parents[1] / "relay"
REQUIRE_ENV = "SHOPLINE_REQUIRE_RELAY"
LIFETIME = 15 * 60  # seconds: the runtime is killed after this even if the tests never tear it down
START_TIMEOUT = 120
NPM_CI_TIMEOUT = 600
QUIET_ENV = {  # nothing phones home, nothing waits for a terminal
    "WRANGLER_SEND_METRICS": "false", "WRANGLER_SEND_ERROR_REPORTS": "false", "NO_UPDATE_NOTIFIER": "1",
    "npm_config_update_notifier": "false", "npm_config_fund": "false", "npm_config_audit": "false",
    "CI": "1", "FORCE_COLOR": "0",
}


def unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"the relay tests are required ({REQUIRE_ENV}=1) but cannot run: {reason}", pytrace=False)
    pytest.skip(f"relay tests skipped: {reason} (set {REQUIRE_ENV}=1 to make this a failure)")


def node_problem() -> str | None:
    if not shutil.which("node") or not shutil.which("npm"):
        return "node and npm are not installed (the relay needs Node.js 20.3 or newer)"
    version = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip().lstrip("v")
    major, minor = (int(x) for x in version.split(".")[:2])
    if (major, minor) < (20, 3):
        return f"Node.js {version} is too old for wrangler 4 (20.3 or newer)"
    return None


def ensure_node_modules() -> None:
    if (RELAY_DIR / "node_modules" / ".bin" / "wrangler").exists():
        return
    run = subprocess.run(["npm", "ci"], cwd=RELAY_DIR, env={**os.environ, **QUIET_ENV}, capture_output=True,
                         text=True, timeout=NPM_CI_TIMEOUT)
    if run.returncode != 0:
        raise RuntimeError(f"npm ci failed in {RELAY_DIR}:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sign(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


class RelayProcess:
    def __init__(self, persist: Path, log: Path) -> None:
        self.persist = persist
        self.log_path = log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.secret = secrets.token_hex(16)  # a LINE channel secret is 32 hex characters
        self.key = secrets.token_urlsafe(32)
        self._proc: subprocess.Popen | None = None
        self._timer: threading.Timer | None = None

    def start(self) -> None:
        ensure_node_modules()
        command = ["npm", "run", "--silent", "dev", "--", "--ip", "127.0.0.1", "--port", str(self.port),
                   "--persist-to", str(self.persist), "--show-interactive-dev-session=false",
                   "--var", f"LINE_CHANNEL_SECRET:{self.secret}", "--var", f"SHOPLINE_RELAY_KEY:{self.key}"]
        if shutil.which("timeout"):  # bounded even if this Python process dies without tearing down
            command = ["timeout", "-s", "KILL", str(LIFETIME), *command]
        with self.log_path.open("ab") as log:
            self._proc = subprocess.Popen(command, cwd=RELAY_DIR, stdin=subprocess.DEVNULL, stdout=log,
                                          stderr=subprocess.STDOUT, env={**os.environ, **QUIET_ENV},
                                          start_new_session=True)
        self._timer = threading.Timer(LIFETIME, self.kill)
        self._timer.daemon = True
        self._timer.start()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"the relay exited ({self._proc.returncode}):\n{self.log()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"the relay did not answer /healthz within {START_TIMEOUT} s:\n{self.log()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL to the whole group (npm, node, wrangler, workerd): nothing gets to flush or clean up."""
        if self._timer is not None:
            self._timer.cancel()
        if self._proc is not None and self._proc.poll() is None:
            try:
                os.killpg(self._proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._proc.wait(timeout=30)
        self._proc = None

    def restart(self) -> None:
        self.kill()
        time.sleep(0.5)  # the port is free once workerd is gone
        self.start()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    # HTTP helpers --------------------------------------------------------------------------------------
    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
        req = urllib.request.Request(self.url + path, data=body, method=method, headers=headers or {})
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(req, timeout=30) as answer:
                return answer.status, answer.read(), {k.lower(): v for k, v in answer.headers.items()}
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(), {k.lower(): v for k, v in exc.headers.items()}

    def post_webhook(self, events: list[dict], *, signature: str | None | bool = True,
                     raw: bytes | None = None) -> int:
        body = raw if raw is not None else json.dumps({"destination": "U" + "b" * 32, "events": events}).encode()
        headers = {"content-type": "application/json"}
        if signature is True:
            headers["x-line-signature"] = sign(body, self.secret)
        elif isinstance(signature, str):
            headers["x-line-signature"] = signature
        return self.request("POST", "/webhook", body, headers)[0]

    def api(self, method: str, path: str, body: object = None, key: str | None = None) -> tuple[int, object]:
        data = None if body is None else json.dumps(body).encode()
        status, raw, _ = self.request(method, path, data, {"authorization": f"Bearer {key or self.key}",
                                                           "content-type": "application/json"})
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode(errors="replace")

    def last_cursor(self) -> int:
        status, answer = self.api("GET", "/api/status")
        assert status == 200, answer
        return int(answer["last"])  # type: ignore[index]

    def d1_bytes(self) -> bytes:
        """Every file of the local D1 database (sqlite and its WAL), as raw bytes."""
        return b"".join(p.read_bytes() for p in self.persist.rglob("*") if p.is_file())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - urllib's signature
        return None


@pytest.fixture(scope="session")
def relay(tmp_path_factory):
    problem = node_problem()
    if problem:
        unavailable(problem)
    folder = tmp_path_factory.mktemp("relay")
    process = RelayProcess(folder / "d1", folder / "wrangler.log")
    try:
        process.start()
    except (RuntimeError, subprocess.TimeoutExpired, OSError) as exc:
        unavailable(str(exc))
    yield process
    process.kill()


@pytest.fixture
def relay_env(relay, store, monkeypatch):
    """The relay as this test's store sees it: SHOPLINE_RELAY_URL/KEY set, and the store's cursor at the end of
    the queue, so a test sees only the events it posts (the session's relay holds earlier tests' events)."""
    from shopline.inbox.apply import CURSOR_KEY, RELAY_KEY
    from shopline.store.models import Setting

    monkeypatch.setenv("SHOPLINE_RELAY_URL", relay.url)
    monkeypatch.setenv("SHOPLINE_RELAY_KEY", relay.key)
    Setting.replace_many([{"key": CURSOR_KEY, "value": str(relay.last_cursor())},
                          {"key": RELAY_KEY, "value": relay.url}]).execute()
    return relay
