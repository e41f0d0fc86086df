"""The README's two 効果測定 screenshots: a campaign's results and the friends-over-time chart.

    python tools/results_shots.py     # alone: a demo shop in a temporary folder, under xvfb-run when needed

tools/screenshots.py calls shoot_results() as well, after its other pages. The figures are written into the
store as a fetch from LINE would have left them (snapshots, follower days) beside sends in the journal and a
few purchases, so the page shows real-looking numbers without a channel.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WIDTH, HEIGHT = 1280, 800
SHOWN = "母の日ギフトのご案内"
# name, days before today, share of following friends, opened, clicked (None: LINE's "fewer than 20"), URLs
CAMPAIGNS = [
    ("春の新作のお知らせ", 27, 1.0, 0.62, 0.14, ["https://shop.example/spring", "https://shop.example/map"]),
    ("雨の日クーポン", 20, 0.5, 0.55, 0.21, ["https://shop.example/coupon"]),
    (SHOWN, 12, 0.8, 0.66, 0.18, ["https://shop.example/gift", "https://shop.example/order", "https://shop.example/map"]),
    ("スタッフのおすすめ", 5, 0.3, 0.48, 0.09, ["https://shop.example/staff"]),
    ("VIP限定セール", 2, 0.008, None, None, ["https://shop.example/vip"]),
]


def seed_results(now: dt.datetime | None = None, seed: int = 3) -> None:
    """Sends, LINE's figures as fetched, 30 days of friends, goals and purchases, into the open store."""
    from shopline.results.conversions import set_goal
    from shopline.store.campaign_models import Batch, Campaign, Recipient
    from shopline.store.connection import db
    from shopline.store.insight_models import FollowerDay, InsightSnapshot
    from shopline.store.models import Friend
    from shopline.store.purchase_models import Purchase

    rng = random.Random(seed)
    now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    following = [(fid, uid) for fid, uid in Friend.select(Friend.id, Friend.user_id)
                 .where(Friend.status == "following").order_by(Friend.id).tuples()]
    with db.atomic():
        for n, (name, ago, share, opened, clicked, urls) in enumerate(CAMPAIGNS):
            at = now - dt.timedelta(days=ago, hours=n)
            chosen = rng.sample(following, max(int(len(following) * share), 1))
            campaign = Campaign.create(name=name, segment_tree="{}", segment_text="", messages="[]",
                                       unit=f"sl_demo{n}", status="done", recipients=len(chosen), started_at=at,
                                       estimate=json.dumps({"plan": "jp_light", "used": 300 * n}))
            batch = Batch.create(campaign=campaign, seq=1, retry_key=str(uuid.uuid4()), size=len(chosen),
                                 status="accepted", done_at=at)
            Recipient.insert_many([(campaign.id, fid, batch.id, uid) for fid, uid in chosen],
                                  fields=[Recipient.campaign, Recipient.friend, Recipient.batch,
                                          Recipient.user_id]).execute()
            sent = len(chosen)
            impressions = None if opened is None else int(sent * opened)
            clicks = None if clicked is None else int(sent * clicked)
            weights = [rng.random() + 0.2 for _ in urls]
            unique = [None if clicks is None else int(clicks * w / sum(weights)) for w in weights]
            InsightSnapshot.create(
                campaign=campaign, unit=campaign.unit, impressions=impressions, clicks=clicks,
                urls=json.dumps([{"seq": 1, "url": u, "clicks": None if q is None else int(q * 1.3),
                                  "unique_clicks": q} for u, q in zip(urls, unique, strict=True)]),
                range_from=at.date(), range_to=now.date(), fetched_at=now - dt.timedelta(hours=1),
                final=ago >= 14)
            if name == SHOWN:
                set_goal(campaign, open_rate=0.6, click_rate=0.2, conversion_rate=0.05, purchase_days=7)
                buyers = rng.sample(chosen, max(len(chosen) // 14, 1))
                for k, (fid, uid) in enumerate(buyers):
                    when = (at + dt.timedelta(hours=rng.randint(2, 160))).astimezone().replace(tzinfo=None)
                    Purchase.insert(friend=fid, customer=uid, at=when.isoformat(sep=" ", timespec="seconds"),
                                    order_id=f"G{k:04d}", item="母の日ギフトセット", quantity=1,
                                    amount=rng.choice([3300, 4400, 5500]), dedupe=f"demo-{k}".encode()).execute()
        friends = len(following) - 30 * 6
        for d in range(30, 0, -1):
            day = (now.astimezone(dt.timezone(dt.timedelta(hours=9))) - dt.timedelta(days=d)).date()
            friends += rng.randint(2, 11)
            FollowerDay.create(day=day, status="ready", followers=friends, targeted_reaches=int(friends * 0.86),
                               blocks=40 + (30 - d) // 3, fetched_at=now - dt.timedelta(hours=1))


def shoot_results(window, wait_for: Callable, save: Callable) -> None:
    """The 効果測定 page on the shown campaign, then its friends-over-time tab."""
    from shopline.ui.results import ResultsPage

    seed_results()
    row = next(i for i in range(window.nav.count()) if window.nav.item(i).text() in ("効果測定", "Results"))
    page = window.page_at(row)
    assert isinstance(page, ResultsPage)
    window.nav.setCurrentRow(row)
    if not page.loaded:
        page.reload()
    while not page.loaded:
        wait_for(page.campaigns.detail.editor.saved, 200)  # never emitted here: a short wait
    page.campaigns.select(SHOWN)
    wait_for(page.campaigns.detail.editor.saved, 1_500)  # lets the goal editor and the clicks arrive
    save(window, "results")
    page.tabs.setCurrentIndex(1)
    save(window, "trend")


def main() -> int:
    import tempfile

    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from shopline.demo import load_demo
    from shopline.store import close_store, open_store
    from shopline.ui import app, operations
    from shopline.ui.main_window import MainWindow

    def wait_for(signal, timeout_ms: int = 60_000) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()
        signal.disconnect(loop.quit)

    def save(window, name: str) -> None:
        loop = QEventLoop()
        QTimer.singleShot(400, loop.quit)
        loop.exec()
        path = ROOT / "docs" / "screenshots" / f"{name}.png"
        window.grab().save(str(path))
        print(f"wrote {path.relative_to(ROOT)}")

    qapp = QApplication([sys.argv[0]])
    app.install_translations(qapp, "ja")
    with tempfile.TemporaryDirectory() as tmp:
        open_store(tmp)
        load_demo(n=2000)
        window = MainWindow(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat))
        window.setGeometry(0, 0, WIDTH, HEIGHT)
        window.show()
        window.start()
        wait_for(window.friends.model.loaded, 10_000)
        shoot_results(window, wait_for, save)
        window.close()
        operations.wait_idle()
        close_store()
    del qapp
    return 0


if __name__ == "__main__":
    if not os.environ.get("DISPLAY"):
        env = dict(os.environ, QT_QPA_PLATFORM="xcb")
        command = ["xvfb-run", "-a", "-s", f"-screen 0 {WIDTH}x{HEIGHT}x24", sys.executable, __file__]
        raise SystemExit(subprocess.run(command, env=env, check=False).returncode)
    raise SystemExit(main())
