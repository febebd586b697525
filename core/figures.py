"""The office's live figures (issue 15): what each plugin counts, by month and community.

Each plugin declares its figures on its PluginConfig (``figures``, see :class:`core.plugins.Figure`):
a key, a name, a unit, a description and a ``compute(start, end)`` callable returning a
:class:`Series` for the months from ``start`` (the first day of a month) up to ``end`` (the first
day of the month after the last). Core computes none of them and imports no plugin: it iterates
the enabled PluginConfigs. The helpers below (:func:`grouped`, :func:`ratio`) are what a plugin's
compute calls: one ``GROUP BY month, community`` query (plus one ``GROUP BY month`` for a figure
whose month total is not the sum of its communities, such as distinct people), so the number of
queries is constant in the number of months and communities asked.

:func:`dashboard` turns every figure into the office's view of a month (this month, last month,
the same month last year, the year by month, by community) as plain data, which the admin
dashboard, the home-page panel, the exports, the PDF sheet, the public page and the API all read.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, DateTimeField, F, IntegerField, Value, When
from django.utils import timezone
from django.utils.module_loading import import_string

from core import plugins

Number = int | Decimal
#: The key of "no community" in a series (rows without one: a story for the whole street).
NO_COMMUNITY = None


@dataclass
class Series:
    """A figure's values: ``cells`` by (month, community id or None), ``totals`` by month.

    Months are ``datetime.date`` objects on the first of the month. A month or cell with no row is
    absent; readers treat it as zero (see :meth:`total`, :meth:`cell`)."""

    cells: dict[tuple[datetime.date, int | None], Number] = field(default_factory=dict)
    totals: dict[datetime.date, Number] = field(default_factory=dict)

    def total(self, month):
        return self.totals.get(month, 0)

    def cell(self, month, community_id):
        return self.cells.get((month, community_id), 0)


# --- months -------------------------------------------------------------------------------------

def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first days of the months from ``start`` up to, not including, ``end``."""
    months, month = [], month_start(start)
    while month < end:
        months.append(month)
        month = add_months(month, 1)
    return months


def this_month(now=None) -> datetime.date:
    return month_start(timezone.localdate(now))


def parse_month(text, default=None) -> datetime.date | None:
    """"2026-11" as its first day; None (or ``default``) for anything else."""
    try:
        year, month = (int(part) for part in str(text or "").split("-"))
        if 2000 <= year <= 2100:
            return datetime.date(year, month, 1)
    except (ValueError, TypeError):
        pass
    return default


def bounds(start: datetime.date, end: datetime.date):
    """Aware datetimes of local midnight on ``start`` and ``end``, for DateTimeField filters."""
    tz = timezone.get_current_timezone()
    return (datetime.datetime.combine(start, datetime.time.min, tz),
            datetime.datetime.combine(end, datetime.time.min, tz))


# --- the helpers a plugin's compute calls --------------------------------------------------------

def _month_buckets(queryset, when, start, end):
    """A CASE expression giving each row the index of its month among ``start``..``end``.

    Plain comparisons of ``when`` with each month's bounds (local midnight for a DateTimeField,
    dates for a DateField): the database compares and can use an index. ``TruncMonth`` in the
    site's time zone is a Python function per row on SQLite, and was most of the dashboard's
    time over a year of rows (bench/scenarios/impact.py)."""
    field = queryset.all().query.resolve_ref(when).output_field
    months = months_between(start, end)
    whens = []
    for index, month in enumerate(months):
        following = add_months(month, 1)
        low, high = bounds(month, following) if isinstance(field, DateTimeField) else (month, following)
        whens.append(When(**{f"{when}__gte": low, f"{when}__lt": high}, then=Value(index)))
    return Case(*whens, default=Value(-1), output_field=IntegerField()), months


