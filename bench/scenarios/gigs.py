"""Gig station scenarios: "recommended for you" for an evening rider over 10,000 open needs,
"suggested candidates" for a need over 50,000 worker profiles, the public needs listing, and 40
officers' hires at once for the last 20 places of a need (exactly 20 answered 200, 20 answered
409 ``full``, no 5xx, and the database agrees)."""

import datetime
import random
from decimal import Decimal

from bench.lib import ensure_members, load, race_http, save, session_tokens

NEEDS = 10_000
WORKERS = 50_000
PLACES = 20
HIRERS = 40
CENTRE = (30.2741, 120.1551)
SKILLS = ["分拣", "搬运", "送货", "打包", "保洁", "切配", "理货", "传菜", "陪护", "盘点", "绿化", "采摘"]
SHIFTS = [("08:00", "17:00"), ("18:00", "22:00"), ("06:00", "11:00"), ("11:00", "14:00"), ("20:00", "02:00")]


def _around(rng, km=20):
    return (Decimal(f"{CENTRE[0] + rng.uniform(-km, km) / 111:.6f}"),
            Decimal(f"{CENTRE[1] + rng.uniform(-km, km) / 96:.6f}"))


def setup(stdout):
    from django.utils import timezone
    from taggit.models import Tag

    from core.models import Capacity
    from gigs import services
    from gigs.models import Employer, JobNeed, TaggedNeedSkill, TaggedWorkerSkill, WorkerProfile
    from gigs.roles import OFFICERS
    from members.demo import staff_login
    from members.models import User

    rng = random.Random(12)  # noqa: S311 - bench data
    today = timezone.localdate()
    now = timezone.now()
    officer = staff_login("bench-gig-officer", "压测驿站专员", OFFICERS)
    ensure_members("bench-gig-boss", 1, "压测老板", "enterprise")
    boss = User.objects.get(username="bench-gig-boss0")
    employer = Employer.objects.filter(name="压测物流有限公司").first()
    if employer is None:
        employer = services.apply_employer(boss, name="压测物流有限公司", credit_code="91330106MA2B0C1D2U",
                                           contact_name="压测老板", contact_phone="13900000000", via="command")
        services.decide_employer(officer, employer.pk, "verify", via="command")
    tags = {name: Tag.objects.get_or_create(name=name)[0] for name in SKILLS}

    have = JobNeed.objects.filter(employer=employer, title__startswith="压测需求").count()
    if have < NEEDS:
        rows = []
        for n in range(have, NEEDS):
            lat, lng = _around(rng)
            start, end = SHIFTS[n % len(SHIFTS)]
            first = today + datetime.timedelta(days=rng.randint(-3, 10))
            rows.append(JobNeed(
                employer=employer, title=f"压测需求{n}", category="sorting", headcount=5,
                pay_amount=Decimal(rng.choice([120, 150, 160, 180, 200, 220])), pay_unit="day", start_date=first,
                end_date=first + datetime.timedelta(days=rng.randint(0, 20)),
                shift_start=datetime.time.fromisoformat(start), shift_end=datetime.time.fromisoformat(end),
                address="压测地址", latitude=lat, longitude=lng, status="open",
                published_at=now - datetime.timedelta(hours=rng.randint(0, 400))))
        JobNeed.objects.bulk_create(rows, batch_size=2000)
        fresh = list(JobNeed.objects.filter(employer=employer, capacity__isnull=True, title__startswith="压测需求"))
        Capacity.objects.bulk_create([Capacity(key=need.capacity_key, total=need.headcount) for need in fresh],
                                     batch_size=2000)
        capacity_ids = dict(Capacity.objects.filter(key__startswith="gigs.need.").values_list("key", "pk"))
        for need in fresh:
            need.capacity_id = capacity_ids[need.capacity_key]
        JobNeed.objects.bulk_update(fresh, ["capacity"], batch_size=2000)
        TaggedNeedSkill.objects.bulk_create(
            [TaggedNeedSkill(content_object=need, tag=tags[SKILLS[need.pk % len(SKILLS)]]) for need in fresh]
            + [TaggedNeedSkill(content_object=need, tag=tags[SKILLS[(need.pk + 3) % len(SKILLS)]])
               for need in fresh if need.pk % 3 == 0], batch_size=2000)

    ensure_members("bench-gig-worker-", WORKERS, "压测零工", "worker")
    missing = User.objects.filter(username__startswith="bench-gig-worker-", gig_profile__isnull=True)
    profiles = []
    for n, member_id in enumerate(missing.values_list("pk", flat=True)):
        lat, lng = _around(rng)
        start, end = SHIFTS[n % len(SHIFTS)]
        profiles.append(WorkerProfile(
            member_id=member_id, latitude=lat, longitude=lng, max_distance_km=Decimal(rng.choice([3, 5, 10, 15])),
            min_pay_amount=Decimal(rng.choice([100, 120, 150, 180])), min_pay_unit="day",
            availability=[{"weekday": d, "start": start, "end": end} for d in range(7)]))
    WorkerProfile.objects.bulk_create(profiles, batch_size=2000)
    if profiles:
        created = WorkerProfile.objects.filter(member__username__startswith="bench-gig-worker-").exclude(
            pk__in=TaggedWorkerSkill.objects.values("content_object_id"))
        TaggedWorkerSkill.objects.bulk_create(
            [TaggedWorkerSkill(content_object_id=pk, tag=tags[SKILLS[pk % len(SKILLS)]])
             for pk in created.values_list("pk", flat=True)], batch_size=5000)

    # The rider who asks "recommended for you": evenings, 分拣 and 搬运, ¥150 a day, 10 km.
    ensure_members("bench-gig-rider", 1, "压测骑手", "worker")
    rider = User.objects.get(username="bench-gig-rider0")
    services.save_profile(rider, skills=["分拣", "搬运"], latitude=Decimal(str(CENTRE[0])), longitude=Decimal(str(CENTRE[1])),
                          availability=[{"weekday": d, "start": "18:00", "end": "23:00"} for d in range(7)],
                          min_pay_amount=Decimal(150), min_pay_unit="day", via="command")
    sample = JobNeed.objects.filter(employer=employer, title="压测需求0").first()
    # The race: a need of 20 places and 40 applicants, hired by officers all at once.
    racing = JobNeed.objects.filter(employer=employer, title="压测抢招需求").first()
    if racing is None:
        racing = services.create_need(boss, employer, skills=["分拣"], title="压测抢招需求", headcount=PLACES,
                                      pay_amount=Decimal(180), start_date=today, end_date=today + datetime.timedelta(days=7),
                                      shift_start=datetime.time(18), shift_end=datetime.time(22), address="压测地址",
                                      submit=True, via="command")
        services.review_need(officer, racing.pk, approve=True, via="command")
    ensure_members("bench-gig-officer-", HIRERS, "压测专员", "staff")
    from django.contrib.auth.models import Group

    Group.objects.get(name=OFFICERS).user_set.add(*User.objects.filter(username__startswith="bench-gig-officer-"))
    save("gigs", {"rider": rider.pk, "boss": boss.pk, "need": sample.pk if sample else None, "race_need": racing.pk})
    stdout.write(f"gigs: {JobNeed.objects.filter(status='open').count()} open needs, "
                 f"{WorkerProfile.objects.count()} worker profiles, race need {racing.pk} ({PLACES} places, "
                 f"{HIRERS} hires at once)\n")


