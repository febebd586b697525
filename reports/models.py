"""Reports: riders' hazard reports and residents' needs, followed up as work orders.

A :class:`Category` (a snippet staff edit, with its :class:`Question` rows) says how a kind of
report is handled: its deadline in working days (counted by the office calendar, core.calendar),
the department that usually deals with it, whether a photo is required, whether anonymous reports
are allowed and whether its reports are shown to the public. A :class:`Report` is one report and
its work order: where (a WGS-84 point, an address, the community found from the point or chosen),
who (a member, or nobody when anonymous), how it came in (``channel``), its answers, its
:class:`ReportPhoto` rows (re-encoded, never the original upload), the people who said "me too"
(:class:`Supporter`) and its public timeline (:class:`ReportUpdate`). A :class:`Meeting` is a
needs-gathering meeting (暖新问需会); what was raised there becomes reports of the channel
``meeting``. :class:`Open311Key` is an API key for ``POST requests`` of the Open311 API.

Only :mod:`reports.services` changes a report's status; the predicates here (``can_accept``,
``can_resolve`` ...) are what services, the API, the pages and the admin all ask.
"""

import datetime
import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from core.storage import private_storage

#: How many days after a work order is resolved its reporter may still reopen it.
REOPEN_DAYS = getattr(settings, "REPORTS_REOPEN_DAYS", 7)


