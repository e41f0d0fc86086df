"""Our own MIME types: what the palette and the canvas put on a drag, and reading it back.

A drag carries an identifier, never a widget: a tag's name, a condition's JSON
leaf, or a group's id. A condition dragged from the canvas also names its item
and the model it lives in, so dropping it in the same builder moves it and
dropping it anywhere else adds a copy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from PySide6.QtCore import QMimeData

from shopline.core.segments import HasTag, SegmentError, from_json, to_json
from shopline.ui.segment_builder.model import Leaf

TAG = "application/x-shopline-tag"
CONDITION = "application/x-shopline-condition"
GROUP = "application/x-shopline-group"
FORMATS = (TAG, CONDITION, GROUP)


@dataclass(frozen=True)
class Dropped:
    leaf: Leaf | None  # a tag or condition to add (or to move, when source is set)
    source: int | None = None  # the canvas item being moved
    token: str = ""  # the model the source id belongs to


def tag_mime(name: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(TAG, name.encode())
    mime.setText(name)
    return mime


def condition_mime(leaf: Leaf, source: int | None = None, token: str = "") -> QMimeData:
    mime = QMimeData()
    body = {"node": to_json(leaf), "source": source, "token": token}
    mime.setData(CONDITION, json.dumps(body, ensure_ascii=False).encode())
    return mime


def group_mime(group_id: int, token: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(GROUP, json.dumps({"source": group_id, "token": token}).encode())
    return mime


def accepts(mime: QMimeData) -> bool:
    return any(mime.hasFormat(f) for f in FORMATS)


def decode(mime: QMimeData) -> Dropped | None:
    """What a drop carries, or None for anything we did not put there ourselves."""
    try:
        if mime.hasFormat(TAG):
            return Dropped(HasTag(bytes(mime.data(TAG).data()).decode()))
        for fmt in (CONDITION, GROUP):
            if mime.hasFormat(fmt):
                body = json.loads(bytes(mime.data(fmt).data()).decode())
                leaf = from_json(body["node"]) if fmt == CONDITION else None
                if leaf is not None and not isinstance(leaf, Leaf):
                    return None
                return Dropped(leaf, body.get("source"), body.get("token", ""))
    except (ValueError, KeyError, TypeError, SegmentError):
        return None
    return None
