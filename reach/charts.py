"""
Server-rendered SVG line charts for the trends: no JavaScript, no chart library,
nothing from another host. Geometry is computed here; the template draws it, and
the colours come from classes in static/css/reach.css (CSP allows no inline styles).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from reach.selectors.trends import WeekPoint

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 52, 14, 14, 40

SERIES = (
    ("people_met", _("People met"), "s-people"),
    ("new_people", _("Of whom new"), "s-new"),
    ("meals", _("Meals"), "s-meals"),
)


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    css: str
    points: str  # "x,y x,y …" for <polyline>
    last: tuple[float, float]
    total: int


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    series: list[Series]
    y_ticks: list[tuple[float, str]]
    x_labels: list[tuple[float, str, str]]  # x, week number, year (on a year's first label)
    target_y: float | None
    target_label: str
    weeks: list[WeekPoint]


def _nice_step(maximum: float, ticks: int = 4) -> int:
    raw = max(maximum, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return max(1, int(factor * power))
    return int(10 * power)


def line_chart(title: str, weeks: list[WeekPoint], *, weekly_target: float | None) -> Chart:
    """People met, new people and meals per ISO week, with the weekly target dashed."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    peak = max([getattr(w, key) for w in weeks for key, *_rest in SERIES] + [weekly_target or 0])
    step = _nice_step(peak)
    y_max = step * max(1, math.ceil(peak / step))
    count = len(weeks)

    def x(i: int) -> float:
        return round(LEFT + (plot_w * i / (count - 1) if count > 1 else plot_w / 2), 1)

    def y(value: float) -> float:
        return round(TOP + plot_h * (1 - value / y_max), 1)

    series = []
    for key, label, css in SERIES:
        values = [getattr(w, key) for w in weeks]
        points = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values))
        series.append(
            Series(key, str(label), css, points, (x(count - 1), y(values[-1])), sum(values))
        )
    every = 1 if count <= 13 else 4
    x_labels = []
    for i, point in enumerate(weeks):
        year_start = i == 0 or point.week.year != weeks[i - 1].week.year
        if i % every == 0 or i == count - 1:
            x_labels.append(
                (x(i), str(point.week.week), str(point.week.year) if year_start or i == 0 else "")
            )
        elif year_start:
            x_labels.append((x(i), "", str(point.week.year)))
    return Chart(
        title=title,
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM,
        series=series,
        y_ticks=[(y(v), f"{v:,}".replace(",", ".")) for v in range(0, y_max + 1, step)],
        x_labels=x_labels,
        target_y=y(weekly_target) if weekly_target else None,
        target_label=f"{round(weekly_target):,}".replace(",", ".") if weekly_target else "",
        weeks=weeks,
    )
