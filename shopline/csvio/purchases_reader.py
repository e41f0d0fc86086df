"""A purchase or visit export opened with the friends import's reader: the same encoding checks, strict quoting
and formula restoring, but none of its friend-column checks (a register's file has no friend columns)."""

from __future__ import annotations

from pathlib import Path

from shopline.core.messages import Text
from shopline.csvio.encoding import ENCODINGS
from shopline.csvio.reader import CsvFile, open_records

PURCHASES = Text("購入や来店", "purchases or visits")


def open_purchase_csv(path: Path, encoding: str = "auto") -> CsvFile:
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown encoding {encoding!r}; use one of {ENCODINGS}")
    return open_records(path, encoding, holding=PURCHASES)
