"""The main window over a 100,000-friend demo shop: start-up, scrolling and memory.

    python bench/bench_window.py [--friends 100000] [--runs 3]

Builds the demo shop once (shopline.demo, through the real CSV import) into
bench/out/window-<n>/, then, in fresh processes so each start is cold of Python state:
  bare    process start -> a bare PySide6 QMainWindow shown (the floor on this machine)
  app     process start -> ShopLine's window shown, in app.main's order (targets: <= 1.5 s, <= 2x bare)
  loaded  process start -> the store opened, the friends page built and its table filled
  scroll  the friends table from the top row to the bottom row, painted (target: <= 100 ms)
  pages   the same, one screen at a time through all 100,000 rows (mean per screen)
  rss     resident memory after loading and scrolling (target: <= 350 MB)
Printed figures, not a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"

BARE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.resize(1200, 760); w.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""

APP = """
import sys, time, tempfile
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from shopline.ui import app as shop_app, operations
from shopline.ui.main_window import MainWindow
qt = QApplication(sys.argv[:1])
shop_app.install_translations(qt, "ja")
settings = QSettings(tempfile.mktemp(suffix=".ini"), QSettings.Format.IniFormat)
window = MainWindow(settings)
window.show()

def shown():  # then as app.main goes on: the store opens and the friends page is built and filled
    print("shown", flush=True)
    shop_app.open_then_start(window, sys.argv[1])

def loaded():
    print("loaded", flush=True)
    QTimer.singleShot(0, scroll)

def scroll():
    table = window.friends.table
    bar = table.verticalScrollBar()
    start = time.perf_counter()
    bar.setValue(bar.maximum())
    table.viewport().repaint()
    print(f"scroll {(time.perf_counter() - start) * 1000:.1f}", flush=True)
    bar.setValue(0)
    table.viewport().repaint()
    screens, start = 0, time.perf_counter()
    while bar.value() < bar.maximum():
        bar.setValue(bar.value() + bar.pageStep())
        table.viewport().repaint()
        screens += 1
    print(f"pages {(time.perf_counter() - start) * 1000 / max(screens, 1):.2f} {screens}", flush=True)
    rss = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmRSS"))
    print(f"rss {rss / 1024:.0f} rows={window.friends.model.rowCount()}", flush=True)
    operations.wait_idle()
    qt.quit()

window.friends.model.loaded.connect(loaded)
QTimer.singleShot(0, shown)
qt.exec()
"""


def build(folder: Path, friends: int) -> None:
    sys.path.insert(0, str(ROOT))
    from shopline.demo import load_demo
    from shopline.store import close_store, open_store
    from shopline.store import friends as friend_store

    open_store(folder)
    try:
        if friend_store.friend_count() == 0:
            start = time.perf_counter()
            report = load_demo(n=friends)
            print(f"built the demo shop in {time.perf_counter() - start:.1f} s: {report.summary()}")
    finally:
        close_store()


def run(script: str, *args: str) -> dict[str, str]:
    """Run a child Python; each printed "name value..." line is timed from the moment it was started."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), SHOPLINE_LANG="ja")
    if not env.get("DISPLAY"):  # no screen (CI, ssh): both windows offscreen, so they still compare alike
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True, env=env)
    seen: dict[str, str] = {}
    assert child.stdout is not None
    for line in child.stdout:
        name, _, rest = line.strip().partition(" ")
        seen[name] = rest or f"{(time.perf_counter() - start) * 1000:.0f}"
    child.wait(timeout=120)
    return seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--friends", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = OUT / f"window-{args.friends}"
    build(folder, args.friends)
    bare, app, loaded, scroll, pages, rss = [], [], [], [], [], []
    for _ in range(args.runs):  # interleaved, so a busy moment costs both sides alike
        bare.append(float(run(BARE)["shown"]))
        seen = run(APP, str(folder))
        app.append(float(seen["shown"]))
        loaded.append(float(seen["loaded"]))
        scroll.append(float(seen["scroll"]))
        pages.append(float(seen["pages"].split()[0]))
        rss.append(float(seen["rss"].split()[0]))
        rows = seen["rss"].split("rows=")[1]
    med = statistics.median
    print(f"friends in the table     {rows}")
    print(f"bare window shown        {med(bare):7.0f} ms")
    ratio = med(app) / med(bare)
    print(f"ShopLine window shown    {med(app):7.0f} ms   ({ratio:.2f}x bare; targets <= 1500 ms, <= 2x)")
    print(f"friends table filled     {med(loaded):7.0f} ms")
    print(f"scroll top -> bottom     {med(scroll):7.1f} ms   (target <= 100 ms)")
    print(f"scroll page by page      {med(pages):7.2f} ms per screen")
    print(f"resident memory          {med(rss):7.0f} MB   (target <= 350 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
