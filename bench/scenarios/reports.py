"""Reports scenarios, over 100,000 reports spread across a city of about 30 km by 35 km (a few
years of a busy district): the open reports of a category near a rider (the duplicates shown
before submitting), through the API; the public list; and a grid worker's queue (API and the
phone page) when their community holds 2,000 of the reports, 300 of them open.

Setup writes the rows in bulk (no services: what is measured is the reading).
"""

import datetime
import random

from bench.lib import load, save, session_tokens

REPORTS = 100_000
QUEUE_REPORTS = 2_000
#: The rider, in the middle of the area (WGS-84).
LAT, LNG = 30.2741, 120.1551
MARK = "压测上报"


def setup(stdout):
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from core.models import Community
    from members.models import User
    from reports.models import OPEN_STATUSES, Category, Report, Status

    category = Category.objects.filter(code="ground-lock").first()
    if category is None:
        stdout.write("reports: no demo categories, skipped\n")
        return
    existing = Report.objects.filter(description__startswith=MARK).count()
    worker, _created = User.objects.get_or_create(username="bench-grid", defaults={
        "display_name": "压测网格员", "kind": "staff", "is_staff": True})
    worker.groups.add(Group.objects.get(name="Grid workers"))
    community, _created = Community.objects.get_or_create(code="bench-grid", defaults={
        "name": "压测社区", "latitude": LAT, "longitude": LNG})
    community.grid_workers.add(worker)
    if existing < REPORTS:
        rng = random.Random(14)
        categories = list(Category.objects.all())
        others = list(Community.objects.exclude(pk=community.pk))
        statuses = list(Status.values)
        now = timezone.now()
        rows = []
        for n in range(existing, REPORTS):
            mine = n < QUEUE_REPORTS
            status = (rng.choice(list(OPEN_STATUSES)) if n % 7 == 0 else Status.CLOSED) if mine else rng.choice(statuses)
            when = now - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 900))
            rows.append(Report(
                category=categories[n % len(categories)] if not mine else category,
                description=f"{MARK}{n}", latitude=30.15 + rng.random() * 0.27, longitude=120.0 + rng.random() * 0.35,
                address=f"压测路 {n} 号", community=community if mine else rng.choice(others), status=status,
                channel="app", submitted_at=when, deadline=(when + datetime.timedelta(days=7)).date(),
                assignee=worker if mine and n % 2 else None, token=f"{n:032x}"))
        with transaction.atomic():
            Report.objects.bulk_create(rows, batch_size=2000)
    # A few open ground locks right around the rider, so the nearby search finds something.
    near = Report.objects.filter(description__startswith=f"{MARK}near").count()
    if not near:
        Report.objects.bulk_create([Report(
            category=category, description=f"{MARK}near{n}", latitude=LAT + n * 0.0003, longitude=LNG, address="压测路",
            community=community, status="submitted", channel="app", token=f"near{n:028x}") for n in range(5)])
    save("reports", {"worker": worker.pk})
    stdout.write(f"reports: {Report.objects.count()} reports, a grid worker with "
                 f"{Report.objects.filter(community=community, status__in=OPEN_STATUSES).count()} open\n")


def SCENARIOS():  # noqa: N802 -- the harness reads SCENARIOS, a list or a function returning one
    from django.conf import settings

    from members.models import User

    scenarios = [
        ("reports: open ground locks within 200 m (API, 100,000 reports)",
         f"/api/v3/reports/nearby/?category=ground-lock&lat={LAT}&lng={LNG}"),
        ("reports: public list API, 20 open", "/api/v3/reports/?status=open&limit=20"),
        ("reports: public map GeoJSON, 200 open", "/api/v3/reports/geojson?status=open&limit=200"),
        ("reports: Open311 requests, open, 90 days", "/open311/v2/requests.json?status=open"),
    ]
    data = load("reports") or {}
    if data.get("worker"):
        token = session_tokens(User.objects.filter(pk=data["worker"]))[0]
        scenarios += [
            ("reports: grid worker's queue API (20 of ~300 open)", "/api/v3/reports/queue/?limit=20",
             {"X-Session-Token": token}),
            ("reports: grid worker's queue page", "/reports/queue/",
             {"Cookie": f"{settings.SESSION_COOKIE_NAME}={token}", "Accept": "text/html"}),
        ]
    return scenarios
