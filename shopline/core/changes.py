"""What a write changed, so every view of it can refresh (Anki's OpChanges, in our words).

Every writing service returns a `Changes` — alone, or as the `changes` attribute of its report — and the
window's operation layer broadcasts it once, app-wide. Pages refresh only what the flags say they show.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class Changes:
    friends: bool = False  # rows, names, status, custom values, membership of tags
    tags: bool = False  # the tag list itself: names, folders, colours, counts
    fields: bool = False  # custom field definitions
    segments: bool = False  # saved segments
    templates: bool = False
    campaigns: bool = False  # sends, their journal and the month's usage
    settings: bool = False  # plan, channel, preferences kept in the database
    automations: bool = False
    insights: bool = False
    purchases: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(**{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)})

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def touches(self, other: Changes) -> bool:
        """True when any flag set here is set in `other` too (what a page shows vs what changed)."""
        return any(getattr(self, f.name) and getattr(other, f.name) for f in fields(self))

    def names(self) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name)]

    @classmethod
    def of(cls, *names: str) -> Changes:
        return replace(cls(), **dict.fromkeys(names, True))


NOTHING = Changes()
EVERYTHING = Changes(**{f.name: True for f in fields(Changes)})
FRIENDS_AND_TAGS = Changes(friends=True, tags=True)


def changes_of(result: Any) -> Changes:
    """The changes a service's result reports: the result itself, its `changes`, or nothing."""
    if isinstance(result, Changes):
        return result
    found = getattr(result, "changes", None)
    return found if isinstance(found, Changes) else NOTHING
