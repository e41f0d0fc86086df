"""The fields a condition can name: the built-in ones, and how values of custom fields are read.

A built-in answers to its code name and to the names the palette shows it by,
in either language: `gender`, 性別, `Gender`. A custom field that happens to
share one of them (a CSV column called "age" or 年齢, say) is shadowed: `年齢 >= 30`
always means the built-in, computed from the birthday, so a saved segment cannot
change meaning when a CSV adds a column, and the palette does not offer the
shadowed field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from shopline.core.folding import fold
from shopline.core.messages import Text
from shopline.core.prefectures import PREFECTURES, normalise_prefecture
from shopline.core.rfm import GROUPS, group_code
from shopline.core.segments.errors import SegmentError
from shopline.core.values import GENDERS, parse_date, parse_gender, parse_number

OPS = ("=", "!=", "<", "<=", ">", ">=")
EQUALITY = ("=", "!=")
Value = str | int


@dataclass(frozen=True)
class BuiltinField:
    name: str
    label: Text
    ops: tuple[str, ...]
    choices: tuple[str, ...]  # canonical values for a drop-down; empty when the value is typed
    normalise: Callable[[str], Value]
    params: tuple[str, ...] = ()  # the arguments it takes in parentheses, purchases(item=..., days=...)
    required: tuple[str, ...] = ()


def _gender(raw: str) -> Value:
    try:
        return parse_gender(raw)
    except ValueError as err:
        raise SegmentError(err.args[0]) from None


def _whole(label: Text, top: int) -> Callable[[str], Value]:
    def read(raw: str) -> Value:
        if raw.isascii() and raw.isdigit() and int(raw) <= top:
            return int(raw)
        raise SegmentError(Text(
            f"{label.ja}は0から{top}までの整数で書いてください(「{raw}」は使えません)。",
            f"Write {label.en} as a whole number from 0 to {top} (not \"{raw}\")."))
    return read


_MONTH_WORDS = {"this": "this", "今月": "this", "next": "next", "来月": "next"}


def _month(raw: str) -> Value:
    word = _MONTH_WORDS.get(raw.lower())
    if word:
        return word
    digits = raw.removesuffix("月")
    if digits.isascii() and digits.isdigit() and 1 <= int(digits) <= 12:
        return int(digits)
    raise SegmentError(Text(
        f"誕生月は1から12か、this(今月)・next(来月)で書いてください(「{raw}」は使えません)。",
        f"Write the birth month as 1 to 12, this or next (not \"{raw}\")."))


def _region(raw: str) -> Value:
    found = normalise_prefecture(raw)
    if found is None:
        raise SegmentError(Text(
            f"都道府県「{raw}」が分かりません。東京都・東京 のように書いてください。",
            f"Unknown prefecture \"{raw}\". Write it like 東京都 or 東京."))
    return found


_AGE, _DAYS = Text("年齢", "the age"), Text("友だち日数", "the days as a friend")
_REACTION_DAYS = Text("最終反応からの日数", "the days since the last reaction")
SOURCES = ("webhook", "csv", "sync", "manual")  # how a friend came in (Friend.source); demo friends stay unlisted


def _source(raw: str) -> Value:
    if raw.lower() in SOURCES:
        return raw.lower()
    raise SegmentError(Text(
        f"登録経路は {' / '.join(SOURCES)} のどれかで書いてください(「{raw}」は使えません)。",
        f"Write the source as one of {', '.join(SOURCES)} (not \"{raw}\")."))
_ORDERS, _YEN, _SINCE = Text("購入回数", "the purchases"), Text("金額", "the amount"), Text("日数", "the days")
_SCORE = Text("RFMのスコア", "an RFM score")
_RECEIVED, _CLICKS = Text("受信数", "the campaigns received"), Text("クリック数", "the clicks")


def _rfm_group(raw: str) -> Value:
    code = group_code(raw)
    if code is None:
        raise SegmentError(Text(
            f"RFMグループは {' / '.join(g.ja for g in GROUPS.values())} のどれかで書いてください"
            f"(「{raw}」は使えません)。",
            f"Write the RFM group as one of {', '.join(g.en for g in GROUPS.values())} (not \"{raw}\")."))
    return code


def _yen(raw: str) -> Value:
    return _whole(_YEN, 10**12)(raw.replace(",", "").removeprefix("¥").removesuffix("円"))


BUILTIN_FIELDS: dict[str, BuiltinField] = {f.name: f for f in (
    BuiltinField("gender", Text("性別", "gender"), EQUALITY, GENDERS, _gender),
    BuiltinField("age", Text("年齢", "age"), OPS, (), _whole(_AGE, 150)),
    BuiltinField("birth_month", Text("誕生月", "birth month"), OPS,
                 ("this", "next", *map(str, range(1, 13))), _month),
    BuiltinField("region", Text("地域", "region"), EQUALITY, PREFECTURES, _region),
    BuiltinField("friend_days", Text("友だち日数", "days as a friend"), OPS, (), _whole(_DAYS, 100_000)),
    # Messages, postbacks and tracked-link clicks the relay delivered (shopline/inbox); never reacted: none.
    BuiltinField("last_reaction_days", Text("最終反応日数", "days since the last reaction"), OPS, (),
                 _whole(_REACTION_DAYS, 100_000)),
    BuiltinField("source", Text("登録経路", "source"), EQUALITY, SOURCES, _source),
    # 購買 (shopline/purchases): orders and yen, optionally of one item and within the last N days.
    BuiltinField("purchases", Text("購入回数", "purchases"), OPS, (), _whole(_ORDERS, 1_000_000), ("item", "days")),
    BuiltinField("spent", Text("購入金額", "amount spent"), OPS, (), _yen, ("days",)),
    BuiltinField("days_since_purchase", Text("最終購入からの日数", "days since the last purchase"), OPS, (),
                 _whole(_SINCE, 100_000)),
    BuiltinField("days_since", Text("経過日数", "days since"), OPS, (), _whole(_SINCE, 100_000), ("field",),
                 ("field",)),
    BuiltinField("rfm_r", Text("RFM R(最近)", "RFM recency"), OPS, tuple("12345"), _whole(_SCORE, 5)),
    BuiltinField("rfm_f", Text("RFM F(頻度)", "RFM frequency"), OPS, tuple("12345"), _whole(_SCORE, 5)),
    BuiltinField("rfm_m", Text("RFM M(金額)", "RFM monetary"), OPS, tuple("12345"), _whole(_SCORE, 5)),
    BuiltinField("rfm_group", Text("RFMグループ", "RFM group"), EQUALITY, tuple(GROUPS), _rfm_group),
    # Reactions (issue 19): campaigns our journal says LINE accepted for the friend, and tracked-link clicks.
    # Written bare, received("春のセール") is received("春のセール") >= 1 (BARE_CALLS).
    BuiltinField("received", Text("受信した配信", "campaigns received"), OPS, (), _whole(_RECEIVED, 1_000_000),
                 ("campaign",)),
    BuiltinField("clicked", Text("クリック数", "clicks"), OPS, (), _whole(_CLICKS, 1_000_000), ("campaign", "url")),
)}
BARE_CALLS = frozenset({"received", "clicked"})  # a call with no comparison means ">= 1"
# The built-in dates days_since(...) reads from the friend row; any custom date field works too.
DATE_BUILTINS = {"followed_at": ("followed_at", "友だち追加日", "友達追加日", "friend added"),
                 "birthday": ("birthday", "誕生日")}
_DATE_NAMES = {fold(n).lower(): code for code, names in DATE_BUILTINS.items() for n in names}
Args = tuple[tuple[str, Value], ...]


# Other words a shop owner may reach for: the builder's English palette says "Friend days", and the
# CSV importer reads 都道府県 as the region too.
_MORE_NAMES = {"region": ("都道府県",), "friend_days": ("friend days", "友達日数")}
_BY_NAME = {fold(spelling).lower(): field.name for field in BUILTIN_FIELDS.values()
            for spelling in (field.name, field.label.ja, field.label.en, *_MORE_NAMES.get(field.name, ()))}


def builtin(name: str) -> BuiltinField | None:
    """The built-in field called name, in any case (Age, AGE) or by its label (年齢, birth month), or None."""
    code = _BY_NAME.get(fold(name).lower())
    return BUILTIN_FIELDS[code] if code else None


def builtin_names() -> list[str]:
    """Every name a built-in answers to, for suggesting the nearest to a typo."""
    return list(dict.fromkeys([*BUILTIN_FIELDS, *(f.label.ja for f in BUILTIN_FIELDS.values())]))


def check_op(name: str, op: str) -> None:
    """Refuse an operator that is not a comparison, or an order on a built-in that has none."""
    field = builtin(name)
    if op not in OPS:
        raise SegmentError(Text(f"比較「{op}」は使えません。", f"\"{op}\" is not a comparison."))
    if field is not None and op not in field.ops:
        raise _only_equality(name, op)  # in the shop owner's own word for it


def _only_equality(name: str, op: str) -> SegmentError:
    return SegmentError(Text(
        f"項目「{name}」には = と != だけが使えます(「{op}」は使えません)。",
        f"Only = and != work with the field \"{name}\" (not \"{op}\")."))


def normalise(name: str, op: str, value: Value) -> tuple[str, Value]:
    """The canonical (name, value) of a condition; custom fields keep their value as folded text."""
    raw = fold(str(value))
    if not raw:
        raise SegmentError(Text(f"項目「{name}」と比べる値が空です。",
                                f"The value to compare \"{name}\" with is empty."))
    check_op(name, op)
    field = builtin(name)
    return (name, raw) if field is None else (field.name, field.normalise(raw))


def custom_operand(kind: str, name: str, op: str, value: str) -> str | float:
    """The value a custom field's column is compared with: a number, an ISO date, or text."""
    if kind == "number":
        try:
            number = parse_number(value)
        except ValueError as err:
            raise SegmentError(err.args[0]) from None
        assert number is not None  # normalise() refuses empty values
        return number
    if kind == "date":
        try:
            day = parse_date(value)
        except ValueError as err:
            raise SegmentError(err.args[0]) from None
        assert day is not None
        return day.isoformat()
    if op not in EQUALITY:
        raise _only_equality(name, op)
    return value


