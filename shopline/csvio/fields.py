"""Custom fields (友だち情報) from columns the app does not know: their kind and typed values."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from peewee import fn

from shopline.core.folding import fold
from shopline.core.values import parse_date, parse_number
from shopline.store.models import Field

# What a FieldValue row holds: (text_value, num_value).
Typed = tuple[str, float | None]


def infer_kind(values: Iterable[str | None]) -> str:
    """number when every value is a number, date when every value is a date, otherwise text."""
    candidates = {"number", "date"}
    seen = False
    for raw in set(values):
        if raw is None:
            continue
        seen = True
        for kind in list(candidates):
            try:
                (parse_number if kind == "number" else parse_date)(raw)
            except ValueError:
                candidates.discard(kind)
        if not candidates:
            return "text"
    if not seen:
        return "text"
    return "number" if "number" in candidates else "date"


def _number(raw: str) -> Typed:
    return fold(raw), parse_number(raw)


def _date(raw: str) -> Typed:
    value = parse_date(raw)
    return (value.isoformat() if value else ""), None


def _text(raw: str) -> Typed:
    return raw, None


def converter(kind: str) -> Callable[[str], Typed]:
    """raw cell -> (text_value, num_value); raises ValueError(Text) when the cell does not fit the kind."""
    return {"number": _number, "date": _date}.get(kind, _text)


def existing_fields(names: Iterable[str]) -> dict[str, tuple[int, str]]:
    """name -> (id, kind) for the fields that already exist."""
    wanted = list(names)
    if not wanted:
        return {}
    query = Field.select(Field.id, Field.name, Field.kind).where(Field.name.in_(wanted))
    return {f.name: (f.id, f.kind) for f in query}


def create_field(name: str, kind: str) -> int:
    position = (Field.select(fn.MAX(Field.position)).scalar() or 0) + 1
    return Field.insert(name=name, kind=kind, position=position).execute()


class KindGuess:
    """infer_kind over a stream: fed the distinct values of each chunk of rows, it never holds them all."""

    _REMEMBERED = 100_000  # distinct values already checked; past this, new ones are simply checked again

    def __init__(self) -> None:
        self.candidates = {"number", "date"}
        self.seen = False  # any value at all
        self._checked: set[str] = set()

    def see(self, values: set[str | None]) -> None:
        values.discard(None)
        if not values:
            return
        self.seen = True
        for raw in values - self._checked if self.candidates else ():
            assert raw is not None
            for kind in list(self.candidates):
                try:
                    (parse_number if kind == "number" else parse_date)(raw)
                except ValueError:
                    self.candidates.discard(kind)
            if not self.candidates:
                self._checked.clear()
                return
        if len(self._checked) < self._REMEMBERED:
            self._checked |= values  # type: ignore[arg-type]

    @property
    def kind(self) -> str:
        if not self.seen or not self.candidates:
            return "text"
        return "number" if "number" in self.candidates else "date"