def grouped(queryset, *, when: str, community: str | None, start, end, value=None, additive=True) -> Series:
    """``value`` (an aggregate, default ``Count("pk")``) of ``queryset`` by the month of ``when``
    (a date or datetime field path; datetimes by the site's time zone, so a class at 07:30 on the
    1st is that month's, not the one before as in UTC) for the months from ``start`` up to
    ``end``, and by ``community`` (a path to a community id, or None for a figure kept for the
    street as a whole).

    One query, plus a second by month alone when ``additive`` is false (distinct people:
    someone served in two communities is one person in the month's total)."""
    value = value if value is not None else Count("pk")
    bucket, months = _month_buckets(queryset, when, start, end)
    rows_of = queryset.order_by().annotate(m=bucket).exclude(m=-1)
    series = Series()
    if community:
        rows = rows_of.annotate(c=F(community)).values("m", "c").annotate(v=value).values_list("m", "c", "v")
    else:
        rows = [(m, NO_COMMUNITY, v) for m, v in rows_of.values("m").annotate(v=value).values_list("m", "v")]
    for m, c, v in rows:
        key = (months[m], c)
        series.cells[key] = series.cells.get(key, 0) + (v or 0)
    if additive or not community:
        for (m, _c), v in series.cells.items():
            series.totals[m] = series.totals.get(m, 0) + v
    else:
        for m, v in rows_of.values("m").annotate(v=value).values_list("m", "v"):
            series.totals[months[m]] = series.totals.get(months[m], 0) + (v or 0)
    return series


def ratio(numerator: Series, denominator: Series, *, percent=True, places=1) -> Series:
    """numerator / denominator cell by cell and month by month (a rate: the no-show rate), as a
    percentage rounded to ``places``; a cell with nothing to divide by is absent."""
    scale = Decimal(100 if percent else 1)
    quantum = Decimal(1).scaleb(-places)

    def divide(top, bottom):
        return (Decimal(top) * scale / Decimal(bottom)).quantize(quantum, ROUND_HALF_UP)

    return Series(
        cells={key: divide(numerator.cells.get(key, 0), bottom) for key, bottom in denominator.cells.items() if bottom},
        totals={m: divide(numerator.totals.get(m, 0), bottom) for m, bottom in denominator.totals.items() if bottom},
    )


def combine(*series: Series, sign=(1,)) -> Series:
    """The sum of several series (``sign`` per series, e.g. ``(1, -1)`` for a difference)."""
    signs = list(sign) + [1] * (len(series) - len(sign))
    out = Series()
    for s, k in zip(series, signs, strict=False):
        for key, v in s.cells.items():
            out.cells[key] = out.cells.get(key, 0) + k * v
        for key, v in s.totals.items():
            out.totals[key] = out.totals.get(key, 0) + k * v
    return out


def scaled(series: Series, divisor, places=1) -> Series:
    """Every value divided by ``divisor`` (minutes to hours), rounded to ``places``."""
    quantum = Decimal(1).scaleb(-places)

    def f(v):
        return (Decimal(v) / Decimal(divisor)).quantize(quantum, ROUND_HALF_UP)

    return Series({k: f(v) for k, v in series.cells.items()}, {k: f(v) for k, v in series.totals.items()})


# --- the registry -------------------------------------------------------------------------------

def all_figures() -> list:
    """Every enabled plugin's figures (core.plugins.all_figures, which reads the PluginConfigs)."""
    return plugins.all_figures()


def figures_by_key() -> dict:
    return {figure.key: figure for figure in all_figures()}


#: How long computed figures may be kept (seconds). A write to what a figure counts makes it
#: stale at once (core.cache namespaces); this bounds what changes with the clock alone: a class
#: that has just started is "held", a booking whose day has come is "served".
CACHE_SECONDS = 300


def _run(figure, start, end) -> Series:
    fn: Callable = import_string(figure.compute) if isinstance(figure.compute, str) else figure.compute
    return fn(start, end)


def compute(figures: Iterable, start: datetime.date, end: datetime.date) -> dict[str, Series]:
    """Every figure's Series for the months from ``start`` to ``end``, through core's one cache:
    figures that name their namespaces are read in one round trip per set of namespaces and
    computed only when missing or stale; the others are computed every time."""
    from core import cache

    figures = list(figures)
    out = {}
    groups: dict[tuple[str, ...], list] = {}
    for figure in figures:
        if figure.namespaces:
            groups.setdefault(tuple(sorted(figure.namespaces)), []).append(figure)
        else:
            out[figure.key] = _run(figure, start, end)
    # Today's date is in the key: "served" and "held" move on at midnight with no write.
    when = f"{start.isoformat()}:{end.isoformat()}:{timezone.localdate().isoformat()}"
    for namespaces, members in groups.items():
        by_key = {f"figure:{figure.key}:{when}": figure for figure in members}
        values = cache.cached_values(
            namespaces, list(by_key),
            lambda missing, by_key=by_key: {k: _run(by_key[k], start, end) for k in missing},
            seconds=CACHE_SECONDS)
        for k, figure in by_key.items():
            out[figure.key] = values[k]
    return {figure.key: out[figure.key] for figure in figures}


