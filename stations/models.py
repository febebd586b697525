"""Stations: rest stops for couriers and riders, with opening hours, live status and report-in.

A :class:`StationPage` is a Wagtail page under the :class:`StationIndexPage`, with its weekly
:class:`OpeningHours`, dated :class:`OpeningException` rows and :class:`StationPhoto` (edited
inline). Coordinates are WGS-84 floats, each indexed, for the bounding-box prefilter of the
nearest search. Station staff keep one :class:`LiveStatus` per station; riders add
:class:`Confirmation` rows. A member scanning the station's signed QR code leaves a
:class:`Visit`; a mobile party member's scan is also a :class:`ReportIn` to the branch
responsible for the station's community (the party registry: :class:`PartyOrganisation`,
:class:`PartyMember`), which only party-work staff and the member themself ever see.
"""

import base64
import datetime

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from stations import hours


class Kind(models.TextChoices):
    REST_STOP = "rest_stop", _("Rest stop")
    GIG_STATION = "gig_station", _("Gig station")
    PARTY_CENTRE = "party_centre", _("Party-service centre")
    CANTEEN = "canteen", pgettext_lazy("station kind", "Canteen")
    READING_CORNER = "reading_corner", _("Reading corner")


class Amenity(models.TextChoices):
    SEATS = "seats", _("Seats")
    DRINKING_WATER = "drinking_water", _("Drinking water")
    HOT_WATER = "hot_water", _("Hot water")
    MICROWAVE = "microwave", _("Microwave")
    PHONE_CHARGING = "phone_charging", _("Phone charging")
    BATTERY_CHARGING = "battery_charging", _("E-bike battery charging")
    TOILET = "toilet", _("Toilet")
    FIRST_AID = "first_aid", _("First-aid kit")
    UMBRELLAS = "umbrellas", _("Umbrellas to borrow")
    READING = "reading", _("Books to read")
    WIFI = "wifi", _("Wi-Fi")
    AIR_CONDITIONING = "air_conditioning", _("Air conditioning")


#: Each amenity's bit in ``StationPage.amenity_mask`` (never renumber: stored values use them).
AMENITY_BITS = {value: 1 << i for i, value in enumerate(Amenity.values)}


def amenity_mask(amenities) -> int:
    mask = 0
    for value in amenities or ():
        mask |= AMENITY_BITS[value]
    return mask


class StationIndexPage(Page):
    """The station list and map; the same listing is served at /stations/ by the plugin's view."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = ["intro"]
    subpage_types = ["stations.StationPage"]
    max_count = 1

    class Meta:
        verbose_name = _("station index")

    # Served by stations.wagtail_hooks (before_serve_page) with the plugin's listing view, so that
    # models never import views.


class StationPageForm(WagtailAdminPageForm):
    amenities = forms.MultipleChoiceField(label=_("amenities"), required=False, choices=Amenity.choices,
                                          widget=forms.CheckboxSelectMultiple)


class StationPage(Page):
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REST_STOP)
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    community = models.ForeignKey("core.Community", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("community"))
    address = models.CharField(_("address"), max_length=200)
    latitude = models.FloatField(_("latitude (WGS-84)"), db_index=True,
                                 validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(_("longitude (WGS-84)"), db_index=True,
                                  validators=[MinValueValidator(-180), MaxValueValidator(180)],
                                  help_text=_("GPS coordinates (WGS-84), not the ones a Chinese map app shows."))
    amenities = models.JSONField(_("amenities"), default=list, blank=True)
    #: The amenities as bits, so the nearest search filters them in SQL on SQLite and PostgreSQL.
    amenity_mask = models.BigIntegerField(default=0, editable=False, db_index=True)
    contact_name = models.CharField(_("contact person"), max_length=40, blank=True)
    contact_phone = models.CharField(_("station phone"), max_length=20, blank=True,
                                     help_text=_("The station's own phone, shown to everyone."))
    follows_office_calendar = models.BooleanField(
        _("follows the office calendar"), default=False,
        help_text=_("Closed on public holidays (unless holiday hours are given below) and open on make-up "
                    "working days with Monday's hours."))
    description = RichTextField(_("description"), blank=True, features=["bold", "italic", "link", "ol", "ul"])

    base_form_class = StationPageForm
    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldRowPanel([FieldPanel("kind"), FieldPanel("community")]), FieldPanel("summary"),
                         FieldPanel("amenities")], heading=_("About")),
        MultiFieldPanel([FieldPanel("address"), FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                         FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_phone")])],
                        heading=_("Where and who")),
        MultiFieldPanel([FieldPanel("follows_office_calendar"),
                         InlinePanel("hours", label=_("opening hours"), heading=_("Weekly hours")),
                         InlinePanel("exceptions", label=_("exception"), heading=_("Dated exceptions"))],
                        heading=_("Opening hours")),
        InlinePanel("photos", label=_("photo"), heading=_("Photos")),
        FieldPanel("description"),
    ]
    search_fields = Page.search_fields + [index.SearchField("address"), index.SearchField("summary"),
                                          index.SearchField("description"), index.FilterField("kind")]
    api_fields = ["kind", "summary", "address", "latitude", "longitude", "amenities", "contact_name",
                  "contact_phone", "follows_office_calendar", "description"]
    parent_page_types = ["stations.StationIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        indexes = [models.Index(fields=["latitude", "longitude"], name="station_lat_lng")]

    def save(self, *args, **kwargs):
        self.amenities = [a for a in Amenity.values if a in (self.amenities or [])]
        self.amenity_mask = amenity_mask(self.amenities)
        super().save(*args, **kwargs)

    def amenity_labels(self):
        labels = dict(Amenity.choices)
        return [labels[a] for a in self.amenities if a in labels]

    # --- one station's predicates --------------------------------------------------------------

    def schedule(self, closed_on=None) -> hours.Schedule:
        """Its hours as a :class:`stations.hours.Schedule` (uses prefetched rows when present)."""
        schedule = hours.Schedule(follows_office_calendar=self.follows_office_calendar, closed_on=closed_on)
        for row in self.hours.all():
            schedule.add_hours(row.weekday, row.opens, row.closes)
        for row in self.exceptions.all():
            schedule.add_exception(row.date, row.closed, row.opens, row.closes)
        return schedule

    @property
    def scan_code(self) -> str:
        """The signed code printed in the station's QR: proof that the scanner stood there."""
        digest = salted_hmac("stations.scan", str(self.pk), algorithm="sha256").digest()
        return base64.b32encode(digest[:10]).decode("ascii")

    def check_scan_code(self, code: str) -> bool:
        return constant_time_compare((code or "").strip().upper(), self.scan_code)

    def scan_url(self) -> str:
        from django.urls import reverse

        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("stations:scan", args=[self.pk, self.scan_code])