def SCENARIOS():  # noqa: N802 -- the harness reads SCENARIOS, a list or a function returning one
    from members.models import User

    data = load("gigs") or {}
    scenarios = [("gigs: open needs listing API, 20", "/api/v3/gigs/needs/?limit=20")]
    if data.get("rider"):
        token = session_tokens(User.objects.filter(pk=data["rider"]))[0]
        scenarios.append((f"gigs: recommended for you over {NEEDS:,} open needs", "/api/v3/gigs/recommended/",
                          {"X-Session-Token": token}))
    if data.get("boss") and data.get("need"):
        token = session_tokens(User.objects.filter(pk=data["boss"]))[0]
        scenarios.append((f"gigs: suggested candidates over {WORKERS:,} workers",
                          f"/api/v3/gigs/needs/{data['need']}/candidates/", {"X-Session-Token": token}))
    return scenarios


def hiring_race(base_url):
    """40 officers hire 40 different applicants at once for a need of 20 places."""
    from django.db import connection

    from core.models import Capacity
    from gigs.models import Application, JobNeed
    from members.models import User

    data = load("gigs")
    need = JobNeed.objects.get(pk=data["race_need"])
    Application.objects.filter(need=need).delete()
    Capacity.objects.filter(key=need.capacity_key).update(taken=0, total=PLACES)
    JobNeed.objects.filter(pk=need.pk).update(status="open", filled_at=None)
    applicants = User.objects.filter(username__startswith="bench-gig-worker-").order_by("pk")[:HIRERS]
    applications = [Application.objects.create(need=need, worker=worker) for worker in applicants]
    tokens = session_tokens(User.objects.filter(username__startswith="bench-gig-officer-").order_by("pk")[:HIRERS])
    connection.close()
    figures = race_http([("POST", f"{base_url}/api/v3/gigs/applications/{application.pk}/move/", {"to": "hired"},
                          {"X-Session-Token": token}) for application, token in zip(applications, tokens, strict=True)])
    hired = Application.objects.filter(need=need, status="hired").count()
    taken = Capacity.objects.get(key=need.capacity_key).taken
    connection.close()
    confirmed = figures["statuses"].get(200, 0)
    figures.update(
        name=f"gigs: {len(tokens)} officers hire at once for {PLACES} places",
        confirmed=confirmed, expected=PLACES, db_confirmed=hired, db_taken=taken,
        refused_full=figures["statuses"].get(409, 0),
        ok=confirmed == hired == taken == PLACES and figures["errors_5xx"] == 0,
    )
    return figures


RACES = [hiring_race]
