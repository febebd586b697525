"""Volunteers: profiles, opportunities with shifts, sign-ups, the hours ledger and certificates.

An :class:`OpportunityPage` is a Wagtail page editors publish; its :class:`Shift` rows (edited
inline) each have their places in a :class:`core.models.Capacity` row, changed only through
:mod:`volunteers.services`. A :class:`SignUp` is one member's place (or place on the waiting
list) in one shift. Every piece of service is one :class:`HoursEntry` in the ledger, whatever its
source: a shift someone checked out of, a self-report, or a credit from another plugin through
``core.credits``. Entries are approved or declined, never deleted. A :class:`Certificate` is the
kept record of one 志愿服务记录证明 issued from approved entries.
"""

import itertools
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core import checkin
from core.calendar import Weekday
from core.models import Capacity
from core.storage import private_storage
from core.text import mask_phone

#: National star levels for registered volunteers (hours of approved service).
STAR_THRESHOLDS_HOURS = (100, 300, 600, 1000, 1500)


def star_level(minutes: int) -> int:
    """0 to 5 stars for ``minutes`` of approved service."""
    hours = (minutes or 0) / 60
    return sum(1 for threshold in STAR_THRESHOLDS_HOURS if hours >= threshold)


def mask_id_number(value: str) -> str:
    """110105********1234: what a certificate and the volunteer's own pages show of an ID."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_name(name: str) -> str:
    """王*华 / 李* : what a public verification page shows of a name."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name + "*" if name else ""
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


id_number_validator = RegexValidator(r"^\d{17}[\dXx]$", _("An ID card number has 18 characters."))


AVAILABILITY_MAX_SLOTS = 21
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def availability_problem(slots):
    """Why ``slots`` ([{"weekday": 0-6, "start": "HH:MM", "end": "HH:MM"}, ...]) cannot be a
    volunteer's availability, or None. One rule for the profile page, the API and the admin:
    times inside one day, the end after the start, no two slots of a weekday overlapping."""
    if not isinstance(slots, list):
        return _("Availability must be a list of weekday slots.")
    if len(slots) > AVAILABILITY_MAX_SLOTS:
        return _("At most %(n)s time slots.") % {"n": AVAILABILITY_MAX_SLOTS}
    labels = dict(Weekday.choices)
    by_day = {}
    for slot in slots:
        if not isinstance(slot, dict) or set(slot) != {"weekday", "start", "end"}:
            return _("Each slot needs a weekday, a start and an end.")
        weekday, start, end = slot["weekday"], slot["start"], slot["end"]
        if not isinstance(weekday, int) or isinstance(weekday, bool) or weekday not in labels:
            return _("Choose a weekday.")
        if not (isinstance(start, str) and _HHMM.match(start) and isinstance(end, str) and _HHMM.match(end)):
            return _("Times are written HH:MM, e.g. 08:30.")
        if end <= start:
            return _("%(day)s: the end must be after the start.") % {"day": labels[weekday]}
        by_day.setdefault(weekday, []).append((start, end))
    for weekday, spans in by_day.items():
        spans.sort()
        for (_start, first_end), (second_start, _end) in itertools.pairwise(spans):
            if second_start < first_end:
                return _("%(day)s: two time slots overlap.") % {"day": labels[weekday]}
    return None


class TaggedProfileSkill(TaggedItemBase):
    content_object = models.ForeignKey("VolunteerProfile", on_delete=models.CASCADE, related_name="tagged_skills")


