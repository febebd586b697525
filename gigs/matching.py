"""Scoring a need for a worker, with the reasons a person can read.

:mod:`gigs.queries` filters in the database first (open, dates, verified employer, the bounding
box around the worker, skills, certificates), then hands only the survivors to :func:`assess`,
which checks what a database cannot (the exact distance, availability against the shift, pay in
another unit, age) and scores what is left. The same function answers "why not" for one need and
ranks candidates for an employer, so the three can never disagree.

The score (0 to 100) adds: skills overlap (30), distance (20), availability overlap (25), pay
against the worker's floor (15), freshness (5) and the employer's reliability (5).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from core.geo import haversine_m
from gigs.models import JobNeed, WorkerProfile, per_day

WEIGHTS = {"skills": 30, "distance": 20, "availability": 25, "pay": 15, "freshness": 5, "reliability": 5}
FRESH_DAYS = 14


@dataclass
class Match:
    need: JobNeed
    profile: WorkerProfile
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    #: Why the need is not for this worker (empty when it is).
    why_not: list[str] = field(default_factory=list)
    distance_m: float | None = None

    @property
    def suitable(self):
        return not self.why_not


def _minutes(text):
    hours, minutes = str(text).split(":")[:2]
    return int(hours) * 60 + int(minutes)


def availability_windows(profile):
    """{weekday: [(start, end) minutes]}; a slot past midnight spills into the next weekday."""
    windows = {day: [] for day in range(7)}
    for slot in profile.availability or []:
        try:
            day, start, end = int(slot["weekday"]), _minutes(slot["start"]), _minutes(slot["end"])
        except (KeyError, TypeError, ValueError):
            continue
        if not 0 <= day <= 6:
            continue
        if end <= start:
            end += 1440
        windows[day].append((start, min(end, 1440)))
        if end > 1440:
            windows[(day + 1) % 7].append((0, end - 1440))
    return windows


def availability_share(need, windows):
    """The share (0 to 1) of the need's shift minutes, over the weekdays it runs, that the worker
    is available for."""
    start, end = need.shift_minutes()
    # The shift as pieces of each day: an overnight shift's tail belongs to the next weekday.
    pieces = [(0, start, min(end, 1440))] + ([(1, 0, end - 1440)] if end > 1440 else [])
    total = covered = 0
    for weekday in need.weekdays():
        for offset, a, b in pieces:
            total += b - a
            day = (weekday + offset) % 7
            covered += _covered(a, b, windows[day])
    return covered / total if total else 0.0


def _covered(a, b, spans):
    points = sorted((max(a, s), min(b, e)) for s, e in spans if min(b, e) > max(a, s))
    covered, reach = 0, a
    for s, e in points:
        s = max(s, reach)
        if e > s:
            covered += e - s
            reach = e
    return covered


def _money(value):
    return f"¥{value:.2f}".rstrip("0").rstrip(".")


def pay_comparison(need, profile):
    """(need pay per day, floor per day) when both can be compared, else None."""
    if profile.min_pay_amount is None:
        return None
    if need.pay_unit == profile.min_pay_unit:
        return Decimal(need.pay_amount), Decimal(profile.min_pay_amount)
    need_day, floor_day = per_day(need.pay_amount, need.pay_unit), per_day(profile.min_pay_amount, profile.min_pay_unit)
    if need_day is None or floor_day is None:
        return None
    return need_day, floor_day


def assess(need, profile, *, now=None, windows=None, skills=None, reliability=None, check_open=True):
    """Score ``need`` for ``profile`` with its reasons, or say why it is not for them.

    ``windows`` and ``skills`` (the worker's, lower-cased) may be passed in when one worker is
    assessed against many needs; ``reliability`` is the employer's (0 to 1, None when unknown).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    match = Match(need=need, profile=profile)
    why_not, reasons = match.why_not, match.reasons
    points = 0.0

    if check_open:
        if need.status != JobNeed.Status.OPEN:
            why_not.append(_("It is not open for applications (%(status)s).") % {"status": need.get_status_display()})
        elif need.deadline is not None and need.deadline <= now:
            why_not.append(_("Its deadline for applications has passed."))
        elif need.end_date < today:
            why_not.append(_("Its last day has passed."))
        if not need.employer.is_verified:
            why_not.append(_("Its employer is not verified at present."))

    # Skills.
    worker_skills = skills if skills is not None else {name.lower() for name in profile.skill_names()}
    need_skills = need.skill_names()
    if need_skills:
        common = [name for name in need_skills if name.lower() in worker_skills]
        if common:
            points += WEIGHTS["skills"] * len(common) / len(need_skills)
            reasons.append(_("matches %(skills)s") % {"skills": "、".join(common)})
        elif worker_skills:
            why_not.append(_("It asks for %(wanted)s; your skills are %(yours)s.") % {
                "wanted": "、".join(need_skills), "yours": "、".join(sorted(worker_skills))})
        else:
            points += WEIGHTS["skills"] / 3
            reasons.append(_("asks for %(wanted)s, which your profile does not list") % {"wanted": "、".join(need_skills)})
    else:
        points += WEIGHTS["skills"] * 2 / 3
        reasons.append(_("no special skills needed"))

    # Certificates and age.
    if need.requires_health_certificate and not profile.has_health_certificate:
        why_not.append(_("It needs a health certificate, and your profile has none."))
    if need.requires_ebike_licence and not profile.has_ebike_licence:
        why_not.append(_("It needs an e-bike licence, and your profile has none."))
    age = profile.age(today)
    if age is not None and ((need.min_age and age < need.min_age) or (need.max_age and age > need.max_age)):
        why_not.append(_("It is for ages %(low)s to %(high)s.") % {"low": need.min_age or 16, "high": need.max_age or "—"})

    # Distance.
    max_m = float(profile.max_distance_km) * 1000
    if None not in (need.latitude, need.longitude, profile.latitude, profile.longitude):
        distance = haversine_m(float(profile.latitude), float(profile.longitude), float(need.latitude), float(need.longitude))
        match.distance_m = distance
        km = f"{distance / 1000:.1f}"
        if distance > max_m:
            why_not.append(_("It is %(km)s km away, beyond your %(max)s km.") % {"km": km, "max": f"{profile.max_distance_km:g}"})
        else:
            points += WEIGHTS["distance"] * (1 - distance / max_m)
            reasons.insert(0, _("%(km)s km away") % {"km": km})
    else:
        points += WEIGHTS["distance"] / 2
        if need.community_id and need.community_id in {c.pk for c in profile.communities.all()}:
            points += WEIGHTS["distance"] / 4
            reasons.append(_("in %(community)s, one of your communities") % {"community": need.community.name})

    # Availability.
    if profile.availability:
        share = availability_share(need, windows if windows is not None else availability_windows(profile))
        if share <= 0:
            why_not.append(_("Its hours (%(shift)s) are outside the times you said you can work.") % {
                "shift": need.shift_text()})
        else:
            points += WEIGHTS["availability"] * share
            reasons.append(_("fits your hours: %(pct)s%% of its %(shift)s shifts") % {
                "pct": round(share * 100), "shift": need.shift_text()})
    else:
        points += WEIGHTS["availability"] / 2

    # Pay against the worker's floor.
    compared = pay_comparison(need, profile)
    if compared is not None:
        pay, floor = compared
        if pay < floor:
            why_not.append(_("It pays %(pay)s, below your %(floor)s.") % {"pay": need.pay_text(),
                                                                         "floor": profile.min_pay_text()})
        else:
            ratio = float(pay / floor) if floor else 2.0
            points += WEIGHTS["pay"] * min(1.0, 0.6 + (ratio - 1) * 2)
            if need.pay_unit == profile.min_pay_unit:
                reasons.append(_("pays %(pay)s, above your %(floor)s") % {
                    "pay": f"{_money(need.pay_amount)}/{need.get_pay_unit_display()}",
                    "floor": _money(profile.min_pay_amount)})
            else:
                reasons.append(_("pays %(pay)s, about %(day)s a day, above your %(floor)s") % {
                    "pay": need.pay_text(), "day": _money(pay), "floor": profile.min_pay_text()})
    else:
        points += WEIGHTS["pay"] / 2
        reasons.append(_("pays %(pay)s") % {"pay": f"{_money(need.pay_amount)}/{need.get_pay_unit_display()}"})

    # Freshness.
    if need.published_at:
        age_days = max(0.0, (now - need.published_at).total_seconds() / 86400)
        points += WEIGHTS["freshness"] * max(0.0, 1 - age_days / FRESH_DAYS)
        if age_days < 1:
            reasons.append(_("posted today"))
        elif age_days < 3:
            reasons.append(_("posted %(n)s days ago") % {"n": int(age_days)})

    # The employer's record.
    if reliability is None:
        points += WEIGHTS["reliability"] * 0.6
    else:
        points += WEIGHTS["reliability"] * reliability
        if reliability >= 0.9:
            reasons.append(_("an employer who keeps their word"))
        elif reliability < 0.5:
            reasons.append(_("this employer has cancelled late or had disputes before"))

    match.score = max(0, min(100, round(points)))
    return match


def worker_skill_set(profile):
    return {name.lower() for name in profile.skill_names()}
