"""Bar charts as inline SVG, drawn at build time: no chart library, no JavaScript.

The SVG carries no colour and no ``style`` attribute: classes only, which
advocacy.css colours with the theme's custom properties, so the chart follows
dark mode and a strict Content-Security-Policy. It is an image with a title
and a description for screen readers; the page adds the figures as a table.
Each bar repeats its figure in ``data-key``/``data-value`` for tests and tools.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from .dashboard import Bar

WIDTH = 640
HEIGHT = 240
TOP = 22
"""Room above the tallest bar for its value."""
BOTTOM = 36
"""Room below the axis for the labels: the period, and the year where it changes."""
SIDE = 8
PLOT = HEIGHT - TOP - BOTTOM
BAR_SHARE = 0.7
"""Width of a bar within its slot; the rest is the gap."""
MAX_LABELS = 16
"""Beyond this many bars, only every other label (or fewer) is written, so they do not overlap."""


def bar_height(value: int, top: int) -> float:
    """A bar's height: proportional to the largest value of the chart, which fills the plot."""
    return round(value / top * PLOT, 2) if top else 0.0


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def bar_chart(bars: Sequence[Bar], *, chart_id: str, title: str, desc: str) -> Markup:
    """An accessible ``<svg>`` bar chart of ``bars``, oldest first, labelled by ``title`` and ``desc``."""
    top = max((b.value for b in bars), default=0)
    slot = (WIDTH - 2 * SIDE) / max(len(bars), 1)
    every = -(-len(bars) // MAX_LABELS) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<line class="chart__axis" x1="{SIDE}" y1="{TOP + PLOT}" x2="{WIDTH - SIDE}" y2="{TOP + PLOT}"/>',
    ]
    for i, bar in enumerate(bars):
        height = bar_height(bar.value, top)
        x = SIDE + i * slot + slot * (1 - BAR_SHARE) / 2
        centre = _num(SIDE + (i + 0.5) * slot)
        y = TOP + PLOT - height
        parts.append(
            f'<rect class="chart__bar" x="{_num(x)}" y="{_num(y)}" width="{_num(slot * BAR_SHARE)}" '
            f'height="{_num(height)}" data-key="{escape(bar.key)}" data-value="{bar.value}">'
            f"<title>{escape(bar.label)}: {bar.value}</title></rect>"
        )
        parts.append(
            f'<text class="chart__value" x="{centre}" y="{_num(y - 6)}" '
            f'text-anchor="middle">{bar.value}</text>'
        )
        if i % every == 0:
            parts.append(
                f'<text class="chart__label" x="{centre}" y="{HEIGHT - 20}" '
                f'text-anchor="middle">{escape(bar.tick)}</text>'
            )
        if i == 0 or bar.start.year != bars[i - 1].start.year:
            parts.append(
                f'<text class="chart__label" x="{centre}" y="{HEIGHT - 5}" '
                f'text-anchor="middle">{bar.start.year}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