class VolunteerProfile(models.Model):
    """What a member tells the office as a volunteer. The ID number is personal data: only the
    volunteer and coordinators see it (masked), and only a certificate prints it (masked)."""

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_profile",
                                  verbose_name=_("member"))
    real_name = models.CharField(_("real name"), max_length=40, blank=True,
                                 help_text=_("As on the ID card; printed on certificates."))
    volunteer_number = models.CharField(_("volunteer number"), max_length=30, blank=True,
                                        help_text=_("The number of a registered volunteer, if they have one."))
    id_number = models.CharField(_("ID card number"), max_length=18, blank=True, validators=[id_number_validator])
    skills = TaggableManager(through=TaggedProfileSkill, blank=True, verbose_name=_("skills"))
    #: [{"weekday": 0-6, "start": "HH:MM", "end": "HH:MM"}, ...]
    availability = models.JSONField(_("availability"), default=list, blank=True)
    communities = models.ManyToManyField("core.Community", blank=True, related_name="+",
                                         verbose_name=_("preferred communities"))
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=40, blank=True)
    emergency_contact_phone = models.CharField(_("emergency contact phone"), max_length=20, blank=True)
    leaderboard_consent = models.BooleanField(_("show my name on the leaderboard"), default=False)
    calendar_token = models.CharField(max_length=43, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        if not self.calendar_token:
            self.calendar_token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)

    @property
    def display_name(self):
        return self.real_name or str(self.member)

    @property
    def masked_id_number(self):
        return mask_id_number(self.id_number)

    @property
    def masked_emergency_phone(self):
        return mask_phone(self.emergency_contact_phone)

    def clean(self):
        problem = availability_problem(self.availability)
        if problem:
            raise ValidationError({"availability": problem})

    def availability_slots(self):
        """The slots in weekday and time order (how pages show and edit them)."""
        return sorted(self.availability or [], key=lambda slot: (slot.get("weekday", 9), slot.get("start", "")))

    def availability_text(self):
        labels = dict(Weekday.choices)
        return "; ".join(f"{labels.get(slot.get('weekday'), '?')} {slot.get('start', '')}-{slot.get('end', '')}"
                         for slot in self.availability or [])


