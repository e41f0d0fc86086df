"""Deciding what is due, and sending a day's due steps; prints the figures issue 17 asks for.

    python bench/bench_run_due.py [--friends 100000] [--due 20000] [--latency 0.05]

The shop: 100,000 friends, 10 active scenarios of 5 steps (5 friend_added, 2 tag_added, 2 segment, 1 yearly
birthday) with every friend in each friend_added scenario, and 2 recurring sends; `--due` steps are due now,
spread over the scenarios.
  1. deciding (`run-due --dry-run`'s work: entries, stops, due steps, if/else) takes at most 1 s (the first run
     in a fresh process, which builds the bitmap index, as well as the median of five), and at most 2x the best
     hand-written SQL we know for the same decision (the due enrolments of all scenarios in one query with the
     stop and the if branch, the entry candidates per trigger), timed alternately in the same run;
  2. sending those due steps through the delivery engine against a fake LINE in its own process (--latency
     per request) goes at the multicast pace: multicasts per second (measured at the fake server) at least 0.9x
     the delivery benchmark's own send (bench_send.run) of as many friends, run right after. Friends per second
     are printed too: a run's dozens of steps, each its own aggregation unit, end in part-filled multicasts.
     Both streams start at the limiter's pace (12 in flight, 50 ms answers), so the rate from the first arrival to
     the last is fair to a 55-request stream against a 37-request one. What was not fair: the fake checks every
     request against LINE's spec and cached its verdict by unit name and recipient count, so each of a run's
     requests (a unit per campaign, part-filled sizes) cost the fake ~2.5 ms of validation on its one GIL where
     the delivery benchmark's 500-friend batches cost none, and its answers came up to 50 ms late (0.7x). The
     fake now caches by what the spec judges (tests/fake_line/spec.py); `--latency` is LINE's time, not the fake's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "bench")]

from fake_line.server import TOKEN, user_id  # noqa: E402

DECIDE_LIMIT = 1.0
SQL_RATIO_LIMIT = 2.0
PACE_RATIO_MIN = 0.9
STEPS = [{"after": d, "message": [{"type": "text", "text": f"ステップ{i + 1}"}]}
         for i, d in enumerate(("0m", "1d", "3d", "7d", "14d"))]
NOW = dt.datetime(2027, 3, 15, 1, 0, tzinfo=dt.UTC)  # 10:00 in Tokyo


def make_shop(folder: str, friends: int, due: int) -> None:
    from shopline.automations import scenarios, schedules
    from shopline.automations.shop_time import set_shop_tz, stamp
    from shopline.core.automations import recurrence_from_args
    from shopline.core.segments import HasTag
    from shopline.store import db, open_store

    open_store(folder)
    set_shop_tz("Asia/Tokyo")
    rng = random.Random(17)
    old = (NOW - dt.timedelta(days=60)).astimezone().replace(tzinfo=None).isoformat(sep=" ")
    with db.atomic():
        for name in ("VIP", "購入済み", "スタッフ"):
            db.execute_sql("INSERT INTO tag (name, folder, colour, description, created_at) "
                           "VALUES (?, '', '#4caf50', '', CURRENT_TIMESTAMP)", (name,))
        db.cursor().executemany(
            "INSERT INTO friend (user_id, display_name, gender, status, memo, source, birthday, created_at, "
            "updated_at) VALUES (?, ?, 'unknown', 'following', '', 'demo', ?, ?, ?)",
            [(user_id(i), f"友だち{i}", f"{1970 + i % 40}-{1 + i % 12:02d}-{1 + i % 28:02d}", old, old)
             for i in range(friends)])
        db.execute_sql("INSERT INTO friend_tag (friend_id, tag_id, added_at) "
                       "SELECT id, 1, '2027-01-01 00:00:00' FROM friend WHERE id % 10 = 0")
        db.execute_sql("INSERT INTO friend_tag (friend_id, tag_id, added_at) "
                       "SELECT id, 2, '2027-01-01 00:00:00' FROM friend WHERE id % 7 = 0")
    since = NOW - dt.timedelta(days=90)
    triggers = [{"type": "friend_added"}] * 5 + [{"type": "tag_added", "tag": "VIP"}] * 2 + \
        [{"type": "segment", "expr": "VIP"}] * 2 + [{"type": "date", "field": "birthday", "yearly": True}]
    for n, trigger in enumerate(triggers):
        steps = [dict(s) for s in STEPS]
        if n % 3 == 0:
            steps[2] = steps[2] | {"if": "VIP", "else": [{"type": "text", "text": "みなさまへ"}]}
        scenarios.save({"name": f"シナリオ{n}", "trigger": trigger, "entry": "NOT スタッフ", "stop": "購入済み",
                        "window": ["09:00", "21:00"], "steps": steps}, now=since)
    per = due // len(triggers)
    delays = [dt.timedelta(days=d) for d in (0, 1, 3, 7, 14)]
    rows = []
    for sid in range(1, len(triggers) + 1):
        kind = triggers[sid - 1]["type"]
        members = range(1, friends + 1) if kind == "friend_added" else range(10, friends + 1, 10)
        due_here = set(rng.sample(list(members), per))
        for fid in members:
            soon = fid in due_here
            when = NOW - dt.timedelta(minutes=rng.randint(0, 50)) if soon else \
                NOW + dt.timedelta(minutes=rng.randint(120, 14 * 1440))
            step = rng.randint(0, 4)
            # Entered so that the stored due time is the step's own (on the hour: no window or clock time moves it).
            entered = when.replace(minute=0, second=0) - delays[step]
            rows.append((sid, fid, 2027 if kind == "date" else 0, stamp(entered), "active", step,
                         stamp(entered + delays[step])))
    with db.atomic():
        db.cursor().executemany(
            "INSERT INTO enrolment (scenario_id, friend_id, cycle, entered_at, status, next_step, next_due_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        # Steady state: friends who bought were stopped by earlier runs.
        db.execute_sql("UPDATE enrolment SET status = 'stopped', next_due_at = NULL "
                       "WHERE friend_id IN (SELECT friend_id FROM friend_tag WHERE tag_id = 2)")
    msg = [{"type": "text", "text": "お知らせ"}]
    schedules.add("月初", HasTag("VIP"), msg, recurrence=recurrence_from_args("month", "10:00", 1), now=since)
    schedules.add("週末", HasTag("VIP"), msg, recurrence=recurrence_from_args("week", "10:00", 6), now=since)


def hand_written(now: dt.datetime) -> int:
    """The same decision in hand-written SQL, each part the best single query we know for it: the due
    enrolments of every active scenario not stopped, with the if branch where a step has one (one query over
    the due index), and the entry candidates per trigger, outside the entry segment, not yet entered (for the
    yearly birthday, not in this year's cycle). Returns how many (scenario, friend) rows it found."""
    from shopline.automations.shop_time import stamp
    from shopline.store import db

    since = (now - dt.timedelta(hours=1)).astimezone().replace(tzinfo=None).isoformat(sep=" ")  # as the runner's
    mark = db.execute_sql("SELECT MAX(id) - 1000 FROM friend").fetchone()[0]  # new friends: above the last mark
    stop = "(SELECT friend_id FROM friend_tag WHERE tag_id = 2)"
    staff = "(SELECT friend_id FROM friend_tag WHERE tag_id = 3)"
    vip = "(SELECT friend_id FROM friend_tag WHERE tag_id = 1)"
    active = db.execute_sql("SELECT id, body FROM scenario WHERE status = 'active'").fetchall()
    branched = ", ".join(str(sid) for sid, body in active if '"if"' in body) or "0"
    # Driven by the (scenario, status, next_due_at) index: a JOIN from scenario made SQLite scan every enrolment.
    found = len(db.execute_sql(
        "SELECT e.id, e.scenario_id, e.friend_id, e.cycle, e.entered_at, e.next_step, e.next_due_at, "
        f"CASE WHEN e.next_step = 2 AND e.scenario_id IN ({branched}) THEN e.friend_id IN {vip} END "
        "FROM enrolment e WHERE e.scenario_id IN (SELECT id FROM scenario WHERE status = 'active') "
        f"AND e.status = 'active' AND e.next_due_at <= ? AND e.friend_id NOT IN {stop}", (stamp(now),)).fetchall())
    for sid, trigger in active:
        if '"friend_added"' in trigger:
            sql = ("SELECT f.id FROM friend f WHERE f.id > ? AND f.status = 'following' AND f.created_at >= ? "
                   "AND NOT EXISTS "
                   "(SELECT 1 FROM enrolment e WHERE e.scenario_id = ? AND e.friend_id = f.id) "
                   f"AND f.id NOT IN {staff}")
            found += len(db.execute_sql(sql, (mark, since, sid)).fetchall())
        elif '"tag_added"' in trigger:
            sql = ("SELECT ft.friend_id FROM friend_tag ft WHERE ft.tag_id = 1 AND ft.added_at >= ? AND NOT EXISTS "
                   "(SELECT 1 FROM enrolment e WHERE e.scenario_id = ? AND e.friend_id = ft.friend_id) "
                   f"AND ft.friend_id NOT IN {staff}")
            found += len(db.execute_sql(sql, (since, sid)).fetchall())
        elif '"segment"' in trigger:
            sql = ("SELECT ft.friend_id FROM friend_tag ft JOIN friend f ON f.id = ft.friend_id WHERE ft.tag_id = 1 "
                   "AND f.status = 'following' AND NOT EXISTS "
                   "(SELECT 1 FROM enrolment e WHERE e.scenario_id = ? AND e.friend_id = ft.friend_id) "
                   f"AND ft.friend_id NOT IN {staff}")
            found += len(db.execute_sql(sql, (sid,)).fetchall())
        else:
            sql = ("SELECT f.id, f.birthday FROM friend f WHERE f.status = 'following' AND f.birthday IS NOT NULL "
                   "AND substr(f.birthday, 6, 5) IN (?, ?) AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE "
                   f"e.scenario_id = ? AND e.friend_id = f.id AND e.cycle = ?) AND f.id NOT IN {staff} "
                   f"AND f.id NOT IN {stop}")
            found += len(db.execute_sql(sql, ("03-14", "03-15", sid, now.year)).fetchall())
    return found


def timed(work) -> tuple[float, object]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def decide(folder: str, friends: int, due: int) -> dict:
    from shopline.automations.runner import run_due

    make_shop(folder, friends, due)
    from shopline.automations.entries import remember_seen

    for sid in range(1, 11):  # the runs before this one looked for new friends a minute ago
        remember_seen(sid, NOW - dt.timedelta(minutes=1))
    # The first run in a fresh process (as `shopline run-due` from the scheduler) builds the bitmap index too.
    t_first, _ = timed(lambda: run_due(NOW, dry_run=True))
    decide_times, sql_times, groups, rows = [], [], [], 0
    for _ in range(5):  # alternating, so both see the same cache
        t_sql, rows = timed(lambda: hand_written(NOW))
        t_run, report = timed(lambda: run_due(NOW, dry_run=True))
        sql_times.append(t_sql)
        decide_times.append(t_run)
        groups = report.groups
    decided = sum(g.friends for g in groups if g.label.en.startswith("Step")) + sum(report.missed.values())
    return {"decide_s": statistics.median(decide_times), "sql_s": statistics.median(sql_times),
            "first_s": t_first, "decided": decided, "sql_rows": rows}


def pace(folder: str, latency: float) -> dict:
    """Send the due steps for real against a fake LINE in its own process; then, in the same run, the delivery
    benchmark's own send (bench_send.run: freeze and send one campaign of as many friends, fresh fake LINE)."""
    from bench_send import run as delivery_bench

    from shopline.automations.runner import run_due
    from shopline.store import close_store, open_store

    server = subprocess.Popen(
        [sys.executable, "-m", "fake_line", "--no-check-responses", "--report", "--latency", str(latency)],
        cwd=REPO / "tests", stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        os.environ["SHOPLINE_LINE_API"] = server.stdout.readline().strip()
        import linebot.v3.messaging  # noqa: F401  # imported once, before either is timed

        phases = _timing_phases()
        t_due, report = timed(lambda: run_due(NOW, token=TOKEN))
        sent = report.sent
    finally:
        server.stdin.close()
        due_server = json.loads(server.stdout.readline() or "{}")
        server.wait(timeout=30)
    close_store()
    plain = delivery_bench(sent, latency)
    open_store(folder)
    out = phases["freeze_all"] + phases["flush"]  # freezing the groups and sending them, as bench_send times
    return {"due_sent": sent, "due_s": t_due, "due_out_s": out, "due_per_s": sent / out,
            "due_requests": due_server["requests"], "due_rate": due_server["requests"] / out,
            "due_server_rate": due_server["rate"], "campaigns": len(report.groups),
            "due_max_per_friend": due_server.get("max_per_friend"),
            "plain_sent": plain["delivered"], "plain_per_s": plain["delivered"] / plain["seconds"],
            "plain_requests": plain["requests"], "plain_rate": plain["requests"] / plain["seconds"],
            "plain_e2e_s": plain["seconds"], "plain_server_rate": plain["rate"]}


def _timing_phases() -> dict[str, float]:
    """Seconds the run spends freezing its groups and sending them (wrapping the runner's two steps)."""
    from shopline.automations import runner

    spent: dict[str, float] = {}
    for name in ("freeze_all", "flush"):
        original = getattr(runner._Run, name)

        def wrapped(self, _original=original, _name=name):
            start = time.perf_counter()
            try:
                return _original(self)
            finally:
                spent[_name] = spent.get(_name, 0.0) + time.perf_counter() - start
        setattr(runner._Run, name, wrapped)
    return spent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--friends", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=20_000)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    from shopline.store import close_store

    with tempfile.TemporaryDirectory() as folder:
        figures = decide(folder, args.friends, args.due)
        figures |= pace(folder, args.latency)
        close_store()
    f = figures
    ratio = f["decide_s"] / f["sql_s"]
    pace_ratio = f["due_server_rate"] / f["plain_server_rate"]
    whole_ratio = f["due_rate"] / f["plain_rate"]
    checks = {
        f"deciding {f['decide_s']:.3f} s (first run in the process {f['first_s']:.3f} s) for {f['decided']:,} "
        f"due or missed steps <= {DECIDE_LIMIT} s": max(f["decide_s"], f["first_s"]) <= DECIDE_LIMIT,
        f"deciding / hand-written SQL ({f['sql_s']:.3f} s, {f['sql_rows']:,} rows) = {ratio:.2f}x "
        f"<= {SQL_RATIO_LIMIT}x": ratio <= SQL_RATIO_LIMIT,
        f"the same set: {f['decided']:,} steps decided, {f['sql_rows']:,} rows of hand-written SQL":
            f["decided"] == f["sql_rows"],
        f"sending pace: {f['due_sent']:,} due steps in {f['campaigns']} campaigns, {f['due_requests']} multicasts "
        f"at {f['due_server_rate']:.0f}/s between the first and the last at the fake LINE; the delivery benchmark's "
        f"send of {f['plain_sent']:,} friends ({f['plain_requests']} multicasts) at {f['plain_server_rate']:.0f}/s; "
        f"ratio {pace_ratio:.2f} >= {PACE_RATIO_MIN}": pace_ratio >= PACE_RATIO_MIN,
    }
    # Not judged: with their freezing, the run's exactly-once bookkeeping (StepSend rows, enrolments moved on)
    # and a part-filled last multicast per step. Printed so the cost is seen.
    print(f"end to end: the run froze and sent them in {f['due_out_s']:.2f} s = {f['due_rate']:.0f} multicasts/s "
          f"({f['due_per_s']:,.0f} friends/s; the whole run with deciding {f['due_s']:.2f} s); the delivery benchmark "
          f"checked, froze and sent in {f['plain_e2e_s']:.2f} s = {f['plain_rate']:.0f} multicasts/s "
          f"({f['plain_per_s']:,.0f} friends/s); ratio {whole_ratio:.2f}")
    print(f"load average {os.getloadavg()[0]:.2f}; at most {f['due_max_per_friend']} messages to one friend "
          "across the run's scenarios")
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
