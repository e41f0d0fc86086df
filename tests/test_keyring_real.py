"""The app's own code against a real Secret Service.

Inside a D-Bus session with an unlocked keyring it talks to it directly. Outside one,
test_in_private_session starts its own (dbus-run-session + gnome-keyring-daemon, as
TOOLCHAIN.md measured) and runs this file there, so the README's one pytest command
exercises the real keyring wherever gnome-keyring is installed; under CI it must be.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import keyring
import pytest

from shopline import secrets

pytestmark = pytest.mark.real_keyring


@pytest.fixture
def secret_service():
    from keyring.backends import SecretService

    backend = SecretService.Keyring()
    try:
        backend.priority  # raises when no Secret Service answers on D-Bus  # noqa: B018
        backend.get_password("ShopLine-probe", "probe")  # raises when the collection is locked
    except Exception as exc:
        pytest.skip(f"no usable Secret Service: {type(exc).__name__}: {exc}")
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_store_read_delete(secret_service):
    channel = f"Utest{uuid.uuid4().hex}"
    token = f"real-keyring-{uuid.uuid4().hex}"
    secrets.store_token(channel, token)
    try:
        assert secrets.load_token(channel) == token
        assert secret_service.get_password(secrets.SERVICE, channel) == token
    finally:
        secrets.delete_token(channel)
    assert secrets.load_token(channel) is None


_INSIDE = "SHOPLINE_KEYRING_SESSION"


@pytest.mark.skipif(bool(os.environ.get(_INSIDE) or os.environ.get("DBUS_SESSION_BUS_ADDRESS")),
                    reason="already inside a D-Bus session: the test above ran against it")
def test_in_private_session(tmp_path):
    tools = [shutil.which(t) for t in ("dbus-run-session", "gnome-keyring-daemon")]
    if not all(tools):
        if os.environ.get("CI") == "true":
            pytest.fail("CI must test the real keyring: install gnome-keyring and dbus (see .ci/run)")
        pytest.skip("gnome-keyring / dbus-run-session not installed")
    script = ('printf "%s" "$KEYRING_PW" | gnome-keyring-daemon --unlock --components=secrets >/dev/null; '
              f'exec "{sys.executable}" -m pytest -q -p no:cacheprovider -m real_keyring "{Path(__file__)}" '
              '-k "not private_session"')
    # A fresh keyring folder: the unlock password is new each run, and a developer's own keyring is never touched.
    env = {**os.environ, _INSIDE: "1", "KEYRING_PW": uuid.uuid4().hex, "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_RUNTIME_DIR": str(tmp_path / "run")}
    (tmp_path / "run").mkdir(mode=0o700)
    done = subprocess.run(["dbus-run-session", "--", "sh", "-ec", script], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "1 passed" in done.stdout and "skipped" not in done.stdout, done.stdout[-2000:]
