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
