"""The fake LINE itself: requests that break LINE's spec are answered 400 and reported."""

from __future__ import annotations

import time
from pathlib import Path

import urllib3
from fake_line.spec import spec_path


def test_spec_is_the_copy_inside_the_repository():
    assert spec_path().name == "messaging-api.yml"
    assert spec_path().parent == Path(__file__).resolve().parent / "line_openapi"


def test_invalid_requests_are_caught(fake_line):
    http = urllib3.PoolManager()
    url = fake_line.url
    auth = {"Authorization": f"Bearer {fake_line.token}"}
    assert http.request("GET", f"{url}/v2/bot/followers/ids?limit=5000", headers=auth).status == 400
    assert http.request("GET", f"{url}/v2/bot/info").status == 400  # no Authorization at all
    assert http.request("GET", f"{url}/v2/bot/no-such-thing", headers=auth).status == 400
    # In the spec, but not served by the fake: a test reaching it must learn so, not get a made-up answer.
    assert http.request("GET", f"{url}/v2/bot/message/delivery/broadcast?date=20261101", headers=auth).status == 400
    assert len(fake_line.violations) == 4
    assert "limit" in fake_line.violations[0]
    fake_line.violations.clear()  # expected here; any left would fail the test


def test_server_stops_by_itself(line_spec):
    from fake_line import FakeLine

    fake = FakeLine(line_spec)
    url = fake.start(lifetime=0.2)
    http = urllib3.PoolManager(retries=False)
    assert http.request("GET", f"{url}/v2/bot/info", headers={"Authorization": f"Bearer {fake.token}"}).status == 200
    deadline = time.monotonic() + 3
    while fake._server is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert fake._server is None
