"""Programs scenarios: the public programs listing API (20 programs with sessions, places left,
partners and covers) and a race of 200 members registering for one class of 20 seats.

The race goes through the real API (``POST /api/v3/programs/<id>/register/``) with the waiting list
switched off for the race class, so exactly 20 must be answered 201 (confirmed), the other 180
409 ``full``, with no 5xx; the database must agree (20 confirmed rows, capacity taken 20).
"""

import datetime

from bench.lib import ensure_members, load, places_race, save

RACERS = 200
SEATS = 20
LISTED = 20


def setup(stdout):
    from django.utils import timezone
    from wagtail.models import Page

    from programs import services
    from programs.models import ProgramIndexPage, ProgramPage, Session

    index = ProgramIndexPage.objects.first()
    if index is None:
        home = Page.objects.filter(depth=2).first()
        index = ProgramIndexPage(title="公益课堂", slug="programs")
        home.add_child(instance=index)
    now = timezone.now()

    def program(slug, title, places, days, **fields):
        page = ProgramPage.objects.filter(slug=slug).first()
        if page is None:
            page = ProgramPage(title=title, slug=slug, summary="压测用课程，不对外展示。", **fields)
            index.add_child(instance=page)
            for week in range(2):
                start = now + datetime.timedelta(days=days + 7 * week)
                services.save_session(None, Session(program=page, start=start, end=start + datetime.timedelta(hours=2),
                                                    places=places, place="青石街道党群服务中心"))
        return ProgramPage.objects.get(pk=page.pk)

    live = ProgramPage.objects.live().count()
    for n in range(max(0, LISTED - live)):
        program(f"bench-program-{n}", f"压测课程{n}", 40, 30 + n)
    racing = program("bench-race", "压测抢位课程", SEATS, 90, waitlist_enabled=False)

    ensure_members("bench-rider-", RACERS, "压测骑手", "worker")
    save("programs", {"race_program": racing.pk, "race_session": racing.session_list[0].pk})
    stdout.write(f"programs: {ProgramPage.objects.live().count()} live programs, race program {racing.pk} "
                 f"({SEATS} seats, {RACERS} racers)\n")


SCENARIOS = [
    ("programs: listing API, 20 with places left", f"/api/v3/programs/?limit={LISTED}"),
    ("programs: listing page", "/programs/"),
]


def registration_race(base_url):
    """200 members register for the same 20-seat class at once through the API."""
    from programs.models import Registration, Session

    data = load("programs")
    session = Session.objects.get(pk=data["race_session"])
    registrations = Registration.objects.filter(program_id=data["race_program"])
    return places_race(
        base_url, name="programs: {racers} members register for {places} seats",
        path=f"/api/v3/programs/{data['race_program']}/register/", body={"session_id": session.pk},
        capacity_id=session.capacity_id, places=SEATS, racers=RACERS, reset=registrations.delete,
        confirmed_rows=registrations.filter(status="confirmed").count)


RACES = [registration_race]
