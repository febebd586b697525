"""Programs: free public classes, consultations, health services and care activities.

A :class:`ProgramPage` is a Wagtail page with one or more :class:`Session` rows (edited inline).
Each session's seats are a :class:`core.models.Capacity` row, changed only by ``core.capacity``
through :mod:`programs.services`. A :class:`Registration` is one member's place in one session
(per-session programs) or in the whole series (course series: one enrolment, a seat in every
session). :class:`Attendance` records who was checked in at which session.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Orderable, Page
from wagtail.search import index

from core import cache, checkin
from core.fields import TypedJSONField
from core.models import Capacity
from core.slugs import AutoSlugPageForm
from members.models import User


class Kind(models.TextChoices):
    CLASS = "class", _("Class")
    CONSULTATION = "consultation", _("Consultation")
    HEALTH = "health", _("Health service")
    CARE = "care", _("Care activity")


class Audience(models.TextChoices):
    WORKERS = "workers", _("Gig and delivery workers")
    RESIDENTS = "residents", _("Residents")
    ELDERLY = "elderly", _("Elderly people")
    CHILDREN = "children", _("Children and families")
    EVERYONE = "everyone", _("Everyone")


class Enrolment(models.TextChoices):
    SERIES = "series", _("Whole series: one enrolment for every session")
    SESSION = "session", _("Session by session")


#: How old a cached programs page or listing may get: places left follow every change at once
#: (ProgramsConfig.cache_invalidation), but what is upcoming and whether registration is still
#: open follow the clock.
CACHE_SECONDS = 30


class CachedProgramPageMixin(cache.CachedPageMixin):
    """Program and programs-index pages for anonymous readers, in core's page cache under the
    "programs" namespace."""

    cache_namespaces = ("programs",)
    cache_seconds = CACHE_SECONDS


class ProgramIndexPage(CachedProgramPageMixin, Page):
    """The list of programs. The same listing is served at /programs/ by the plugin's own view."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = ["intro"]
    subpage_types = ["programs.ProgramPage"]
    max_count = 1

    class Meta:
        verbose_name = _("program index")

    # No get_context: the template asks programs_tags for the listing, so a model never imports
    # the pages that show it (and the plugin's own /programs/ view renders the same template).
    def get_template(self, request, *args, **kwargs):
        return "programs/index.html"


class DescriptionBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=80, form_classname="title")
    paragraph = blocks.RichTextBlock(label=_("paragraph"), features=["bold", "italic", "link", "ol", "ul"])
    image = ImageBlock(label=_("image"))
    steps = blocks.ListBlock(blocks.CharBlock(max_length=200), label=_("what you will learn or get"))


