"""Server-side SVG charts (pure): line charts over time and horizontal bar charts.

The page embeds the SVG inline, so it renders with a strict CSP (no script, no style attribute: only
SVG presentation attributes). Each chart has a <title> and <desc> for screen readers, every data point
carries its value in a <title> (hover) and a ``data-value`` attribute, and colours come from the
Okabe–Ito palette, which stays distinguishable for colour-blind readers.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
ANOMALY = "#D55E00"
WIDTH = 640
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 28


@dataclass(frozen=True, kw_only=True)
class Line:
    name: str
    values: Sequence[float | None]
    dashed: bool = False


@dataclass(frozen=True, kw_only=True)
class Chart:
    """The chart's SVG text and what it shows (for the page's caption and tests)."""

    svg: str
    points: int
    empty: bool = field(default=False)


def _number(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}"


def _short(label: str, columns: int = 36) -> str:
    """A label cut to fit beside the bars (wide CJK characters count twice); the full text stays in
    the bar's <title>."""
    used = 0
    for index, char in enumerate(label):
        used += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        if used > columns:
            return label[: max(index - 1, 1)] + "…"
    return label


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _frame(chart_id: str, title: str, desc: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" data-chart="{escape(chart_id)}">',
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]


def _empty(chart_id: str, title: str, no_data: str, height: int) -> Chart:
    parts = _frame(chart_id, title, no_data, height)
    parts.append(
        f'<text x="{WIDTH / 2}" y="{height / 2}" text-anchor="middle" fill="#555" font-size="14">'
        f"{escape(no_data)}</text></svg>"
    )
    return Chart(svg="".join(parts), points=0, empty=True)


def line_chart(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    lines: Sequence[Line],
    marks: Sequence[int] = (),
    mark_label: str = "",
    no_data: str = "No data",
    fmt: Callable[[float], str] = _number,
    height: int = 220,
) -> Chart:
    """Lines over ``labels`` (e.g. days); ``marks`` are indexes drawn as highlighted points (anomalies)."""
    values = [v for line in lines for v in line.values if v is not None]
    if not labels or not values:
        return _empty(chart_id, title, no_data, height)
    top = _nice_max(max(values))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, height - TOP - BOTTOM
    count = len(labels)

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (count - 1) if count > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v / top)

    desc = "; ".join(
        f"{line.name}: {fmt(min(v for v in line.values if v is not None))}–"
        f"{fmt(max(v for v in line.values if v is not None))}"
        for line in lines
        if any(v is not None for v in line.values)
    )
    parts = _frame(chart_id, title, f"{labels[0]} – {labels[-1]}. {desc}", height)
    for step in range(5):
        value = top * step / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="#ddd" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11" fill="#444">'
            f"{escape(fmt(value))}</text>"
        )
    for i in sorted({0, count - 1, *range(0, count, max(1, count // 6))}):
        if i < count:
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="middle" font-size="11" fill="#444">'
                f"{escape(labels[i])}</text>"
            )
    points = 0
    for n, line in enumerate(lines):
        colour = PALETTE[n % len(PALETTE)]
        path: list[str] = []
        for i, v in enumerate(line.values):
            if v is None:
                continue
            path.append(f"{'L' if path else 'M'}{x(i):.1f},{y(v):.1f}")
        dash = ' stroke-dasharray="5 4"' if line.dashed else ""
        parts.append(
            f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2"{dash} '
            f'data-series="{escape(line.name)}"/>'
        )
        for i, v in enumerate(line.values):
            if v is None:
                continue
            points += 1
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2" fill="{colour}" data-value="{v:g}">'
                f"<title>{escape(line.name)} {escape(labels[i])}: {escape(fmt(v))}</title></circle>"
            )
    first = lines[0].values if lines else []
    for i in marks:
        if 0 <= i < len(first) and first[i] is not None:
            v = first[i]
            assert v is not None
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="6" fill="none" stroke="{ANOMALY}" '
                f'stroke-width="2.5" class="chart__mark"><title>{escape(mark_label)} {escape(labels[i])}: '
                f"{escape(fmt(v))}</title></circle>"
            )
    legend_x = LEFT
    for n, line in enumerate(lines):
        colour = PALETTE[n % len(PALETTE)]
        parts.append(
            f'<rect x="{legend_x}" y="2" width="10" height="10" fill="{colour}"/>'
            f'<text x="{legend_x + 14}" y="11" font-size="11" fill="#222">{escape(line.name)}</text>'
        )
        legend_x += 24 + 7 * len(line.name)
    parts.append("</svg>")
    return Chart(svg="".join(parts), points=points)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    bars: Sequence[tuple[str, float]],
    no_data: str = "No data",
    fmt: Callable[[float], str] = _number,
    maximum: float | None = None,
) -> Chart:
    """Horizontal bars, one per (label, value), largest scale ``maximum`` (default: the largest value)."""
    height = TOP + 24 * len(bars) + 8
    if not bars:
        return _empty(chart_id, title, no_data, 80)
    top = maximum if maximum is not None else _nice_max(max(v for _, v in bars))
    label_w = 250
    plot_w = WIDTH - label_w - 70
    desc = "; ".join(f"{label}: {fmt(value)}" for label, value in bars)
    parts = _frame(chart_id, title, desc, height)
    for n, (label, value) in enumerate(bars):
        y = TOP + 24 * n
        width = plot_w * (value / top) if top > 0 else 0
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end" font-size="12" fill="#222">'
            f"{escape(_short(label))}</text>"
            f'<rect x="{label_w}" y="{y + 2}" width="{max(width, 0):.1f}" height="16" fill="{PALETTE[0]}" '
            f'data-value="{value:g}"><title>{escape(label)}: {escape(fmt(value))}</title></rect>'
            f'<text x="{label_w + max(width, 0) + 6:.1f}" y="{y + 14}" font-size="12" fill="#222">'
            f"{escape(fmt(value))}</text>"
        )
    parts.append("</svg>")
    return Chart(svg="".join(parts), points=len(bars))