class OpportunityIndexPage(Page):
    """Where opportunities live in the page tree; /volunteers/ lists them."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["volunteers.OpportunityPage"]
    max_count = 1

    class Meta:
        verbose_name = _("volunteer opportunity index")

    def serve(self, request, *args, **kwargs):
        from django.shortcuts import redirect

        return redirect("volunteers:index")


class TaggedOpportunitySkill(TaggedItemBase):
    content_object = ParentalKey("volunteers.OpportunityPage", on_delete=models.CASCADE, related_name="tagged_items")


class OpportunityPage(Page):
    summary = models.CharField(_("summary"), max_length=240, blank=True)
    description = RichTextField(_("description"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])
    organiser = models.ForeignKey(
        "members.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("organiser"), help_text=_("Leave empty when the street office itself organises it."),
    )
    partners = ParentalManyToManyField("members.Organisation", blank=True, related_name="+", verbose_name=_("partners"))
    community = models.ForeignKey("core.Community", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("community"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    cover_image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("cover image"))
    skills_wanted = ClusterTaggableManager(through=TaggedOpportunitySkill, blank=True, verbose_name=_("skills wanted"))
    withdraw_cutoff_hours = models.PositiveSmallIntegerField(
        _("withdraw until (hours before the start)"), default=12,
        help_text=_("Volunteers can withdraw themselves until this many hours before a shift starts."))
    waitlist_enabled = models.BooleanField(_("waiting list"), default=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("summary"), FieldPanel("cover_image"), FieldPanel("skills_wanted")],
                        heading=_("About")),
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("organiser"), FieldPanel("partners"), FieldPanel("community"),
                         FieldPanel("place")], heading=_("Who and where")),
        InlinePanel("outputs", heading=_("Outputs to count"), label=_("output")),
        InlinePanel("shifts", heading=_("Shifts"), label=_("shift"), min_num=1),
        FieldRowPanel([FieldPanel("withdraw_cutoff_hours"), FieldPanel("waitlist_enabled")], heading=_("Sign-up")),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("description")]
    api_fields = ["summary", "description", "place"]
    parent_page_types = ["volunteers.OpportunityIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("volunteer opportunity")
        verbose_name_plural = _("volunteer opportunities")

    def place_text(self):
        return self.place or (self.community.name if self.community_id and self.community else "")

    def get_template(self, request, *args, **kwargs):
        return "volunteers/opportunity_page.html"

    # No get_context: wagtail_hooks serves the page with the plugin's view (before_serve_page), so
    # models import no views.


class OpportunityOutput(Orderable):
    """Something the office counts for this opportunity: leaflets handed out, bags of rubbish."""

    opportunity = ParentalKey(OpportunityPage, on_delete=models.CASCADE, related_name="outputs")
    label = models.CharField(_("what is counted"), max_length=40, help_text=_("e.g. leaflets handed out"))
    unit = models.CharField(_("unit"), max_length=10, blank=True, help_text=_("e.g. copies, bags, households"))

    panels = [FieldRowPanel([FieldPanel("label"), FieldPanel("unit")])]

    class Meta(Orderable.Meta):
        verbose_name = _("output")

    def __str__(self):
        return f"{self.label} ({self.unit})" if self.unit else self.label


class Shift(Orderable):
    """One stretch of work of an opportunity: when, where and how many places."""

    opportunity = ParentalKey(OpportunityPage, on_delete=models.CASCADE, related_name="shifts")
    title = models.CharField(_("title"), max_length=120, blank=True)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True, help_text=_("Leave empty to use the opportunity's place."))
    places = models.PositiveIntegerField(_("places"), default=10)
    capacity = models.OneToOneField(Capacity, null=True, blank=True, editable=False, on_delete=models.PROTECT,
                                    related_name="volunteer_shift")
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False,
                                     help_text="when open check-ins were closed at the shift's end")

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldRowPanel([FieldPanel("place"), FieldPanel("places")]),
    ]

    CODE_PREFIX, CODE_NAMESPACE = "S", "volunteers.shift"

    class Meta(Orderable.Meta):
        ordering = ["start", "pk"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [models.CheckConstraint(condition=Q(end__gt=F("start")), name="volunteers_shift_end_after_start")]

    def __str__(self):
        local = timezone.localtime(self.start)
        title = self.opportunity.title if self.opportunity_id else ""
        return f"{title} {local:%Y-%m-%d %H:%M} {self.title}".strip()

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("A shift must end after it starts.")})
        if self.capacity_id and self.places < self.capacity.taken:
            raise ValidationError({"places": _("%(taken)s places are already taken.") % {"taken": self.capacity.taken}})

    @property
    def capacity_key(self):
        return f"volunteers.shift.{self.pk}"

    @property
    def remaining(self):
        return self.capacity.remaining if self.capacity_id else self.places

    @property
    def taken(self):
        return self.capacity.taken if self.capacity_id else 0

    @property
    def minutes(self):
        return int((self.end - self.start).total_seconds() // 60)

    def place_text(self):
        return self.place or (self.opportunity.place_text() if self.opportunity_id else "")

    @property
    def check_in_code(self):
        """The shift's own code: a volunteer scans it at the place to check in or out."""
        return checkin.make_code(self.CODE_PREFIX, self.CODE_NAMESPACE, self.pk)

    @classmethod
    def pk_from_code(cls, code):
        return checkin.read_code(cls.CODE_PREFIX, cls.CODE_NAMESPACE, code)

    def withdraw_deadline(self):
        hours = self.opportunity.withdraw_cutoff_hours if self.opportunity_id else 0
        return self.start - timezone.timedelta(hours=hours)

    def can_withdraw(self, now=None):
        return (now or timezone.now()) < self.withdraw_deadline()

    def has_started(self, now=None):
        return (now or timezone.now()) >= self.start

    def check_in_window(self, now=None):
        """Check-in opens an hour before the start and closes at the end."""
        now = now or timezone.now()
        return self.start - timezone.timedelta(hours=1) <= now < self.end