class OpeningHours(Orderable):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")
        PUBLIC_HOLIDAY = hours.PUBLIC_HOLIDAY, _("Public holidays")

    page = ParentalKey(StationPage, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"), help_text=_("Earlier than the opening time: open past midnight. "
                                                      "00:00 to 00:00: all day."))

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")])]

    class Meta(Orderable.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class OpeningException(Orderable):
    page = ParentalKey(StationPage, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("date"))
    closed = models.BooleanField(_("closed all day"), default=True)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("closed"), FieldPanel("opens"), FieldPanel("closes")]),
              FieldPanel("reason")]

    class Meta(Orderable.Meta):
        verbose_name = _("exception")
        verbose_name_plural = _("exceptions")

    def clean(self):
        from django.core.exceptions import ValidationError

        if not self.closed and (self.opens is None or self.closes is None):
            raise ValidationError(_("Give the opening and closing time, or tick “closed all day”."))


class StationPhoto(Orderable):
    page = ParentalKey(StationPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("image"))
    caption = models.CharField(_("caption"), max_length=120, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


# --- live status ---------------------------------------------------------------------------------

class LiveStatus(models.Model):
    """What station staff last said: places free, or closed today with a reason."""

    station = models.OneToOneField(StationPage, on_delete=models.CASCADE, related_name="live_status")
    seats_free = models.PositiveSmallIntegerField(_("seats free"), null=True, blank=True)
    chargers_free = models.PositiveSmallIntegerField(_("phone chargers free"), null=True, blank=True)
    batteries_free = models.PositiveSmallIntegerField(_("e-bike charging points free"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_reason = models.CharField(_("reason for closing"), max_length=120, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("updated by"))

    class Meta:
        verbose_name = _("live status")
        verbose_name_plural = _("live statuses")
        permissions = [("set_live_status", _("Can set a station's live status"))]

    def __str__(self):
        return f"{self.station_id} @ {self.updated_at:%Y-%m-%d %H:%M}"

    def closed_today(self, today=None):
        return self.closed_on == (today or timezone.localdate())

    def is_fresh(self, now=None):
        now = now or timezone.now()
        return self.updated_at >= now - datetime.timedelta(days=unconfirmed_after_days())


def unconfirmed_after_days() -> int:
    """After this many days without a word from staff or riders, a station's status is shown as
    unconfirmed rather than as stale facts (``STATIONS_UNCONFIRMED_DAYS``, 3 by default)."""
    return int(getattr(settings, "STATIONS_UNCONFIRMED_DAYS", 3))


class Confirmation(models.Model):
    """One rider's word on what they found: "water: yes", "charging: broken"."""

    class Item(models.TextChoices):
        OPEN = "open", _("Open")
        DRINKING_WATER = "drinking_water", _("Drinking water")
        HOT_WATER = "hot_water", _("Hot water")
        MICROWAVE = "microwave", _("Microwave")
        PHONE_CHARGING = "phone_charging", _("Phone charging")
        BATTERY_CHARGING = "battery_charging", _("E-bike battery charging")
        SEATS = "seats", _("Seats")
        TOILET = "toilet", _("Toilet")
        WIFI = "wifi", _("Wi-Fi")

    class State(models.TextChoices):
        YES = "yes", _("Yes, working")
        NO = "no", _("No, off or broken")

    station = models.ForeignKey(StationPage, on_delete=models.CASCADE, related_name="confirmations")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item = models.CharField(_("what"), max_length=20, choices=Item.choices)
    state = models.CharField(_("found"), max_length=3, choices=State.choices)
    note = models.CharField(_("note"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("confirmed at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("rider confirmation")
        verbose_name_plural = _("rider confirmations")
        indexes = [models.Index(fields=["station", "item", "-created_at"], name="confirmation_latest")]

    def __str__(self):
        return f"{self.get_item_display()}: {self.get_state_display()}"


# --- visits, report-in and the party registry -----------------------------------------------------

class Visit(models.Model):
    """A logged-in member scanned the station's QR code."""

    station = models.ForeignKey(StationPage, on_delete=models.CASCADE, related_name="visits")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("visited at"), default=timezone.now, db_index=True)
    #: Set when station staff credit the visit as volunteering at the station (core.credits).
    volunteer_minutes = models.PositiveSmallIntegerField(_("volunteered (minutes)"), null=True, blank=True)
    credited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("credited by"))
    credited_at = models.DateTimeField(_("credited at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self):
        return f"{self.member} @ {self.station_id}"

    @property
    def is_credited(self):
        return self.volunteer_minutes is not None

    @property
    def source_key(self):
        """Its key in the service-rendered contract: the same visit is never credited twice."""
        return f"stations.visit.{self.pk}"


class PartyOrganisation(models.Model):
    """A party organisation, typically set up in new-economy enterprises (两新组织)."""

    class Kind(models.TextChoices):
        BRANCH = "branch", _("Party branch")
        GENERAL_BRANCH = "general_branch", _("General party branch")
        JOINT_BRANCH = "joint_branch", _("Joint party branch")

    class Setup(models.TextChoices):
        SINGLE = "single", _("Set up by one enterprise alone")
        INDUSTRY = "industry", _("Set up jointly by an industry")
        AREA = "area", _("Set up by area")
        MASS_ORGANISATION = "mass_organisation", _("Set up with mass organisations")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BRANCH)
    setup = models.CharField(_("how it was set up"), max_length=20, choices=Setup.choices, default=Setup.SINGLE)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children",
                               verbose_name=_("higher organisation"))
    communities = models.ManyToManyField(
        "core.Community", blank=True, related_name="+", verbose_name=_("communities it receives report-ins for"),
        help_text=_("Mobile party members who scan a station in these communities report in to this organisation."))
    enterprises = models.ManyToManyField("members.Organisation", blank=True, related_name="+",
                                         verbose_name=_("enterprises covered"))
    secretary = models.CharField(_("secretary"), max_length=40, blank=True)
    set_up_on = models.DateField(_("set up on"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")

    def __str__(self):
        return self.name


class PartyMember(models.Model):
    """A member's party membership: sensitive, shown only to party-work staff and themself."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="party_membership",
                                verbose_name=_("member"))
    organisation = models.ForeignKey(PartyOrganisation, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="members", verbose_name=_("organisation attached to"))
    is_mobile = models.BooleanField(_("mobile party member"), default=False,
                                    help_text=_("A member whose membership is kept elsewhere (流动党员)."))
    home_organisation = models.CharField(_("home party organisation"), max_length=120, blank=True)
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        ordering = ["user__display_name", "pk"]
        verbose_name = _("party member")
        verbose_name_plural = _("party members")

    def __str__(self):
        return str(self.user)


def month_of(moment) -> datetime.date:
    return timezone.localtime(moment).date().replace(day=1)


class ReportIn(models.Model):
    """A mobile party member reported in to a branch (线上归队): counted once per member, branch
    and month, however often they scan."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("member"))
    organisation = models.ForeignKey(PartyOrganisation, on_delete=models.PROTECT, related_name="report_ins",
                                     verbose_name=_("organisation"))
    station = models.ForeignKey(StationPage, null=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("station"))
    month = models.DateField(_("month"))
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        ordering = ["-month", "-created_at"]
        verbose_name = _("report-in")
        verbose_name_plural = _("report-ins")
        constraints = [models.UniqueConstraint(fields=["member", "organisation", "month"],
                                               name="report_in_once_a_month")]

    def __str__(self):
        return f"{self.member} → {self.organisation} ({self.month:%Y-%m})"
