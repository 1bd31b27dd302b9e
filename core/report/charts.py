"""Charts as inline SVG text: key questions against the rating bands.

The SVG is written as text, with every label escaped, so the HTML report stays one file with
no scripts, fonts or images to fetch. Band colours are backed by text (band names, figures)
so the chart reads without colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

#: Band fills, lowest band first (Inadequate, Requires improvement, Good, Outstanding).
BAND_FILLS = ("#f6d5d1", "#fbe7c6", "#dcecd2", "#bcdcae")
BAR_FILL = "#7393bb"   # mid-tone, so the black interval whisker shows across it

WIDTH = 720
LEFT = 64      # room for the key-question ids
RIGHT = 120    # room for the figures
TOP = 44       # room for band names and boundary labels
ROW = 26
BAR = 14


@dataclass(frozen=True)
class Bar:
    """One key question: its exact percentage and interval bounds (0-100)."""

    label: str
    percent: float
    low: float | None = None
    high: float | None = None
    shown: str = ""      #: the figure printed after the bar, e.g. "65% (65/100)"
    tooltip: str = ""


def _x(percent: float) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * max(0.0, min(100.0, percent)) / 100


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def key_question_chart(bars: list[Bar], boundaries: list[tuple[str, int]], title: str,
                       lowest_band: str = "Inadequate") -> str:
    """A horizontal bar per key question over the bands, with its interval as a whisker.

    ``boundaries`` are the bands above the lowest with the percentage each starts at, e.g.
    ``[("Requires improvement", 50), ("Good", 65), ("Outstanding", 80)]``.
    """
    height = TOP + ROW * len(bars) + 28
    plot_bottom = TOP + ROW * len(bars)
    edges = [0] + [start for _, start in boundaries] + [100]
    names = [lowest_band] + [name for name, _ in boundaries]
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
             f'role="img" aria-label="{escape(title)}" font-family="sans-serif" font-size="12">',
             f"<title>{escape(title)}</title>"]
    for index, name in enumerate(names):
        x0, x1 = _x(edges[index]), _x(edges[index + 1])
        fill = BAND_FILLS[min(index, len(BAND_FILLS) - 1)]
        parts.append(f'<rect x="{_fmt(x0)}" y="{TOP - 8}" width="{_fmt(x1 - x0)}" '
                     f'height="{_fmt(plot_bottom - TOP + 8)}" fill="{fill}"/>')
        parts.append(f'<text x="{_fmt((x0 + x1) / 2)}" y="14" text-anchor="middle" '
                     f'font-size="10">{escape(name)}</text>')
    for start in edges[1:-1]:
        x = _fmt(_x(start))
        parts.append(f'<line x1="{x}" y1="20" x2="{x}" y2="{plot_bottom}" stroke="#555" '
                     'stroke-dasharray="4 3"/>')
        parts.append(f'<text x="{x}" y="31" text-anchor="middle" font-size="10">{start}%</text>')
    for row, bar in enumerate(bars):
        y = TOP + ROW * row
        parts.append("<g>")
        if bar.tooltip:
            parts.append(f"<title>{escape(bar.tooltip)}</title>")
        parts.append(f'<text x="{LEFT - 8}" y="{y + BAR - 2}" text-anchor="end">{escape(bar.label)}</text>')
        parts.append(f'<rect x="{LEFT}" y="{y}" width="{_fmt(_x(bar.percent) - LEFT)}" '
                     f'height="{BAR}" fill="{BAR_FILL}"/>')
        if bar.low is not None and bar.high is not None:
            mid, x0, x1 = y + BAR / 2, _fmt(_x(bar.low)), _fmt(_x(bar.high))
            parts.append(f'<path d="M{x0} {_fmt(mid)}H{x1}M{x0} {y + 2}V{y + BAR - 2}'
                         f'M{x1} {y + 2}V{y + BAR - 2}" stroke="#000" stroke-width="1.5" fill="none"/>')
        parts.append(f'<text x="{_fmt(_x(100) + 8)}" y="{y + BAR - 2}">{escape(bar.shown)}</text>')
        parts.append("</g>")
    axis_y = plot_bottom + 4
    for tick in (0, 25, 50, 75, 100):
        parts.append(f'<text x="{_fmt(_x(tick))}" y="{axis_y + 14}" text-anchor="middle" '
                     f'font-size="10" fill="#444">{tick}</text>')
    parts.append("</svg>")
    return "".join(parts)
