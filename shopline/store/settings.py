"""Every Setting key, declared once: its name, type, default, and whether it belongs to a LINE channel.

Code reads and writes settings only through these declarations (`USAGE.get()`, `TEST_USER_IDS.set(...)`), so a
key is spelled in one place, a value is always stored the way its type says, and a key nobody declared cannot be
written (UndeclaredSetting). Secrets never live here: the token and the relay key stay in the OS keyring.

per_channel marks what describes or belongs to the connected LINE channel (its identity, quota, inbox cursor):
with one channel per data folder today the key is stored as is; a shop with several channels keys these by
channel, and the shop-wide ones (time zone, demo data) stay shared.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from shopline.store import dialect
from shopline.store.base import tuples
from shopline.store.models import Setting

T = TypeVar("T")
Kind = Literal["str", "int", "bool", "json", "datetime"]


class UndeclaredSetting(KeyError):
    """A key no declaration names: a programming error, never something a shop can cause."""


@dataclass(frozen=True)
class Declared(Generic[T]):
    key: str
    kind: Kind
    default: T
    per_channel: bool
    about: str
    decode: Callable[[str], T]
    encode: Callable[[T], str]

    def get(self) -> T:
        row = Setting.get_or_none(Setting.key == self.key)
        return self.default if row is None else self._decoded(row.value)

    def set(self, value: T) -> None:
        write({self: value})

    def clear(self) -> None:
        Setting.delete().where(Setting.key == self.key).execute()

    def _decoded(self, raw: str) -> T:
        if raw == "":
            return self.default if self.kind != "str" else self.decode(raw)
        try:
            return self.decode(raw)
        except ValueError:  # written by hand or by an older version: the default, not a crash at start-up
            return self.default


@dataclass(frozen=True)
class Family(Generic[T]):
    """Keys made per thing (one per scenario): the prefix and the thing's id, all of one type."""

    prefix: str
    kind: Kind
    default: T
    per_channel: bool
    about: str
    decode: Callable[[str], T]
    encode: Callable[[T], str]

    def __getitem__(self, name: object) -> Declared[T]:
        return Declared(f"{self.prefix}{name}", self.kind, self.default, self.per_channel, self.about, self.decode,
                        self.encode)


DECLARED: dict[str, Declared[Any]] = {}
FAMILIES: dict[str, Family[Any]] = {}


def _declare(key: str, kind: Kind, default: T, decode: Callable[[str], T], encode: Callable[[T], str], *,
             per_channel: bool, about: str) -> Declared[T]:
    if key in DECLARED:
        raise ValueError(f"setting {key!r} is declared twice")
    declared = Declared(key, kind, default, per_channel, about, decode, encode)
    DECLARED[key] = declared
    return declared


def _is_declared(setting: Declared[Any]) -> bool:
    if DECLARED.get(setting.key) is setting:
        return True
    return any(setting.key.startswith(prefix) and family[setting.key[len(prefix):]] == setting
               for prefix, family in FAMILIES.items())


def _text(key: str, *, per_channel: bool, about: str) -> Declared[str]:
    return _declare(key, "str", "", str, str, per_channel=per_channel, about=about)


def _int(key: str, default: int, *, per_channel: bool, about: str) -> Declared[int]:
    return _declare(key, "int", default, int, str, per_channel=per_channel, about=about)


def _flag(key: str, *, per_channel: bool, about: str) -> Declared[bool]:
    return _declare(key, "bool", False, lambda raw: raw == "1", lambda on: "1" if on else "0",
                    per_channel=per_channel, about=about)


def _json(key: str, *, per_channel: bool, about: str) -> Declared[Any]:
    return _declare(key, "json", None, json.loads, lambda value: json.dumps(value, ensure_ascii=False),
                    per_channel=per_channel, about=about)


def _time(key: str, *, per_channel: bool, about: str) -> Declared[dt.datetime | None]:
    def encode(value: dt.datetime | None) -> str:
        return "" if value is None else value.isoformat(timespec="seconds")

    return _declare(key, "datetime", None, dt.datetime.fromisoformat, encode, per_channel=per_channel, about=about)


