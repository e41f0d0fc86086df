"""`shopline scenarios`, `run-due`, `send --at/--every` and `scheduled`, in process against the fake LINE."""

from __future__ import annotations

import json

import pytest
from automation_helpers import add_friend, t, text, tokyo_shop
from fake_line.server import TOKEN, user_id

from shopline.cli import main
from shopline.store.automation_models import Schedule, ScheduleRun
from shopline.store.campaign_models import Campaign

WELCOME = {"name": "ご挨拶", "trigger": {"type": "friend_added"}, "window": ["09:00", "21:00"],
           "steps": [{"after": "0m", "message": text("ようこそ")},
                     {"after": "1d", "at": "10:00", "if": "VIP", "message": text("VIPの方へ"),
                      "else": text("みなさまへ")}]}


@pytest.fixture
def connected(store, fake_line, monkeypatch):
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    tokyo_shop("VIP")
    return fake_line


def test_import_list_show_export_pause_resume_delete(connected, tmp_path, capsys):
    path = tmp_path / "welcome.json"
    path.write_text(json.dumps(WELCOME, ensure_ascii=False), encoding="utf-8")
    assert main(["scenarios", "import", str(path)]) == 0
    assert "シナリオ「ご挨拶」を追加しました（ステップ2個）" in capsys.readouterr().out
    assert main(["scenarios", "export", "ご挨拶"]) == 0
    assert json.loads(capsys.readouterr().out) == WELCOME
    assert main(["scenarios", "pause", "ご挨拶"]) == 0 and main(["scenarios", "list"]) == 0
    assert "ご挨拶\t一時停止\t0" in capsys.readouterr().out
    assert main(["scenarios", "resume", "ご挨拶"]) == 0
    assert main(["scenarios", "show", "ご挨拶"]) == 0
    out = capsys.readouterr().out
    assert "ステップ2: 待ち 0人 / 送信 0人" in out and "集計単位 sc1_s2" in out
    assert main(["scenarios", "delete", "ご挨拶"]) == 0 and main(["scenarios", "show", "ご挨拶"]) == 2
    assert "シナリオ「ご挨拶」はありません" in capsys.readouterr().err


def test_import_refuses_an_unknown_tag_with_the_nearest_name(connected, tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(WELCOME | {"entry": "VIPP"}, ensure_ascii=False), encoding="utf-8")
    assert main(["scenarios", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "VIPP" in err and "VIP" in err
    assert main(["scenarios", "list"]) == 0 and "まだありません" in capsys.readouterr().out


def test_run_due_dry_run_then_for_real_then_show_counts(connected, tmp_path, capsys):
    from shopline.automations import scenarios

    scenarios.save(WELCOME, now=t("2027-03-01 00:00"))
    add_friend(1, t("2027-03-01 10:00"))
    add_friend(2, t("2027-03-01 10:01"), "VIP")
    assert main(["run-due", "--now", "2027-03-01 10:05", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "ご挨拶 ステップ1: 2人に送ります (友だち1, 友だち2)" in out and not connected.multicasts
    assert main(["run-due", "--now", "2027-03-01 10:05"]) == 0
    assert "ご挨拶 ステップ1: 送信済み 2人" in capsys.readouterr().out
    assert main(["run-due", "--now", "2027-03-02 10:00"]) == 0
    out = capsys.readouterr().out
    assert "ステップ2 (if): 送信済み 1人" in out and "ステップ2 (else): 送信済み 1人" in out
    assert main(["scenarios", "show", "ご挨拶"]) == 0
    assert "ステップ2: 待ち 0人 / 送信 2人" in capsys.readouterr().out


def test_run_due_refuses_a_now_it_cannot_read(connected, capsys):
    assert main(["run-due", "--now", "明日", "--dry-run"]) == 2
    assert "2026-12-24 10:00" in capsys.readouterr().err


def test_a_scheduled_send_goes_at_its_time_to_the_segment_as_it_is_then(connected, capsys):
    add_friend(1, t("2027-01-01 10:00"), "VIP")
    assert main(["send", "--segment", "VIP", "--text", "クリスマスセール", "--name", "クリスマス",
                 "--at", "2027-12-24 10:00", "--yes"]) == 0
    assert "2027-12-24 10:00 に予約しました" in capsys.readouterr().out and not connected.multicasts
    add_friend(2, t("2027-06-01 10:00"), "VIP")  # joins the segment after it was scheduled
    assert main(["scheduled"]) == 0
    assert "クリスマス\t予約中\t2027-12-24 10:00\t2027-12-24 10:00\tVIP" in capsys.readouterr().out
    assert main(["run-due", "--now", "2027-12-24 09:55"]) == 0 and not connected.multicasts
    assert main(["run-due", "--now", "2027-12-24 10:00"]) == 0
    assert main(["run-due", "--now", "2027-12-24 10:05"]) == 0
    assert sorted(connected.multicasts[0]["to"]) == [user_id(1), user_id(2)] and len(connected.multicasts) == 1
    assert Schedule.get().status == "done"


def test_a_monthly_send_is_its_own_campaign_each_month_and_can_be_cancelled(connected, capsys):
    add_friend(1, t("2027-01-01 10:00"), "VIP")
    assert main(["send", "--segment", "VIP", "--text", "今月のお知らせ", "--name", "月初", "--every", "month",
                 "--day", "1", "--at", "10:00", "--yes"]) == 0
    assert "定期配信にしました(毎月1日 10:00)" in capsys.readouterr().out
    created = Schedule.get()
    Schedule.update(created_at="2027-01-15 00:00:00+00:00").where(Schedule.id == created.id).execute()
    for now in ("2027-02-01 10:00", "2027-02-01 10:05", "2027-03-01 10:02"):
        assert main(["run-due", "--now", now]) == 0
    names = sorted(c.name for c in Campaign.select())
    assert names == ["月初 2027-02-01 10:00", "月初 2027-03-01 10:00"]
    units = [body["customAggregationUnits"][0] for body in connected.multicasts]
    assert len(units) == 2 and len(set(units)) == 2
    assert main(["scheduled", "--cancel", "月初"]) == 0
    assert main(["run-due", "--now", "2027-04-01 10:00"]) == 0 and len(connected.multicasts) == 2
    assert ScheduleRun.select().count() == 2


def test_an_occurrence_missed_by_more_than_24_hours_is_not_sent(connected, capsys):
    add_friend(1, t("2027-01-01 10:00"), "VIP")
    assert main(["send", "--segment", "VIP", "--text", "x", "--name", "月初", "--every", "month", "--yes"]) == 0
    Schedule.update(created_at="2027-01-15 00:00:00+00:00").execute()
    assert main(["run-due", "--now", "2027-02-03 10:00"]) == 0
    assert not connected.multicasts and ScheduleRun.get().status == "missed"