# --- the office's view of a month ---------------------------------------------------------------

def _plain(value, decimals):
    """A JSON-friendly number: int for counts, a string of fixed decimals otherwise."""
    if value is None:
        return None
    if decimals:
        return f"{Decimal(value):.{decimals}f}"
    return int(value)


def year_total(figure, series, months):
    """The sum over ``months`` for a figure that adds up (things counted); None for one that does
    not (distinct people and rates have no meaningful sum)."""
    if not figure.additive:
        return None
    return sum((series.total(m) for m in months), 0)


def dashboard(month: datetime.date, communities: list[tuple[int, str]], figures=None) -> dict:
    """Everything the office's views show for ``month``, as plain data (strings and numbers):

    ``{"month", "months" (the twelve months up to ``month``), "communities", "figures": [{key,
    plugin, plugin_title, name, unit, description, additive, decimals, this, last, last_year,
    by_month: [...], year_total, by_community: [{id, name, value}], no_community}]}``

    One computation per figure over 13 months (the same month last year up to this one): the
    queries do not grow with the months or communities shown."""
    figures = all_figures() if figures is None else figures
    first = add_months(month, -12)
    year = [add_months(month, -i) for i in range(11, -1, -1)]
    computed = compute(figures, first, add_months(month, 1))
    rows = []
    for figure in figures:
        series = computed[figure.key]
        d = figure.decimals
        empty = None if figure.rate else 0

        def total(m, series=series, empty=empty):
            return series.totals.get(m, empty)

        def cell(m, cid, series=series, empty=empty):
            return series.cells.get((m, cid), empty)
        rows.append({
            "key": figure.key,
            "plugin": figure.plugin,
            "plugin_title": str(figure.plugin_title),
            "name": str(figure.name),
            "unit": str(figure.unit),
            "description": str(figure.description),
            "additive": figure.additive,
            "decimals": d,
            "may_be_public": figure.may_be_public,
            "rate": figure.rate,
            "this": _plain(total(month), d),
            "last": _plain(total(add_months(month, -1)), d),
            "last_year": _plain(total(first), d),
            "by_month": [{"month": m.isoformat(), "value": _plain(total(m), d),
                          "by_community": {str(cid): _plain(cell(m, cid), d) for cid, _n in communities}}
                         for m in year],
            "year_total": _plain(year_total(figure, series, year), d),
            "by_community": [{"id": cid, "name": name, "value": _plain(cell(month, cid), d)}
                             for cid, name in communities],
            "no_community": _plain(series.cells.get((month, NO_COMMUNITY)), d),
        })
    return {
        "month": month.isoformat(),
        "months": [m.isoformat() for m in year],
        "communities": [{"id": cid, "name": name} for cid, name in communities],
        "figures": rows,
    }


# --- what the public may see --------------------------------------------------------------------

def suppress(values: list[int | None], threshold: int) -> list[int | None]:
    """Per-community counts for the public, with every count from 1 up to ``threshold - 1`` hidden
    (None): "3 elders served in 东湖村" or "2 welfare alerts in 南岸社区" narrows down to people a
    neighbour knows. Zero stays (it identifies nobody). When exactly one cell is hidden, the
    smallest other non-zero cell is hidden too, or the public total minus the others would give it
    back (secondary suppression, as statistics offices do)."""
    out = [None if v is not None and 0 < v < threshold else v for v in values]
    hidden = [i for i, v in enumerate(values) if v is not None and 0 < v < threshold]
    if len(hidden) == 1:
        rest = [(v, i) for i, v in enumerate(values) if i not in hidden and v]
        if rest:
            out[min(rest)[1]] = None
    return out
