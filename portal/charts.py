"""Server-rendered bar charts: geometry computed here, drawn as inline SVG by a template."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from portal.selectors import DayActivity

WIDTH = 1000
HEIGHT = 190
LEFT = 40
RIGHT = 10
TOP = 12
BOTTOM = 28


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    css: str  # a class of portal.css: bar-ok, bar-warn, bar-bad, bar-info


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class XLabel:
    x: float
    label: str


@dataclass(frozen=True)
class BarChart:
    title: str
    slug: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bars: list[Bar]
    ticks: list[Tick]
    x_labels: list[XLabel]
    legend: list[Series]
    total: int


def _nice_ceiling(value: int) -> int:
    if value <= 4:
        return 4
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return math.ceil(step * power)
    return value


def stacked_bars(
    *,
    title: str,
    slug: str,
    days: Sequence[DayActivity],
    series: Sequence[Series],
) -> BarChart:
    """One stacked bar per day, one segment per series (zero segments are left out)."""
    totals = [sum(int(getattr(day, s.key)) for s in series) for day in days]
    top_value = _nice_ceiling(max(totals, default=0))
    plot_bottom = HEIGHT - BOTTOM
    plot_height = plot_bottom - TOP
    plot_width = WIDTH - LEFT - RIGHT
    slot = plot_width / max(len(days), 1)
    bar_width = max(2.0, slot * 0.72)
    bars: list[Bar] = []
    for index, day in enumerate(days):
        x = LEFT + index * slot + (slot - bar_width) / 2
        base = float(plot_bottom)
        for s in series:
            value = int(getattr(day, s.key))
            if not value:
                continue
            height = plot_height * value / top_value
            base -= height
            bars.append(
                Bar(
                    x=round(x, 2),
                    y=round(base, 2),
                    width=round(bar_width, 2),
                    height=round(height, 2),
                    css=s.css,
                    title=f"{_label(day.day)}: {value} {s.label.lower()}",
                )
            )
    ticks = [
        Tick(y=round(plot_bottom - plot_height * fraction, 2), label=f"{top_value * fraction:g}")
        for fraction in (0, 0.5, 1)
    ]
    every = max(1, math.ceil(len(days) / 8))
    x_labels = [
        XLabel(x=round(LEFT + index * slot + slot / 2, 2), label=_label(day.day))
        for index, day in enumerate(days)
        if index % every == 0
    ]
    return BarChart(
        title=title,
        slug=slug,
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=plot_bottom,
        bars=bars,
        ticks=ticks,
        x_labels=x_labels,
        legend=list(series),
        total=sum(totals),
    )


def _label(day: date) -> str:
    return day.strftime("%d %b")


def activity_charts(days: Sequence[DayActivity]) -> list[BarChart]:
    """The dashboard's three charts: jobs, decisions, blocks."""
    return [
        stacked_bars(
            title="Jobs submitted",
            slug="jobs",
            days=days,
            series=[Series("jobs", "Jobs", "bar-info")],
        ),
        stacked_bars(
            title="Rulebook decisions",
            slug="decisions",
            days=days,
            series=[
                Series("allow", "Allowed", "bar-ok"),
                Series("require_approval", "Approval required", "bar-warn"),
                Series("deny", "Denied", "bar-bad"),
            ],
        ),
        stacked_bars(
            title="Blocked attempts",
            slug="blocks",
            days=days,
            series=[
                Series("denied", "Denied by the rulebook", "bar-bad"),
                Series("rejected", "Approval rejected or expired", "bar-warn"),
            ],
        ),
    ]