def age_cutoff(today: dt.date, years: int) -> dt.date:
    """The latest birthday of someone who is at least `years` old today (29 Feb -> 28 Feb)."""
    year = today.year - years
    try:
        return today.replace(year=year)
    except ValueError:
        return dt.date(year, 2, 28)


def month_number(value: Value, today: dt.date) -> int:
    """birth_month's value as 1..12: `this` is today's month, `next` the one after (December -> 1)."""
    if value == "this":
        return today.month
    if value == "next":
        return today.month % 12 + 1
    return int(value)


def _arg_value(name: str, key: str, raw: Value) -> Value:
    text = fold(str(raw))
    if key == "days":
        return _whole(Text("日数(days)", "days"), 100_000)(text)
    if not text:
        raise SegmentError(Text(f"「{name}」の {key} が空です。", f"The {key} of \"{name}\" is empty."))
    if key == "field":
        return _DATE_NAMES.get(text.lower(), text)
    if key == "url":
        return str(raw).strip()  # a URL is compared as written, never folded
    return text  # item: the folded name, compared exactly


def normalise_args(name: str, args: Args | dict[str, Value]) -> Args:
    """A condition's arguments checked and in the field's own order: purchases(days=90, item=X) is
    purchases(item=X, days=90). A field that takes none refuses any."""
    given = list(args.items()) if isinstance(args, dict) else list(args)
    field = builtin(name)
    params = field.params if field is not None else ()
    seen: dict[str, Value] = {}
    for key, value in given:
        key = fold(str(key)).lower()
        if key not in params:
            allowed = "、".join(params)
            raise SegmentError(Text(
                f"「{name}」に {key} は指定できません" + (f"(使えるのは {allowed})。" if params else "。"),
                f"\"{name}\" takes no {key}" + (f" (it takes {', '.join(params)})." if params else ".")))
        if key in seen:
            raise SegmentError(Text(f"「{name}」の {key} が2回あります。", f"\"{name}\" has {key} twice."))
        seen[key] = _arg_value(name, key, value)
    for key in field.required if field is not None else ():
        if key not in seen:
            raise SegmentError(Text(
                f"「{name}」には項目名が必要です。days_since(最終来店日) のように書いてください。",
                f"\"{name}\" needs a field name. Write it like days_since(last_visit)."))
    return tuple((key, seen[key]) for key in params if key in seen)


def takes_args(name: str) -> bool:
    field = builtin(name)
    return field is not None and bool(field.params)


def positional(name: str) -> str:
    """What a bare argument names: days_since(最終来店日) a field, clicked("春のセール") a campaign."""
    field = builtin(name)
    return field.params[0] if field is not None and field.params else "field"


def is_bare_call(name: str) -> bool:
    field = builtin(name)
    return field is not None and field.name in BARE_CALLS
