"""Charts as inline SVG text: key questions against the rating bands.

The SVG is written as text, with every label escaped, so the HTML report stays one file with
no scripts, fonts or images to fetch. Band colours are backed by text (band names in the
legend, figures beside each bar) so the chart reads without colour.

The chart is drawn for a phone first: a narrow view box (:data:`WIDTH` units) with one key
question per row, its label and figure on a line above its bar and the interval as a whisker
below it. Scaled to the 358 px a 390 px screen leaves, its 13-unit text renders at about
11.6 px; on a wide screen the stylesheet caps its width.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

#: Band fills, lowest band first (Inadequate, Requires improvement, Good, Outstanding).
BAND_FILLS = ("#f6d5d1", "#fbe7c6", "#dcecd2", "#bcdcae")
#: Dark, so a bar stands at 3:1 or more against every band (see :func:`contrast_ratio`).
BAR_FILL = "#2f4b6e"
WHISKER = "#000000"
TEXT_FILL = "#1b1b1b"

WIDTH = 400
LEFT = 8
RIGHT = 8
TOP = 24       #: room for the boundary labels
ROW = 42       #: label line, bar, whisker
BAR = 11
FONT = 13      #: every text of the chart, in view-box units
LEGEND_ROW = 20


@dataclass(frozen=True)
class Bar:
    """One key question: its exact percentage and interval bounds (0-100)."""

    label: str
    percent: float
    low: float | None = None
    high: float | None = None
    shown: str = ""      #: the figure printed beside the label, e.g. "65% (65/100)"
    tooltip: str = ""
    mark: str = ""       #: e.g. "raised by the panel (note 1)"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    colour = colour.lstrip("#")
    r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _x(percent: float) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * max(0.0, min(100.0, percent)) / 100


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _band_text(names: list[str], edges: list[int], index: int) -> str:
    if index == 0:
        return f"{names[0]}: under {edges[1]}%"
    if index == len(names) - 1:
        return f"{names[index]}: {edges[index]}% and over"
    return f"{names[index]}: {edges[index]}-{edges[index + 1] - 1}%"


def key_question_chart(bars: list[Bar], boundaries: list[tuple[str, int]], title: str,
                       lowest_band: str = "Inadequate") -> str:
    """A bar per key question over the bands, with its interval as a whisker.

    ``boundaries`` are the bands above the lowest with the percentage each starts at, e.g.
    ``[("Requires improvement", 50), ("Good", 65), ("Outstanding", 80)]``.
    """
    edges = [0] + [start for _, start in boundaries] + [100]
    names = [lowest_band] + [name for name, _ in boundaries]
    plot_bottom = TOP + ROW * len(bars)
    legend_top = plot_bottom + 40
    height = legend_top + LEGEND_ROW * len(names)
    desc = "; ".join(bar.tooltip or f"{bar.label}: {bar.shown}" for bar in bars)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
             f'role="img" aria-labelledby="chart-title chart-desc" font-family="sans-serif" '
             f'font-size="{FONT}" fill="{TEXT_FILL}">',
             f'<title id="chart-title">{escape(title)}</title>',
             f'<desc id="chart-desc">{escape(desc)}</desc>']
    for index in range(len(names)):
        x0, x1 = _x(edges[index]), _x(edges[index + 1])
        fill = BAND_FILLS[min(index, len(BAND_FILLS) - 1)]
        parts.append(f'<rect x="{_fmt(x0)}" y="{TOP}" width="{_fmt(x1 - x0)}" '
                     f'height="{_fmt(plot_bottom - TOP)}" fill="{fill}"/>')
    for start in edges[1:-1]:
        x = _fmt(_x(start))
        parts.append(f'<line x1="{x}" y1="{TOP - 6}" x2="{x}" y2="{plot_bottom}" stroke="#555" '
                     'stroke-dasharray="4 3"/>')
        parts.append(f'<text x="{x}" y="{TOP - 9}" text-anchor="middle">{start}%</text>')
    for row, bar in enumerate(bars):
        y = TOP + ROW * row
        parts.append('<g class="bar">')
        if bar.tooltip:
            parts.append(f"<title>{escape(bar.tooltip)}</title>")
        line = f"{bar.shown}" + (f" {bar.mark}" if bar.mark else "")
        parts.append(f'<text x="{LEFT + 2}" y="{y + 16}"><tspan class="kq" font-weight="bold">'
                     f'{escape(bar.label)}</tspan> {escape(line)}</text>')
        top = y + 21
        parts.append(f'<rect x="{LEFT}" y="{top}" width="{_fmt(_x(bar.percent) - LEFT)}" '
                     f'height="{BAR}" fill="{BAR_FILL}"/>')
        if bar.mark:  # a marker at the bar's end: the panel moved this standard's rating
            end = _fmt(_x(bar.percent))
            parts.append(f'<rect x="{end}" y="{top - 2}" width="3" height="{BAR + 4}" fill="{WHISKER}"/>')
        if bar.low is not None and bar.high is not None:
            mid, lo, hi = top + BAR + 5, _fmt(_x(bar.low)), _fmt(_x(bar.high))
            parts.append(f'<path d="M{lo} {mid}H{hi}M{lo} {mid - 3}V{mid + 3}M{hi} {mid - 3}V{mid + 3}" '
                         f'stroke="{WHISKER}" stroke-width="1.5" fill="none"/>')
        parts.append("</g>")
    axis_y = plot_bottom + 18
    for tick in (0, 25, 50, 75, 100):
        anchor = "start" if tick == 0 else "end" if tick == 100 else "middle"
        parts.append(f'<text x="{_fmt(_x(tick))}" y="{axis_y}" text-anchor="{anchor}">{tick}%</text>')
    for index in range(len(names)):
        y = legend_top + LEGEND_ROW * index
        fill = BAND_FILLS[min(index, len(BAND_FILLS) - 1)]
        parts.append(f'<rect x="{LEFT}" y="{y - 12}" width="16" height="14" fill="{fill}" stroke="#555"/>'
                     f'<text x="{LEFT + 24}" y="{y}">{escape(_band_text(names, edges, index))}</text>')
    parts.append("</svg>")
    return "".join(parts)
