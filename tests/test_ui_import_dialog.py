"""The import dialog: preview with encoding and column mapping, import with progress, report and errors link."""

from __future__ import annotations

from PySide6.QtCore import Qt

from shopline.store.models import Field, Friend
from shopline.ui.import_dialog import ImportDialog

pytest_plugins = ("ui_fixtures",)  # the window fixtures, shared by tests/test_ui_*.py

GOOD = "U" + "1" * 32


def cp932_csv(tmp_path, rows: int = 3):
    path = tmp_path / "顧客リスト.csv"
    lines = ["ユーザーID,表示名,性別,来店回数"]
    lines += [f"U{i:032x},山田 花子{i},女性,{i}" for i in range(1, rows + 1)]
    lines.append("U123,壊れた 行,女性,1")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
    return path


def open_dialog(qtbot, path) -> ImportDialog:
    dialog = ImportDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load(path)
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=10_000)
    return dialog


def test_preview_shows_encoding_and_mapping_for_a_cp932_file(qtbot, store, tmp_path, language):
    language("ja")
    dialog = open_dialog(qtbot, cp932_csv(tmp_path))
    assert "Shift_JIS (CP932)" in dialog.info.text()
    assert "来店回数" in dialog.info.text()  # the new custom field is announced
    headers = [dialog.model.headerData(c, Qt.Orientation.Horizontal) for c in range(dialog.model.columnCount())]
    assert headers[0] == "ユーザーID\n→ ユーザーID"
    assert headers[1] == "表示名\n→ 表示名"
    assert headers[3] == "来店回数\n→ 新しい項目「来店回数」"
    assert dialog.model.data(dialog.model.index(0, 1)) == "山田 花子1"
    assert Friend.select().count() == 0  # a preview writes nothing


def test_import_runs_with_progress_and_links_the_errors_file(qtbot, store, tmp_path, language):
    language("ja")
    dialog = open_dialog(qtbot, cp932_csv(tmp_path, rows=30))
    with qtbot.waitSignal(dialog.imported, timeout=30_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        assert dialog.progress.isVisible() and dialog.cancel_button.isVisible()
    assert not dialog.progress.isVisible()
    assert Friend.select().count() == 30
    assert Field.get(Field.name == "来店回数").kind == "number"
    assert "新規30人" in dialog.summary.text()
    errors = tmp_path / "顧客リスト_errors.csv"
    assert errors.exists()
    assert "file://" in dialog.errors_link.text() and str(errors) in dialog.errors_link.text()
    assert "U123" in dialog.refused.toPlainText()


def test_preview_model_passes_qtmodeltester(qtbot, qtmodeltester, store, tmp_path):
    dialog = open_dialog(qtbot, cp932_csv(tmp_path))
    qtmodeltester.check(dialog.model, force_py=True)
