"""The two QtCharts charts of 効果測定: clicks per URL (bars) and the account per day (lines, sends marked).

Tests read the series' values (points and bar sets), never pixels.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QPointF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from shopline.core.results import CampaignFigures
from shopline.results.trend import Trend


def _setup(view: QChartView, width: int, height: int) -> None:
    chart = QChart()
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    view.setChart(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumSize(width, height)


def _clear(chart: QChart) -> None:
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)


class UrlClicksChart(QChartView):
    """Unique clicks per URL; a URL whose figure LINE left null has no bar (not a zero bar)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _setup(self, 200, 140)
        self.bars = QBarSet(self.tr("Unique clicks"))
        self.urls: list[str] = []

    def show_figures(self, figures: CampaignFigures | None) -> None:
        chart = self.chart()
        _clear(chart)
        self.bars = QBarSet(self.tr("Unique clicks"))
        self.urls = [u.url for u in figures.urls if u.unique_clicks is not None] if figures else []
        values = [u.unique_clicks for u in figures.urls if u.unique_clicks is not None] if figures else []
        self.bars.append([float(v) for v in values if v is not None])
        series = QHorizontalBarSeries()
        series.append(self.bars)
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append([_short(u) for u in self.urls] or [""])
        counts = QValueAxis()
        counts.setLabelFormat("%d")
        counts.setRange(0, max(values, default=0) or 1)
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(names)
        series.attachAxis(counts)
        chart.legend().setVisible(False)

    def values(self) -> list[float]:
        return [self.bars.at(i) for i in range(self.bars.count())]


def _short(url: str) -> str:
    bare = url.split("://", 1)[-1]
    return bare if len(bare) <= 28 else bare[:13] + "…" + bare[-13:]


def _msecs(day: dt.date) -> float:
    return float(QDateTime(day.year, day.month, day.day, 12, 0, 0).toMSecsSinceEpoch())


class TrendChart(QChartView):
    """Followers and targeted reaches on the left axis, blocks on the right, a mark on each send day."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _setup(self, 300, 200)
        self.followers = QLineSeries()
        self.reaches = QLineSeries()
        self.blocks = QLineSeries()
        self.sends = QScatterSeries()
        self.send_names: set[tuple[dt.date, str]] = set()

    def show_trend(self, trend: Trend) -> None:
        chart = self.chart()
        _clear(chart)
        self.followers, self.reaches, self.blocks = QLineSeries(), QLineSeries(), QLineSeries()
        self.sends = QScatterSeries()
        self.followers.setName(self.tr("Friends"))
        self.reaches.setName(self.tr("Targeted reach"))
        self.blocks.setName(self.tr("Blocks"))
        self.sends.setName(self.tr("Sends"))
        self.sends.setMarkerSize(10.0)
        by_day = {d.day: d for d in trend.days}
        for d in trend.days:  # a day LINE has not counted yet has no point: a gap, not a drop to zero
            x = _msecs(d.day)
            if d.followers is not None:
                self.followers.append(QPointF(x, d.followers))
            if d.targeted_reaches is not None:
                self.reaches.append(QPointF(x, d.targeted_reaches))
            if d.blocks is not None:
                self.blocks.append(QPointF(x, d.blocks))
        for send in trend.sends:
            known = by_day.get(send.day)
            self.sends.append(QPointF(_msecs(send.day), float(known.followers) if known and known.followers else 0.0))
        for series in (self.followers, self.reaches, self.sends, self.blocks):
            chart.addSeries(series)
        days = QDateTimeAxis()
        days.setFormat("M/d")
        days.setTickCount(6)
        if trend.days:
            first, last = trend.days[0].day, trend.days[-1].day
            days.setRange(QDateTime.fromMSecsSinceEpoch(int(_msecs(first - dt.timedelta(days=1)))),
                          QDateTime.fromMSecsSinceEpoch(int(_msecs(last + dt.timedelta(days=1)))))
        left, right = QValueAxis(), QValueAxis()
        left.setLabelFormat("%d")
        right.setLabelFormat("%d")
        friends = [p.y() for s in (self.followers, self.reaches) for p in s.points()]
        left.setRange(min(friends, default=0) * 0.95, max(friends, default=1) * 1.05 or 1)
        blocks = [p.y() for p in self.blocks.points()]
        right.setRange(0, max(blocks, default=1) * 1.2 or 1)
        right.setTitleText(self.tr("Blocks"))
        chart.addAxis(days, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(left, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(right, Qt.AlignmentFlag.AlignRight)
        for series in (self.followers, self.reaches, self.sends):
            series.attachAxis(days)
            series.attachAxis(left)
        self.blocks.attachAxis(days)
        self.blocks.attachAxis(right)
        self.send_names = {(s.day, s.name) for s in trend.sends}
