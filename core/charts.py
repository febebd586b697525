"""Charts drawn on the server as accessible SVG: no script, no CDN, nothing to load.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (what it shows and its
largest value, for a screen reader), a ``viewBox`` and no fixed size, so it scales to the width of a
phone; every bar segment has its own ``<title>`` (shown on hover). The page puts the data table
beside every chart (core/templates/core/impact/_chart.html): the table is the chart's text
equivalent, not an extra. Colours are Okabe and Ito's palette, told apart with colour blindness,
and the legend is text.
"""

import math
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

#: Okabe-Ito, then grey for "no community".
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6D00", "#000000")
GREY = "#8A8A8A"

#: In viewBox units. A phone shows the chart about 320 px wide, so 12 units of text are 12 px
#: there; wider screens scale it up to the page's max-width (core/static/core/impact.css).
WIDTH, HEIGHT = 320, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 4, 10, 22


def colour(index):
    return GREY if index is None else PALETTE[index % len(PALETTE)]


def nice_step(maximum, ticks=4):
    """A round step (1, 2 or 5 times a power of ten) giving about ``ticks`` gridlines up to
    ``maximum``."""
    if maximum <= 0:
        return 1
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def number(value, decimals=0):
    if value is None:
        return "–"
    if decimals:
        return f"{Decimal(value):,.{decimals}f}"
    return f"{int(value):,}"


def bar_chart(*, chart_id, title, description, labels, series, decimals=0, unit=""):
    """A bar chart of ``labels`` (the months), stacked by ``series``: ``[(name, colour index or
    None, [value per label])]``; values None count as 0. One series is plain bars."""
    values = [[float(v or 0) for v in vals] for _n, _c, vals in series]
    totals = [sum(col) for col in zip(*values, strict=True)] if values else [0.0] * len(labels)
    top = max(totals, default=0)
    step = nice_step(top)
    y_max = step * max(1, math.ceil(top / step)) if top else step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(1, len(labels))
    bar_w = slot * 0.7

    def y(v):
        return TOP + plot_h - (v / y_max) * plot_h

    def f(v):
        # format_html escapes its arguments into strings first: numbers are formatted here.
        return f"{v:.1f}"

    grid = []
    tick = 0.0
    while tick <= y_max + 1e-9:
        grid.append(format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d0d0d0" stroke-width="0.6"/>'
            '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#333">{}</text>',
            LEFT, WIDTH - RIGHT, f(y(tick)), f(y(tick)), LEFT - 4, f(y(tick) + 3.5),
            number(tick, decimals if step < 1 else 0)))
        tick += step
    bars = []
    for i, label in enumerate(labels):
        x = LEFT + i * slot + (slot - bar_w) / 2
        base = 0.0
        for (name, colour_index, _vals), vals in zip(series, values, strict=True):
            v = vals[i]
            if v <= 0:
                continue
            bars.append(format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
                f(x), f(y(base + v)), f(bar_w), f(y(base) - y(base + v)), colour(colour_index),
                f"{label} · {name}: {number(v, decimals)}{unit}" if len(series) > 1 else
                f"{label}: {number(v, decimals)}{unit}"))
            base += v
        bars.append(format_html('<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#333">{}</text>',
                                f(x + bar_w / 2), HEIGHT - BOTTOM + 15, label))
    axis = format_html('<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#333" stroke-width="0.8"/>',
                       LEFT, WIDTH - RIGHT, TOP + plot_h, TOP + plot_h)
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {w} {h}" '
        'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{grid}{bars}{axis}</svg>',
        id=chart_id, w=WIDTH, h=HEIGHT, title=title, desc=description,
        grid=mark_safe("".join(grid)), bars=mark_safe("".join(bars)), axis=axis)  # noqa: S308 (escaped above)


def swatch(colour_index):
    """A small square in a legend entry's colour (an SVG, so no inline style is needed)."""
    return format_html('<svg class="swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" '
                       'focusable="false"><rect width="12" height="12" fill="{}"/></svg>', colour(colour_index))


def legend(series):
    return format_html('<ul class="chart-legend">{}</ul>', format_html_join(
        "", "<li>{} {}</li>", ((swatch(c), name) for name, c, _v in series)))
