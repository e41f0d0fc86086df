"""Per-friend results of tracked links: who clicked which link of a campaign (with a CSV), the segments of those
who clicked and those who did not, and the campaigns one friend received and clicked."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from shopline.core.changes import Changes
from shopline.core.segments import And, Compare, Node, Not
from shopline.csvio.formulas import neutralise
from shopline.store.base import db
from shopline.store.campaign_models import Campaign
from shopline.store.segments import save_segment

CSV_HEADERS = ("user_id", "表示名", "URL", "クリック数", "最初のクリック", "最後のクリック")


def _time(value: object) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


@dataclass(frozen=True)
class FriendClicks:
    friend_id: int
    user_id: str
    display_name: str
    url: str
    clicks: int
    first_at: dt.datetime
    last_at: dt.datetime


def campaign_clicks(campaign: str) -> list[FriendClicks]:
    """Each friend and URL they clicked in the campaign (by name), the latest clicker first."""
    found = Campaign.get_or_none(Campaign.name == campaign)
    if found is None:
        return []
    rows = db.execute_sql(
        "SELECT c.friend_id, f.user_id, f.display_name, c.url, count(*), min(c.at), max(c.at) FROM click c "
        "JOIN friend f ON f.id = c.friend_id WHERE c.campaign_id = ? GROUP BY c.friend_id, c.url "
        "ORDER BY max(c.at) DESC, c.friend_id, c.url", (found.id,))
    return [FriendClicks(fid, uid, name or "", url, n, _time(first), _time(last))
            for fid, uid, name, url, n, first, last in rows]


def export_clicks(campaign: str, path: Path | str) -> int:
    """The campaign's clicks per friend and URL as a CSV Excel opens (UTF-8 with BOM, no live formulas)."""
    rows = campaign_clicks(campaign)
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_HEADERS)
        for r in rows:
            writer.writerow([neutralise(str(cell)) for cell in (
                r.user_id, r.display_name, r.url, r.clicks, f"{r.first_at:%Y-%m-%d %H:%M:%S}",
                f"{r.last_at:%Y-%m-%d %H:%M:%S}")])
    return len(rows)


def retargeting_tree(campaign_name: str, clicked: bool) -> Node:
    """Who clicked one of the campaign's links; or who received it and clicked none (the reminder)."""
    click = Compare("clicked", ">=", 1, args=(("campaign", campaign_name),))
    if clicked:
        return click
    return And((Compare("received", ">=", 1, args=(("campaign", campaign_name),)), Not(click)))


def make_retargeting_segment(name: str, clicked: bool) -> tuple[str, Changes]:
    """Save 「NAME」をクリックした人 (or しなかった人) as a segment; returns its name and what changed."""
    title = f"「{name[:60]}」をクリック{'した' if clicked else 'しなかった'}人"
    saved, _new = save_segment(title, retargeting_tree(name, clicked))
    return saved.name, Changes(segments=True)


@dataclass(frozen=True)
class FriendCampaign:
    campaign_id: int
    name: str
    sent_at: dt.datetime | None
    received: bool  # LINE accepted it for this friend (our journal)
    clicks: int
    urls: tuple[str, ...]


def friend_campaigns(friend_id: int, limit: int = 50) -> list[FriendCampaign]:
    """The campaigns this friend was sent (newest first), with their clicks on each campaign's tracked links."""
    rows = list(db.execute_sql(
        "SELECT c.id, c.name, coalesce(b.done_at, c.started_at), b.status = 'accepted' FROM recipient r "
        "JOIN campaign c ON c.id = r.campaign_id JOIN batch b ON b.id = r.batch_id WHERE r.friend_id = ? "
        "ORDER BY c.id DESC LIMIT ?", (friend_id, limit)))
    clicks: dict[int, list[str]] = {}
    for campaign_id, url in db.execute_sql(
            "SELECT campaign_id, url FROM click WHERE friend_id = ? ORDER BY at", (friend_id,)):
        clicks.setdefault(campaign_id, []).append(url)
    return [FriendCampaign(cid, name, _time(at) if at else None, bool(ok), len(clicks.get(cid, [])),
                           tuple(dict.fromkeys(clicks.get(cid, []))))
            for cid, name, at, ok in rows]
