"""A campaign is sent by one holder at a time: the window, `shopline send/resume`, the automations runner or
another PC. The claim is a lease in the database (store/leases.py), renewed while batches go out and
released at the end; a holder that dies lets go when its lease expires. Two holders sending the same pending
batches would each use the batch's retry key, which LINE deduplicates only while it remembers the key — the
claim makes "once per friend" not depend on that.
"""

from __future__ import annotations

import datetime as dt
import time

from shopline.core.messages import ShopLineError, Text
from shopline.store import leases
from shopline.store.campaign_models import Campaign

TTL = dt.timedelta(minutes=5)
RENEW_EVERY = 60.0  # seconds: well inside TTL, so a slow LINE never lets the lease lapse mid-send


class CampaignBusy(ShopLineError):
    exit_code = 4  # as for another writer: nothing was sent by this process, the other one is sending


def _name(campaign: Campaign) -> str:
    return f"campaign:{campaign.id}"


class Claim:
    def __init__(self, campaign: Campaign) -> None:
        self.name = _name(campaign)
        holder = leases.acquire(self.name, TTL)
        if holder is None:
            other = leases.current_holder(self.name)
            where = f"{other.host} (pid {other.pid})" if other else "?"
            raise CampaignBusy(Text(
                f"配信「{campaign.name}」は、ほかのShopLine({where})が送っているところです。"
                "二重に送らないよう、こちらでは何も送りませんでした。向こうが終わるまで待ってください。",
                f"\"{campaign.name}\" is being sent by another ShopLine ({where}). Nothing was sent from here, "
                "so nobody gets it twice; wait for the other one to finish."))
        self.holder = holder
        self._renewed = time.monotonic()

    def renew_if_due(self) -> None:
        if time.monotonic() - self._renewed >= RENEW_EVERY:
            leases.renew(self.holder, self.name, TTL)
            self._renewed = time.monotonic()

    def release(self) -> None:
        leases.release(self.holder, self.name)
