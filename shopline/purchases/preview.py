"""What the import would make of a file's first rows with a given column mapping: the parsed values, each row's
problems with its row number, and how many of its customers are friends — the import dialog's preview."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from shopline.core.messages import Text
from shopline.core.purchase_values import REQUIRED_ROLES, guess_mapping
from shopline.csvio.errors import CsvUnusableError
from shopline.csvio.progress import Ticker
from shopline.csvio.purchases_reader import open_purchase_csv
from shopline.csvio.rows import RowError
from shopline.purchases import link
from shopline.purchases.columns import FieldMap, merge, roles_for
from shopline.purchases.report import PurchaseReport
from shopline.purchases.row_import import RowImport


@dataclass
class PreviewRow:
    number: int  # as Excel numbers it: the header is row 1
    cells: list[str]  # as in the file
    values: dict[str, object]  # field -> what the import stores: "YYYY-MM-DD HH:MM:SS", yen and quantity as int
    problems: list[RowError]  # why the import would refuse the row; empty when it reads
    matched: bool | None = None  # the customer is a friend now; None for a refused row


@dataclass
class PurchasePreview:
    encoding: str
    headers: list[str]
    mapping: FieldMap  # field -> header the import will use: the aliases' guess with the shop's choices over it
    guessed: FieldMap  # what the aliases alone recognised
    rows: list[PreviewRow]
    unusable: Text | None = None  # why the import would refuse the whole file with this mapping (no date column...)
    matched: int = 0  # distinct customers of the previewed rows who are friends
    unmatched: int = 0  # ... who are no friend yet (kept as unmatched by the import)

    @property
    def columns(self) -> dict[str, str | None]:
        """header -> the field it becomes, None when the import ignores it."""
        fields = {header: role for role, header in self.mapping.items()}
        return {h: fields.get(h) for h in self.headers}

    @property
    def missing(self) -> list[str]:
        """Fields the import needs that no column gives yet (the dialog asks the shop to map them)."""
        return [role for role in REQUIRED_ROLES if role not in self.mapping]

    @property
    def problems(self) -> list[RowError]:
        return [p for row in self.rows for p in row.problems]


def preview_purchases(path: Path | str, *, encoding: str = "auto", mapping: FieldMap | None = None,
                      key: str | None = None, rows: int = 20) -> PurchasePreview:
    """The first rows as the import would read them with this mapping (field -> header, over the aliases' guess)
    and key column, with their problems and how many of their customers are friends. A file the import would
    refuse whole (no date column) still previews, with `unusable` saying why, so the shop can map the column."""
    path = Path(path)
    with open_purchase_csv(path, encoding) as csv_file:
        headers = csv_file.headers
        guessed = {role: headers[i] for role, i in guess_mapping(headers).items()}
        try:
            roles, unusable = roles_for(path, headers, mapping, key), None
        except CsvUnusableError as err:
            roles, unusable = merge(headers, guess_mapping(headers), mapping, strict=False), err.text
        preview = PurchasePreview(csv_file.encoding, headers, {r: headers[i] for r, i in roles.items()}, guessed, [],
                                  unusable)
        reader = RowImport(path, headers, roles, PurchaseReport(csv_file.encoding), None, Ticker(None, None, 0),
                         index=({}, {}))
        read: list[PreviewRow] = []  # rows read without a fault, in the order reader.rows receives them
        for number, cells in _take(csv_file.records, rows):
            if unusable is not None:
                preview.rows.append(PreviewRow(number, cells, {}, []))
                continue
            reader.row(number, cells)
            if reader.pending:
                preview.rows.append(PreviewRow(number, cells, {}, reader.pending.pop()[2]))
            else:
                preview.rows.append(PreviewRow(number, cells, {}, []))
                read.append(preview.rows[-1])
        reader.settle()  # an order total repeated on each line shows on its first line only, as stored
        for shown, stored in zip(read, reader.rows, strict=True):
            _fid, customer, at, order_id, item, quantity, amount, store, _src, _key = stored
            shown.values = {"customer": customer, "at": at, "order_id": order_id, "item": item,
                            "quantity": quantity, "amount": amount, "store": store}
    customers = {str(r.values["customer"]) for r in preview.rows if r.values}
    friends = link.friends_for(customers)
    for r in preview.rows:
        if r.values:
            r.matched = r.values["customer"] in friends
    preview.matched = len(friends)
    preview.unmatched = len(customers) - len(friends)
    return preview


def _take(records: Iterator[tuple[int, list[str]]], n: int) -> Iterator[tuple[int, list[str]]]:
    for i, record in enumerate(records):
        if i >= n:
            return
        yield record


__all__ = ["PreviewRow", "PurchasePreview", "preview_purchases"]
