"""Start-up: arguments, QApplication, translations, the window, then the store and the pages.

The window is shown before the database is opened and before any page is built (the
pages load off the UI thread), and nothing heavy (peewee, csvio, demo, LINE's SDK) is
imported until then or until the shop asks for it.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from shopline import APP_NAME
from shopline.core import messages
from shopline.ui import gc_guard, i18n_build, operations
from shopline.ui.main_window import MainWindow
from shopline.ui.preferences import LANGUAGE_KEY

log = logging.getLogger(__name__)

I18N_DIR = i18n_build.I18N_DIR
LANGUAGES = ("ja", "en")
_LOCALES = {"ja": "ja_JP", "en": "en_US"}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ShopLine", description="ShopLine: LINE公式アカウントの友だち・タグ管理")
    parser.add_argument("--lang", choices=LANGUAGES, help="表示する言語 / language (default: ja)")
    parser.add_argument("--data-dir", metavar="DIR", help="データフォルダ / data folder")
    parser.add_argument("--self-test", action="store_true", help="起動の確認 / check this build starts, then exit")
    parser.add_argument("--demo", action="store_true",
                        help="デモショップを別のフォルダで開く / open the demo shop, in a folder of its own")
    args, _qt_args = parser.parse_known_args(argv)  # Qt's own options (-platform, -style) pass through
    return args


def pick_language(requested: str | None, stored: object = None) -> str:
    """--lang, then SHOPLINE_LANG, then the choice kept by the settings page, then Japanese."""
    wanted = requested or os.environ.get("SHOPLINE_LANG", "") or (stored if isinstance(stored, str) else "") or "ja"
    return "en" if wanted.lower().startswith("en") else "ja"


def install_translations(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Our strings, then Qt's own (OK/Cancel, file dialogs); English is the source, so it needs no file."""
    try:
        i18n_build.ensure_compiled()
    except (OSError, subprocess.CalledProcessError) as exc:
        log.warning("cannot compile the translations: %s", exc)
    QLocale.setDefault(QLocale(_LOCALES[lang]))
    messages.set_language(lang)
    installed = []
    ours = QTranslator(app)
    if ours.load(f"shopline_{lang}", str(I18N_DIR)):
        installed.append(ours)
    elif lang != "en":
        log.warning("%s is missing (run: python tools/build_translations.py); showing English",
                    I18N_DIR / f"shopline_{lang}.qm")
    if lang != "en":
        qt = QTranslator(app)
        if qt.load(QLocale(_LOCALES[lang]), "qtbase", "_",
                   QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            installed.append(qt)
    for translator in installed:
        app.installTranslator(translator)
    return installed


def remove_translations(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_test:
        from shopline.ui import self_test  # only this run needs it

        return self_test.run()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    gc_guard.install(app)
    install_translations(app, pick_language(args.lang, QSettings().value(LANGUAGE_KEY)))
    window = MainWindow()
    window.show()
    # The database (and peewee with it) opens once the window is on screen: the shop sees ShopLine
    # at once, and a folder that cannot be opened is explained over it.
    QTimer.singleShot(0, lambda: open_then_start(window, args.data_dir, demo=args.demo))
    try:
        return app.exec()
    finally:
        operations.wait_idle(cancel=True)
        from shopline.store import close_store

        close_store()


def open_then_start(window: MainWindow, data_dir: str | None, *, demo: bool = False) -> bool:
    from shopline import paths
    from shopline.store import open_store

    try:
        if demo:  # the demo shop's own folder beside the shop's, whichever folder the shop uses
            data_dir = str(paths.demo_dir(paths.data_dir(data_dir)))
        open_store(data_dir)
    except Exception as exc:  # noqa: BLE001 - a newer schema, a locked or unreadable file: say so and stop
        log.exception("cannot open the data folder")
        QMessageBox.critical(window, APP_NAME, str(exc))
        QCoreApplication.exit(2)
        return False
    window.start()
    if demo:
        window.setWindowTitle(window.tr("ShopLine — demo shop"))
        window.friends.welcome.fill_with_demo_if_empty()
    return True
