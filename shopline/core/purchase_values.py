"""What a register's or web store's export means: its headers, and the dates, amounts and quantities in its cells.

POS and EC exports each name their columns their own way (注文日, 購入日時, 売上日 ...); these aliases
cover the common ones, and the import dialog lets the shop map the rest. Each parser returns the
canonical value or raises ValueError whose args[0] is a Text, like core.values, so the import can
report the row.
"""

from __future__ import annotations

import datetime as dt
import re

from shopline.core.folding import fold
from shopline.core.messages import Text

# What a column of a purchase file can be, in the order the dialog shows them.
ROLES = ("customer", "at", "time", "order_id", "item", "quantity", "amount", "unit_price", "store")
ROLE_LABELS = {
    "customer": Text("お客様(ユーザーID・会員番号)", "customer (user ID or member number)"),
    "at": Text("日時", "date and time"), "time": Text("時刻", "time of day"),
    "order_id": Text("注文番号", "order ID"), "item": Text("商品名", "item"),
    "quantity": Text("数量", "quantity"), "amount": Text("金額", "amount"),
    "unit_price": Text("単価", "unit price"), "store": Text("店舗", "store"),
}
REQUIRED_ROLES = ("customer", "at")  # a file without either cannot be imported


def role_named(name: str) -> str | None:
    """The role a shop names by its code (amount) or either label (金額, "amount"), as `--map` and the dialog do."""
    key = fold(name).strip().lower()
    for role, label in ROLE_LABELS.items():
        if key in (role, fold(label.ja).lower(), label.en.lower()):
            return role
    return None


HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "customer": ("ユーザーID", "line_user_id", "user_id", "userid", "lineユーザーid", "line_id", "友だちid",
                 "会員番号", "会員id", "会員no", "顧客番号", "顧客id", "顧客コード", "お客様番号", "お客様id",
                 "ポイントカード番号", "カード番号", "customer_id", "customer", "member_id", "member_no",
                 "member_number"),
    "at": ("注文日", "注文日時", "購入日", "購入日時", "日時", "日付", "売上日", "売上日時", "取引日", "取引日時",
           "来店日", "来店日時", "チェックイン日時", "受付日時", "order_date", "ordered_at", "purchase_date",
           "purchased_at", "date", "datetime", "created_at", "visit_date", "visited_at"),
    "time": ("時刻", "時間", "注文時刻", "購入時刻", "来店時刻", "time"),
    "order_id": ("注文番号", "注文id", "注文no", "伝票番号", "レシート番号", "取引番号", "取引id", "会計番号",
                 "order_id", "order_no", "order_number", "order", "receipt_no", "transaction_id"),
    "item": ("商品名", "商品", "品名", "品目", "メニュー", "メニュー名", "item", "item_name", "product",
             "product_name", "name"),
    "quantity": ("数量", "個数", "点数", "quantity", "qty"),
    "amount": ("金額", "小計", "合計", "合計金額", "税込金額", "売上金額", "売上", "支払金額", "お支払い金額",
               "伝票合計", "amount", "subtotal", "total", "line_total", "order_total"),
    "unit_price": ("単価", "価格", "販売価格", "unit_price", "price"),
    "store": ("店舗", "店舗名", "店名", "販売店", "チャネル", "販売チャネル", "store", "shop", "store_name",
              "channel"),
}
_SEPARATORS = re.compile(r"[\s_\-・]+")


def header_key(header: str) -> str:
    """A header as compared with the aliases: folded, lower case, separators as one underscore."""
    return _SEPARATORS.sub("_", fold(header).lower()).strip("_")


_BY_KEY = {header_key(alias): role for role, aliases in HEADER_ALIASES.items() for alias in (role, *aliases)}


def guess_role(header: str) -> str | None:
    return _BY_KEY.get(header_key(header))


# Amount headers that many registers fill with the whole order's total on every item line of the order.
ORDER_TOTAL_HEADERS = frozenset(header_key(h) for h in (
    "合計", "合計金額", "伝票合計", "支払金額", "お支払い金額", "total", "order_total"))


