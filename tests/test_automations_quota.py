"""What automations are expected to spend of the rest of LINE's month (the status bar's figure)."""

from __future__ import annotations

import datetime as dt

from automation_helpers import add_friend, t, text, tokyo_shop

from shopline.automations import scenarios, schedules
from shopline.automations.runner import run_due
from shopline.automations.stats import expected_automation_use
from shopline.core.automations import recurrence_from_args
from shopline.core.segments import HasTag
from shopline.delivery.results import RunResult


def _sent(campaign):
    return RunResult("done", campaign.recipients, 0, 0)


def test_waiting_steps_and_scheduled_occurrences_count_until_the_month_ends(store):
    tokyo_shop("VIP")
    scenarios.save({"name": "ご挨拶", "trigger": {"type": "friend_added"},
                    "steps": [{"after": "0m", "message": text("ようこそ")},
                              {"after": "7d", "message": text("一週間")},
                              {"after": "30d", "message": text("ひと月")}]}, now=t("2027-03-01 00:00"))
    for n in range(3):
        add_friend(n, t("2027-03-10 10:00"), "VIP")
    add_friend(9, t("2027-03-28 10:00"))
    run_due(t("2027-03-28 10:05"), sender=_sent)  # everyone's welcome has gone
    # The 3 friends missed step 2 (due 03-17, over 24 hours late) and wait for step 3 on 04-09; friend 9's
    # step 2 is due 04-04. Nothing more from the scenario this month.
    assert expected_automation_use(t("2027-03-28 10:06")) == 0
    schedules.add("週末", HasTag("VIP"), text("週末セール"), recurrence=recurrence_from_args("week", "10:00", 6),
                  now=t("2027-03-01 00:00"))
    # Saturday 2027-03-28 10:00 is past; none left in March (Japan time).
    assert expected_automation_use(t("2027-03-28 10:06")) == 0
    assert expected_automation_use(t("2027-03-20 09:00")) == 2 * 3  # 03-20 and 03-27, 3 VIPs each
    schedules.add("月末", HasTag("VIP"), text("月末"), at=t("2027-03-31 18:00"), now=t("2027-03-01 00:00"))
    assert expected_automation_use(t("2027-03-28 10:06")) == 3


def test_friends_waiting_for_a_step_this_month_count(store):
    tokyo_shop()
    scenarios.save({"name": "ご挨拶", "trigger": {"type": "friend_added"},
                    "steps": [{"after": "0m", "message": text("ようこそ")},
                              {"after": "2d", "message": text("二日後")}]}, now=t("2027-03-01 00:00"))
    for n in range(4):
        add_friend(n, t("2027-03-10 10:00") + dt.timedelta(days=n * 10))  # 03-10, 03-20, 03-30, 04-09
    run_due(t("2027-03-30 10:05"), sender=_sent)
    # waiting at step 2: the 03-30 friend (due 04-01: next month) ... and the 03-20 one missed its step.
    assert expected_automation_use(t("2027-03-30 10:06")) == 0
    add_friend(7, t("2027-03-25 10:00"))
    run_due(t("2027-03-25 10:05"), sender=_sent)
    assert expected_automation_use(t("2027-03-25 10:06")) == 1  # friend 7's step 2 on 03-27
