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
    """Every notice sent through the notifier (SMS, WeChat message, e-mail), one row per notice
    and channel, written when the notice is queued (after the sender's commit) and updated by
    each attempt (core.notify): what was sent, to whom, through which provider and template, what
    the provider answered and, where it reports them, whether the message was delivered."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        WECHAT = "wechat", _("WeChat template message")
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        RETRY = "retry", _("Waiting to retry")
        DEFERRED = "deferred", _("Deferred (quiet hours)")
        RATE_LIMITED = "rate_limited", _("Not sent: rate limit")
        FAILED = "failed", _("Failed")

    class Delivery(models.TextChoices):
        UNKNOWN = "", _("Not reported")
        PENDING = "pending", _("Awaiting receipt")
        DELIVERED = "delivered", _("Delivered")
        UNDELIVERED = "undelivered", _("Not delivered")

    #: A record, not content: Wagtail's reference index (a task on every save) has nothing to learn.
    wagtail_reference_index_ignore = True

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=60, blank=True)
    #: The notice's parameters (core.notices), as sent to a provider's template.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("body"))
    language = models.CharField(_("language"), max_length=10, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SENT,
                              db_index=True)
    #: Why it failed, was not sent, or went to the console instead of a provider.
    reason = models.TextField(_("reason"), blank=True)
    backend = models.CharField(max_length=120, blank=True)
    #: One per notice and channel: a task that runs twice finds the row and sends nothing.
    key = models.CharField(_("idempotency key"), max_length=120, unique=True, null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # What the provider was asked and answered.
    provider = models.CharField(_("provider"), max_length=20, blank=True)
    template_code = models.CharField(_("template code"), max_length=100, blank=True)
    sign_name = models.CharField(_("signature"), max_length=60, blank=True)
    request_id = models.CharField(_("provider request id"), max_length=100, blank=True)
    message_id = models.CharField(_("provider message id"), max_length=100, blank=True, db_index=True)
    provider_code = models.CharField(_("provider status code"), max_length=100, blank=True)
    provider_message = models.CharField(_("provider message"), max_length=500, blank=True)
    delivery = models.CharField(_("delivery status"), max_length=12, choices=Delivery.choices, blank=True, default="")
    delivery_code = models.CharField(_("delivery status code"), max_length=100, blank=True)
    delivered_at = models.DateTimeField(_("delivery reported at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["channel", "recipient", "sent_at"], name="notification_rate_idx")]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject or self.body[:30]}"


class NoticeTemplateForm(WagtailAdminModelForm):
    """The kind is chosen from the kinds the installed apps declare (core.notices)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from core import notices

        if "kind" in self.fields:
            self.fields["kind"] = forms.ChoiceField(
                label=self.fields["kind"].label, choices=[("", "---------"), *notices.choices()],
                help_text=_("The parameters of each kind are listed under “template fields” once it is saved."))


class NoticeTemplate(models.Model):
    """Which provider template a kind of notice (core.notices) is sent with on one channel.

    An SMS in mainland China must use a signature and a template registered with the provider
    beforehand; a WeChat subscription message a template id chosen in the mini-program's console.
    Staff enter here the code the provider gave and which of the notice's parameters fills each
    of the template's fields. A kind with no enabled mapping for the configured provider goes to
    the console backend, and its log entry says so."""

    class Provider(models.TextChoices):
        ALIYUN = "aliyun", _("Aliyun SMS")
        TENCENT = "tencent", _("Tencent Cloud SMS")
        WECHAT = "wechat", _("WeChat subscription message")

    kind = models.CharField(_("kind of notice"), max_length=60)
    channel = models.CharField(_("channel"), max_length=10, choices=NotificationLog.Channel.choices,
                               default=NotificationLog.Channel.SMS)
    provider = models.CharField(_("provider"), max_length=20, choices=Provider.choices)
    template_code = models.CharField(
        _("template code"), max_length=100,
        help_text=_("As the provider's console shows it: SMS_123456789 (Aliyun), 1234567 (Tencent), "
                    "the template id (WeChat)."))
    sign_name = models.CharField(
        _("signature"), max_length=60, blank=True,
        help_text=_("The SMS signature registered with the provider, without brackets (e.g. 蜂巢街道). "
                    "Empty: the provider's default from the settings."))
    fields = models.TextField(
        _("template fields"), blank=True,
        help_text=_("One per line, in the template's order: “template field = notice parameter”, or just "
                    "the parameter when the field has its name. Tencent fills {1}, {2}… in this order; "
                    "Aliyun and WeChat by field name (e.g. “thing1 = title”)."))
    enabled = models.BooleanField(_("enabled"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    base_form_class = NoticeTemplateForm

    class Meta:
        ordering = ["kind", "channel", "provider"]
        verbose_name = _("notice template")
        verbose_name_plural = _("notice templates")
        constraints = [
            models.UniqueConstraint(fields=["kind", "channel", "provider"], name="notice_template_unique"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.get_provider_display()} {self.template_code}"

    def notice_params(self) -> str:
        """The parameters the kind declares, for staff filling in the fields."""
        from core import notices

        try:
            return ", ".join(notices.get(self.kind).params) or "-"
        except LookupError:
            return "?"

    notice_params.short_description = _("parameters of the kind")

    def field_map(self) -> list[tuple[str, str]]:
        """[(template field, notice parameter)] in the template's order."""
        pairs = []
        for line in self.fields.splitlines():
            line = line.strip()
            if not line:
                continue
            field, _sep, param = line.partition("=")
            field, param = field.strip(), (param or field).strip()
            pairs.append((field, param))
        return pairs

    def values(self, params) -> list[tuple[str, str]]:
        """[(template field, value)] for a notice's parameters."""
        return [(field, str(params.get(param, ""))) for field, param in self.field_map()]

    def clean(self):
        from django.core.exceptions import ValidationError

        from core import notices

        try:
            notice = notices.get(self.kind)
        except LookupError:
            raise ValidationError({"kind": _("No installed app sends this kind of notice.")}) from None
        unknown = [param for _field, param in self.field_map() if param not in notice.params]
        if unknown:
            raise ValidationError({"fields": _("%(kind)s has no parameter %(names)s; it has: %(params)s.") % {
                "kind": self.kind, "names": ", ".join(unknown), "params": ", ".join(notice.params) or "-"}})
        if self.provider == self.Provider.WECHAT and self.channel != NotificationLog.Channel.WECHAT or (
                self.provider in (self.Provider.ALIYUN, self.Provider.TENCENT)
                and self.channel != NotificationLog.Channel.SMS):
            raise ValidationError({"provider": _("This provider does not serve that channel.")})


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


class WeChatSubscription(models.Model):
    """What a member accepted in the mini-program's ``wx.requestSubscribeMessage`` for one
    template (订阅消息).

    A one-time subscription lets the mini-program's server send that template to the member once
    per acceptance: each "accept" adds one to ``remaining`` and each message sent uses one
    (core.wechat_messages). WeChat answers ``43101`` when there is none left; then ``remaining``
    is set to 0 until the member accepts again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="wechat_subscriptions", verbose_name=_("member"))
    template_id = models.CharField(_("template id"), max_length=100)
    remaining = models.PositiveIntegerField(_("messages left"), default=0)
    accepted_at = models.DateTimeField(_("last accepted"), null=True, blank=True)
    used_at = models.DateTimeField(_("last sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("WeChat subscription")
        verbose_name_plural = _("WeChat subscriptions")
        constraints = [models.UniqueConstraint(fields=["user", "template_id"], name="wechat_subscription_unique")]

    def __str__(self):
        return f"{self.user} · {self.template_id} ({self.remaining})"
