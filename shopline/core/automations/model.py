"""A scenario (シナリオ): its trigger, entry and stop segments, window and steps, and its JSON form.

The JSON form is what `shopline scenarios import/export` reads and writes and what the
window's editor saves; README.md documents it. Segments stay in their text form here
(checked for syntax); whether their tags and fields exist is the store's question.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shopline.core.automations.clock import (
    TimeFormatError,
    Window,
    format_clock,
    format_delay,
    parse_clock,
    parse_delay,
)
from shopline.core.drafts import DraftError, DraftFormatError, from_line, to_line
from shopline.core.messages import ShopLineError, Text
from shopline.core.segments import SegmentError, parse

TRIGGER_TYPES = ("friend_added", "tag_added", "segment", "date")
MAX_NAME = 60
MAX_STEPS = 20
_KEYS = {"name", "trigger", "entry", "stop", "window", "steps", "reenter_after_days"}
_STEP_KEYS = {"after", "at", "if", "message", "else"}


class ScenarioError(ShopLineError):
    pass


@dataclass(frozen=True)
class Trigger:
    type: str
    tag: str | None = None  # tag_added
    expr: str | None = None  # segment
    field: str | None = None  # date: "birthday" or a custom date field
    offset_days: int = 0
    yearly: bool = False


@dataclass(frozen=True)
class Step:
    after: dt.timedelta
    message: tuple[dict[str, Any], ...]
    at: dt.time | None = None
    if_expr: str | None = None
    else_message: tuple[dict[str, Any], ...] | None = None


@dataclass(frozen=True)
class Scenario:
    name: str
    trigger: Trigger
    steps: tuple[Step, ...]
    entry: str | None = None
    stop: str | None = None
    window: Window = None
    reenter_after_days: int | None = None

    def segments(self) -> list[str]:
        """Every segment expression the scenario holds (for checking names against the shop's tags)."""
        found = [self.entry, self.stop, self.trigger.expr, *(s.if_expr for s in self.steps)]
        return [e for e in found if e]


def _err(ja: str, en: str) -> ScenarioError:
    return ScenarioError(Text(ja, en))


def _expr(raw: object, where_ja: str, where_en: str) -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if not isinstance(raw, str):
        raise _err(f"{where_ja}はセグメントの式(文字列)で書いてください。",
                   f"{where_en} must be a segment expression (a string).")
    try:
        parse(raw)
    except SegmentError as exc:
        raise _err(f"{where_ja}「{raw}」: {exc.text.ja}", f"{where_en} \"{raw}\": {exc.text.en}") from None
    return raw.strip()


def _messages(raw: object, where_ja: str, where_en: str) -> tuple[dict[str, Any], ...]:
    if not isinstance(raw, list) or not raw:
        raise _err(f"{where_ja}のメッセージがありません。LINEのメッセージの配列で書いてください。",
                   f"{where_en} has no message: give a list of LINE message objects.")
    try:
        return tuple(to_line(from_line(raw)))
    except (DraftError, DraftFormatError) as exc:
        raise _err(f"{where_ja}のメッセージ: {exc.text.ja}", f"{where_en} message: {exc.text.en}") from None


def _trigger(raw: object) -> Trigger:
    if not isinstance(raw, Mapping) or raw.get("type") not in TRIGGER_TYPES:
        raise _err(f"trigger の type は {', '.join(TRIGGER_TYPES)} のどれかにしてください。",
                   f"trigger.type must be one of {', '.join(TRIGGER_TYPES)}.")
    kind = raw["type"]
    if kind == "tag_added":
        tag = raw.get("tag")
        if not isinstance(tag, str) or not tag.strip():
            raise _err("tag_added には \"tag\" でタグ名を書いてください。", "tag_added needs the tag name in \"tag\".")
        return Trigger(kind, tag=tag.strip())
    if kind == "segment":
        expr = _expr(raw.get("expr"), "trigger の expr", "trigger.expr")
        if expr is None:
            raise _err("segment には \"expr\" でセグメントの式を書いてください。",
                       "a segment trigger needs its expression in \"expr\".")
        return Trigger(kind, expr=expr)
    if kind == "date":
        name = raw.get("field")
        offset = raw.get("offset_days", 0)
        yearly = raw.get("yearly", False)
        if not isinstance(name, str) or not name.strip():
            raise _err("date には \"field\" で日付の項目(birthday など)を書いてください。",
                       "a date trigger needs its date field in \"field\" (birthday or a custom date field).")
        if not isinstance(offset, int) or isinstance(offset, bool) or abs(offset) > 366:
            raise _err("offset_days は -366〜366 の整数にしてください。",
                       "offset_days must be a whole number, -366 to 366.")
        if not isinstance(yearly, bool):
            raise _err("yearly は true か false にしてください。", "yearly must be true or false.")
        return Trigger(kind, field=name.strip(), offset_days=offset, yearly=yearly)
    return Trigger(kind)


def _step(raw: object, number: int) -> Step:
    where = (f"ステップ{number}", f"Step {number}")
    if not isinstance(raw, Mapping):
        raise _err(f"{where[0]}はオブジェクトで書いてください。", f"{where[1]} must be an object.")
    unknown = set(raw) - _STEP_KEYS
    if unknown:
        raise _err(f"{where[0]}に知らない項目があります: {sorted(unknown)}",
                   f"{where[1]} has unknown keys: {sorted(unknown)}")
    try:
        after = parse_delay(raw.get("after", "0m"))
        at = parse_clock(raw["at"]) if raw.get("at") else None
    except TimeFormatError as exc:
        raise _err(f"{where[0]}: {exc.text.ja}", f"{where[1]}: {exc.text.en}") from None
    if_expr = _expr(raw.get("if"), f"{where[0]}の if", f"{where[1]} if")
    message = _messages(raw.get("message"), *where)
    other = None
    if raw.get("else") is not None:
        if if_expr is None:
            raise _err(f"{where[0]}: else は if と一緒に使ってください。", f"{where[1]}: else needs an if.")
        other = _messages(raw["else"], f"{where[0]}の else", f"{where[1]} else")
    return Step(after, message, at, if_expr, other)


def scenario_from_json(data: object) -> Scenario:
    """A checked scenario, or ScenarioError saying what to fix."""
    if not isinstance(data, Mapping):
        raise _err("シナリオはJSONのオブジェクトで書いてください。", "A scenario must be a JSON object.")
    unknown = set(data) - _KEYS
    if unknown:
        raise _err(f"知らない項目があります: {sorted(unknown)}", f"Unknown keys: {sorted(unknown)}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME:
        raise _err(f"シナリオ名は1〜{MAX_NAME}文字にしてください。",
                   f"A scenario name needs 1 to {MAX_NAME} characters.")
    steps_raw = data.get("steps")
    if not isinstance(steps_raw, Sequence) or isinstance(steps_raw, str) or not steps_raw:
        raise _err("steps にステップを1つ以上書いてください。", "steps needs at least one step.")
    if len(steps_raw) > MAX_STEPS:
        raise _err(f"ステップは{MAX_STEPS}個までです。", f"A scenario holds at most {MAX_STEPS} steps.")
    window = _window(data.get("window"))
    reenter = data.get("reenter_after_days")
    if reenter is not None and (not isinstance(reenter, int) or isinstance(reenter, bool) or reenter < 1):
        raise _err("reenter_after_days は1以上の整数にしてください。",
                   "reenter_after_days must be a whole number of 1 or more.")
    return Scenario(
        name=name.strip(), trigger=_trigger(data.get("trigger")),
        steps=tuple(_step(s, i) for i, s in enumerate(steps_raw, start=1)),
        entry=_expr(data.get("entry"), "entry", "entry"), stop=_expr(data.get("stop"), "stop", "stop"),
        window=window, reenter_after_days=reenter)


def _window(raw: object) -> Window:
    if raw is None:
        return None
    if not isinstance(raw, Sequence) or isinstance(raw, str) or len(raw) != 2:
        raise _err("window は [\"09:00\", \"21:00\"] のように開始と終了の時刻で書いてください。",
                   "window must be a start and an end time, like [\"09:00\", \"21:00\"].")
    try:
        start, end = parse_clock(raw[0]), parse_clock(raw[1])
    except TimeFormatError as exc:
        raise _err(f"window: {exc.text.ja}", f"window: {exc.text.en}") from None
    if start == end:
        raise _err("window の開始と終了が同じです。", "The window starts and ends at the same time.")
    return start, end


def _trigger_json(trigger: Trigger) -> dict[str, Any]:
    out: dict[str, Any] = {"type": trigger.type}
    if trigger.type == "tag_added":
        out["tag"] = trigger.tag
    elif trigger.type == "segment":
        out["expr"] = trigger.expr
    elif trigger.type == "date":
        out.update({"field": trigger.field, "offset_days": trigger.offset_days, "yearly": trigger.yearly})
    return out


def scenario_to_json(scenario: Scenario) -> dict[str, Any]:
    """The JSON form; scenario_from_json(scenario_to_json(s)) == s."""
    out: dict[str, Any] = {"name": scenario.name, "trigger": _trigger_json(scenario.trigger)}
    if scenario.entry:
        out["entry"] = scenario.entry
    if scenario.stop:
        out["stop"] = scenario.stop
    if scenario.window:
        out["window"] = [format_clock(scenario.window[0]), format_clock(scenario.window[1])]
    if scenario.reenter_after_days:
        out["reenter_after_days"] = scenario.reenter_after_days
    steps = []
    for step in scenario.steps:
        item: dict[str, Any] = {"after": format_delay(step.after)}
        if step.at is not None:
            item["at"] = format_clock(step.at)
        if step.if_expr:
            item["if"] = step.if_expr
        item["message"] = list(step.message)
        if step.else_message is not None:
            item["else"] = list(step.else_message)
        steps.append(item)
    out["steps"] = steps
    return out
