"""Factories for the gig station. Rows that hold places (needs, hires) are made through the
services, as the product makes them, so a factory never leaves headcount and hires disagreeing."""

import datetime
from decimal import Decimal

from django.utils import timezone

from gigs import services
from gigs.models import Employer, JobNeed
from tests.factories import UserFactory, staff_user

#: Known-valid unified social credit codes (check characters computed with GB 32100's weights;
#: the first is the standard's own worked example).
VALID_CREDIT_CODES = ["91350100M000100Y43", "91330106MA2B0C1D2U", "92330102MA28F0P9X1", "52330000MJ8703456G"]
#: A street-corner spot in Hangzhou's centre; needs and workers are placed around it.
CENTRE = (Decimal("30.274100"), Decimal("120.155100"))
_codes = iter(range(10**6))


def officer(**kwargs):
    return staff_user("Gig-station officers", **kwargs)


def credit_code():
    """A fresh valid code (the body varies, the check character is computed)."""
    from gigs.creditcode import check_character

    body = f"9133010{next(_codes):06d}MA2B"[:17]
    return body + check_character(body)


def employer(verified=True, *, kind=Employer.Kind.ENTERPRISE, boss=None, name=None, **kwargs):
    boss = boss or UserFactory(kind="enterprise")
    made = services.apply_employer(
        boss, kind=kind, name=name or f"测试企业{next(_codes)}", credit_code=credit_code() if kind == "enterprise" else "",
        contact_name="王经理", contact_phone="0571-86001234".replace("-", ""), **kwargs)
    if verified:
        services.decide_employer(officer(), made.pk, "verify")
        made.refresh_from_db()
    return made


def need(employer_=None, *, open_=True, skills=("分拣",), days_ahead=1, length=7, headcount=6,
         pay=Decimal("180"), shift=("18:00", "22:00"), at=CENTRE, **fields):
    """A need of a verified employer, opened by an officer unless ``open_`` is False."""
    employer_ = employer_ or employer()
    start = timezone.localdate() + datetime.timedelta(days=days_ahead)
    values = {
        "title": "双十一分拣员", "category": "sorting", "headcount": headcount, "pay_amount": pay, "pay_unit": "day",
        "settlement": "daily", "start_date": start, "end_date": start + datetime.timedelta(days=length - 1),
        "shift_start": datetime.time.fromisoformat(shift[0]), "shift_end": datetime.time.fromisoformat(shift[1]),
        "address": "青石街道物流园3号仓", "latitude": at[0] if at else None, "longitude": at[1] if at else None,
    }
    values.update(fields)
    boss = services.employer_staff(employer_)[0]
    made = services.create_need(boss, employer_, skills=skills, submit=open_, **values)
    if open_:
        services.review_need(officer(), made.pk, approve=True)
    return JobNeed.objects.select_related("employer", "capacity").get(pk=made.pk)


def worker(*, skills=("分拣", "搬运"), evenings=True, at=(Decimal("30.285000"), Decimal("120.160000")),
           min_pay=Decimal("150"), **fields):
    """A worker with a profile: by default a rider free every evening 18:00-23:00, 1.3 km from CENTRE."""
    member = fields.pop("member", None) or UserFactory(kind="worker")
    availability = [{"weekday": d, "start": "18:00", "end": "23:00"} for d in range(7)] if evenings else []
    services.save_profile(member, skills=list(skills), availability=fields.pop("availability", availability),
                          latitude=at[0] if at else None, longitude=at[1] if at else None,
                          min_pay_amount=min_pay, min_pay_unit="day", **fields)
    return member


def hire(need_, member=None):
    """An application of ``member`` (a new worker by default) moved to hired by an officer."""
    member = member or worker()
    application = services.apply(member, need_.pk)
    return services.move(officer(), application.pk, "hired")
