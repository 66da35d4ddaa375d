"""Small inline SVG charts (no scripts, no external resources): the geometry is computed
here, the markup is the package templates ``templates/*.svg.j2`` (Jinja2, autoescape on)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from compare.report.report_templates import report_templates

PALETTE = ("#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8e6c8a", "#30638e", "#a05195")
OWN_COLOUR = "#111111"


def _render(template: str, **values: Any) -> Markup:
    return Markup(report_templates().get_template(template).render(**values))


@dataclass(frozen=True)
class IntervalRow:
    """One labelled estimate with its interval, drawn as a dot and a whisker."""

    label: str
    value: float
    low: float
    high: float
    colour: str
    href: str | None = None
    note: str = ""


def interval_chart(
    rows: Sequence[IntervalRow],
    *,
    axis_min: float,
    axis_max: float,
    reference: float,
    title: str,
    tick_format: str = "{:+.1f}",
    ticks: Sequence[float] = (),
    width: int = 760,
) -> Markup:
    """A forest plot: one row per estimate, a vertical reference line (0 or 1)."""
    label_width, right_pad, row_height, top = 230, 70, 18, 28
    height = top + row_height * len(rows) + 30
    plot = width - label_width - right_pad

    def x(value: float) -> float:
        clamped = min(max(value, axis_min), axis_max)
        return label_width + (clamped - axis_min) / (axis_max - axis_min) * plot

    return _render(
        "interval_chart.svg.j2",
        width=width,
        height=height,
        title=title,
        top=top,
        label_width=label_width,
        note_x=width - right_pad + 6,
        reference_x=f"{x(reference):.1f}",
        ticks=[
            {"x": f"{x(tick):.1f}", "text": tick_format.format(tick)}
            for tick in ticks or (axis_min, reference, axis_max)
        ],
        rows=[
            {
                "label": row.label,
                "note": row.note,
                "href": row.href,
                "colour": row.colour,
                "y": f"{y:.1f}",
                "text_y": f"{y + 4:.1f}",
                "low_x": f"{x(row.low):.1f}",
                "high_x": f"{x(row.high):.1f}",
                "value_x": f"{x(row.value):.1f}",
            }
            for i, row in enumerate(rows)
            for y in [top + i * row_height + row_height / 2]
        ],
    )


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    points: list[tuple[str, float]]
    """(x label, y value), x labels sorted."""


def line_chart(
    series: Sequence[Series],
    *,
    y_min: float,
    y_max: float,
    title: str,
    y_format: str = "{:+.1f}",
    width: int = 760,
    height: int = 260,
) -> Markup:
    """Lines over shared categorical x values (months), with a legend."""
    labels = sorted({label for s in series for label, _ in s.points})
    left, right, top, bottom = 50, 150, 16, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    if not labels:
        return Markup("")

    def x(label: str) -> float:
        if len(labels) == 1:
            return left + plot_w / 2
        return left + labels.index(label) / (len(labels) - 1) * plot_w

    def y(value: float) -> float:
        return top + (y_max - min(max(value, y_min), y_max)) / (y_max - y_min) * plot_h

    step = max(1, len(labels) // 8)
    return _render(
        "line_chart.svg.j2",
        width=width,
        height=height,
        title=title,
        left=left,
        top=top,
        plot_w=plot_w,
        plot_h=plot_h,
        legend_x=width - right + 10,
        y_ticks=[
            {"y": f"{y(value) + 4:.1f}", "text": y_format.format(value)}
            for value in (y_min, (y_min + y_max) / 2, y_max)
        ],
        x_ticks=[{"x": f"{x(label):.1f}", "text": label} for label in labels[::step]],
        series=[
            {
                "name": s.name,
                "colour": s.colour,
                "legend_y": top + 14 + i * 16,
                "path": " ".join(f"{x(label):.1f},{y(value):.1f}" for label, value in s.points),
                "points": [
                    {"x": f"{x(label):.1f}", "y": f"{y(value):.1f}"} for label, value in s.points
                ],
            }
            for i, s in enumerate(series)
            if s.points
        ],
    )