# The connected channel, by its bot's ID and name (never the token: that is in the keyring).
CHANNEL_USER_ID = _text("line.channel.user_id", per_channel=True, about="the channel's bot user ID")
CHANNEL_BASIC_ID = _text("line.channel.basic_id", per_channel=True, about="the channel's basic ID, @xxxx")
CHANNEL_NAME = _text("line.channel.display_name", per_channel=True, about="the channel's display name")
LAST_SYNC = _time("line.last_sync", per_channel=True, about="when followers were last synced (local time)")

USAGE = _json("delivery.usage", per_channel=True,
              about="LINE's last quota figures: type, value, used, fetched_at (UTC), ours (our sends then)")
PLAN = _text("delivery.plan", per_channel=True, about="the shop's plan key from plans.json; empty: from the quota")
TEST_USER_IDS = _text("delivery.test_user_ids", per_channel=True, about="test-send user IDs, space-separated")

DEMO_SHOP = _flag("demo_shop", per_channel=False, about="the demo shop was loaded into this data folder")
DEMO_TAGS = _json("demo_tags", per_channel=False, about="ids of the tags the demo created (JSON list)")
DEMO_FIELDS = _json("demo_fields", per_channel=False, about="ids of the custom fields the demo created (JSON list)")
DEMO_SCENARIO = _int("demo_scenario", 0, per_channel=False, about="id of the demo's sample scenario; 0: none")

RELAY_URL = _text("relay.url", per_channel=True, about="the shop's relay (its key is in the keyring)")
INBOX_CURSOR = _int("inbox.cursor", 0, per_channel=True, about="the relay queue's position applied so far")
INBOX_RELAY = _text("inbox.relay", per_channel=True, about="the relay the cursor belongs to")
INBOX_LAST_PULL = _time("inbox.last_pull", per_channel=True, about="when the relay was last pulled (local time)")

AUTOMATION_ENTRIES_SEEN = Family("automations.entries_seen.", "str", "", False, "per scenario: the latest run that "
                                 "looked for new friends and tags (automations' own time stamp)", str, str)
AUTOMATION_FRIENDS_SEEN = Family("automations.friends_seen.", "int", 0, False,
                                 "per scenario: the highest friend id its last run had seen", int, str)
FAMILIES.update({f.prefix: f for f in (AUTOMATION_ENTRIES_SEEN, AUTOMATION_FRIENDS_SEEN)})

SHOP_TIMEZONE = _text("shop.timezone", per_channel=False, about="an IANA zone name; empty: the machine's")

# Read and written by purchase_models.py's triggers in SQL too, so these keys are spelled there as well.
PURCHASES_MEMBER_FIELD = _int("purchases.member_field_id", 0, per_channel=False,
                              about="the custom field holding member numbers (ID連携); 0: none")
PURCHASES_RFM_STALE = _flag("purchases.rfm_stale", per_channel=False,
                            about="purchases were attached to friends since the RFM scores were computed")
PURCHASES_RFM_BOUNDS = _json("purchases.rfm_bounds", per_channel=False,
                             about="each RFM measure's quintile boundaries at the last full scoring, for the triggers")


def declared(key: str) -> Declared[Any]:
    if key in DECLARED:
        return DECLARED[key]
    for prefix, family in FAMILIES.items():
        if key.startswith(prefix) and key != prefix:
            return family[key[len(prefix):]]
    raise UndeclaredSetting(key)


def write(values: Mapping[Declared[Any], Any]) -> None:
    """Store several settings in one statement (an upsert: a key stored before is overwritten)."""
    rows = []
    for setting, value in values.items():
        if not _is_declared(setting):
            raise UndeclaredSetting(setting.key)
        rows.append({"key": setting.key, "value": setting.encode(value)})
    dialect.upsert(Setting, rows, key=("key",))


def write_key(key: str, value: Any) -> None:
    """For code that has a key's name rather than its declaration (a table of keys): refused unless declared."""
    write({declared(key): value})


def read(*settings: Declared[Any]) -> tuple[Any, ...]:
    """Several settings in one query, each decoded or its default."""
    stored: dict[str, str] = dict(tuples(Setting.select(Setting.key, Setting.value)
                                         .where(Setting.key.in_([s.key for s in settings]))))
    return tuple(s.default if s.key not in stored else s._decoded(stored[s.key]) for s in settings)


def clear(*settings: Declared[Any]) -> None:
    Setting.delete().where(Setting.key.in_([s.key for s in settings])).execute()
