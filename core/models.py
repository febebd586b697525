from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.search import index


class Community(index.Indexed, models.Model):
    """A community (社区) or village (村) of the street office. Most content belongs to one."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", _("Community")
        VILLAGE = "village", _("Village")

    name = models.CharField(_("name"), max_length=60, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.COMMUNITY)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    #: The people who look after this community on the ground (网格员). Kept here, not as a role of
    #: some plugin: every plugin that must send someone to a door (a welfare alert, a hazard)
    #: finds them the same way, whichever plugins are enabled.
    grid_workers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="grid_communities",
                                          verbose_name=_("grid workers"))

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self):
        return self.name


class Capacity(models.Model):
    """A unit of limited capacity: class seats, canteen portions, shift places, job headcount.

    Only :mod:`core.capacity` changes ``taken``; the check constraint is a last line of defence.
    """

    key = models.CharField(max_length=100, unique=True)
    total = models.PositiveIntegerField(_("capacity"))
    taken = models.PositiveIntegerField(_("taken"), default=0)

    class Meta:
        verbose_name = _("capacity")
        verbose_name_plural = _("capacities")
        constraints = [
            models.CheckConstraint(condition=Q(taken__lte=F("total")), name="capacity_taken_lte_total"),
        ]

    def __str__(self):
        return f"{self.key}: {self.taken}/{self.total}"

    @property
    def remaining(self):
        return max(self.total - self.taken, 0)


class NotificationLog(models.Model):
    """Every message sent through the notifier (SMS, WeChat template message, e-mail)."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        WECHAT = "wechat", _("WeChat template message")
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=60, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("body"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SENT)
    backend = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject or self.body[:30]}"


class CacheVersion(models.Model):
    """The version of one cache namespace ("news", "programs", "site" ...), bumped after commit
    when what it covers changes (core.cache: apps declare which models make which namespace
    stale). Every cache key carries the versions it depends on. The database row is the source
    of truth, so every app server process sees a change at once; processes keep a copy that a
    stamp in the shared cache (or a file) tells them to re-read."""

    name = models.CharField(max_length=40, unique=True)
    version = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = _("cache version")

    def __str__(self):
        return f"{self.name} v{self.version}"

    @classmethod
    def current(cls, name):
        return cls.objects.filter(name=name).values_list("version", flat=True).first() or 0

    @classmethod
    def bump(cls, name):
        if not cls.objects.filter(name=name).update(version=models.F("version") + 1):
            cls.objects.get_or_create(name=name)


class WorkerHeartbeat(models.Model):
    """A running task worker (``manage.py db_worker``, core/workers.py): it writes this row
    every few seconds while it runs and deletes it when it stops. A task left RUNNING by a worker
    that stopped beating (killed, its machine lost) is put back in the queue by the others."""

    worker_id = models.CharField(_("worker id"), max_length=64, primary_key=True)
    host = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("task worker")

    def __str__(self):
        return f"{self.worker_id} ({self.host}:{self.pid})"


class CalendarDay(models.Model):
    """One exception to the ordinary week in the office calendar (core.calendar): a day off for a
    public holiday (including the weekdays moved into the break by 调休), or a weekend day that
    is a make-up working day. Every other day is a working day from Monday to Friday."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday (day off)")
        WORKDAY = "workday", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("holiday"), max_length=40, help_text=_("The holiday it belongs to, e.g. 春节."))
    source = models.CharField(
        _("source"), max_length=200, blank=True,
        help_text=_("The notice it comes from, e.g. the State Council's holiday arrangements for the year."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("office calendar")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name} ({self.get_kind_display()})"


class ImpactSettingsForm(WagtailAdminModelForm):
    """The public figures as one checkbox per figure the enabled plugins declare (and may be
    published): the office ticks what the public page and API show."""

    public_figures = forms.MultipleChoiceField(label=_("Public figures"), required=False,
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from core.plugins import all_figures

        self.fields["public_figures"].choices = [
            (f.key, f"{f.plugin_title} · {f.name} ({f.unit})") for f in all_figures() if f.may_be_public]
        self.fields["public_figures"].help_text = _(
            "Only totals are published. Per-community values below the threshold are hidden. Figures "
            "about party membership are not listed: they are never published.")


@register_setting(icon="table")
class ImpactSettings(BaseSiteSetting):
    """Which of the office's live figures the public page /impact/ and /api/v3/impact/ show (issue
    15). Its permission ``view_figures`` lets office staff see the dashboard."""

    public_figures = models.JSONField(_("public figures"), default=list, blank=True)
    threshold = models.PositiveSmallIntegerField(
        _("smallest per-community number shown"), default=5,
        validators=[MinValueValidator(3), MaxValueValidator(50)],
        help_text=_("On the public page, a community's count below this (but above zero) is shown as "
                    "'fewer than' it, so that nobody can be picked out in a small community."))

    base_form_class = ImpactSettingsForm
    panels = [FieldPanel("public_figures"), FieldPanel("threshold")]

    class Meta:
        verbose_name = _("public figures")
        verbose_name_plural = _("public figures")
        permissions = [("view_figures", _("Can see the office's live figures"))]
