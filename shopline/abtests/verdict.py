"""What the shop is told about an A/B test, in sentences: before sending (what difference the groups can
detect) and after (whether the difference is real or noise). Pure: counts in, Text out.

A variant whose figure LINE reported as null (fewer than 20 people) is "not yet measurable", never
zero: judging it as zero would crown the other variant on a number nobody has seen.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from shopline.core import abstats
from shopline.core.messages import Text

METRIC_NAMES = {"open": Text("開封率", "open rate"), "click": Text("クリック率", "click rate"),
                "conversion": Text("コンバージョン率", "conversion rate")}


def metric_name(metric: str) -> Text:
    return METRIC_NAMES[metric]


def percent(rate: float) -> str:
    """3% or 3.5%: as a shop owner writes a rate."""
    shown = f"{rate * 100:.1f}".rstrip("0").rstrip(".")
    return f"{shown}%"


def p_text(p: float) -> str:
    return "p<0.001" if p < 0.001 else f"p={p:.2g}"


def about(people: int) -> str:
    """A count rounded as "about" deserves: 1,234 -> 1,200; 87 -> 90."""
    if people < 10:
        return f"{people:,}"
    digits = 10 ** (len(str(people)) - 2)
    return f"{round(people / digits) * digits:,}"


@dataclass(frozen=True)
class Measured:
    """One variant's figure for the test's metric."""

    key: str
    sent: int  # friends LINE accepted the message for
    successes: int | None  # None: LINE's null (fewer than 20) or not fetched yet
    fetched: bool = True  # False: LINE has not been asked yet (nothing to show, not a null)

    @property
    def measurable(self) -> bool:
        return self.sent > 0 and self.successes is not None

    @property
    def rate(self) -> float | None:
        return self.successes / self.sent if self.measurable else None  # type: ignore[operator]

    @property
    def interval(self) -> tuple[float, float] | None:
        if not self.measurable:
            return None
        return abstats.wilson(min(self.successes, self.sent), self.sent)  # type: ignore[type-var]


@dataclass(frozen=True)
class Verdict:
    state: str  # "unsent", "unmeasurable", "significant", "not_yet"
    text: Text
    p_value: float | None = None
    statistic: float | None = None
    df: int | None = None
    best: str | None = None  # the variant with the highest rate, when the difference is real
    more_needed: int | None = None  # people still needed to tell the observed rates apart, about

    @property
    def significant(self) -> bool:
        return self.state == "significant"


def judge(metric: str, results: Sequence[Measured], alpha: float = abstats.ALPHA) -> Verdict:
    name = metric_name(metric)
    unsent = [r.key for r in results if r.sent == 0]
    if unsent:
        keys = "・".join(unsent)
        return Verdict("unsent", Text(f"{keys}はまだ送っていません。送ったあとに結果を比べられます。",
                                      f"{', '.join(unsent)} not sent yet: results can be compared after sending."))
    unfetched = [r.key for r in results if not r.fetched]
    if unfetched:
        return Verdict("unmeasurable", Text(
            "まだLINEから結果を取得していません。「LINEから取得」を押すと比べられます。",
            "LINE's figures have not been fetched yet. Fetch them from LINE to compare."))
    hidden = [r.key for r in results if not r.measurable]
    if hidden:
        return Verdict("unmeasurable", Text(
            f"{'・'.join(hidden)}の{name.ja}はまだ測れません(LINEは20人未満の数を出しません)。"
            "人数がそろってから判定します。",
            f"The {name.en} of {', '.join(hidden)} cannot be measured yet (LINE reports no figure under 20 "
            "people). The test is judged once it can."))
    counts = [(min(r.successes or 0, r.sent), r.sent) for r in results]
    test = abstats.compare(counts)
    ranked = sorted(results, key=lambda r: r.rate or 0.0, reverse=True)
    best, runner = ranked[0], ranked[1]
    if test.p_value < alpha and (best.rate or 0.0) > (runner.rate or 0.0):
        p = p_text(test.p_value)
        if len(results) == 2:
            text = Text(f"{best.key}の方が{name.ja}が高く、偶然とは考えにくい({p})",
                        f"{best.key} has the higher {name.en}, and the difference is unlikely to be chance ({p})")
        else:
            text = Text(f"{best.key}の{name.ja}がいちばん高く、群の違いは偶然とは考えにくい({p})",
                        f"{best.key} has the highest {name.en}, and the groups' difference is unlikely to be "
                        f"chance ({p})")
        return Verdict("significant", text, test.p_value, test.statistic, test.df, best=best.key)
    more = _more_needed(best, runner, results)
    if more is None:
        reason = Text("今のところ差はほとんどありません", "so far there is hardly any difference")
    elif more == 0:
        reason = Text("この人数で見分けられる差より小さい差です",
                      "the difference is smaller than these groups can detect")
    else:
        reason = Text(f"あと約{about(more)}人分のデータが必要", f"about {about(more)} more people's data needed")
    return Verdict("not_yet", Text(f"まだ差があるとは言えません({reason.ja})",
                                   f"No real difference can be claimed yet ({reason.en})"),
                   test.p_value, test.statistic, test.df, more_needed=more)


def _more_needed(best: Measured, runner: Measured, results: Sequence[Measured]) -> int | None:
    """People (over all groups) still needed to tell the two leading rates apart with 80% power;
    None when the rates are equal or so close that no sensible number of people would do."""
    high, low = best.rate, runner.rate
    if high is None or low is None or high <= low:
        return None
    high, low = min(high, 1 - 1e-6), max(low, 1e-6)
    per_group = abstats.sample_size_exact(low, high)
    if per_group > 10_000_000:
        return None
    have = min(r.sent for r in results)
    return max(0, math.ceil(per_group) - have) * len(results)


def detectable(metric: str, usual: float, per_group: int) -> Text:
    """「この人数なら、クリック率が 3% と 5% の違いなら見分けられます」: the smallest difference the groups can
    tell apart (80% power, 5% significance) from the shop's usual rate."""
    name = metric_name(metric)
    other = abstats.detectable_rate(usual, per_group) if 0 < usual < 1 else None
    if other is None:
        return Text(f"1群{per_group:,}人では少なすぎて、{name.ja}の違いはほとんど見分けられません。"
                    "対象を広げるか、テストの割合を増やしてください。",
                    f"{per_group:,} people per group is too few to tell {name.en}s apart. Widen the segment or "
                    "test a larger share.")
    a, b = percent(usual), percent(other)
    return Text(f"この人数(1群{per_group:,}人)なら、{name.ja}が {a} と {b} の違いなら見分けられます。",
                f"With these groups ({per_group:,} people each), a {name.en} of {a} against {b} can be told apart.")