class Team(models.Model):
    """A group whose leader signs its members up together, e.g. the riders of one depot."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_volunteer_teams",
                               verbose_name=_("leader"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="volunteer_teams",
                                     verbose_name=_("members"))
    organisation = models.ForeignKey("members.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("organisation"))
    community = models.ForeignKey("core.Community", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("community"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")

    def __str__(self):
        return self.name


class SignUp(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CHECKED_IN = "checked_in", _("Checked in")
        COMPLETED = "completed", _("Completed")
        NO_SHOW = "no_show", _("Did not come")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CANCELLED = "cancelled", _("Cancelled by staff")

    SEAT_STATUSES = (Status.CONFIRMED, Status.CHECKED_IN, Status.COMPLETED, Status.NO_SHOW)
    ACTIVE_STATUSES = (Status.CONFIRMED, Status.WAITLISTED, Status.CHECKED_IN, Status.COMPLETED, Status.NO_SHOW)
    CODE_PREFIX, CODE_NAMESPACE = "V", "volunteers.signup"

    shift = models.ForeignKey(Shift, on_delete=models.RESTRICT, related_name="signups", verbose_name=_("shift"))
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_signups",
                               verbose_name=_("volunteer"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED, db_index=True)
    position = models.PositiveIntegerField(_("waiting list position"), null=True, blank=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="signups",
                             verbose_name=_("team"))
    signed_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("signed up by"))
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    auto_checked_out = models.BooleanField(_("checked out automatically"), default=False,
                                           help_text=_("Never checked out: closed at the shift's end, for the coordinator to check."))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["shift__start", "pk"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        permissions = [("check_in_signup", _("Can check volunteers in and out"))]
        constraints = [
            models.UniqueConstraint(fields=["member", "shift"], condition=Q(status__in=[
                "confirmed", "waitlisted", "checked_in", "completed", "no_show"]), name="volunteers_one_active_signup"),
        ]
        indexes = [models.Index(fields=["shift", "status", "position"])]

    def __str__(self):
        return f"{self.member} · {self.shift}"

    @property
    def check_in_code(self):
        return checkin.make_code(self.CODE_PREFIX, self.CODE_NAMESPACE, self.pk)

    @classmethod
    def pk_from_code(cls, code):
        return checkin.read_code(cls.CODE_PREFIX, cls.CODE_NAMESPACE, code)

    @property
    def holds_place(self):
        return self.status in self.SEAT_STATUSES

    def can_withdraw(self, now=None):
        return self.status in (self.Status.CONFIRMED, self.Status.WAITLISTED) and self.shift.can_withdraw(now)


class HoursEntry(models.Model):
    """One piece of service in the ledger. Declined, never deleted: the record stays."""

    class Source(models.TextChoices):
        SHIFT = "shift", _("Shift")
        SELF_REPORT = "self_report", _("Self-report")
        CREDIT = "credit", _("Credited by another service")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_hours",
                               verbose_name=_("volunteer"))
    activity = models.CharField(_("activity"), max_length=200)
    opportunity = models.ForeignKey(OpportunityPage, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="hours", verbose_name=_("opportunity"))
    shift = models.ForeignKey(Shift, null=True, blank=True, on_delete=models.SET_NULL, related_name="hours",
                              verbose_name=_("shift"))
    signup = models.OneToOneField(SignUp, null=True, blank=True, on_delete=models.SET_NULL, related_name="hours_entry")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="hours",
                             verbose_name=_("team"))
    community = models.ForeignKey("core.Community", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("community"))
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    minutes = models.PositiveIntegerField(_("minutes"))
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    #: Unique across the ledger: "shift.<signup id>", "self.<uuid>", or another plugin's key.
    source_key = models.CharField(max_length=120, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    # Private storage: the officers deciding on the entry see it, by a short-lived link.
    evidence = models.ImageField(_("evidence photo"), upload_to="volunteers/evidence/%Y/%m/", blank=True,
                                 storage=private_storage)
    note = models.CharField(_("note"), max_length=300, blank=True)
    flagged = models.BooleanField(_("needs a look"), default=False,
                                  help_text=_("Checked out automatically at the shift's end."))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=200, blank=True)

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = _("hours entry")
        verbose_name_plural = _("hours entries")
        permissions = [("approve_hoursentry", _("Can approve and decline volunteer hours"))]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="volunteers_entry_end_after_start"),
            models.CheckConstraint(condition=Q(minutes__gt=0), name="volunteers_entry_positive_minutes"),
        ]
        indexes = [models.Index(fields=["member", "status", "start"]), models.Index(fields=["status", "start"])]

    def __str__(self):
        return f"{self.member} · {self.activity} · {self.minutes}"

    @property
    def hours(self):
        return round(self.minutes / 60, 2)

    @property
    def counts(self):
        """Pending and approved entries hold their minutes (no second entry may overlap them)."""
        return self.status != self.Status.DECLINED

    def can_decide(self):
        return self.status == self.Status.PENDING


class HoursOutput(models.Model):
    """A count entered at check-out or in a self-report: 120 leaflets handed out."""

    entry = models.ForeignKey(HoursEntry, on_delete=models.CASCADE, related_name="outputs")
    label = models.CharField(_("what"), max_length=40)
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("counted output")
        constraints = [models.UniqueConstraint(fields=["entry", "label"], name="volunteers_one_output_per_label")]

    def __str__(self):
        return f"{self.label}: {self.quantity}{self.unit}"


class Correction(models.Model):
    """A volunteer's request to correct an entry's times; the coordinator accepts or rejects it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the coordinator")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    entry = models.ForeignKey(HoursEntry, on_delete=models.CASCADE, related_name="corrections")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField(_("correct start"))
    end = models.DateTimeField(_("correct end"))
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        constraints = [
            models.UniqueConstraint(fields=["entry"], condition=Q(status="open"), name="volunteers_one_open_correction"),
        ]

    def __str__(self):
        return f"{self.entry} → {timezone.localtime(self.start):%H:%M}-{timezone.localtime(self.end):%H:%M}"