def is_order_total(header: str) -> bool:
    return header_key(header) in ORDER_TOTAL_HEADERS


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """role -> column index for the headers the aliases know; the first column wins a role, except that a line's
    amount (小計, 金額) wins over an order's total (合計) wherever each stands."""
    mapping: dict[str, int] = {}
    for i, header in enumerate(headers):
        role = guess_role(header)
        if role is None:
            continue
        if role not in mapping or (role == "amount" and is_order_total(headers[mapping[role]])
                                   and not is_order_total(header)):
            mapping[role] = i
    return mapping


_STAMP = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
                    r"(?:[ T]*(\d{1,2})[:時](\d{1,2})(?:[:分](\d{1,2})秒?)?分?)?"
                    r"(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:[ T]?(\d{2})(\d{2})(\d{2})?)?$")
_TIME = re.compile(r"^(\d{1,2})[:時](\d{1,2})(?:[:分](\d{1,2})秒?)?分?$")


def parse_when(raw: str, time_raw: str = "") -> str:
    """'YYYY-MM-DD HH:MM:SS' in the shop's local time, as the register wrote it (a time zone suffix is dropped:
    registers write the shop's own clock). A date alone is midnight; a separate time column fills the time."""
    value = fold(raw)
    m = _STAMP.match(value) or _COMPACT.match(value)
    if m:
        hour, minute, second = (int(m[4] or 0), int(m[5] or 0), int(m[6] or 0))
        if time_raw.strip() and m[4] is None:
            hour, minute, second = parse_time(time_raw)
        try:
            return dt.datetime(int(m[1]), int(m[2]), int(m[3]), hour, minute, second).isoformat(sep=" ")
        except ValueError:
            pass
    raise ValueError(Text(
        f"日時「{raw}」が読めません。2024/3/15 14:05 や 2024-03-15 の形にしてください。",
        f"Cannot read the date \"{raw}\". Write it like 2024/3/15 14:05 or 2024-03-15."))


def parse_time(raw: str) -> tuple[int, int, int]:
    m = _TIME.match(fold(raw))
    if m and int(m[1]) < 24 and int(m[2]) < 60 and int(m[3] or 0) < 60:
        return int(m[1]), int(m[2]), int(m[3] or 0)
    raise ValueError(Text(f"時刻「{raw}」が読めません。14:05 の形にしてください。",
                          f"Cannot read the time \"{raw}\". Write it like 14:05."))


_YEN = re.compile(r"^(-)?[¥\\]?(-)?([0-9,]+(?:\.\d+)?)円?$")


def parse_yen(raw: str) -> int | None:
    """¥1,200 / 1,200円 / -300 (a refund) as whole yen; blank is None. Fractions of a yen round to the nearest."""
    value = fold(raw).replace(" ", "").replace("\\", "¥")
    if not value:
        return None
    m = _YEN.match(value)
    if m and re.fullmatch(r"\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?", m[3]):
        amount = round(float(m[3].replace(",", "")))
        return -amount if (m[1] or m[2]) else amount
    raise ValueError(Text(f"金額「{raw}」が読めません。1200 や 1,200円 の形にしてください。",
                          f"Cannot read the amount \"{raw}\". Write it like 1200 or ¥1,200."))


def parse_quantity(raw: str) -> int | None:
    value = fold(raw).replace(",", "").removesuffix("個").removesuffix("点")
    if not value:
        return None
    if re.fullmatch(r"-?\d+(?:\.0+)?", value):
        return int(float(value))
    raise ValueError(Text(f"数量「{raw}」が読めません。1 や 2 のような整数にしてください。",
                          f"Cannot read the quantity \"{raw}\". Use a whole number like 1 or 2."))


def item_key(raw: str) -> str:
    """An item's name as conditions compare it: NFKC-folded (ｱﾝﾊﾟﾝ is アンパン), spaces collapsed, exact otherwise."""
    return fold(raw)
