"""Shared fixtures: every test gets its own data folder and database."""

from __future__ import annotations

import os
import sys

# Before anything imports Qt: tests never need a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("SHOPLINE_CHANNEL_TOKEN", None)
os.environ.pop("SHOPLINE_HOME", None)
os.environ["SHOPLINE_LANG"] = "ja"

import pytest  # noqa: E402

# Helper modules the tests import by name: their asserts report values only if rewritten, which pytest does only
# for modules registered before anything imports them (conftest loads first).
pytest.register_assert_rewrite("segment_builder_fixtures")

from shopline.core import messages  # noqa: E402
from shopline.store import close_store, open_store  # noqa: E402

pytest_plugins = ["fake_line.fixtures"]


@pytest.fixture(scope="session")
def qapp(qapp):
    """pytest-qt's application, with cycles collected on the UI thread as the app does (shopline.ui.gc_guard)."""
    from shopline.ui import gc_guard

    gc_guard.install(qapp)
    return qapp


@pytest.fixture(autouse=True)
def _collect_cycles_between_tests():
    """With automatic collection off once Qt is up, a test that never spins the event loop still gets its turn."""
    yield
    guard = sys.modules.get("shopline.ui.gc_guard")  # never imported here: most tests have no Qt at all
    if guard is not None:
        guard.check()


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
