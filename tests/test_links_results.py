"""Per-friend results of tracked links: the clicks list and its CSV, the one-click retargeting segments, and the
campaigns a friend received and clicked, through the widgets the shop presses."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from shopline.delivery.personal import freeze_personal
from shopline.links.results import campaign_clicks, export_clicks, friend_campaigns
from shopline.store.campaign_models import Batch
from shopline.store.link_clicks import record_clicks
from shopline.store.link_models import TrackedLink
from shopline.store.models import Friend
from shopline.store.segment_sql import reference_friend_ids
from shopline.store.segments import get_segment
from shopline.ui import operations
from shopline.ui.friend_campaigns import FriendCampaigns
from shopline.ui.results.clicks_view import CampaignClicks

pytest_plugins = ("ui_fixtures",)

SALE, MAP = "https://example.com/sale", "https://example.com/map"
MS = 1_800_000_000_000


@pytest.fixture
def clicks(store):
    people = [Friend.create(user_id=f"U{n:032x}", display_name=f"友だち{n}") for n in range(5)]
    people[3].display_name = '=HYPERLINK("https://evil.example","x")'
    people[3].save()
    campaign = freeze_personal("春のセール", tree={"tag": "x"}, text="x", friend_ids=[p.id for p in people[:4]],
                               messages=[{"type": "text", "text": f"{{表示名|}} {SALE} {MAP}"}],
                               relay_url="https://relay.example")
    Batch.update(status="accepted").execute()
    for n, (friend, url, times) in enumerate([(people[0], SALE, 2), (people[0], MAP, 1), (people[3], SALE, 1)]):
        code = TrackedLink.get(TrackedLink.friend == friend, TrackedLink.url == url).code
        record_clicks([(f"click:{n}:{i}", code, MS + n * 60_000 + i) for i in range(times)])
    return people, campaign


def test_the_clicks_per_friend_and_url(clicks):
    people, _ = clicks
    rows = campaign_clicks("春のセール")
    assert [(r.display_name, r.url, r.clicks) for r in rows] == [
        (people[3].display_name, SALE, 1), ("友だち0", MAP, 1), ("友だち0", SALE, 2)]
    assert campaign_clicks("ない配信") == []


def test_the_csv_opens_in_excel_without_live_formulas(clicks, tmp_path):
    path = tmp_path / "clicks.csv"
    assert export_clicks("春のセール", path) == 3
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["user_id", "表示名", "URL", "クリック数", "最初のクリック", "最後のクリック"]
    assert rows[1][1] == "'" + clicks[0][3].display_name and rows[1][2:4] == [SALE, "1"]


def test_friend_campaigns_say_received_and_clicked(clicks):
    people, campaign = clicks
    (row,) = friend_campaigns(people[0].id)
    assert (row.name, row.received, row.clicks, row.urls) == ("春のセール", True, 3, (SALE, MAP))
    assert friend_campaigns(people[4].id) == []


def test_the_buttons_make_the_two_segments(qtbot, clicks, language):
    language("ja")
    people, _ = clicks
    view = CampaignClicks()
    qtbot.addWidget(view)
    view.show()
    view.show_campaign("春のセール")
    qtbot.waitUntil(lambda: view.table.rowCount() == 3, timeout=5_000)
    assert view.table.item(2, 0).text() == "友だち0" and view.table.item(2, 2).text() == "2"

    qtbot.mouseClick(view.clicked_button, Qt.MouseButton.LeftButton)
    made = "セグメント「「春のセール」をクリックした人」"
    qtbot.waitUntil(lambda: view.status.text().startswith(made), timeout=5_000)
    clicked = get_segment("「春のセール」をクリックした人").tree
    assert set(reference_friend_ids(clicked)) == {people[0].id, people[3].id}
    qtbot.mouseClick(view.not_clicked_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "クリックしなかった人" in view.status.text(), timeout=5_000)
    others = get_segment("「春のセール」をクリックしなかった人").tree
    assert set(reference_friend_ids(others)) == {people[1].id, people[2].id}  # received it, clicked nothing


def test_export_button_writes_the_csv(qtbot, clicks, tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV (*.csv)"))
    view = CampaignClicks()
    qtbot.addWidget(view)
    view.show_campaign("春のセール")
    qtbot.waitUntil(lambda: view.export_button.isEnabled(), timeout=5_000)
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: target.exists() and "3" in view.status.text(), timeout=5_000)
    assert len(target.read_text(encoding="utf-8-sig").splitlines()) == 4


def test_friend_detail_lists_received_and_clicked_campaigns(qtbot, clicks, language):
    language("ja")
    people, _ = clicks
    widget = FriendCampaigns()
    qtbot.addWidget(widget)
    widget.show_friend(people[0].id)
    qtbot.waitUntil(lambda: widget.count() == 1 and "春のセール" in widget.item(0).text(), timeout=5_000)
    assert "受信" in widget.item(0).text() and f"3回クリック {SALE} {MAP}" in widget.item(0).text()
    widget.show_friend(people[4].id)
    none = "この友だちにはまだ配信していません"
    qtbot.waitUntil(lambda: widget.item(0) is not None and widget.item(0).text() == none, timeout=5_000)
    assert operations.wait_idle(5_000)


def test_the_cli_lists_exports_and_makes_the_segment(clicks, store, tmp_path, capsys):
    from shopline import cli

    people, _ = clicks
    assert cli.main(["--data-dir", str(store), "clicks", "春のセール"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3 and out[2].split("\t")[1:] == [people[0].user_id, "友だち0", "2", SALE]
    target = tmp_path / "c.csv"
    assert cli.main(["--data-dir", str(store), "clicks", "春のセール", "--csv", str(target),
                     "--segment", "not-clicked"]) == 0
    assert len(target.read_text(encoding="utf-8-sig").splitlines()) == 4
    others = get_segment("「春のセール」をクリックしなかった人").tree
    assert set(reference_friend_ids(others)) == {people[1].id, people[2].id}
