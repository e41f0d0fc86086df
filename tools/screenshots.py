"""Screenshots of the real window for the README, taken under Xvfb with a CJK font.

    python tools/screenshots.py     # re-runs itself inside xvfb-run when there is no display

Writes docs/screenshots/welcome.png, friends.png and tags.png from a demo shop made
in a temporary data folder through the welcome page's own button.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
WIDTH, HEIGHT = 1280, 800


def rerun_under_xvfb() -> int:
    env = dict(os.environ, QT_QPA_PLATFORM="xcb")
    command = ["xvfb-run", "-a", "-s", f"-screen 0 {WIDTH}x{HEIGHT}x24", sys.executable, __file__]
    return subprocess.run(command, env=env, check=False).returncode


def shoot() -> int:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from shopline.store import close_store, open_store
    from shopline.ui import app, operations
    from shopline.ui.main_window import MainWindow

    def wait_for(signal, timeout_ms: int = 60_000) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()

    def settle(ms: int = 300) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def save(window: MainWindow, name: str) -> None:
        settle()
        path = OUT / f"{name}.png"
        window.grab().save(str(path))
        print(f"wrote {path.relative_to(ROOT)}")

    qapp = QApplication([sys.argv[0]])
    app.install_translations(qapp, "ja")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        open_store(tmp)
        window = MainWindow(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat))
        window.setGeometry(0, 0, WIDTH, HEIGHT)
        window.show()
        window.start()
        wait_for(window.friends.model.loaded)
        save(window, "welcome")

        window.friends.welcome.demo_button.click()
        wait_for(window.friends.model.loaded)
        wait_for(window.friends.tags.loaded, 5_000)
        window.friends.select_row(2)
        save(window, "friends")

        window.nav.setCurrentRow(1)
        save(window, "tags")
        window.close()
        operations.wait_idle()
        close_store()
    return 0


if __name__ == "__main__":
    if not os.environ.get("DISPLAY"):
        raise SystemExit(rerun_under_xvfb())
    raise SystemExit(shoot())
