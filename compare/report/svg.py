"""Small inline SVG charts (no scripts, no external resources). All text is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8e6c8a", "#30638e", "#a05195")
OWN_COLOUR = "#111111"


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
) -> str:
    """A forest plot: one row per estimate, a vertical reference line (0 or 1)."""
    label_width, right_pad, row_height, top = 230, 70, 18, 28
    height = top + row_height * len(rows) + 30
    plot = width - label_width - right_pad

    def x(value: float) -> float:
        clamped = min(max(value, axis_min), axis_max)
        return label_width + (clamped - axis_min) / (axis_max - axis_min) * plot

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{x(reference):.1f}" y1="{top - 6}" x2="{x(reference):.1f}" '
        f'y2="{height - 24}" stroke="#999" stroke-dasharray="4 3"/>',
    ]
    for tick in ticks or (axis_min, reference, axis_max):
        parts.append(
            f'<text x="{x(tick):.1f}" y="{height - 8}" font-size="11" text-anchor="middle" '
            f'fill="#555">{escape(tick_format.format(tick))}</text>'
        )
    for i, row in enumerate(rows):
        y = top + i * row_height + row_height / 2
        label = (
            f'<text x="{label_width - 8}" y="{y + 4:.1f}" font-size="12" text-anchor="end">'
            f"{escape(row.label)}</text>"
        )
        marks = (
            f'<line x1="{x(row.low):.1f}" y1="{y:.1f}" x2="{x(row.high):.1f}" y2="{y:.1f}" '
            f'stroke="{row.colour}" stroke-width="2"/>'
            f'<circle cx="{x(row.value):.1f}" cy="{y:.1f}" r="4.5" fill="{row.colour}"/>'
            f'<text x="{width - right_pad + 6}" y="{y + 4:.1f}" font-size="11" fill="#333">'
            f"{escape(row.note)}</text>"
        )
        if row.href:
            marks = f'<a href="{escape(row.href)}">{marks}</a>'
        parts.append(label + marks)
    parts.append("</svg>")
    return "".join(parts)


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
) -> str:
    """Lines over shared categorical x values (months), with a legend."""
    labels = sorted({label for s in series for label, _ in s.points})
    left, right, top, bottom = 50, 150, 16, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    if not labels:
        return ""

    def x(label: str) -> float:
        if len(labels) == 1:
            return left + plot_w / 2
        return left + labels.index(label) / (len(labels) - 1) * plot_w

    def y(value: float) -> float:
        return top + (y_max - min(max(value, y_min), y_max)) / (y_max - y_min) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#ccc"/>',
    ]
    for value in (y_min, (y_min + y_max) / 2, y_max):
        parts.append(
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#555">{escape(y_format.format(value))}</text>'
        )
    step = max(1, len(labels) // 8)
    for label in labels[::step]:
        parts.append(
            f'<text x="{x(label):.1f}" y="{height - 12}" font-size="11" text-anchor="middle" '
            f'fill="#555">{escape(label)}</text>'
        )
    for i, s in enumerate(series):
        if not s.points:
            continue
        path = " ".join(f"{x(label):.1f},{y(value):.1f}" for label, value in s.points)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{s.colour}" stroke-width="2"/>'
        )
        for label, value in s.points:
            parts.append(
                f'<circle cx="{x(label):.1f}" cy="{y(value):.1f}" r="2.5" fill="{s.colour}"/>'
            )
        legend_y = top + 14 + i * 16
        parts.append(
            f'<rect x="{width - right + 10}" y="{legend_y - 9}" width="10" height="10" '
            f'fill="{s.colour}"/><text x="{width - right + 24}" y="{legend_y}" font-size="11">'
            f"{escape(s.name)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_row(shares: Sequence[float], colours: Sequence[str], width: int = 160) -> str:
    """A single stacked bar of shares summing to at most 1 (rating distribution)."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar" width="{width}" height="12" '
        f'viewBox="0 0 {width} 12">'
    ]
    offset = 0.0
    for share, colour in zip(shares, colours, strict=False):
        w = share * width
        parts.append(f'<rect x="{offset:.1f}" y="0" width="{w:.1f}" height="12" fill="{colour}"/>')
        offset += w
    parts.append("</svg>")
    return "".join(parts)
