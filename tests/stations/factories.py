"""Stations for tests: ``make_station(lat, lng, hours=..., amenities=...)`` -> a live StationPage."""

import datetime
import itertools

from stations.models import OpeningException, OpeningHours, StationIndexPage, StationPage

T = datetime.time
EVERY_DAY_LATE = [(d, T(8, 0), T(23, 0)) for d in range(7)]
_counter = itertools.count(1)


def station_index():
    from wagtail.models import Page

    existing = StationIndexPage.objects.first()
    if existing:
        return existing
    home = Page.objects.filter(depth=2).first()
    if home is None:  # a transactional test flushed the tables the migrations filled
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=Page(title="首页", slug="home"))
    index = StationIndexPage(title="骑手驿站", slug="stations")
    home.add_child(instance=index)
    return index


def make_station(lat=30.2740, lng=120.1550, *, hours=EVERY_DAY_LATE, holiday_hours=(), exceptions=(),
                 amenities=("seats", "drinking_water"), title=None, **fields):
    n = next(_counter)
    station = StationPage(title=title or f"测试驿站{n}", slug=f"test-station-{n}", address=f"测试路 {n} 号",
                          latitude=lat, longitude=lng, amenities=list(amenities), **fields)
    station_index().add_child(instance=station)
    OpeningHours.objects.bulk_create(
        [OpeningHours(page=station, weekday=d, opens=o, closes=c) for d, o, c in hours]
        + [OpeningHours(page=station, weekday=7, opens=o, closes=c) for o, c in holiday_hours])
    for date, closed, *times in exceptions:
        OpeningException.objects.create(page=station, date=date, closed=closed, opens=times[0] if times else None,
                                        closes=times[1] if times else None, reason="测试")
    return StationPage.objects.get(pk=station.pk)
