"""購入データを読み込む: a CP932 register export with Japanese headers, one column mapped by hand, ID連携 chosen,
one bad row, driven through the purchases page's button; then the RFM chart follows the import and a friend who
arrives later with a waiting member number."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog

from shopline.core.changes import Changes
from shopline.core.rfm import GROUPS
from shopline.purchases import link
from shopline.purchases.rfm import group_counts
from shopline.store.models import Field, FieldValue, Friend
from shopline.store.purchase_models import Purchase
from shopline.ui import operations
from shopline.ui.change_bus import announce
from shopline.ui.purchases.import_dialog import PurchaseImportDialog
from shopline.ui.purchases.page import PurchasesPage

pytest_plugins = ("ui_fixtures",)

ROWS = [
    ("購入日", "会員番号", "商品名", "数量", "お買上額", "伝票番号", "店舗"),
    ("2025/04/01 10:15", "M001", "あんぱん", "2", "￥400", "A-1", "本店"),
    ("2025/04/01 10:15", "M001", "食パン", "1", "1,200", "A-1", "本店"),
    ("2025/04/02 11:00", "M002", "あんぱん", "1", "200", "A-2", "本店"),
    ("昨日ごろ", "M003", "メロンパン", "1", "180", "A-3", "本店"),  # row 5: a date that does not parse
    ("2025/04/03 09:00", "M999", "あんぱん", "1", "200", "A-4", "駅前店"),  # no friend has M999 yet
]


@pytest.fixture
def register(store, tmp_path):
    member = Field.create(name="会員番号", kind="text", position=1)
    Field.create(name="来店日", kind="date", position=2)  # a date cannot hold member numbers: not offered
    for n in (1, 2, 3):
        friend = Friend.create(user_id=f"U{n:032x}", display_name=f"友だち{n}")
        FieldValue.create(friend=friend, field=member, text_value=f"M00{n}")
    path = tmp_path / "レジ売上.csv"
    text = io.StringIO()
    csv.writer(text).writerows(ROWS)  # "1,200" quoted, as Excel writes it
    path.write_bytes(text.getvalue().encode("cp932"))
    return path


def pick(qtbot, combo: QComboBox, text: str) -> None:
    """Open the drop-down with a click, walk down to the entry showing text and press Enter."""
    wanted = combo.findText(text)
    assert wanted >= 0, f"{text} is not offered"
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=2_000)
    for _ in range(abs(wanted - combo.currentIndex())):
        qtbot.keyClick(view, Qt.Key.Key_Down if wanted > combo.currentIndex() else Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=2_000)


def headers(dialog: PurchaseImportDialog) -> list[str]:
    return [dialog.model.headerData(c, Qt.Orientation.Horizontal) for c in range(dialog.model.columnCount())]


def test_the_import_dialog_maps_links_and_imports_a_cp932_export(qtbot, register, language, monkeypatch):
    language("ja")
    page = PurchasesPage()
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.counts == dict.fromkeys(GROUPS, 0), timeout=5_000)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(register), ""))
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.preview is not None and dialog.member.count() == 2, timeout=10_000)
    assert dialog.windowTitle() == "購入データを読み込む"
    assert "Shift_JIS (CP932)" in dialog.info.text()
    assert [dialog.member.itemText(i) for i in range(2)] == ["なし(LINEユーザーIDで照合)", "会員番号"]
    shown = headers(dialog)
    assert shown[0] == "購入日\n→ 日時" and shown[1].endswith("→ お客様(ユーザーID・会員番号)")
    assert shown[4] == "お買上額\n→ 取り込まない"  # no alias knows it: the shop maps it
    assert dialog.fields["amount"].currentText() == "(ファイルにない)"
    assert dialog.fields["item"].currentText() == "商品名"
    assert "5行目 購入日" in dialog.refused.toPlainText()  # the problem before anything is written
    assert dialog.model.data(dialog.model.index(3, 0), Qt.ItemDataRole.ForegroundRole) is not None

    pick(qtbot, dialog.fields["amount"], "お買上額")
    qtbot.waitUntil(lambda: headers(dialog)[4] == "お買上額\n→ 金額", timeout=10_000)
    assert dialog.preview.rows[0].values["amount"] == 400
    assert "友だち0人、まだ友だちでない方3人" in dialog.counts.text()
    pick(qtbot, dialog.member, "会員番号")  # the counts follow the choice before anything is saved
    qtbot.waitUntil(lambda: "友だち2人、まだ友だちでない方1人" in dialog.counts.text(), timeout=10_000)
    assert Purchase.select().count() == 0 and link.member_field() is None  # a preview writes nothing

    with qtbot.waitSignal(dialog.imported, timeout=30_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert not dialog.progress.isVisible() and not dialog.import_button.isEnabled()
    assert link.member_field().name == "会員番号"
    by_customer = {(p.customer, p.item): (p.friend_id, p.amount) for p in Purchase.select()}
    friends = {f.user_id: f.id for f in Friend.select()}
    assert by_customer == {
        ("M001", "あんぱん"): (friends[f"U{1:032x}"], 400), ("M001", "食パン"): (friends[f"U{1:032x}"], 1200),
        ("M002", "あんぱん"): (friends[f"U{2:032x}"], 200), ("M999", "あんぱん"): (None, 200)}
    summary = dialog.summary.text()
    assert summary.startswith("5行のうち4行を追加しました")
    assert "M999" in summary and "未連携" in summary
    errors = register.with_name("レジ売上_errors.csv")
    assert errors.exists() and str(errors) in dialog.errors_link.text()
    assert "5行目 購入日" in dialog.refused.toPlainText()
    assert page.report.text() == summary
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.wait(20)  # the dialog deletes itself on close, while the page lives on

    # The chart follows the import (the write announced purchases) ...
    qtbot.waitUntil(lambda: sum(page.counts.values()) == 2, timeout=5_000)
    assert page.counts == group_counts()
    # ... and a friend who arrives with the waiting member number (attached by the store's trigger).
    member = Field.get(Field.name == "会員番号")
    newcomer = Friend.create(user_id=f"U{9:032x}", display_name="新しい友だち")
    FieldValue.create(friend=newcomer, field=member, text_value="M999")
    announce(Changes(friends=True, fields=True))  # as the window's own edit or a sync announces it
    qtbot.waitUntil(lambda: sum(page.counts.values()) == 3, timeout=5_000)
    assert Purchase.get(Purchase.customer == "M999").friend_id == newcomer.id
    assert operations.wait_idle(10_000)


def test_a_file_without_a_date_column_asks_for_it_and_imports_once_mapped(qtbot, store, tmp_path, language):
    language("ja")
    Friend.create(user_id=f"U{1:032x}")
    path = tmp_path / "visits.csv"
    path.write_text(f"ユーザーID,いつ\nU{1:032x},2025-05-05 12:00\n", encoding="utf-8-sig")
    dialog = PurchaseImportDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load(path)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    assert not dialog.import_button.isEnabled()
    assert dialog.preview.unusable is not None and str(dialog.preview.unusable) in dialog.info.text()
    pick(qtbot, dialog.fields["at"], "いつ")
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=10_000)
    with qtbot.waitSignal(dialog.imported, timeout=30_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert [(p.at, p.item) for p in Purchase.select()] == [(dt.datetime(2025, 5, 5, 12), "")]  # a visit
    assert operations.wait_idle(10_000)


def test_cancel_stops_the_import_and_leaves_the_store_as_it_was(qtbot, store, tmp_path, language):
    from shopline.purchases.demo import write_purchases

    language("ja")
    path = tmp_path / "大きいレジ.csv"
    write_purchases(path, 50_000, friends=500)
    dialog = PurchaseImportDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load(path)
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=10_000)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.progress.isVisible() and dialog.cancel_button.isVisible()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.progress.isVisible(), timeout=30_000)
    assert dialog.summary.text() == "読み込みを取り消しました。データベースは読み込み前のままです。"
    assert Purchase.select().count() == 0 and dialog.report is None
    assert dialog.import_button.isEnabled()  # the shop can start it again
    assert operations.wait_idle(10_000)
