"""pytest fixtures for the fake LINE server (exposed through pytest_plugins in tests/conftest.py)."""

from __future__ import annotations

import pytest

from fake_line.server import FakeLine
from fake_line.spec import load_spec


@pytest.fixture(scope="session")
def line_spec():
    return load_spec()


@pytest.fixture
def fake_line(line_spec, monkeypatch):
    """A fake LINE on 127.0.0.1 for one test; SHOPLINE_LINE_API points at it.

    Fails the test if any request broke LINE's spec or hit no route.
    """
    fake = FakeLine(line_spec)
    monkeypatch.setenv("SHOPLINE_LINE_API", fake.start(lifetime=60))
    yield fake
    fake.stop()
    if fake.violations:
        pytest.fail("requests to the fake LINE broke the spec:\n" + "\n".join(fake.violations), pytrace=False)


@pytest.fixture
def memory_keyring():
    """An in-memory keyring backend for the test; `.entries` maps (service, username) to the secret."""
    import keyring
    import keyring.backend
    import keyring.errors

    class Memory(keyring.backend.KeyringBackend):
        priority = 1

        def __init__(self) -> None:
            super().__init__()
            self.entries: dict[tuple[str, str], str] = {}

        def set_password(self, service: str, username: str, password: str) -> None:
            self.entries[(service, username)] = password

        def get_password(self, service: str, username: str) -> str | None:
            return self.entries.get((service, username))

        def delete_password(self, service: str, username: str) -> None:
            if self.entries.pop((service, username), None) is None:
                raise keyring.errors.PasswordDeleteError(username)

    previous = keyring.get_keyring()
    backend = Memory()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
