"""Shared fixtures: every test gets its own data folder and database."""

from __future__ import annotations

import os

# Before anything imports Qt: tests never need a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("SHOPLINE_CHANNEL_TOKEN", None)
os.environ.pop("SHOPLINE_HOME", None)
os.environ["SHOPLINE_LANG"] = "ja"

import pytest  # noqa: E402

from shopline.core import messages  # noqa: E402
from shopline.store import close_store, open_store  # noqa: E402

pytest_plugins = ["fake_line.fixtures"]


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "shop"
    folder.mkdir()
    monkeypatch.setenv("SHOPLINE_HOME", str(folder))
    return folder


@pytest.fixture
def store(data_dir):
    """An open, empty database in a fresh data folder."""
    open_store(data_dir)
    messages.set_language("ja")
    yield data_dir
    close_store()
