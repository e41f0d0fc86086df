"""A writing operation behind a progress dialog with a cancel button (import, demo shop)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from shopline.core.changes import Changes
from shopline.core.messages import ShopLineError
from shopline.ui.operations import OpContext, Operation, show_error

SHOW_AFTER_MS = 400  # a small file finishes before a dialog would only flash


def run_with_progress(
    parent: QWidget,
    label: str,
    work: Callable[[OpContext], Any],
    success: Callable[[Any], None],
    *,
    changes: Changes | None = None,
) -> Operation:
    dialog = QProgressDialog(parent)  # its own Cancel button, which qtbase_ja.qm translates
    dialog.setLabelText(label)
    dialog.setRange(0, 0)
    dialog.setWindowTitle("ShopLine")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)
    dialog.setValue(0)

    def progress(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))

    def finished(result: Any) -> None:
        dialog.close()
        dialog.deleteLater()
        success(result)

    def failed(exc: BaseException) -> None:
        dialog.close()
        dialog.deleteLater()
        if op.context.cancelled() and isinstance(exc, ShopLineError):
            QMessageBox.information(parent, "ShopLine", str(exc))  # "cancelled, nothing was changed"
        else:
            show_error(parent, exc)

    op = Operation(parent, work, success=finished, writes=True, changes=changes).failure(failed).with_progress(progress)
    dialog.canceled.connect(op.cancel)
    return op.run()
