"""The demo shop shows purchases (every RFM group filled) and a paused sample scenario that never sends; removing the
demo takes exactly those out again."""

from __future__ import annotations

import datetime as dt

import pytest
from automation_helpers import TOKYO, add_friend, tokyo_shop
from fake_line.server import TOKEN

from shopline.automations import scenarios
from shopline.cli import main
from shopline.core.rfm import GROUPS
from shopline.demo import PURCHASES_SOURCE, SAMPLE_SCENARIO, demo_data, load_demo, remove_demo
from shopline.purchases import rfm
from shopline.purchases.importer import import_purchases
from shopline.store.automation_models import Scenario as ScenarioRow
from shopline.store.models import Friend
from shopline.store.purchase_models import Purchase, PurchaseRfm

REAL = "U" + "b" * 32
NAME = SAMPLE_SCENARIO["name"]


@pytest.fixture
def demo(store, fake_line, monkeypatch):
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    tokyo_shop()
    load_demo(300, seed=2)
    return fake_line


def test_the_demo_has_purchases_of_its_friends_in_every_rfm_group(demo):
    demo_ids = {i for (i,) in Friend.select(Friend.id).tuples()}
    lines = Purchase.select().count()
    assert lines > 3 * len(demo_ids)  # a few thousand for the demo's 2,000 friends
    assert {p.friend_id for p in Purchase.select()} <= demo_ids and not Purchase.select().where(
        Purchase.friend.is_null()).exists()
    assert {p.source for p in Purchase.select()} == {PURCHASES_SOURCE}
    counts = rfm.group_counts()
    assert all(counts.get(code, 0) > 0 for code in GROUPS), counts
    today = dt.datetime.now(TOKYO).date()
    days = [(today - p.at.date()).days for p in Purchase.select(Purchase.at)]
    assert 1 <= min(days) <= 10 and 400 <= max(days) <= 541  # dated back from today, over about 18 months


def _run_due_over_four_days(fake) -> int:
    """run-due at the moments the sample's three steps would fall due for a friend who arrives now."""
    now = dt.datetime.now(TOKYO).replace(second=0, microsecond=0)
    add_friend(90_001, now + dt.timedelta(minutes=1))
    day = now.replace(hour=9, minute=5)
    moments = [now + dt.timedelta(minutes=3), *(day + dt.timedelta(days=d, hours=h) for d in (1, 2, 3, 4)
                                                for h in (0, 1))]
    for moment in moments:
        assert main(["run-due", "--now", f"{moment:%Y-%m-%d %H:%M}"]) == 0
    return len(fake.multicasts)


def test_the_sample_scenario_is_paused_and_run_due_sends_nothing(demo, capsys):
    row = ScenarioRow.get(ScenarioRow.name == NAME)
    assert row.status == "paused"
    steps = scenarios.load(row).steps
    assert [s.after for s in steps] == [dt.timedelta(0), dt.timedelta(days=1), dt.timedelta(days=3)]
    assert steps[2].if_expr == "VIP" and steps[2].else_message and steps[1].at == dt.time(10, 0)
    assert _run_due_over_four_days(demo) == 0


def test_the_sample_scenario_resumed_would_send_so_the_pause_is_what_holds_it(demo, capsys):
    scenarios.resume(NAME)
    assert _run_due_over_four_days(demo) > 0


def _real_purchases(tmp_path) -> None:
    Friend.create(user_id=REAL, display_name="本物", source="csv")
    path = tmp_path / "register.csv"
    path.write_text("注文日時,注文番号,会員番号,商品名,数量,小計\n"
                    f"2026/01/05 11:00,A1,{REAL},あんぱん,1,150\n"
                    "2026/01/06 12:00,A2,M0000001,食パン,1,220\n", encoding="utf-8")
    assert import_purchases(path).added == 2


def test_remove_demo_takes_its_purchases_scores_and_sample_out_and_keeps_the_shops(demo, tmp_path, capsys):
    _real_purchases(tmp_path)
    demo_lines = Purchase.select().count() - 2
    planned = demo_data()
    assert planned.purchases == demo_lines and planned.scenarios == 1
    gone = remove_demo()
    assert gone.purchases == demo_lines and gone.scenarios == 1
    assert sorted(p.customer for p in Purchase.select()) == ["M0000001", REAL]
    assert [r.friend.user_id for r in PurchaseRfm.select()] == [REAL]
    assert not ScenarioRow.select().exists()
    assert demo_data().empty


def test_a_sample_the_shop_edited_is_its_own_and_stays(demo):
    earlier = dt.datetime.now().replace(microsecond=0) - dt.timedelta(hours=1)
    ScenarioRow.update(created_at=earlier, updated_at=earlier).execute()  # the demo was loaded a while ago
    assert demo_data().scenarios == 1
    scenarios.save(scenarios.export(NAME) | {"window": ["10:00", "20:00"]})
    assert demo_data().scenarios == 0
    remove_demo()
    assert ScenarioRow.get(ScenarioRow.name == NAME).status == "paused"


def test_a_resumed_sample_stays(demo):
    scenarios.resume(NAME)
    assert demo_data().scenarios == 0
    remove_demo()
    assert ScenarioRow.get(ScenarioRow.name == NAME).status == "active"


def test_cli_demo_remove_names_the_purchases_and_the_scenario(demo, capsys, monkeypatch):
    lines = Purchase.select().count()
    assert main(["demo", "--remove", "--yes"]) == 0
    out = capsys.readouterr().out
    assert f"購入データ{lines:,}行" in out and "シナリオ1個" in out
    assert not Purchase.select().exists() and not PurchaseRfm.select().exists()
