"""One purchases import's rows: each read, checked, matched to its friend (or kept as unmatched), deduplicated
and stored in chunks; refused rows go to the errors file. The importer (importer.py) drives it through a
file in one process or several (parallel.py); the preview reads a few rows through it without storing.

Dedupe: an order's item line is (store, order ID, item, its occurrence among the order's lines with that
item); a row without an order ID is itself as a whole. The key's hash is unique in the table, so importing a
file again (or an export that overlaps the last one) adds only what is new.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from hashlib import blake2b
from pathlib import Path

from shopline.core.folding import fold
from shopline.core.messages import Text
from shopline.core.purchase_values import (
    is_order_total,
    item_key,
    parse_quantity,
    parse_when,
    parse_yen,
)
from shopline.core.values import USER_ID_RE
from shopline.csvio.errors import CsvUnusableError
from shopline.csvio.progress import Ticker
from shopline.csvio.report import ErrorsFile
from shopline.csvio.rows import Cached, RowError
from shopline.purchases import link, parallel, rfm
from shopline.purchases.columns import Roles
from shopline.purchases.report import SHOWN_UNMATCHED, PurchaseReport
from shopline.purchases.stamps import Stamps
from shopline.store import dialect
from shopline.store.models import db
from shopline.store.purchase_models import Purchase

_CHUNK = 20_000
_TABLE = Purchase._meta.table_name
_MISSING = object()
_CUSTOMERS_KEPT = 1_000_000  # distinct customer cells remembered with their friend
_POLL_EVERY = 1_000
_COLUMNS = ("friend_id", "customer", "at", "order_id", "item", "quantity", "amount", "store", "source", "dedupe")


class RowImport:
    """Rows into the purchase table: one import's converters, customer index, dedupe keys, chunk and report."""

    def __init__(self, path: Path, headers: list[str], roles: Roles, report: PurchaseReport,
                 errors: ErrorsFile | None, ticker: Ticker,
                 index: tuple[dict[str, int], dict[str, int]] | None = None) -> None:
        self.source = path.name
        self.headers = headers
        self.roles = roles
        self.report = report
        self.errors = errors
        self.ticker = ticker
        self.users, self.members = link.customer_index() if index is None else index
        self.unmatched: set[str] = set()
        self.rows: list[tuple[object, ...]] = []
        self.pending: list[tuple[int, list[str], list[RowError]]] = []
        self.stamps = Stamps()
        self.amount = Cached(parse_yen)
        self.quantity = Cached(parse_quantity)
        self.item = Cached(item_key)
        self.folded = Cached(fold)
        self.last_order: tuple[str, str] = ("", "")
        self.seen_in_order: dict[str, int] = {}
        # Column positions, -1 for a role the file lacks: row() reads cells by index, padded to this width.
        self.at = {role: roles.get(role, -1) for role in ("customer", "at", "time", "order_id", "item", "quantity",
                                                          "amount", "unit_price", "store")}
        self.columns = tuple(self.at[role] for role in ("customer", "at", "time", "order_id", "item", "quantity",
                                                        "amount", "unit_price", "store"))
        self.width = max(roles.values(), default=-1) + 2
        self.pad = [""] * self.width
        self.customers: dict[str, tuple[str | None, int | None]] = {}
        self.last_stamp, self.last_when = "", ""
        self.imported = 0
        # Bound once: the row loop calls each of these a million times.
        self.customers_get, self.days_get, self.times_get = self.customers.get, self.stamps.days.get, \
            self.stamps.times.get
        self.amount_get, self.quantity_get = self.amount.cache.get, self.quantity.cache.get
        self.item_get, self.folded_get = self.item.cache.get, self.folded.cache.get
        self.seen: set[bytes] | None = None  # in a bulk import, every dedupe key stored or read so far
        self.bulk = False  # the indexes suspended: rows are inserted as they are (row() left out every key seen)
        self.tally: rfm.Tally | None = None  # RFM totals of what is stored, when the table held nothing before
        self.skipped = 0  # rows of this chunk left out as already seen
        # An order total repeated on every item line (合計 on each line) is counted once: the order's lines are
        # held until the next order starts, then all but the first lose the amount (settle()).
        amount_at = roles.get("amount")
        self.totals = amount_at is not None and amount_at < len(headers) and is_order_total(headers[amount_at])
        self.held: list[tuple[object, ...]] = []
        self.held_line_totals = True  # every held line's amount is its unit price x quantity: line totals after all

    def run(self, records: Iterator[tuple[int, list[str]]]) -> None:
        count = 0
        for number, cells in records:
            count += 1
            if count % _POLL_EVERY == 0:
                self.ticker.read(count)
            self.row(number, cells)
            if len(self.rows) + len(self.pending) + self.skipped >= _CHUNK:
                self.flush()
        self.settle()
        self.flush()
        self.finish(count)

    def start(self, bulk: bool, keys: bool) -> None:
        """bulk: rows inserted as they are, the indexes being suspended; keys: deduped against a set of every key
        stored or read so far; bulk without keys (into an empty table): RFM totals summed as rows are stored."""
        self.bulk = bulk
        self.seen = {key for (key,) in db.execute_sql(f"SELECT dedupe FROM {_TABLE}")} if keys else None
        self.tally = rfm.Tally() if bulk and not keys else None

    def restart(self) -> None:
        """A worker process's importer before its next span (parallel.parse): what it read is forgotten, what it
        converted (the caches) kept."""
        self.rows, self.pending, self.skipped, self.imported = [], [], 0, 0
        self.report = PurchaseReport(self.report.encoding)
        self.last_order, self.seen_in_order = ("", ""), {}
        self.held, self.held_line_totals = [], True

    def take(self, parsed: parallel.Parsed, before: int) -> None:
        """A span a worker read (its order lines already carried on by parallel.Orders), numbered on from row
        `before`, deduped against everything stored or read so far, and stored."""
        self.imported += parsed.imported
        for number, cells, problems in parsed.pending:
            self.refuse(number + before, cells, [replace(p, row=p.row + before) for p in problems])
        seen = self.seen
        if seen is None:
            self.rows = parsed.rows
        else:
            kept = self.rows = []
            for row in parsed.rows:
                key = row[9]
                if key in seen:
                    self.skipped += 1
                else:
                    seen.add(key)  # type: ignore[arg-type]  # the dedupe digest, bytes
                    kept.append(row)
            self.report.already += self.skipped
        self.flush()

    def finish(self, count: int) -> None:
        self.report.total_rows = count
        self.report.imported = self.imported
        self.report.unmatched_customers = len(self.unmatched)
        if not count:
            raise CsvUnusableError(Text(
                f"{self.source} には見出しの行しかありません。購入や来店の行を足してから読み込んでください。",
                f"{self.source} holds only a header row. Add rows of purchases or visits, then import it."))

    def row(self, number: int, cells: list[str]) -> None:
        # The hot loop of a million-row import: converters are looked up in their caches inline (a file holds few
        # distinct amounts, items and stores) and a cell is read by its column's index.
        if cells == self.headers:
            self.refuse(number, cells, [RowError(number, "", Text(
                "この行は見出しの行と同じです。2つのCSVをつなげたときに入ることがあります。この行を消してください。",
                "This row repeats the header row, as when two CSV files are joined. Delete it."))])
            return
        # Index -1 reads the padding's last cell, always "": a role the file lacks reads as blank.
        padded = cells + self.pad
        i_customer, i_at, i_time, i_order, i_item, i_quantity, i_amount, i_price, i_store = self.columns
        raw = padded[i_customer]
        found = self.customers_get(raw)
        customer, friend_id = found if found is not None else self._customer(raw)
        raw = padded[i_at]
        if raw == self.last_stamp and not padded[i_time]:  # an order's lines share its stamp
            when: str | Text | None = self.last_when
        else:
            day, _, clock = raw.partition(" ")
            date, time = self.days_get(day), self.times_get(clock)
            if date and time and not padded[i_time]:
                when = self.last_when = date + " " + time
                self.last_stamp = raw
            else:
                raw_time = padded[i_time]
                when = self.stamps(raw) if not raw_time else self._when(raw, raw_time)
        raw = padded[i_amount]
        amount = self.amount_get(raw, _MISSING)
        if amount is _MISSING:
            amount = self.amount.miss(raw)
        raw = padded[i_quantity]
        quantity = self.quantity_get(raw, _MISSING) if raw else None
        if quantity is _MISSING:
            quantity = self.quantity.miss(raw)
        if amount is None and i_price >= 0:
            price = self.amount(padded[i_price])
            amount = price if isinstance(price, Text) or price is None else price * (
                quantity if isinstance(quantity, int) else 1)
        if not customer or when.__class__ is not str or amount.__class__ is Text or quantity.__class__ is Text:
            self.refuse(number, cells, self.problems(number, customer, when, amount, quantity))
            return
        raw = padded[i_item]
        item = self.item_get(raw, _MISSING)
        if item is _MISSING:
            item = self.item.miss(raw)
        item = item or ""
        order_id = padded[i_order].strip()
        raw = padded[i_store]
        store = self.folded_get(raw, _MISSING)
        if store is _MISSING:
            store = self.folded.miss(raw)
        store = store or ""
        if order_id:
            if order_id != self.last_order[1] or store != self.last_order[0]:
                self.last_order, self.seen_in_order = (store, order_id), {}
                if self.held:
                    self.settle()
            nth = self.seen_in_order[item] = self.seen_in_order.get(item, 0) + 1
            key = f"o\x1f{store}\x1f{order_id}\x1f{item}\x1f{nth}"
        else:
            key = f"r\x1f{customer}\x1f{when}\x1f{item}\x1f{quantity}\x1f{amount}\x1f{store}"
        dedupe = blake2b(key.encode(), digest_size=16).digest()
        self.imported += 1
        seen = self.seen
        if seen is not None:
            if dedupe in seen:
                self.report.already += 1
                self.skipped += 1
                return
            seen.add(dedupe)
        row = (friend_id, customer, when, order_id, item, quantity, amount, store, self.source, dedupe)
        if self.totals and order_id:
            self.held.append(row)
            if self.held_line_totals:
                price = self.amount(padded[i_price]) if i_price >= 0 else None
                self.held_line_totals = isinstance(price, int) and amount == price * (
                    quantity if isinstance(quantity, int) else 1)
        else:
            if self.held:  # keep self.rows in the file's order (the preview pairs them with its rows)
                self.settle()
            self.rows.append(row)

    def _customer(self, raw: str) -> tuple[str | None, int | None]:
        """The folded customer key and the friend it names (by user ID, or member number), remembered per cell."""
        customer = self.folded(raw)
        if not customer:
            return None, None
        if customer[:1] == "U" and USER_ID_RE.match(customer):
            friend_id = self.users.get(customer)
        else:
            friend_id = self.members.get(customer)
        if len(self.customers) < _CUSTOMERS_KEPT:
            self.customers[raw] = (customer, friend_id)
        return customer, friend_id

    def settle(self) -> None:
        """The held lines of one order into self.rows: when the amount column is an order total (合計) and every
        line repeats the same amount, not each line's price x quantity, it is the order's total, kept on the
        first line only, so `spent` counts it once."""
        held = self.held
        if len(held) > 1 and not self.held_line_totals and held[0][6] is not None \
                and all(row[6] == held[0][6] for row in held):
            held[1:] = [(*row[:6], None, *row[7:]) for row in held[1:]]
        self.rows.extend(held)
        self.held, self.held_line_totals = [], True

    def problems(self, number: int, customer: str | None, when: object, amount: object,
                 quantity: object) -> list[RowError]:
        found: list[RowError] = []
        if not customer:
            found.append(self.error(number, "customer", Text(
                "お客様(ユーザーIDか会員番号)が空です。", "The customer (user ID or member number) is empty.")))
        if when is None:
            found.append(self.error(number, "at", Text("日時が空です。", "The date is empty.")))
        elif isinstance(when, Text):
            found.append(self.error(number, "at", when))
        for role, value in (("amount", amount), ("quantity", quantity)):
            if isinstance(value, Text):
                found.append(self.error(number, "unit_price" if role == "amount" and self.at["amount"] < 0 else role,
                                        value))
        return found

    def _when(self, raw_at: str, raw_time: str) -> str | Text | None:
        if not raw_at.strip():
            return None
        try:
            return parse_when(raw_at, raw_time)
        except ValueError as err:
            reason: Text = err.args[0]
            return reason

    def error(self, number: int, role: str, reason: Text) -> RowError:
        i = self.roles.get(role)
        return RowError(number, self.headers[i] if i is not None and i < len(self.headers) else "", reason)

    def refuse(self, number: int, cells: list[str], problems: list[RowError]) -> None:
        self.report.refuse(problems)
        self.pending.append((number, cells, problems))

    def flush(self) -> None:
        if self.rows and self.bulk:
            dialect.insert_rows(db, _TABLE, _COLUMNS, self.rows)
            self.report.added += len(self.rows)
            if self.tally is not None:
                self.tally.add(self.rows)
            self._note_unmatched(str(row[1]) for row in self.rows if row[0] is None)
        elif self.rows:
            last_id = dialect.max_id(_TABLE)
            added = dialect.insert_ignore_rows(db, _TABLE, _COLUMNS, self.rows)
            self.report.added += added
            self.report.already += len(self.rows) - added
            if added and any(row[0] is None for row in self.rows):
                # The rows this chunk added are the ids past the largest before it (an ignored insert takes no id
                # for a row it skips): a repeated import of unmatched rows adds, and reports, nothing.
                self._note_unmatched(customer for (customer,) in db.execute_sql(
                    f"SELECT customer FROM {_TABLE} WHERE id > ? AND friend_id IS NULL ORDER BY id", (last_id,)))
        if self.errors is not None:
            for number, cells, problems in self.pending:
                self.errors.add(number, cells, problems)
        self.ticker.wrote(len(self.rows) + len(self.pending) + self.skipped)
        self.rows, self.pending, self.skipped = [], [], 0

    def _note_unmatched(self, customers: Iterable[str]) -> None:
        for customer in customers:
            self.report.unmatched_rows += 1
            if customer not in self.unmatched:
                self.unmatched.add(customer)
                if len(self.report.unmatched) < SHOWN_UNMATCHED:
                    self.report.unmatched.append(customer)

