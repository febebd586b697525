"""Stations scenarios: the nearest 10 stations open now with phone charging, among 10,000 spread
over a city of about 30 km by 35 km, through the API and the no-JavaScript page; the GeoJSON of
the same search.

Setup writes the 10,000 pages in bulk (the page rows, then the station rows, then a week of hours
each) instead of 10,000 ``add_child`` calls: what is measured is the search, and Wagtail's tree
only needs correct paths. A quarter of the stations keep office hours (closed at night and on
public holidays), an eighth have no phone charging, so the filter has work to do.
"""

import datetime
import random

STATIONS = 10_000
SLUG_PREFIX = "bench-station-"
#: The rider, in the middle of the area (WGS-84).
LAT, LNG = 30.2741, 120.1551
QUERY = f"lat={LAT}&lng={LNG}&amenity=phone_charging&open_now=true&limit=10"


def setup(stdout):
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from wagtail.models import Locale, Page

    from stations.models import OpeningHours, StationIndexPage, StationPage, amenity_mask

    index = StationIndexPage.objects.first()
    if index is None:
        home = Page.objects.filter(depth=2).first()
        index = StationIndexPage(title="骑手驿站", slug="stations")
        home.add_child(instance=index)
        index.save_revision().publish()
    existing = StationPage.objects.filter(slug__startswith=SLUG_PREFIX).count()
    if existing >= STATIONS:
        stdout.write(f"  stations: {existing} bench stations already there")
        return
    rng = random.Random(13)
    content_type = ContentType.objects.get_for_model(StationPage)
    locale = Locale.get_default()
    T = datetime.time
    with transaction.atomic():
        index = Page.objects.select_for_update().get(pk=index.pk)
        start = index.numchild
        pages = []
        for i in range(existing, STATIONS):
            slug = f"{SLUG_PREFIX}{i}"
            pages.append(Page(
                title=f"压测驿站{i}", draft_title=f"压测驿站{i}", slug=slug, content_type=content_type,
                path=Page._get_path(index.path, index.depth + 1, start + 1 + i - existing), depth=index.depth + 1,
                numchild=0, url_path=f"{index.url_path}{slug}/", live=True, has_unpublished_changes=False,
                locale=locale, first_published_at=None))
        Page.objects.bulk_create(pages, batch_size=500)
        created = Page.objects.filter(slug__startswith=SLUG_PREFIX, depth=index.depth + 1).exclude(
            pk__in=StationPage.objects.values("pk")).values_list("pk", flat=True)
        hours = []
        for n, pk in enumerate(created):
            amenities = ["seats", "drinking_water"] + (["phone_charging"] if rng.random() > 0.125 else []) + (
                ["battery_charging"] if rng.random() > 0.5 else [])
            office = rng.random() < 0.25
            station = StationPage(page_ptr_id=pk, kind="rest_stop", address=f"压测路 {n} 号",
                                  latitude=30.15 + rng.random() * 0.27, longitude=120.0 + rng.random() * 0.35,
                                  amenities=amenities, amenity_mask=amenity_mask(amenities),
                                  follows_office_calendar=office)
            station.save_base(raw=True, force_insert=True)
            weekly = [(d, T(8, 30), T(17, 30)) for d in range(5)] if office else [(d, T(7, 0), T(23, 0))
                                                                              for d in range(7)]
            hours += [OpeningHours(page_id=pk, weekday=d, opens=o, closes=c, sort_order=d) for d, o, c in weekly]
        OpeningHours.objects.bulk_create(hours, batch_size=2000)
        Page.objects.filter(pk=index.pk).update(numchild=start + STATIONS - existing)
    stdout.write(f"  stations: {STATIONS - existing} bench stations written")


SCENARIOS = [
    ("stations: nearest 10 open with phone charging (API, 10,000 stations)", f"/api/v3/stations/?{QUERY}"),
    ("stations: the same as GeoJSON", f"/api/v3/stations/geojson?{QUERY}"),
    ("stations: the no-JavaScript page (20 nearest, same filters)", f"/stations/?{QUERY.replace('open_now=true', 'open_now=on')}"),
]