class Certificate(models.Model):
    """A 志愿服务记录证明 as issued: numbered, kept with what it said, and revocable."""

    number = models.CharField(_("certificate number"), max_length=30, unique=True, editable=False)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_certificates",
                               verbose_name=_("volunteer"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    total_minutes = models.PositiveIntegerField(_("total minutes"))
    #: What the certificate printed, frozen at issue: name, volunteer number, masked ID, activities, issuer.
    content = models.JSONField(default=dict, editable=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("issued by"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("revoked by"))
    revoke_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("certificate of volunteer service")
        verbose_name_plural = _("certificates of volunteer service")

    def __str__(self):
        return self.number

    @property
    def is_valid(self):
        return self.revoked_at is None

    @property
    def verification_code(self):
        """Printed beside the number: the public page needs both, so numbers cannot be walked."""
        return checkin.signature("volunteers.certificate", self.pk)

    @property
    def total_hours(self):
        return round(self.total_minutes / 60, 1)

    def can_revoke(self):
        return self.revoked_at is None


@register_setting(icon="user")
class VolunteerSettings(BaseSiteSetting):
    """Who issues certificates, and the self-report rule."""

    issuer_name = models.CharField(_("issuing organisation"), max_length=80, blank=True,
                                   help_text=_("Leave empty to use the street office's name."))
    person_in_charge = models.CharField(_("person in charge"), max_length=40, blank=True)
    handler = models.CharField(_("handled by"), max_length=40, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    certificate_prefix = models.CharField(_("certificate number prefix"), max_length=10, default="ZYFW")
    self_report_auto_approve_minutes = models.PositiveIntegerField(
        _("approve self-reports up to (minutes) at once"), default=0,
        help_text=_("Self-reports of at most this many minutes are approved without a coordinator. 0: never."))

    class Meta:
        verbose_name = _("volunteer service")