class ProgramPageForm(AutoSlugPageForm):
    """Eligibility as check boxes; sessions with registrations cannot be deleted from the editor."""

    eligible_kinds = forms.MultipleChoiceField(
        label=_("who may register"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[c for c in User.Kind.choices if c[0] != User.Kind.STAFF],
        help_text=_("Leave empty to let every member register."),
    )

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("registration_opens"), cleaned.get("registration_closes")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes", _("Registration must close after it opens."))
        sessions = self.formsets.get("sessions")
        if sessions is not None and self.instance.pk and cleaned.get("enrolment") == Enrolment.SERIES:
            # A session added to a running course holds a seat for everyone enrolled
            # (services.sync_sessions, when the page is published).
            enrolled = Registration.objects.course_seats(self.instance.pk).count()
            for form in sessions.forms:
                if enrolled and not form.instance.pk and form.is_valid() and form.has_changed() \
                        and not (sessions.can_delete and sessions._should_delete_form(form)) \
                        and form.cleaned_data.get("places", 0) < enrolled:
                    form.add_error("places", _(
                        "%(count)s people are enrolled in the whole course, so a new session needs at least "
                        "as many places.") % {"count": enrolled})
        if sessions is not None and sessions.can_delete:
            # The page form is cleaned before its formsets, and a formset ignores the errors of
            # forms marked for deletion: validate each form here and refuse on the page form.
            for form in sessions.forms:
                instance = form.instance
                if not instance.pk or not form.is_valid() or not sessions._should_delete_form(form):
                    continue
                # Any registration, even a cancelled one, keeps its session (on_delete=RESTRICT).
                if instance.registrations.exists() or instance.attendances.exists():
                    self.add_error(None, _(
                        "People have registered for the session of %(when)s (even if they cancelled later), "
                        "so it cannot be removed. If it will not take place, cancel the registrations and "
                        "say so in its title."
                    ) % {"when": date_format(timezone.localtime(instance.start), "DATETIME_FORMAT")})
        return cleaned


class ProgramPage(CachedProgramPageMixin, Page):
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CLASS)
    summary = models.CharField(_("summary"), max_length=240, blank=True)
    description = StreamField(DescriptionBlock(), blank=True, verbose_name=_("description"))
    organiser = models.ForeignKey(
        "members.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("organiser"), help_text=_("Leave empty when the street office itself organises it."),
    )
    partners = ParentalManyToManyField(
        "members.Organisation", blank=True, related_name="+", verbose_name=_("partners"),
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE)
    eligible_kinds = TypedJSONField(_("who may register"), default=list, blank=True, api_type=list[str])
    community = models.ForeignKey(
        "core.Community", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("community"),
    )
    location_address = models.CharField(_("address"), max_length=200, blank=True)
    location_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("or a page about the place"),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("cover image"),
    )
    enrolment = models.CharField(_("enrolment"), max_length=10, choices=Enrolment.choices, default=Enrolment.SESSION)
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(
        _("registration closes"), null=True, blank=True,
        help_text=_("Leave empty to accept registrations until the session starts."),
    )
    per_member_limit = models.PositiveSmallIntegerField(
        _("sessions per member"), default=0,
        help_text=_("How many sessions of this program one member may book. 0 means no limit."),
    )
    approval_required = models.BooleanField(_("staff approval required"), default=False)
    waitlist_enabled = models.BooleanField(_("waiting list"), default=True)

    base_form_class = ProgramPageForm
    content_panels = Page.content_panels + [
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("kind"), FieldPanel("audience")]),
            FieldPanel("summary"), FieldPanel("cover_image"),
        ], heading=_("About")),
        FieldPanel("description"),
        MultiFieldPanel([
            FieldPanel("organiser"), FieldPanel("partners"), FieldPanel("community"),
            FieldPanel("location_address"), PageChooserPanel("location_page"),
        ], heading=_("Who and where")),
        InlinePanel("sessions", heading=_("Sessions"), label=_("session"), min_num=1),
        MultiFieldPanel([
            FieldPanel("enrolment"), FieldPanel("eligible_kinds"),
            FieldRowPanel([FieldPanel("registration_opens"), FieldPanel("registration_closes")]),
            FieldRowPanel([FieldPanel("per_member_limit"), FieldPanel("approval_required"),
                           FieldPanel("waitlist_enabled")]),
        ], heading=_("Registration")),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("description"),
                                          index.FilterField("kind")]
    api_fields = [
        "kind", "summary", "description", "audience", "eligible_kinds", "location_address", "enrolment",
        "registration_opens", "registration_closes", "per_member_limit", "approval_required",
    ]
    parent_page_types = ["programs.ProgramIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    @property
    def is_series(self):
        return self.enrolment == Enrolment.SERIES

    def with_content_json(self, content):
        """The page as a revision saved it, but with every session people registered for or
        attended as it is now.

        A revision holds the sessions as they were when it was saved: the demo seed's (and any
        revision saved before a session was added) have none, or copies without their ids, so
        publishing it again deleted the sessions and the registrations' RESTRICT key made that a
        500 (API and the admin's bulk publish), leaving the page offline. Such a session cannot
        be removed in the editor either (ProgramPageForm), so publishing keeps it too.
        """
        page = super().with_content_json(content)
        held = {session.pk: session for session in Session.objects.filter(program_id=self.pk).filter(
            models.Q(registrations__isnull=False) | models.Q(attendances__isnull=False)).distinct()}
        if not held:
            return page
        # Revision JSON keeps times to the millisecond: match on whole seconds.
        def when(session):
            return int(session.start.timestamp()), int(session.end.timestamp())

        by_time = {when(session): session for session in held.values()}
        sessions = []
        for session in page.sessions.all():
            if session.pk:
                held.pop(session.pk, None)  # the revision's edit of it (e.g. more places) wins
                sessions.append(session)
                continue
            current = by_time.get(when(session))
            if current is not None and held.pop(current.pk, None) is not None:
                sessions.append(current)  # a copy without its id: the session itself
            else:
                sessions.append(session)
        page.sessions = sessions + list(held.values())
        return page

    @cached_property
    def session_list(self):
        """Sessions in time order; uses a prefetch when the queryset made one."""
        return sorted(self.sessions.all(), key=lambda s: (s.start, s.pk or 0))

    def upcoming_sessions(self, now=None):
        now = now or timezone.now()
        return [s for s in self.session_list if s.end > now]

    @property
    def first_start(self):
        return self.session_list[0].start if self.session_list else None

    @property
    def last_end(self):
        return max((s.end for s in self.session_list), default=None)

    def remaining_places(self, now=None):
        """Places left: for a series the fewest left in any session, else the sum over upcoming ones."""
        sessions = self.session_list if self.is_series else self.upcoming_sessions(now)
        if not sessions:
            return 0
        values = [s.remaining for s in sessions]
        return min(values) if self.is_series else sum(values)

    def location_text(self):
        if self.location_address:
            return self.location_address
        if self.location_page_id and self.location_page:
            return self.location_page.title
        return ""

    def registration_state(self, now=None):
        """'not_yet', 'open' or 'closed' for self-service registration."""
        now = now or timezone.now()
        if self.registration_opens and now < self.registration_opens:
            return "not_yet"
        if self.registration_closes and now >= self.registration_closes:
            return "closed"
        return "open"

    def get_template(self, request, *args, **kwargs):
        return "programs/program_page.html"


class Session(Orderable):
    """One meeting of a program: when, where and how many places."""

    program = ParentalKey(ProgramPage, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=120, blank=True, help_text=_("Optional, e.g. 'Part 2: bleeding'."))
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True, help_text=_("Leave empty to use the program's address."))
    places = models.PositiveIntegerField(_("places"), default=30)
    capacity = models.OneToOneField(
        Capacity, null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="program_session",
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True, editable=False)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldRowPanel([FieldPanel("place"), FieldPanel("places")]),
    ]

    class Meta(Orderable.Meta):
        ordering = ["start", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="programs_session_end_after_start")]

    def __str__(self):
        local = timezone.localtime(self.start)
        label = f"{self.program.title if self.program_id else ''} {local:%Y-%m-%d %H:%M}".strip()
        return f"{label} {self.title}".strip()

    @property
    def capacity_key(self):
        return f"programs.session.{self.pk}"

    @property
    def remaining(self):
        return self.capacity.remaining if self.capacity_id else self.places

    def taken(self):
        return self.capacity.taken if self.capacity_id else 0

    taken.short_description = _("taken")

    def place_text(self):
        return self.place or self.program.location_text()

    place_text.short_description = _("place")

    def registrations_link(self):
        from django.urls import reverse
        from django.utils.html import format_html

        url = reverse("program_registrations:index") + f"?session={self.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Registrations"))

    registrations_link.short_description = _("registrations")

    def has_started(self, now=None):
        return self.start <= (now or timezone.now())

    def check_in_open(self, now=None):
        """Check-in opens on the (local) day of the session."""
        return timezone.localdate(self.start) <= timezone.localdate(now or timezone.now())

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("A session must end after it starts.")})
        if self.capacity_id and self.places < self.capacity.taken:
            raise ValidationError({"places": _("%(taken)s places are already taken.") % {"taken": self.capacity.taken}})

    def save(self, *args, **kwargs):
        """Saves the row only. Its seats (``capacity``) are defined, resized and the waiting list
        moved up by :func:`programs.services.save_session` / ``sync_sessions``, which audit it."""
        if self.pk and not kwargs.get("update_fields"):
            # Publishing a page revision saves its sessions as they were when the revision was
            # made: keep the seats row and the reminder mark from the database (a moved session
            # gets a new reminder).
            stored = Session.objects.filter(pk=self.pk).values("start", "reminder_sent_at", "capacity_id").first()
            if stored:
                self.reminder_sent_at = stored["reminder_sent_at"] if stored["start"] == self.start else None
                if stored["capacity_id"] and stored["capacity_id"] != self.capacity_id:
                    self.capacity_id = stored["capacity_id"]
        super().save(*args, **kwargs)


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def holding_seat(self):
        return self.filter(status__in=Registration.SEAT_STATUSES)

    def course_seats(self, program_id):
        """Whole-course registrations holding a seat in every session of ``program_id``."""
        return self.filter(program_id=program_id, session__isnull=True, status__in=Registration.SEAT_STATUSES)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        PENDING = "pending", _("Waiting for approval")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")

    class Channel(models.TextChoices):
        APP = "app", _("App or API")
        WEB = "web", _("Website")
        PHONE = "phone", _("By phone, through staff")
        WALK_IN = "walk_in", _("Walk-in at the door")
        ADMIN = "admin", _("Admin")

    SEAT_STATUSES = (Status.CONFIRMED, Status.PENDING, Status.ATTENDED)
    #: What may still be cancelled (by staff at any time, by the member before it starts).
    CANCELLABLE_STATUSES = (Status.CONFIRMED, Status.PENDING, Status.WAITLISTED)
    #: Who may be checked in (attended: a course member at a later session).
    CHECK_IN_STATUSES = (Status.CONFIRMED, Status.ATTENDED)

    program = models.ForeignKey(ProgramPage, on_delete=models.CASCADE, related_name="registrations",
                                verbose_name=_("program"))
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.RESTRICT, related_name="registrations",
                                verbose_name=_("session"), help_text=_("Empty for a whole-series enrolment."))
    #: "series" or "session:<id>": one active registration per member and slot (see constraint).
    slot = models.CharField(max_length=40, editable=False)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_registrations",
                               verbose_name=_("member"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED, db_index=True)
    position = models.PositiveIntegerField(_("waiting list position"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.APP)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("registered by"), help_text=_("The staff member who registered someone else."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        permissions = [("check_in_registration", _("Can check people in")),
                       ("view_registrant_phone", _("Can see registrants' full phone numbers, to call them"))]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "program", "slot"], condition=~Q(status="cancelled"),
                name="programs_one_active_registration_per_slot",
            ),
        ]
        indexes = [models.Index(fields=["program", "slot", "status", "position"])]

    def __str__(self):
        return f"{self.member} · {self.target_label()}"

    def target_label(self):
        if self.session_id:
            return str(self.session)
        whole = _("whole series")  # not inside the f-string: makemessages would not see it
        return f"{self.program.title} ({whole})"

    target_label.short_description = _("session or course")

    @staticmethod
    def slot_for(session=None):
        return f"session:{session.pk}" if session is not None else "series"

    def covered_sessions(self):
        """The sessions this registration gives a seat in."""
        if self.session_id:
            return [self.session]
        return list(self.program.session_list)

    # --- predicates: services, the API, templates and admin buttons all ask these ---------------
    @property
    def holds_seat(self):
        return self.status in self.SEAT_STATUSES

    @property
    def is_cancellable(self):
        return self.status in self.CANCELLABLE_STATUSES

    def has_started(self, now=None):
        """True once the first session it covers has started."""
        now = now or timezone.now()
        return any(s.start <= now for s in self.covered_sessions())

    def is_current(self, now=None):
        """Not cancelled, and a session it covers has not ended yet ("my registrations" lists it
        among the upcoming ones, the rest under "earlier")."""
        now = now or timezone.now()
        return self.status != self.Status.CANCELLED and any(s.end > now for s in self.covered_sessions())

    def can_cancel(self, *, by_staff=False, now=None):
        """Staff cancel any cancellable registration; a member only before it starts."""
        return self.is_cancellable and (by_staff or not self.has_started(now))

    @property
    def member_can_cancel(self):
        return self.can_cancel()

    @property
    def can_check_in(self):
        return self.status in self.CHECK_IN_STATUSES

    @property
    def can_be_approved(self):
        return self.status == self.Status.PENDING

    @property
    def can_be_promoted(self):
        return self.status == self.Status.WAITLISTED

    def covers(self, session):
        """True when this registration gives a seat at ``session`` (its own, or any of its course)."""
        if self.session_id:
            return self.session_id == session.pk
        return self.program_id == session.program_id

    # --- the signed check-in code (core.checkin) ---------------------------------------------
    CODE_PREFIX, CODE_NAMESPACE = "R", "programs.checkin"

    @property
    def check_in_code(self):
        """``R<id>-<8 letters>``: short enough to type, signed so it cannot be guessed."""
        return checkin.make_code(self.CODE_PREFIX, self.CODE_NAMESPACE, self.pk)

    @classmethod
    def pk_from_code(cls, code: str):
        """The registration id a code names, or None when the code is malformed or forged."""
        return checkin.read_code(cls.CODE_PREFIX, cls.CODE_NAMESPACE, code)


class Attendance(models.Model):
    """A check-in: the member of ``registration`` was at ``session``."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="attendances")
    session = models.ForeignKey(Session, on_delete=models.RESTRICT, related_name="attendances")
    checked_in_at = models.DateTimeField(_("checked in at"), default=timezone.now)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("checked in by"),
    )

    class Meta:
        ordering = ["checked_in_at"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="programs_one_checkin_per_session"),
        ]

    def __str__(self):
        return f"{self.registration.member} @ {self.session}"
