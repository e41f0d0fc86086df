"""The app's own code against a real Secret Service (run by .ci/run inside dbus-run-session)."""

from __future__ import annotations

import uuid

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
