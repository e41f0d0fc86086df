"""Operations: work off the UI thread, callbacks on it, throttled progress, a cancel flag."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, QThread

from shopline.core.messages import ShopLineError, Text
from shopline.ui import operations
from shopline.ui.operations import Operation

ROOT = Path(__file__).resolve().parents[1]


def test_success_runs_on_the_ui_thread_with_the_result(qtbot, store):
    owner = QObject()
    seen = {}

    def work(_ctx):
        seen["worker"] = threading.current_thread()
        return 42

    def success(result):
        seen["result"], seen["ui"] = result, QThread.currentThread() is owner.thread()

    Operation(owner, work, success=success).run()
    qtbot.waitUntil(lambda: "result" in seen, timeout=5_000)
    assert seen["result"] == 42 and seen["ui"]
    assert seen["worker"] is not threading.main_thread()


def test_failure_callback_gets_the_exception(qtbot, store):
    owner = QObject()
    errors = []

    def work(_ctx):
        raise ShopLineError(Text("読めません。", "Cannot read."))

    Operation(owner, work).failure(errors.append).run()
    qtbot.waitUntil(lambda: bool(errors), timeout=5_000)
    assert str(errors[0]) == "読めません。"


def test_progress_is_throttled_and_cancel_is_a_flag(qtbot, store):
    owner = QObject()
    updates, finished = [], []

    def work(ctx):
        for done in range(1, 200_001):
            ctx.progress(done, 200_000)
            if ctx.cancelled():
                return "cancelled"
            if done % 1000 == 0:
                time.sleep(0.002)
        return "done"

    op = Operation(owner, work, success=finished.append).with_progress(lambda d, t: updates.append(d)).run()
    qtbot.waitUntil(lambda: len(updates) >= 2, timeout=5_000)
    op.cancel()
    qtbot.waitUntil(lambda: bool(finished), timeout=5_000)
    assert finished == ["cancelled"]
    assert len(updates) < 50  # a few a second, not one per row


def test_one_writer_at_a_time(qtbot, store):
    owner = QObject()
    active, overlap, done = [0], [], []
    lock = threading.Lock()

    def work(_ctx):
        with lock:
            active[0] += 1
            overlap.append(active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1

    for _ in range(3):
        Operation(owner, work, success=done.append, writes=True).run()
    qtbot.waitUntil(lambda: len(done) == 3, timeout=5_000)
    assert max(overlap) == 1


def test_closing_the_owner_drops_the_callback(qtbot, store):
    owner = QObject()
    called = []
    Operation(owner, lambda _ctx: time.sleep(0.1), success=called.append).run()
    owner.deleteLater()
    qtbot.wait(50)
    assert operations.wait_idle(5_000)
    qtbot.wait(50)
    assert called == []


def test_main_py_starts_the_window(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--data-dir", str(tmp_path), "--lang", "en"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(3)
        assert proc.poll() is None, proc.communicate()[1]
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "Traceback" not in err
    assert (tmp_path / "shopline.sqlite3").exists()


def test_a_failure_after_its_window_closed_opens_no_box(qtbot, monkeypatch):
    """A page's background read that fails after its window was closed tells nobody with a modal box (there is
    nobody to tell, and the box would hold up whatever runs now); while the window is open, the box shows."""
    from PySide6.QtCore import QStringListModel
    from PySide6.QtWidgets import QMessageBox, QWidget

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    window = QWidget()
    qtbot.addWidget(window)
    model = QStringListModel(window)  # a model owned by the page, as FriendsModel is

    def fail(_ctx):
        raise ShopLineError(Text("読めませんでした。", "Could not read."))

    window.show()
    Operation(model, fail).run()
    assert operations.wait_idle(5_000)
    qtbot.waitUntil(lambda: len(shown) == 1)
    window.close()
    Operation(model, fail).run()
    assert operations.wait_idle(5_000)
    qtbot.wait(50)
    assert len(shown) == 1
