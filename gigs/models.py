"""The gig station (零工驿站): employers, job needs, worker profiles, applications, work records.

An :class:`Employer` is an enterprise (a ``members.Organisation``, whose staff act for it) or an
individual employer (one member with a name and a phone). Gig-station officers verify it; only a
verified employer's needs go live. A :class:`JobNeed` is one posting with a headcount, held in a
``core.models.Capacity`` row that only :mod:`gigs.services` changes: a hire takes a place, so a
need never hires past its headcount. A :class:`WorkerProfile` says what a worker can do, when and
where; matching (:mod:`gigs.matching`) ranks needs for workers and workers for needs. An
:class:`Application` is one worker's way through one need's pipeline, and each day or batch of
pieces of a hire is a :class:`WorkRecord` that both sides confirm.

Rows carry their own predicates (``JobNeed.can_apply``, ``Application.can_move_to``,
``WorkRecord.awaiting``); services, API, pages and admin all ask them.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from core.calendar import Weekday
from core.models import Capacity
from core.storage import private_storage
from core.text import mask_phone
from gigs.creditcode import validate_credit_code
from members.models import phone_validator


class Employer(models.Model):
    """Who posts needs. An enterprise is one ``members.Organisation`` (its memberships are its
    staff, several per enterprise); an individual employer is the member who applied."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        INDIVIDUAL = "individual", _("Individual employer")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.ENTERPRISE)
    organisation = models.OneToOneField("members.Organisation", null=True, blank=True, on_delete=models.CASCADE,
                                        related_name="gig_employer", verbose_name=_("organisation"))
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gig_employers",
                                  verbose_name=_("applicant"))
    name = models.CharField(_("name"), max_length=120)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True,
                                   validators=[validate_credit_code])
    # Private storage: only officers and the enterprise's own staff see it (gigs.views.licence).
    licence = models.FileField(_("business licence photo"), upload_to="gigs/licences/", blank=True,
                               storage=private_storage)
    contact_name = models.CharField(_("contact person"), max_length=40)
    contact_phone = models.CharField(_("contact phone"), max_length=20, validators=[phone_validator])
    community = models.ForeignKey("core.Community", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("community"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("reason given"), max_length=200, blank=True,
                              help_text=_("Why it was rejected or suspended; the employer sees it."))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        permissions = [("verify_employer", _("Can verify, reject and suspend employers"))]
        constraints = [
            models.CheckConstraint(condition=Q(kind="individual") | Q(organisation__isnull=False),
                                   name="gigs_enterprise_has_organisation"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_verified(self):
        return self.status == self.Status.VERIFIED

    @property
    def masked_contact_phone(self):
        return mask_phone(self.contact_phone)

    def can_decide(self, decision: str) -> bool:
        """May an officer still ``verify`` / ``reject`` / ``suspend`` it?"""
        allowed = {
            "verify": (self.Status.PENDING, self.Status.SUSPENDED, self.Status.REJECTED),
            "reject": (self.Status.PENDING,),
            "suspend": (self.Status.VERIFIED,),
        }
        return self.status in allowed.get(decision, ())


class Category(models.TextChoices):
    SORTING = "sorting", _("Sorting and packing")
    LOADING = "loading", _("Loading and moving")
    DELIVERY = "delivery", _("Delivery")
    KITCHEN = "kitchen", _("Kitchen and catering")
    CLEANING = "cleaning", _("Cleaning and housekeeping")
    RETAIL = "retail", _("Shop and promotion")
    REPAIR = "repair", _("Repair and building")
    CARE = "care", _("Care work")
    OTHER = "other", _("Other")


class PayUnit(models.TextChoices):
    HOUR = "hour", pgettext_lazy("pay unit", "hour")
    DAY = "day", pgettext_lazy("pay unit", "day")
    PIECE = "piece", pgettext_lazy("pay unit", "piece")
    MONTH = "month", pgettext_lazy("pay unit", "month")


#: Rough day equivalents, only to compare a need's pay with a worker's floor in another unit.
#: An hour counts as an eighth of a day, a month as 22 working days; pieces are never converted.
DAY_FACTORS = {PayUnit.HOUR: Decimal(8), PayUnit.DAY: Decimal(1), PayUnit.MONTH: Decimal(1) / Decimal(22)}


def per_day(amount, unit):
    """``amount`` per ``unit`` as money per day, or None for pieces."""
    factor = DAY_FACTORS.get(unit)
    return None if factor is None or amount is None else Decimal(amount) * factor


class Settlement(models.TextChoices):
    DAILY = "daily", _("Paid daily")
    WEEKLY = "weekly", _("Paid weekly")
    MONTHLY = "monthly", _("Paid monthly")
    COMPLETION = "completion", _("Paid on completion")


class TaggedNeedSkill(TaggedItemBase):
    content_object = models.ForeignKey("JobNeed", on_delete=models.CASCADE, related_name="tagged_skills")


class JobNeed(models.Model):
    """One posting: "six sorters for the Double Eleven week, evenings, ¥180 a day"."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Waiting for review")
        OPEN = "open", pgettext_lazy("job need", "Open")
        FILLED = "filled", _("Filled")
        CLOSED = "closed", pgettext_lazy("job need", "Closed")
        EXPIRED = "expired", _("Expired")

    #: Changing one of these on an open need sends it back to review (what a worker applied for).
    MATERIAL_FIELDS = ("title", "description", "category", "pay_amount", "pay_unit", "settlement", "start_date",
                       "end_date", "shift_start", "shift_end", "address", "latitude", "longitude", "min_age",
                       "max_age", "requires_health_certificate", "requires_ebike_licence")
    LIVE_STATUSES = (Status.OPEN, Status.FILLED)

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="needs", verbose_name=_("employer"))
    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("occupation"), max_length=12, choices=Category.choices, default=Category.OTHER)
    skills = TaggableManager(through=TaggedNeedSkill, blank=True, verbose_name=_("skills"))
    headcount = models.PositiveSmallIntegerField(_("headcount"), validators=[MinValueValidator(1), MaxValueValidator(500)])
    pay_amount = models.DecimalField(_("pay"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    pay_unit = models.CharField(_("per"), max_length=6, choices=PayUnit.choices, default=PayUnit.DAY)
    settlement = models.CharField(_("settlement"), max_length=10, choices=Settlement.choices, default=Settlement.DAILY)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    shift_start = models.TimeField(_("daily start"))
    shift_end = models.TimeField(_("daily end"), help_text=_("Earlier than the start means the shift ends the next morning."))
    address = models.CharField(_("address"), max_length=200)
    community = models.ForeignKey("core.Community", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("community"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    requires_health_certificate = models.BooleanField(_("health certificate required"), default=False)
    requires_ebike_licence = models.BooleanField(_("e-bike licence required"), default=False)
    # The law allows an age range for some work (no one under 16; heavy work); the station checks it.
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True,
                                               validators=[MinValueValidator(16), MaxValueValidator(80)])
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True,
                                               validators=[MinValueValidator(16), MaxValueValidator(80)])
    deadline = models.DateTimeField(_("apply by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT, db_index=True)
    review_note = models.CharField(_("officer's note"), max_length=200, blank=True)
    capacity = models.OneToOneField(Capacity, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("posted by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("open since"), null=True, blank=True)
    filled_at = models.DateTimeField(_("filled at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("job need")
        verbose_name_plural = _("job needs")
        permissions = [("review_jobneed", _("Can review job needs and flags"))]
        indexes = [
            # Matching filters open needs by place and dates before it scores anything.
            models.Index(fields=["status", "latitude", "longitude"], name="gigs_need_status_place"),
            models.Index(fields=["status", "end_date"], name="gigs_need_status_end"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="gigs_need_dates_order"),
        ]

    def __str__(self):
        return self.title

    @property
    def capacity_key(self):
        return f"gigs.need.{self.pk}"

    @property
    def hired(self):
        return self.capacity.taken if self.capacity_id and self.capacity else 0

    @property
    def remaining(self):
        return self.capacity.remaining if self.capacity_id and self.capacity else self.headcount

    def pay_text(self):
        return _("¥%(amount)s per %(unit)s") % {"amount": f"{self.pay_amount:.2f}".rstrip("0").rstrip("."),
                                               "unit": self.get_pay_unit_display()}

    def shift_text(self):
        return f"{self.shift_start:%H:%M}–{self.shift_end:%H:%M}"

    def dates_text(self):
        if self.start_date == self.end_date:
            return f"{self.start_date:%Y-%m-%d}"
        return f"{self.start_date:%Y-%m-%d} – {self.end_date:%Y-%m-%d}"

    def skill_names(self):
        return sorted(item.tag.name for item in self.tagged_skills.all())

    def shift_minutes(self):
        """(start, end) minutes from midnight; an overnight shift ends after 1440."""
        start = self.shift_start.hour * 60 + self.shift_start.minute
        end = self.shift_end.hour * 60 + self.shift_end.minute
        return start, end if end > start else end + 1440

    def weekdays(self):
        """The weekdays the need runs on (all seven for a week or more)."""
        days = (self.end_date - self.start_date).days + 1
        return sorted({(self.start_date + datetime.timedelta(days=i)).weekday() for i in range(min(days, 7))})

    def is_accepting(self, now=None) -> bool:
        """Open, before its deadline and last day: a worker may apply."""
        now = now or timezone.now()
        return (self.status == self.Status.OPEN and (self.deadline is None or self.deadline > now)
                and self.end_date >= timezone.localdate(now))

    def can_edit(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.PENDING, self.Status.OPEN)

    def can_submit(self) -> bool:
        return self.status == self.Status.DRAFT

    def can_close(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.PENDING, self.Status.OPEN, self.Status.FILLED)

    def can_renew(self, today=None) -> bool:
        """An expired or closed need can be put up again with new dates."""
        return self.status in (self.Status.EXPIRED, self.Status.CLOSED)

    def has_expired(self, now) -> bool:
        return self.status == self.Status.OPEN and (
            (self.deadline is not None and self.deadline <= now) or self.end_date < timezone.localdate(now))


class NeedFlag(models.Model):
    """Someone says a need is fake or unfair (黑中介, a deposit demanded): the officers decide."""

    class Reason(models.TextChoices):
        FAKE = "fake", _("Fake or misleading")
        DEPOSIT = "deposit", _("Asks for a deposit or a fee")
        AGENT = "agent", _("An unlicensed agent (黑中介)")
        UNFAIR = "unfair", _("Unfair pay or conditions")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an officer")
        UPHELD = "upheld", _("Upheld: the need was closed")
        DISMISSED = "dismissed", _("Dismissed")

    need = models.ForeignKey(JobNeed, on_delete=models.CASCADE, related_name="flags", verbose_name=_("job need"))
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("reported by"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    detail = models.TextField(_("what happened"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("officer's note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("flag on a job need")
        verbose_name_plural = _("flags on job needs")

    def __str__(self):
        return f"{self.need} · {self.get_reason_display()}"


class TaggedWorkerSkill(TaggedItemBase):
    content_object = models.ForeignKey("WorkerProfile", on_delete=models.CASCADE, related_name="tagged_skills")


class WorkerProfile(models.Model):
    """What a worker tells the gig station. The phone is the member's own (``member.phone``):
    employers see it masked until they shortlist the worker."""

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="gig_profile",
                                  verbose_name=_("member"))
    skills = TaggableManager(through=TaggedWorkerSkill, blank=True, verbose_name=_("skills"))
    has_health_certificate = models.BooleanField(_("I have a health certificate"), default=False)
    has_ebike_licence = models.BooleanField(_("I have an e-bike licence"), default=False)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True,
                                                  validators=[MinValueValidator(1940), MaxValueValidator(2012)],
                                                  help_text=_("Only to check a need's age range; never shown to employers."))
    #: [{"weekday": 0-6, "start": "HH:MM", "end": "HH:MM"}, ...]; "end" before "start" runs past midnight.
    availability = models.JSONField(_("availability"), default=list, blank=True)
    communities = models.ManyToManyField("core.Community", blank=True, related_name="+",
                                         verbose_name=_("preferred communities"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                   help_text=_("Where distances are measured from (home or usual waiting spot)."))
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    max_distance_km = models.DecimalField(_("maximum distance (km)"), max_digits=5, decimal_places=1, default=Decimal(10),
                                          validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(100))])
    min_pay_amount = models.DecimalField(_("lowest acceptable pay"), max_digits=8, decimal_places=2, null=True, blank=True,
                                         validators=[MinValueValidator(Decimal(0))])
    min_pay_unit = models.CharField(_("per"), max_length=6, choices=PayUnit.choices, default=PayUnit.DAY)
    searchable = models.BooleanField(_("employers may find my profile"), default=True)
    subscribed = models.BooleanField(_("tell me about new needs that suit me"), default=False)
    subscribe_min_score = models.PositiveSmallIntegerField(_("only when the match is at least"), default=60,
                                                           validators=[MaxValueValidator(100)])
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("worker profile")
        verbose_name_plural = _("worker profiles")
        indexes = [models.Index(fields=["searchable", "latitude", "longitude"], name="gigs_worker_search_place")]

    def __str__(self):
        return str(self.member)

    def skill_names(self):
        return sorted(item.tag.name for item in self.tagged_skills.all())

    def availability_text(self):
        labels = dict(Weekday.choices)
        return "; ".join(f"{labels.get(slot.get('weekday'), '?')} {slot.get('start', '')}-{slot.get('end', '')}"
                         for slot in self.availability or [])

    def age(self, today):
        return today.year - self.birth_year if self.birth_year else None

    def min_pay_text(self):
        if self.min_pay_amount is None:
            return ""
        return _("¥%(amount)s per %(unit)s") % {"amount": f"{self.min_pay_amount:.2f}".rstrip("0").rstrip("."),
                                               "unit": self.get_min_pay_unit_display()}


class Application(models.Model):
    """One worker in one need's pipeline: applied → shortlisted → interview → offered → hired →
    completed, or withdrawn, declined, no-show. Hired holds one place of the need's headcount."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        INTERVIEW = "interview", _("Interview")
        OFFERED = "offered", _("Offered")
        HIRED = "hired", _("Hired")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DECLINED = "declined", _("Declined")
        NO_SHOW = "no_show", _("Did not come")

    ACTIVE = (Status.APPLIED, Status.SHORTLISTED, Status.INTERVIEW, Status.OFFERED, Status.HIRED)
    #: From here on the employer has chosen the worker and sees the phone number.
    CONTACT_VISIBLE = (Status.SHORTLISTED, Status.INTERVIEW, Status.OFFERED, Status.HIRED, Status.COMPLETED,
                       Status.NO_SHOW)
    #: Employer's moves (``to``: allowed ``from``). The worker's own moves are withdraw only.
    EMPLOYER_MOVES = {
        Status.SHORTLISTED: (Status.APPLIED,),
        Status.INTERVIEW: (Status.SHORTLISTED,),
        Status.OFFERED: (Status.SHORTLISTED, Status.INTERVIEW),
        # Day-paid work is often hired on the spot: hiring straight from "applied" shortlists too.
        Status.HIRED: (Status.APPLIED, Status.SHORTLISTED, Status.INTERVIEW, Status.OFFERED),
        Status.COMPLETED: (Status.HIRED,),
        Status.DECLINED: (Status.APPLIED, Status.SHORTLISTED, Status.INTERVIEW, Status.OFFERED, Status.HIRED),
        Status.NO_SHOW: (Status.HIRED,),
    }
    WORKER_MOVES = {Status.WITHDRAWN: (Status.APPLIED, Status.SHORTLISTED, Status.INTERVIEW, Status.OFFERED)}

    need = models.ForeignKey(JobNeed, on_delete=models.CASCADE, related_name="applications", verbose_name=_("job need"))
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="gig_applications",
                               verbose_name=_("worker"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.APPLIED)
    note = models.CharField(_("note from the worker"), max_length=300, blank=True)
    score = models.PositiveSmallIntegerField(_("match score"), null=True, blank=True)
    pushed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("suggested by officer"))
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    shortlisted_at = models.DateTimeField(_("shortlisted at"), null=True, blank=True)
    hired_at = models.DateTimeField(_("hired at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    #: Declined after the hire, with fewer than 24 hours to the first shift: counts against the employer.
    late_cancellation = models.BooleanField(_("cancelled late by the employer"), default=False)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            # One live application per worker and need; a withdrawn one may be followed by another.
            models.UniqueConstraint(fields=["need", "worker"], condition=Q(status__in=(
                "applied", "shortlisted", "interview", "offered", "hired")), name="gigs_one_active_application"),
        ]
        indexes = [models.Index(fields=["need", "status"]), models.Index(fields=["worker", "status"])]

    def __str__(self):
        return f"{self.worker} → {self.need}"

    @property
    def holds_place(self):
        return self.status == self.Status.HIRED

    @property
    def contact_visible(self):
        return self.status in self.CONTACT_VISIBLE

    def phone_for_employer(self):
        """What the employer sees of the worker's phone: the number once shortlisted, else masked."""
        phone = self.worker.phone or ""
        return phone if self.contact_visible else mask_phone(phone)

    def can_move_to(self, to, *, by_worker=False) -> bool:
        moves = self.WORKER_MOVES if by_worker else self.EMPLOYER_MOVES
        return self.status in moves.get(to, ())

    def next_moves(self):
        return [to for to, sources in self.EMPLOYER_MOVES.items() if self.status in sources]

    @property
    def can_withdraw(self):
        return self.can_move_to(self.Status.WITHDRAWN, by_worker=True)

    @property
    def can_record_work(self):
        return self.status in (self.Status.HIRED, self.Status.COMPLETED)


class WorkRecord(models.Model):
    """One day (or one batch of pieces) of a hire. Whoever records it confirms it; the other side
    confirms too or disputes it. Without an answer within 48 hours it is confirmed automatically;
    a dispute goes to an officer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the other side")
        CONFIRMED = "confirmed", _("Confirmed by both")
        AUTO_CONFIRMED = "auto_confirmed", _("Confirmed automatically")
        DISPUTED = "disputed", _("Disputed")
        RESOLVED = "resolved", _("Settled by an officer")

    AUTO_CONFIRM_AFTER = datetime.timedelta(hours=48)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="work_records",
                                    verbose_name=_("application"))
    date = models.DateField(_("day"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1, null=True, blank=True,
                                validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(16))])
    pieces = models.PositiveIntegerField(_("pieces"), null=True, blank=True, validators=[MaxValueValidator(100000)])
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.PENDING, db_index=True)
    worker_confirmed_at = models.DateTimeField(_("worker confirmed"), null=True, blank=True)
    employer_confirmed_at = models.DateTimeField(_("employer confirmed"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("recorded by"))
    dispute_reason = models.CharField(_("why it is disputed"), max_length=300, blank=True)
    disputed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("disputed by"))
    resolution = models.CharField(_("officer's decision"), max_length=300, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("resolved by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("work record")
        verbose_name_plural = _("work records")
        constraints = [
            models.UniqueConstraint(fields=["application", "date"], name="gigs_one_record_per_day"),
            models.CheckConstraint(condition=Q(hours__isnull=False) | Q(pieces__isnull=False),
                                   name="gigs_record_hours_or_pieces"),
        ]

    def __str__(self):
        return f"{self.application} · {self.date}"

    def amount_text(self):
        if self.pieces is not None:
            return _("%(n)s pieces") % {"n": self.pieces}
        return _("%(n)s hours") % {"n": f"{self.hours:.1f}".removesuffix(".0")}

    def awaiting(self):
        """Whose confirmation is still missing: "worker", "employer" or None."""
        if self.status != self.Status.PENDING:
            return None
        if self.worker_confirmed_at is None:
            return "worker"
        if self.employer_confirmed_at is None:
            return "employer"
        return None

    def auto_confirm_due(self, now) -> bool:
        return self.status == self.Status.PENDING and self.created_at + self.AUTO_CONFIRM_AFTER <= now

    @property
    def is_settled(self):
        return self.status in (self.Status.CONFIRMED, self.Status.AUTO_CONFIRMED, self.Status.RESOLVED)


class Rating(models.Model):
    """After a hire is completed, each side rates the other once (1 to 5 stars)."""

    class Direction(models.TextChoices):
        OF_EMPLOYER = "of_employer", _("The worker rates the employer")
        OF_WORKER = "of_worker", _("The employer rates the worker")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="ratings")
    direction = models.CharField(_("direction"), max_length=12, choices=Direction.choices)
    stars = models.PositiveSmallIntegerField(_("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [models.UniqueConstraint(fields=["application", "direction"], name="gigs_one_rating_each_way")]

    def __str__(self):
        return f"{self.application} · {self.stars}"


class ConsultationSlot(models.Model):
    """An officer's time for employment guidance (job guidance, skills training, rights advice),
    with its places in core.capacity."""

    class Topic(models.TextChoices):
        GUIDANCE = "guidance", _("Job guidance")
        TRAINING = "training", _("Skills training")
        RIGHTS = "rights", _("Rights advice")

    topic = models.CharField(_("topic"), max_length=10, choices=Topic.choices, default=Topic.GUIDANCE)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    place = models.CharField(_("place"), max_length=200, default="", blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("officer"))
    places = models.PositiveSmallIntegerField(_("places"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)])
    capacity = models.OneToOneField(Capacity, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    editable=False)

    class Meta:
        ordering = ["start"]
        verbose_name = _("consultation slot")
        verbose_name_plural = _("consultation slots")

    def __str__(self):
        return f"{self.get_topic_display()} {timezone.localtime(self.start):%Y-%m-%d %H:%M}"

    @property
    def capacity_key(self):
        return f"gigs.consultation.{self.pk}"

    @property
    def remaining(self):
        return self.capacity.remaining if self.capacity_id and self.capacity else self.places


class Consultation(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        DONE = "done", _("Done")
        NO_SHOW = "no_show", _("Did not come")

    slot = models.ForeignKey(ConsultationSlot, on_delete=models.CASCADE, related_name="bookings",
                             verbose_name=_("slot"))
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="gig_consultations",
                               verbose_name=_("member"))
    question = models.CharField(_("what you would like to talk about"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    outcome = models.TextField(_("outcome"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [models.UniqueConstraint(fields=["slot", "member"], condition=Q(status="booked"),
                                               name="gigs_one_booking_per_slot")]

    def __str__(self):
        return f"{self.member} · {self.slot}"
