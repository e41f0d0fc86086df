"""The window's A/B tests: made from the composer's send flow, finished on 効果測定, against the fake LINE."""

from __future__ import annotations

from collections import Counter
from functools import partial

import pytest
from delivery_helpers import MSG, TOKEN, VIP, shop
from PySide6.QtCore import Qt

from shopline.abtests import create, send
from shopline.core.drafts import TextBubble, from_line
from shopline.delivery.engine import Engine
from shopline.line import limits
from shopline.line.pacing import RateLimiter
from shopline.results import refresh
from shopline.store.abtest_models import ABTest, Assignment, Variant
from shopline.store.models import Friend, FriendTag, Tag
from shopline.store.templates import save_template
from shopline.ui import operations
from shopline.ui.abtest import ABTestDialog, ABTestPanel

pytest_plugins = ("ui_fixtures", "composer_fixtures")

FAST = partial(lambda sender: Engine(sender, pacer=RateLimiter(5000), sleep=lambda s: None))


@pytest.fixture
def connected(fake_line, monkeypatch):
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    limits.use_factory(None)
    yield fake_line
    assert operations.wait_idle(10_000, cancel=True)
    limits.use_factory(None)


def users(test: ABTest, key: str | None) -> set[str]:
    where = Assignment.key.is_null() if key is None else Assignment.key == key
    return {u for (u,) in Friend.select(Friend.user_id).join(Assignment, on=(Assignment.friend == Friend.id))
            .where((Assignment.test == test) & where).tuples()}


def test_composer_makes_an_ab_test_that_shows_its_groups_then_sends_each_once(qtbot, page, connected, monkeypatch):
    vip = Tag.get(Tag.name == "VIP")
    for n in range(6, 46):  # 40 more VIPs: 43 following in all
        FriendTag.create(friend=Friend.create(user_id=f"U{n:032x}"), tag=vip)
    save_template("B案", from_line([{"type": "text", "text": "B案: 今だけ20%オフ"}]))
    page.bubbles.add_buttons["text"].click()
    page.editors[TextBubble].text.setPlainText("A案: 春のセールです")
    with qtbot.waitSignal(page.estimate.estimated, timeout=10_000, check_params_cb=lambda a: a is not None):
        page.target.choose("VIP客")
    qtbot.waitUntil(lambda: page.abtest_button.isEnabled(), timeout=10_000)
    opened = []
    monkeypatch.setattr(ABTestDialog, "open", lambda self: opened.append(self))
    qtbot.mouseClick(page.abtest_button, Qt.MouseButton.LeftButton)
    dialog, = opened
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.variant_combos[0].findData("B案") >= 0, timeout=5_000)
    # Half tested, half held back: typed into the share box as the shop would.
    dialog.share.lineEdit().selectAll()
    qtbot.keyClicks(dialog.share.lineEdit(), "50")
    qtbot.waitUntil(lambda: "A 11人、B 11人、残り 21人" in dialog.groups.text(), timeout=5_000)
    assert f"乱数シード {dialog.seed}" in dialog.groups.text()
    assert "見分けられます" in dialog.detectable.text() or "少なすぎ" in dialog.detectable.text()
    assert not dialog.send_button.isEnabled()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.created is not None or "確定" not in dialog.status.text(), timeout=10_000)
    assert dialog.created is not None, dialog.status.text()
    test = ABTest.get()
    assert (test.test_share, test.seed, test.metric) == (50, dialog.seed, "click")
    assert [v.label for v in Variant.select().order_by(Variant.key)] == ["このメッセージ", "B案"]
    assert connected.delivered == Counter()  # created, nothing sent
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=15_000)
    assert dialog.result.pending == 0 and "送信済み 22人" in dialog.status.text()
    assert connected.delivered == Counter({u: 1 for u in users(test, "A") | users(test, "B")})
    texts = {m["messages"][0]["text"]: set(m["to"]) for m in connected.multicasts}
    assert texts == {"A案: 春のセールです": users(test, "A"), "B案: 今だけ20%オフ": users(test, "B")}


def test_results_tab_says_not_yet_measurable_and_sends_the_chosen_winner_to_the_rest_once(
        qtbot, store, connected, language):
    language("ja")
    everyone = shop(300)
    test = create.create_test("春の比較", VIP, [create.VariantSpec("A案", MSG),
                                             create.VariantSpec("B案", [{"type": "text", "text": "B案"}])],
                              share=40, seed=5, metric="open", token=TOKEN).test
    send.send_variants("春の比較", TOKEN, engine=FAST)
    units = {v.key: v.campaign.unit for v in Variant.select()}
    connected.insight.set_unit(units["A"], impressions=40, clicks=None)
    connected.insight.set_unit(units["B"], impressions=None, clicks=None)  # LINE's null: fewer than 20
    refresh.refresh(TOKEN, followers=False)
    panel = ABTestPanel()
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=5_000)
    assert panel.table.item(0, 3).text() == "40" and panel.table.item(0, 4).text() == "66.7%"
    assert panel.table.item(1, 3).text() == "20人未満(まだ測れません)" and panel.table.item(1, 4).text() == "—"
    assert "Bの開封率はまだ測れません" in panel.verdict.text()
    assert "180人を勝ちパターン用に" in panel.held.text()
    assert not panel.send_button.isEnabled() and panel.winner_button.isEnabled()
    panel.winner.setFocus()
    qtbot.keyClick(panel.winner, Qt.Key.Key_End)  # B: the shop's own choice, since nothing is clear yet
    assert panel.winner.currentData() == "B"
    qtbot.mouseClick(panel.winner_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "送信済み 180人" in panel.status.text(), timeout=15_000)
    assert ABTest.get_by_id(test.id).winner_key == "B"
    assert connected.delivered == Counter({u: 1 for u in everyone})
    held = users(test, None)
    assert {u for m in connected.multicasts if m["messages"][0]["text"] == "B案" for u in m["to"]} \
        == held | users(test, "B")
    qtbot.waitUntil(lambda: "残りの180人にはBを送ります" in panel.held.text(), timeout=5_000)
    qtbot.waitUntil(lambda: not panel.winner_button.isEnabled(), timeout=5_000)
