"""The segment tree and its JSON form.

Nodes are frozen and canonical from the moment they exist: names are folded and
built-in names and values normalised (`性別 = 女性` becomes `gender = female`), so
two trees meaning the same condition compare equal. A built-in condition also
remembers how it was written, outside equality and the JSON form, so the text the
shop owner typed is printed back in their words rather than ours.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Union

from shopline.core.folding import fold
from shopline.core.messages import Text
from shopline.core.segments.errors import SegmentError
from shopline.core.segments.fields import Args, Value, normalise, normalise_args


def _name(raw: str, what: Text) -> str:
    name = fold(raw)
    if not name:
        raise SegmentError(Text(f"{what.ja}の名前が空です。", f"The {what.en} name is empty."))
    return name


@dataclass(frozen=True)
class HasTag:
    name: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", _name(self.name, Text("タグ", "tag")))


@dataclass(frozen=True)
class Compare:
    name: str
    op: str
    value: Value
    written: tuple[str, str] | None = field(default=None, compare=False, repr=False)  # (name, value) as typed
    args: Args = ()  # purchases(item=..., days=...), days_since(FIELD): canonical, in the field's own order

    def __post_init__(self) -> None:
        typed = (_name(self.name, Text("項目", "field")), fold(str(self.value)))
        name, value = normalise(typed[0], self.op, self.value)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "args", normalise_args(typed[0], self.args))
        if self.written is not None and not _same(self.written, self.op, (name, value)):
            object.__setattr__(self, "written", None)  # copied from a condition that said something else
        if self.written is None and typed != (name, str(value)):
            object.__setattr__(self, "written", typed)


def _same(written: tuple[str, str], op: str, canonical: tuple[str, Value]) -> bool:
    try:
        return normalise(written[0], op, written[1]) == canonical
    except SegmentError:
        return False


@dataclass(frozen=True)
class Not:
    item: Node


def _group(items: Sequence[Node], word: str) -> tuple[Node, ...]:
    if len(items) < 2:
        raise SegmentError(Text(f"{word} には条件が2つ以上必要です。", f"{word} needs at least two conditions."))
    return tuple(items)


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", _group(self.items, "AND"))


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", _group(self.items, "OR"))


Node = Union[And, Or, Not, HasTag, Compare]  # noqa: UP007 - a runtime alias needs Union before 3.12 `type`


def names_in(node: Node) -> Iterator[HasTag | Compare]:
    """The leaves, left to right as they are written."""
    if isinstance(node, And | Or):
        for item in node.items:
            yield from names_in(item)
    elif isinstance(node, Not):
        yield from names_in(node.item)
    else:
        yield node


def to_json(node: Node) -> dict[str, Any]:
    if isinstance(node, And):
        return {"all": [to_json(i) for i in node.items]}
    if isinstance(node, Or):
        return {"any": [to_json(i) for i in node.items]}
    if isinstance(node, Not):
        return {"not": to_json(node.item)}
    if isinstance(node, HasTag):
        return {"tag": node.name}
    body: dict[str, Any] = {"field": node.name, "op": node.op, "value": node.value}
    if node.args:
        body["args"] = dict(node.args)
    return body


def _bad(obj: object) -> SegmentError:
    shown = repr(obj)[:60]
    return SegmentError(Text(f"セグメントのJSONが読めません: {shown}", f"Cannot read the segment JSON: {shown}"))


def from_json(obj: object) -> Node:
    """The tree of a JSON form (already json.loads'ed); SegmentError if it is not one."""
    if not isinstance(obj, dict) or len(obj) not in (1, 3, 4) or (len(obj) == 4 and "args" not in obj):
        raise _bad(obj)
    if len(obj) >= 3:
        name, op, value, args = obj.get("field"), obj.get("op"), obj.get("value"), obj.get("args", {})
        if not (isinstance(name, str) and isinstance(op, str) and isinstance(args, dict)
                and all(isinstance(v, str | int) and not isinstance(v, bool) for v in (value, *args.values()))):
            raise _bad(obj)
        assert isinstance(value, str | int)  # checked just above; said again for the type checker
        return Compare(name, op, value, args=tuple(args.items()))
    ((key, inner),) = obj.items()
    if key == "tag" and isinstance(inner, str):
        return HasTag(inner)
    if key == "not":
        return Not(from_json(inner))
    if key in ("all", "any") and isinstance(inner, list):
        items = tuple(from_json(i) for i in inner)
        return And(items) if key == "all" else Or(items)
    raise _bad(obj)
