"""クロス分析 in pure Python: which dimensions there are, their bands and labels, and row/column percentages.

The counting itself is one SQL GROUP BY in the store (store-side: results/crosstab.py); this module
names the dimensions, turns the keys the query returns into labels the shop reads, and does the
arithmetic on the finished table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shopline.core.folding import fold
from shopline.core.messages import ShopLineError, Text
from shopline.core.values import GENDER_LABELS_JA

GENDER = "gender"
AGE_BAND = "age_band"
BIRTH_MONTH = "birth_month"
REGION = "region"
FRIEND_DAYS_BAND = "friend_days_band"
FOLDER_PREFIX = "folder:"
BUILTIN_DIMENSIONS = (GENDER, AGE_BAND, BIRTH_MONTH, REGION, FRIEND_DAYS_BAND)

DIMENSION_LABELS = {
    GENDER: Text("性別", "Gender"), AGE_BAND: Text("年代", "Age band"), BIRTH_MONTH: Text("誕生月", "Birth month"),
    REGION: Text("地域", "Region"), FRIEND_DAYS_BAND: Text("友だち期間", "Friend days"),
}
# The names the palette and the shop use, in either language, for each built-in dimension.
_ALIASES = {
    "性別": GENDER, "年代": AGE_BAND, "年齢": AGE_BAND, "age": AGE_BAND, "誕生月": BIRTH_MONTH,
    "地域": REGION, "都道府県": REGION, "友だち期間": FRIEND_DAYS_BAND, "友だち日数": FRIEND_DAYS_BAND,
    "friend_days": FRIEND_DAYS_BAND,
}

UNKNOWN = ""  # the key of friends the dimension knows nothing about (no birthday, no region, no tag of the folder)
UNKNOWN_TEXT = Text("不明", "unknown")
NO_TAG_TEXT = Text("（なし）", "(none)")

AGE_BANDS = (1, 2, 3, 4, 5, 6, 7)  # tens of years; 1 holds everyone under 20, 7 everyone 70 and over
# Friend-days bands: lower bounds in days, each up to the next.
FRIEND_DAYS_BOUNDS = (0, 30, 90, 180, 365, 730)


def age_band_label(band: int) -> Text:
    if band >= 7:
        return Text("70代以上", "70 and over")
    if band <= 1:
        return Text("10代", "teens")
    return Text(f"{band}0代", f"{band}0s")


def friend_days_label(lower: int) -> Text:
    bounds = FRIEND_DAYS_BOUNDS
    i = bounds.index(lower)
    if i == len(bounds) - 1:
        return Text(f"{lower // 365}年以上", f"{lower // 365} years and more")
    upper = bounds[i + 1]
    return Text(f"{lower}〜{upper - 1}日", f"{lower}–{upper - 1} days")


@dataclass(frozen=True)
class Dimension:
    kind: str  # one of BUILTIN_DIMENSIONS, "folder" or "field"
    name: str = ""  # the folder or the custom field

    @property
    def label(self) -> Text:
        if self.kind == "folder":
            return Text(f"フォルダ「{self.name}」", f"folder \"{self.name}\"")
        if self.kind == "field":
            return Text(self.name, self.name)
        return DIMENSION_LABELS[self.kind]

    def key_label(self, key: object) -> str:
        """What the shop reads for one key the query returned."""
        if key is None or key == UNKNOWN:
            return str(NO_TAG_TEXT if self.kind == "folder" else UNKNOWN_TEXT)
        if self.kind == GENDER:
            return GENDER_LABELS_JA.get(str(key), str(key)) if _ja() else str(key)
        if self.kind == AGE_BAND:
            return str(age_band_label(int(str(key))))
        if self.kind == BIRTH_MONTH:
            return f"{int(str(key))}月" if _ja() else f"month {int(str(key))}"
        if self.kind == FRIEND_DAYS_BAND:
            return str(friend_days_label(int(str(key))))
        return str(key)


def _ja() -> bool:
    from shopline.core.messages import language

    return language() != "en"


def parse_dimension(text: str, custom_fields: list[str] | tuple[str, ...] = ()) -> Dimension:
    """ROWS / COLS as the CLI takes them: gender, age_band, …, folder:NAME, or a custom field's name."""
    raw = text.strip()
    if raw.lower().startswith(FOLDER_PREFIX) or raw.startswith("フォルダ:"):
        return Dimension("folder", fold(raw.split(":", 1)[1]).strip())
    low = raw.lower()
    if low in BUILTIN_DIMENSIONS:
        return Dimension(low)
    if raw in _ALIASES or low in _ALIASES:
        return Dimension(_ALIASES.get(raw) or _ALIASES[low])
    folded = {fold(f): f for f in custom_fields}
    if fold(raw) in folded:
        return Dimension("field", folded[fold(raw)])
    choices = ", ".join([*BUILTIN_DIMENSIONS, "folder:NAME", *custom_fields][:20])
    raise ShopLineError(Text(
        f"「{raw}」という切り口はありません。使えるのは {choices} です。",
        f"There is no dimension \"{raw}\". Use one of {choices}."))


@dataclass
class CrossTable:
    rows: Dimension
    cols: Dimension
    row_keys: list[object] = field(default_factory=list)
    col_keys: list[object] = field(default_factory=list)
    counts: dict[tuple[object, object], int] = field(default_factory=dict)

    def count(self, row: object, col: object) -> int:
        return self.counts.get((row, col), 0)

    def row_total(self, row: object) -> int:
        return sum(self.count(row, c) for c in self.col_keys)

    def col_total(self, col: object) -> int:
        return sum(self.count(r, col) for r in self.row_keys)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def row_percent(self, row: object, col: object) -> float | None:
        """The cell's share of its row (of the friends in this row, how many are in this column)."""
        whole = self.row_total(row)
        return self.count(row, col) / whole if whole else None

    def col_percent(self, row: object, col: object) -> float | None:
        whole = self.col_total(col)
        return self.count(row, col) / whole if whole else None

    def grid(self, mode: str = "count") -> list[list[str]]:
        """The table as text with a header row and a total column/row: mode count, row or col (percentages)."""
        head = [f"{self.rows.label} \\ {self.cols.label}", *(self.cols.key_label(c) for c in self.col_keys),
                str(Text("合計", "Total"))]
        out = [head]
        for r in self.row_keys:
            cells = [self._cell(r, c, mode) for c in self.col_keys]
            out.append([self.rows.key_label(r), *cells, str(self.row_total(r))])
        out.append([str(Text("合計", "Total")), *(str(self.col_total(c)) for c in self.col_keys), str(self.total)])
        return out

    def _cell(self, r: object, c: object, mode: str) -> str:
        if mode == "row":
            share = self.row_percent(r, c)
        elif mode == "col":
            share = self.col_percent(r, c)
        else:
            return str(self.count(r, c))
        return "—" if share is None else f"{share * 100:.1f}%"