class Category(index.Indexed, ClusterableModel):
    """A kind of report (its Open311 service): how it is handled and what is asked."""

    name = models.CharField(_("name"), max_length=60)
    code = models.SlugField(_("code"), max_length=40, unique=True,
                            help_text=_("Short Latin code, used as the Open311 service code."))
    description = models.CharField(_("description"), max_length=200, blank=True)
    group = models.CharField(_("group"), max_length=40, blank=True,
                             help_text=_("A heading that gathers related categories (e.g. 安全隐患)."))
    department = models.CharField(_("usual department"), max_length=80, blank=True,
                                  help_text=_("Who usually deals with it: police, city management, market regulator..."))
    deadline_working_days = models.PositiveSmallIntegerField(
        _("deadline (working days)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Counted by the office calendar: weekends and public holidays are skipped."))
    photo_required = models.BooleanField(_("photo required"), default=False)
    allow_anonymous = models.BooleanField(_("anonymous reports allowed"), default=True)
    is_public = models.BooleanField(_("shown publicly"), default=True,
                                    help_text=_("Reports of this category appear on the public list, without personal data."))
    is_active = models.BooleanField(_("open for reports"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        MultiFieldPanel([FieldRowPanel([FieldPanel("name"), FieldPanel("code")]), FieldPanel("description"),
                         FieldRowPanel([FieldPanel("group"), FieldPanel("sort_order")])], heading=_("Category")),
        MultiFieldPanel([FieldRowPanel([FieldPanel("deadline_working_days"), FieldPanel("department")]),
                         FieldRowPanel([FieldPanel("photo_required"), FieldPanel("allow_anonymous")]),
                         FieldRowPanel([FieldPanel("is_public"), FieldPanel("is_active")])], heading=_("Handling")),
        InlinePanel("questions", heading=_("Extra questions"), label=_("question")),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("is_active")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("report category")
        verbose_name_plural = _("report categories")

    def __str__(self):
        return self.name


class Question(Orderable):
    """An extra question of a category (an Open311 attribute)."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Short text")
        TEXT = "text", _("Long text")
        NUMBER = "number", _("Number")
        DATETIME = "datetime", _("Date and time")
        SINGLE = "singlevaluelist", _("One choice")
        MULTI = "multivaluelist", _("Several choices")

    category = ParentalKey(Category, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("question"), max_length=120)
    help_text = models.CharField(_("help text"), max_length=200, blank=True)
    datatype = models.CharField(_("answer type"), max_length=20, choices=Datatype.choices, default=Datatype.STRING)
    required = models.BooleanField(_("required"), default=False)
    choices = models.TextField(_("choices"), blank=True,
                               help_text=_("For choice questions: one per line, as key|label (e.g. yes|是)."))

    panels = [FieldRowPanel([FieldPanel("code"), FieldPanel("datatype"), FieldPanel("required")]),
              FieldPanel("label"), FieldPanel("help_text"), FieldPanel("choices")]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="reports_question_code_unique")]

    def __str__(self):
        return self.label

    @property
    def is_choice(self):
        return self.datatype in (self.Datatype.SINGLE, self.Datatype.MULTI)

    def choice_list(self) -> list[tuple[str, str]]:
        """(key, label) of each choice line; a line without "|" is its own key and label."""
        out = []
        for line in self.choices.splitlines():
            line = line.strip()
            if line:
                key, _bar, label = line.partition("|")
                out.append((key.strip(), (label or key).strip()))
        return out


class Meeting(models.Model):
    """A needs-gathering meeting (暖新问需会): what its attendees raise becomes reports."""

    title = models.CharField(_("title"), max_length=120)
    date = models.DateField(_("date"))
    community = models.ForeignKey("core.Community", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("community"))
    sector = models.CharField(_("sector"), max_length=60, blank=True,
                              help_text=_("Who was invited: couriers, food-delivery riders, ride-hailing drivers..."))
    organisations = models.CharField(_("organisations"), max_length=200, blank=True,
                                     help_text=_("Platforms, stations and offices that took part."))
    attendees = models.PositiveSmallIntegerField(_("number of attendees"), default=0)
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("title"), FieldRowPanel([FieldPanel("date"), FieldPanel("community")]),
              FieldRowPanel([FieldPanel("sector"), FieldPanel("attendees")]), FieldPanel("organisations"),
              FieldPanel("summary")]

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("needs-gathering meeting")
        verbose_name_plural = _("needs-gathering meetings")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", pgettext_lazy("work order", "Closed")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged as a duplicate")


#: Still waiting for someone to do something (the deadline runs, escalation applies).
OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS)
#: The work order is done with (Open311 "closed").
FINAL_STATUSES = (Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.MERGED)


class Channel(models.TextChoices):
    APP = "app", _("App")
    PAGE = "page", _("Web page")
    HOTLINE = "hotline", _("Hotline")
    WALK_IN = "walk_in", _("Walk-in")
    STAFF = "staff", _("Staff on behalf")
    MEETING = "meeting", _("Needs-gathering meeting")
    OPEN311 = "open311", _("Open311 client")


class Escalation(models.IntegerChoices):
    NONE = 0, _("With the grid worker")
    COMMUNITY = 1, _("Escalated to the community")
    COMMAND_CENTRE = 2, _("Escalated to the command centre")


def _token():
    return uuid.uuid4().hex


class Report(index.Indexed, models.Model):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="reports",
                                 verbose_name=_("category"))
    description = models.TextField(_("description"), max_length=2000)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    latitude = models.FloatField(_("latitude (WGS-84)"), null=True, blank=True, db_index=True)
    longitude = models.FloatField(_("longitude (WGS-84)"), null=True, blank=True, db_index=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    community = models.ForeignKey("core.Community", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("community"))
    #: "point" (nearest community centre to the point), "chosen" (by the reporter or staff).
    community_source = models.CharField(max_length=10, blank=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="hazard_reports", verbose_name=_("reporter"))
    anonymous = models.BooleanField(_("anonymous"), default=False)
    #: Contact details given by someone without an account (hotline, walk-in, Open311); staff only.
    contact_name = models.CharField(_("contact name"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.PAGE)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("filed by"))
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="items",
                                verbose_name=_("meeting"))

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED,
                              db_index=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="assigned_reports", verbose_name=_("grid worker"))
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    escalation = models.PositiveSmallIntegerField(_("escalation"), choices=Escalation.choices,
                                                  default=Escalation.NONE)
    public_note = models.TextField(_("public answer"), blank=True)
    resolution_note = models.TextField(_("resolution note"), blank=True)
    reject_reason = models.CharField(_("reason for rejecting"), max_length=200, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="duplicates", verbose_name=_("duplicate of"))
    credited = models.BooleanField(_("reporter credited"), default=False)
    #: Open311 token: a caller may poll it before (and after) the id is known.
    token = models.CharField(max_length=32, unique=True, default=_token, editable=False)
    supporter_count = models.PositiveIntegerField(_("me too"), default=0)

    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["category", "status"]), models.Index(fields=["community", "status"]),
                   models.Index(fields=["assignee", "status"])]
        permissions = [
            ("work_report", "Can accept and resolve work orders of their communities"),
            ("command_report", "Can run the command centre: dispatch, reject, merge, close"),
        ]

    #: The site search (core.sitesearch, through ReportsConfig.searchables) finds public reports
    #: by what was reported, the answer given, the category and the community; never by who
    #: reported it, their contact or the address (a door number points at a household).
    search_fields = [
        index.SearchField("description"), index.SearchField("public_note"),
        index.RelatedFields("category", [index.SearchField("name"), index.FilterField("is_public")]),
        index.RelatedFields("community", [index.SearchField("name")]),
        index.FilterField("status"), index.FilterField("category"),
    ]

    def __str__(self):
        return f"#{self.pk} {self.category.name}"

    @classmethod
    def get_indexed_objects(cls):
        # Only what anybody may see goes into the index: a private need's text never does.
        return super().get_indexed_objects().filter(category__is_public=True).exclude(
            status__in=(Status.REJECTED, Status.MERGED))

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("reports:detail", args=[self.pk])

    # --- predicates: one answer for services, API, pages and admin ---------------------------

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def open311_status(self):
        return "open" if self.is_open else "closed"

    @property
    def is_public(self):
        return self.category.is_public and self.status != Status.REJECTED

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.is_open and self.deadline is not None and self.deadline < today

    @property
    def can_accept(self):
        return self.status == Status.SUBMITTED

    @property
    def can_dispatch(self):
        return self.status in OPEN_STATUSES

    @property
    def can_start(self):
        return self.status in (Status.ACCEPTED, Status.DISPATCHED) and self.assignee_id is not None

    @property
    def can_resolve(self):
        return self.status in (Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS)

    @property
    def can_reject(self):
        return self.status in OPEN_STATUSES

    @property
    def can_merge(self):
        return self.status in OPEN_STATUSES

    @property
    def can_close(self):
        return self.status == Status.RESOLVED

    @property
    def can_me_too(self):
        return self.is_open and self.category.is_public

    def can_reopen(self, now=None):
        now = now or timezone.now()
        return (self.status in (Status.RESOLVED, Status.CLOSED) and self.resolved_at is not None
                and now - self.resolved_at <= datetime.timedelta(days=REOPEN_DAYS))

    @property
    def reporter_name(self):
        """Who reported it, as staff see it ("anonymous" when so)."""
        if self.anonymous:
            return str(_("Anonymous"))
        if self.reporter_id:
            return self.reporter.display_name or self.reporter.username
        return self.contact_name

    @property
    def source_key(self):
        """core.credits key of the credit a verified report earns its reporter."""
        return f"reports.report.{self.pk}"


def photo_path(instance, filename):
    # A random name: nothing about the reporter, the place or the original file survives in it.
    return f"reports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


class ReportPhoto(models.Model):
    """A photo re-encoded by :func:`reports.photos.clean_image` (no EXIF, no GPS): the original
    upload is never stored. A photo may be uploaded before the report it belongs to exists
    (``report`` empty, ``uploaded_by`` set), as a phone uploads the picture before sending."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        RESOLUTION = "resolution", _("Resolution")

    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.REPORT)
    # Private storage: only those who may see the report see its photos (reports.views.photo).
    image = models.FileField(upload_to=photo_path, storage=private_storage)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    #: A small copy for lists and map popups (reports.photos.make_thumbnail), made when the photo
    #: is stored; photos stored before thumbnails existed get theirs the first time one is asked.
    thumbnail = models.FileField(upload_to=photo_path, storage=private_storage, blank=True)
    thumb_width = models.PositiveIntegerField(default=0)
    thumb_height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("report photo")

    def __str__(self):
        return f"photo {self.pk}"


class Supporter(models.Model):
    """Someone who said "me too" to a report instead of filing a duplicate."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supporters")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "member"], name="reports_supporter_unique")]


class ReportUpdate(models.Model):
    """One step of a report's timeline: its status then, and a note (public or staff only)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=12, choices=Status.choices)
    note = models.TextField(blank=True)
    is_public = models.BooleanField(default=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


def _key():
    return secrets.token_urlsafe(24)


class Open311Key(models.Model):
    """An API key a partner's Open311 client sends with ``POST requests``."""

    name = models.CharField(_("who uses it"), max_length=80)
    key = models.CharField(_("key"), max_length=64, unique=True, default=_key)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("name"), FieldPanel("key", read_only=True), FieldPanel("is_active")]

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")

    def __str__(self):
        return self.name
