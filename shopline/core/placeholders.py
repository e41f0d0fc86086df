"""Placeholders in text bubbles: `{表示名}`, `{name}`, `{会員ランク}`, `{表示名|お客様}`.

A text with a placeholder is personal: each friend gets it rendered with their own values, which
LINE's multicast cannot do (textV2 substitutes mentions and emoji, never names), so it goes out as
one push per friend. Braces meant literally are doubled (`{{` and `}}`); a lone `}` or a `{` that
opens no placeholder stays as written. Rendering is one pass over the parsed template, so a brace,
a `|` or another placeholder's spelling inside a friend's value is printed, never interpreted.

Values are keyed by Placeholder.key: DISPLAY_NAME for the display name, `field:NAME` (folded) for a
custom field. An empty or blank value is a missing one: the fallback is used, or the friend cannot
be sent this text (listed before sending, never sent `{会員ランク}` or an empty gap).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from shopline.core.folding import fold
from shopline.core.messages import Text
from shopline.core.segments.errors import closest

DISPLAY_NAME = "display_name"
DISPLAY_NAME_SPELLINGS = ("表示名", "name")  # what the composer's menu offers first; both mean LINE's display name
FIELD_PREFIX = "field:"
MAX_NAME = 60  # as a custom field's name

# `{{` / `}}` (literal braces), or `{NAME}` / `{NAME|fallback}`: the name holds no brace, bar or line break.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}|\n]{1,60})(?:\|([^{}\n]*))?\}")  # 60: MAX_NAME


@dataclass(frozen=True)
class Placeholder:
    written: str  # as the shop typed it between the braces, before the bar
    key: str  # DISPLAY_NAME or field:NAME
    fallback: str | None  # None: no fallback (a friend without the value cannot be sent the text)
    start: int  # where `{` is in the text
    end: int  # just after `}`

    @property
    def label(self) -> str:
        return "{" + self.written.strip() + "}"


Part = str | Placeholder


@dataclass(frozen=True)
class Template:
    parts: tuple[Part, ...]

    @property
    def placeholders(self) -> tuple[Placeholder, ...]:
        return tuple(p for p in self.parts if isinstance(p, Placeholder))

    @property
    def personal(self) -> bool:
        return any(isinstance(p, Placeholder) for p in self.parts)

    def keys(self) -> set[str]:
        return {p.key for p in self.placeholders}


def key_for(name: str) -> str:
    folded = fold(name)
    if folded in DISPLAY_NAME_SPELLINGS or folded.lower() == "name":
        return DISPLAY_NAME
    return FIELD_PREFIX + folded


def field_name(key: str) -> str | None:
    """The custom field a key names, or None for the display name."""
    return key[len(FIELD_PREFIX):] if key.startswith(FIELD_PREFIX) else None


def parse(text: str) -> Template:
    parts: list[Part] = []
    literal: list[str] = []
    at = 0
    for match in _TOKEN.finditer(text):
        literal.append(text[at:match.start()])
        at = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            literal.append(token[0])
            continue
        name = match.group(1)
        if not fold(name):  # `{ }`: no name, so no placeholder
            literal.append(token)
            continue
        if literal:
            parts.append("".join(literal))
            literal = []
        parts.append(Placeholder(name, key_for(name), match.group(2), match.start(), match.end()))
    literal.append(text[at:])
    if "".join(literal):
        parts.append("".join(literal))
    return Template(tuple(parts))


def is_personal(text: str) -> bool:
    return "{" in text and parse(text).personal


def _present(value: str | None) -> bool:
    return value is not None and bool(value.strip())


def missing(template: Template, values: Mapping[str, str | None]) -> list[Placeholder]:
    """The placeholders this friend has no value for and that have no fallback."""
    return [p for p in template.placeholders if p.fallback is None and not _present(values.get(p.key))]


def render(template: Template, values: Mapping[str, str | None]) -> str:
    """The text as this friend sees it; a missing value without a fallback renders as nothing (check missing())."""
    out: list[str] = []
    for part in template.parts:
        if isinstance(part, str):
            out.append(part)
            continue
        value = values.get(part.key)
        out.append(value if value is not None and _present(value) else (part.fallback or ""))
    return "".join(out)


def preview(text: str, values: Mapping[str, str | None]) -> str:
    """The text as this friend would see it, a value that is missing (and has no fallback) shown as its
    placeholder, so the composer's phone shows the gap instead of hiding it."""
    template = parse(text)
    gaps = {id(p) for p in missing(template, values)}
    return "".join(p if isinstance(p, str) else (p.label if id(p) in gaps else render(Template((p,)), values))
                   for p in template.parts)


def literal(text: str) -> str:
    """A text without placeholders as it is sent: its doubled braces single again."""
    return render(parse(text), {})


def problems(text: str, field_names: Collection[str]) -> list[Text]:
    """Why the text's placeholders cannot be sent: unknown names, with the nearest one we have."""
    known = {fold(n) for n in field_names}
    found: list[Text] = []
    seen: set[str] = set()
    for p in parse(text).placeholders:
        name = field_name(p.key)
        if name is None or name in known or name in seen:
            continue
        seen.add(name)
        nearest = closest(name, [*DISPLAY_NAME_SPELLINGS, *known])
        hint_ja = f"「{{{nearest}}}」ですか?" if nearest else ""
        hint_en = f" Did you mean {{{nearest}}}?" if nearest else ""
        found.append(Text(
            f"差し込み「{p.label}」に当たる友だち情報の項目がありません。{hint_ja}"
            "項目名を確かめるか、括弧をそのまま送るなら {{ と }} のように2つ重ねてください。",
            f"There is no friend field for the placeholder {p.label}.{hint_en} Check the field's name, or "
            "double the braces ({{ and }}) to send them as written."))
    return found
