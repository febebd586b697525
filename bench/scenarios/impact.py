"""The office's live figures (issue 15) over a year of demo-scale data: the staff dashboard (HTML
with a chart per figure), its CSV export, the public page and /api/v3/impact/.

setup() adds a year of rows to every enabled plugin the demo gives only a few weeks of: two
lunches a day at each canteen with 30 bookings each (a third delivered), two class sessions a
week with 20 registrations and 16 check-ins, 40 station visits a day. The volunteers scenario
already writes 11,000 approved hours entries spread over 400 days. Rows are written in bulk,
not through the services (what is measured is reading them).
"""

import datetime
from decimal import Decimal

from bench.lib import ensure_members

DAYS = 365


def _enabled(label):
    from core.plugins import plugin_labels

    return label in plugin_labels()


def _canteen(now, stdout):
    from canteen import services
    from canteen.models import Booking, Canteen, Delivery, Diner, Menu

    if Booking.objects.filter(notes="bench-impact").exists():
        return
    canteens = list(Canteen.objects.all())
    if not canteens:
        return
    # Thirty elders of the bench (a diner books a meal once: one booking per diner and slot).
    have = set(Diner.objects.filter(name__startswith="压测老人").values_list("name", flat=True))
    Diner.objects.bulk_create([Diner(name=f"压测老人{n}", birth_year=now.year - 70 - n % 25,
                                     community=canteens[n % len(canteens)].community)
                               for n in range(30) if f"压测老人{n}" not in have])
    diners = list(Diner.objects.filter(name__startswith="压测老人").order_by("pk"))
    made = 0
    for canteen in canteens:
        for back in range(1, DAYS + 1):
            day = now.date() - datetime.timedelta(days=back)
            menu, _created = Menu.objects.get_or_create(canteen=canteen, week_start=services.week_start(day))
            slot = services.create_slot(menu, day, "lunch", portions=200)
            bookings = [Booking(slot=slot, diner=diner, portions=1 + i % 2,
                                mode="delivery" if i % 3 == 0 else "dine_in", list_price=Decimal("15.00"),
                                subsidy=Decimal("5.00"), payable=Decimal("10.00"), notes="bench-impact")
                        for i, diner in enumerate(diners)]
            Booking.objects.bulk_create(bookings)
            Delivery.objects.bulk_create([Delivery(booking=b, status="delivered", recorded_at=now)
                                          for b in bookings if b.mode == "delivery"])
            made += len(bookings)
    stdout.write(f"impact: {made} canteen bookings over {DAYS} days\n")


def _programs(now, stdout):
    from programs.models import Attendance, ProgramPage, Registration, Session

    if Session.objects.filter(title="bench-impact").exists():
        return
    programs = list(ProgramPage.objects.live()[:4])
    if not programs:
        return
    ensure_members("bench-impact-attendee-", 60, "压测学员", "resident")
    from members.models import User

    members = list(User.objects.filter(username__startswith="bench-impact-attendee-").order_by("pk"))
    sessions = 0
    for week in range(1, DAYS // 7 + 1):
        for n, program in enumerate(programs[:2]):
            start = now - datetime.timedelta(days=7 * week + n)
            session = Session.objects.create(program=program, title="bench-impact", start=start,
                                             end=start + datetime.timedelta(hours=2), places=30)
            regs = Registration.objects.bulk_create([
                Registration(program=program, session=session, slot=f"session:{session.pk}", member=members[(week + i) % len(members)],
                             status="attended" if i < 16 else "confirmed", channel="app")
                for i in range(20)])
            Attendance.objects.bulk_create([Attendance(registration=r, session=session, checked_in_at=start)
                                            for r in regs[:16]])
            sessions += 1
    stdout.write(f"impact: {sessions} class sessions with registrations and check-ins\n")


def _stations(now, stdout):
    from members.models import User
    from stations.models import StationPage, Visit

    stations = list(StationPage.objects.live()[:6])
    if not stations or Visit.objects.count() > 1000:
        return
    ensure_members("bench-impact-rider-", 40, "压测骑手", "worker")
    riders = list(User.objects.filter(username__startswith="bench-impact-rider-").values_list("pk", flat=True))
    rows = [Visit(station=stations[i % len(stations)], member_id=riders[i % len(riders)],
                  created_at=now - datetime.timedelta(days=back, minutes=i * 7))
            for back in range(1, DAYS + 1) for i in range(40)]
    Visit.objects.bulk_create(rows, batch_size=2000)
    stdout.write(f"impact: {len(rows)} station visits\n")


def setup(stdout):
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from core.roles import OFFICE_STAFF
    from members.models import User

    now = timezone.now()
    for label, make in (("canteen", _canteen), ("programs", _programs), ("stations", _stations)):
        if _enabled(label):
            make(now, stdout)
    office, _created = User.objects.get_or_create(username="bench-office", defaults={
        "display_name": "压测街道办", "kind": "staff", "is_staff": True})
    office.groups.add(Group.objects.get(name=OFFICE_STAFF))


def SCENARIOS():  # noqa: N802 -- the harness reads SCENARIOS, a list or a function returning one
    from django.conf import settings

    from bench.lib import session_tokens
    from members.models import User

    # A session made now, not at setup: with Redis the sessions live in the cache, and a run
    # with --keep-db after the cache was emptied measured the admin's login page instead.
    office = User.objects.filter(username="bench-office").first()
    token = session_tokens([office])[0] if office else ""
    cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={token}", "Accept": "text/html"}
    return [
        ("impact: office dashboard, a year by month and community", "/admin/impact/", cookie),
        ("impact: office dashboard as CSV, twelve months", "/admin/impact/?format=csv&view=year", cookie),
        ("impact: public page", "/impact/"),
        ("impact: public API", "/api/v3/impact/"),
    ]
