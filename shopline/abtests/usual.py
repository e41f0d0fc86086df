"""The shop's usual rate for a metric, from past results: what the detectable difference is worked out from.

Pooled over every sent campaign whose figure is known (successes over sent); a campaign whose figure
is LINE's null (fewer than 20) or was never fetched is left out rather than counted as zero.
"""

from __future__ import annotations

from collections.abc import Iterable

from shopline.core.results import CampaignFigures
from shopline.results.figures import all_figures


def successes(figures: CampaignFigures, metric: str) -> int | None:
    if metric == "open":
        return figures.impressions
    if metric == "click":
        return figures.clicks
    if metric == "conversion":
        return figures.conversions
    raise ValueError(f"unknown metric {metric}")


def pooled_rate(metric: str, campaigns: Iterable[CampaignFigures]) -> float | None:
    hits = sent = 0
    for figures in campaigns:
        found = successes(figures, metric)
        if found is not None and figures.sent > 0:
            hits += min(found, figures.sent)
            sent += figures.sent
    return hits / sent if sent else None


def usual_rate(metric: str) -> float | None:
    """None when no past campaign has a known figure for the metric: the shop then types one."""
    return pooled_rate(metric, all_figures())
