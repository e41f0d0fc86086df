"""A purchase or visit export opened with the friends import's reader: the same encoding checks, strict quoting
and formula restoring, but none of its friend-column checks (a register's file has no friend columns)."""

from __future__ import annotations

import itertools
from pathlib import Path

from shopline.core.messages import Text
from shopline.csvio.encoding import ENCODINGS, open_text, sniff
from shopline.csvio.errors import CsvUnusableError
from shopline.csvio.reader import CsvFile, _Records


def open_purchase_csv(path: Path, encoding: str = "auto") -> CsvFile:
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown encoding {encoding!r}; use one of {ENCODINGS}")
    sniffed = sniff(path, encoding)
    stream = open_text(path, sniffed.codec)
    try:
        first_line = stream.readline()
        delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
        scanner = _Records(path, sniffed.codec, delimiter)
        records = scanner.read(itertools.chain([first_line], stream))
        try:
            _number, headers = next(records)
        except StopIteration:
            raise CsvUnusableError(Text(f"{path.name} には行がありません。購入や来店の行が入ったCSVを選んでください。",
                                        f"{path.name} has no rows. Choose a CSV that holds purchases or visits.")
                                   ) from None
        scanner.headers = headers
    except BaseException:
        stream.close()
        raise
    return CsvFile(path, sniffed.codec, headers, [], records, max(0, sniffed.lines - 1), stream)
