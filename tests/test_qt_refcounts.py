"""PySide6 6.12.0 on CPython 3.11 dropped a reference to None on every void Qt call, and
CPython aborted once None's count reached zero. pyproject.toml excludes that release;
this test catches any other that does the same."""

import sys

from PySide6.QtCore import QObject
from PySide6.QtGui import QStandardItem, QStandardItemModel


def test_void_qt_calls_keep_none_alive(qapp):
    obj, model = QObject(), QStandardItemModel(1, 1)
    before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(20_000):
        obj.setObjectName("x")
        model.setItem(0, 0, QStandardItem("x"))
        model.index(0, 0).data(1234)  # an empty role comes back as None
        obj.blockSignals(False)
    after = sys.getrefcount(None), sys.getrefcount(True)
    # The bug loses tens of thousands here; other threads' short-lived references move it by far less.
    assert after[0] > before[0] - 2_000 and after[1] > before[1] - 2_000
