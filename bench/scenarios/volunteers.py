"""Volunteers scenarios: the opportunities listing API, one volunteer's hours (page and API) with
1,000 entries, the leaderboard over 10,000 volunteers, and 200 volunteers racing for the last 20
places of a shift through the API (waiting list off: exactly 20 answered 201, 180 answered 409
``full``, no 5xx, and the database agrees)."""

import datetime

from bench.lib import ensure_members, load, places_race, save, session_tokens

RACERS = 200
PLACES = 20
LISTED = 20
ENTRIES = 1000
VOLUNTEERS = 10_000


def setup(stdout):
    from django.utils import timezone
    from wagtail.models import Page

    from members.models import User
    from volunteers import services
    from volunteers.models import HoursEntry, OpportunityIndexPage, OpportunityPage, Shift

    index = OpportunityIndexPage.objects.first()
    if index is None:
        home = Page.objects.filter(depth=2).first()
        index = OpportunityIndexPage(title="志愿服务", slug="volunteer")
        home.add_child(instance=index)
    now = timezone.now()

    def opportunity(slug, title, places, days, **fields):
        page = OpportunityPage.objects.filter(slug=slug).first()
        if page is None:
            page = OpportunityPage(title=title, slug=slug, summary="压测用项目，不对外展示。", place="青石街道党群服务中心",
                                   **fields)
            index.add_child(instance=page)
            for n in range(2):
                start = now + datetime.timedelta(days=days + 7 * n)
                Shift.objects.create(opportunity=page, start=start, end=start + datetime.timedelta(hours=2), places=places)
            services.sync_shift_places(page)
        return OpportunityPage.objects.get(pk=page.pk)

    live = OpportunityPage.objects.live().count()
    for n in range(max(0, LISTED - live)):
        opportunity(f"bench-opportunity-{n}", f"压测志愿项目{n}", 30, 30 + n)
    racing = opportunity("bench-race-shift", "压测抢位班次", PLACES, 90, waitlist_enabled=False)

    ensure_members("bench-rider-", RACERS, "压测骑手", "worker")
    ensure_members("bench-volunteer-", VOLUNTEERS, "压测志愿者", "resident")
    heavy = User.objects.get(username="bench-volunteer-0")
    if not HoursEntry.objects.filter(source_key__startswith="bench.").exists():
        start = now - datetime.timedelta(days=400)
        rows = [HoursEntry(member=heavy, activity=f"压测活动{i % 12}", start=start + datetime.timedelta(hours=9 * i),
                           end=start + datetime.timedelta(hours=9 * i + 2), minutes=120, source="self_report",
                           status="approved" if i % 5 else "pending", source_key=f"bench.heavy.{i}")
                for i in range(ENTRIES)]
        members = User.objects.filter(username__startswith="bench-volunteer-").exclude(pk=heavy.pk).values_list("pk", flat=True)
        rows += [HoursEntry(member_id=pk, activity="压测活动", start=now - datetime.timedelta(days=1 + n % 300),
                            end=now - datetime.timedelta(days=1 + n % 300) + datetime.timedelta(minutes=30 + n % 600),
                            minutes=30 + n % 600, source="self_report", status="approved", source_key=f"bench.many.{pk}")
                 for n, pk in enumerate(members)]
        HoursEntry.objects.bulk_create(rows, batch_size=2000)
    shift = racing.shifts.order_by("start").first()
    save("volunteers", {"race_shift": shift.pk, "heavy": heavy.pk})
    stdout.write(f"volunteers: {OpportunityPage.objects.live().count()} live opportunities, "
                 f"{HoursEntry.objects.count()} hours entries, race shift {shift.pk} ({PLACES} places, {RACERS} racers)\n")


def SCENARIOS():  # noqa: N802 -- the harness reads SCENARIOS, a list or a function returning one
    from django.conf import settings

    from members.models import User

    data = load("volunteers") or {}
    scenarios = [
        ("volunteers: listing API, 20 with places left", f"/api/v3/volunteers/?limit={LISTED}"),
        ("volunteers: leaderboard over 10,000 volunteers", "/api/v3/volunteers/leaderboard/?period=all"),
        ("volunteers: leaderboard page, this year", "/volunteers/leaderboard/?period=year"),
    ]
    if data.get("heavy"):
        token = session_tokens(User.objects.filter(pk=data["heavy"]))[0]
        scenarios += [
            (f"volunteers: my hours page, {ENTRIES} entries", "/volunteers/me/hours/",
             {"Cookie": f"{settings.SESSION_COOKIE_NAME}={token}", "Accept": "text/html"}),
            (f"volunteers: my hours API, {ENTRIES} entries", "/api/v3/volunteers/hours/?limit=20", {"X-Session-Token": token}),
        ]
    return scenarios


def sign_up_race(base_url):
    """200 volunteers sign up for the same 20-place shift at once through the API."""
    from volunteers.models import Shift, SignUp

    data = load("volunteers")
    shift = Shift.objects.get(pk=data["race_shift"])
    signups = SignUp.objects.filter(shift=shift)
    return places_race(
        base_url, name="volunteers: {racers} volunteers sign up for {places} places",
        path=f"/api/v3/volunteers/shifts/{shift.pk}/sign-up/", body={}, capacity_id=shift.capacity_id,
        places=PLACES, racers=RACERS, reset=signups.delete, confirmed_rows=signups.filter(status="confirmed").count)


RACES = [sign_up_race]
