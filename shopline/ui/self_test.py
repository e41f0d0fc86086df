"""`ShopLine --self-test`: prove a build starts, from source or frozen, and say what is missing if not.

It goes through what a shop's first start needs, in the app's own order (translations,
database, window), then what is loaded later (bundled data, LINE's SDK, the keyring), on a temporary
data folder and offscreen, so it never touches the shop's data or settings.
Each check prints one line; the exit status is the number of failed checks (0 = all good).
"""

from __future__ import annotations

import importlib.metadata
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QSettings
from PySide6.QtWidgets import QApplication

from shopline import APP_NAME, __version__
from shopline.core import plans
from shopline.core.drafts import stickers
from shopline.store import close_store, open_store, schema
from shopline.ui import i18n_build, operations
from shopline.ui.app import install_translations
from shopline.ui.main_window import MainWindow


class CheckFailed(Exception):
    """A sentence saying what is wrong, for the report."""


def _translations(app: QApplication) -> str:
    loaded = {Path(t.filePath()).name: t for t in install_translations(app, "ja")}
    expected = [(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / "qtbase_ja.qm", "Qt's"),
                (i18n_build.I18N_DIR / "shopline_ja.qm", "ShopLine's")]
    for path, whose in expected:
        if path.name not in loaded or loaded[path.name].isEmpty():
            raise CheckFailed(f"{whose} Japanese translation was not loaded: {path} is missing or empty")
    # What Qt's own buttons now say; the context is a variable so lupdate leaves it to qtbase_ja.qm.
    qt_context = "QPlatformTheme"
    sample = QCoreApplication.translate(qt_context, "Cancel")
    return f"{', '.join(str(path) for path, _ in expected)} (Cancel → {sample})"


def _database(folder: Path) -> str:
    open_store(folder)
    version = schema.current_version()
    if version != schema.SCHEMA_VERSION:
        raise CheckFailed(f"the database is at schema v{version}, expected v{schema.SCHEMA_VERSION}")
    return f"schema v{version} ready in {folder}"


def _resources() -> str:
    return f"{len(plans.bundled_plans())} plans, {len(stickers.sticker_packages())} sticker packages"


def _window(app: QApplication, folder: Path) -> str:
    # Its own settings file: the window must not overwrite the shop's saved geometry.
    settings = QSettings(str(folder / "self-test.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    window.show()
    app.processEvents()
    handle = window.windowHandle()
    if not window.isVisible() or handle is None or not handle.isExposed():
        raise CheckFailed(f"the main window did not appear on the '{app.platformName()}' platform")
    print("window shown", flush=True)  # build_release.py and the bench time the process up to this line
    # Pages are built when first opened: build each now, so a module the bundle lacks fails here, not in a shop.
    window.start()
    for row in range(window.nav.count()):
        window.page_at(row)
    app.processEvents()
    if not operations.wait_idle(30_000):
        raise CheckFailed("the pages' background work did not finish within 30 s")
    window.close()
    return f"'{window.windowTitle()}' shown on the '{app.platformName()}' platform, {window.nav.count()} pages built"


def _line_sdk() -> str:
    begin = time.perf_counter()
    import linebot.v3.messaging  # noqa: F401 - the import is the check: pydantic and friends must be bundled

    return f"linebot.v3.messaging {importlib.metadata.version('line-bot-sdk')} imported in " \
           f"{time.perf_counter() - begin:.2f} s"


def _native_modules() -> str:
    """The compiled modules only some paths load: the count engine's bitmaps (pyroaring, stripped on Linux
    builds) and the personal sends' HTTP client with its C parser (aiohttp falls back to pure Python silently)."""
    import aiohttp._http_parser  # noqa: F401 - the import is the check

    from shopline.core.segments import parse
    from shopline.line import async_client  # noqa: F401 - line-bot-sdk's asyncio client, as personal sends use it
    from shopline.store import segment_sql
    from shopline.store.bitmaps import engine

    if not engine.usable():
        raise CheckFailed("the count engine cannot read the test database")
    counted = segment_sql.count(parse("NOT (gender = female OR region = 東京都)"))
    if engine.builds() < 1:
        raise CheckFailed("a segment was counted without the bitmap engine (pyroaring)")
    return f"pyroaring counted a segment ({counted} friends), aiohttp's C parser and the async LINE client loaded"


def _keyring() -> str:
    import keyring

    bundled = sorted(ep.name for ep in importlib.metadata.entry_points(group="keyring.backends"))
    if not bundled:
        raise CheckFailed("no keyring backends are bundled (keyring's entry points are missing)")
    backend = keyring.get_keyring()
    name = f"{type(backend).__module__.removeprefix('keyring.backends.')}.{type(backend).__name__}"
    # fail.Keyring is what a machine without a Secret Service gets: the machine's state, not the build's.
    note = " (no usable keyring on this machine)" if name == "fail.Keyring" else ""
    return f"{name}{note}; backends bundled: {', '.join(bundled)}"


def run() -> int:
    # Before the QApplication exists; a caller may pick another platform, e.g. xcb under Xvfb.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
    print(f"ShopLine {__version__} self-test ({frozen}, Python {sys.version.split()[0]}, {sys.platform})", flush=True)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="shopline-self-test-") as tmp:
        folder = Path(tmp)
        checks: list[tuple[str, Callable[[], str]]] = [
            ("translations", lambda: _translations(app)),
            ("database", lambda: _database(folder)),
            ("window", lambda: _window(app, folder)),
            ("resources", _resources),
            ("line-bot-sdk", _line_sdk),
            ("native modules", _native_modules),
            ("keyring", _keyring),
        ]
        for name, check in checks:
            try:
                print(f"ok    {name}: {check()}", flush=True)
            except Exception as exc:  # noqa: BLE001 - every failure is reported, then the next check runs
                failed += 1
                reason = str(exc) if isinstance(exc, CheckFailed) else f"{type(exc).__name__}: {exc}"
                print(f"FAIL  {name}: {reason}", flush=True)
        close_store()  # before the folder goes: Windows cannot delete an open database
    print("self-test passed" if not failed else f"self-test FAILED: {failed} check(s) failed", flush=True)
    return failed
