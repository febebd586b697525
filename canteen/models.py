"""Community canteen: canteens, dishes, weekly menus and meal slots, diners, bookings, delivery.

Portions of a meal slot are a ``core.models.Capacity`` row (one per slot), changed only through
``core.capacity`` from ``canteen.services``. Prices are computed on the server from the canteen's
``PriceTier`` rows and frozen on the booking (list price, subsidy, payable), so the monthly subsidy
claim adds up to the bookings even when tiers change later.
"""

import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from pypinyin import Style, lazy_pinyin
from wagtail.search import index

from members.models import phone_validator


class DietaryTag(models.TextChoices):
    LOW_SALT = "low_salt", _("Low salt")
    LOW_SUGAR = "low_sugar", _("Low sugar")
    LOW_FAT = "low_fat", _("Low fat")
    SOFT = "soft", _("Soft, easy to chew")
    VEGETARIAN = "vegetarian", _("Vegetarian")
    HALAL = "halal", _("Halal")


class Allergen(models.TextChoices):
    PEANUT = "peanut", _("Peanuts")
    TREE_NUT = "tree_nut", _("Tree nuts")
    EGG = "egg", _("Egg")
    MILK = "milk", _("Milk")
    SOY = "soy", _("Soy")
    WHEAT = "wheat", _("Wheat (gluten)")
    FISH = "fish", _("Fish")
    SHELLFISH = "shellfish", _("Shellfish")
    SESAME = "sesame", _("Sesame")


class ChoiceListField(models.JSONField):
    """A list of choice codes stored as JSON, edited as checkboxes (admin and member forms)."""

    def __init__(self, *args, choice_list=None, **kwargs):
        self.choice_list = choice_list or []
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("default", None)
        kwargs.pop("blank", None)
        return name, "django.db.models.JSONField", args, {**kwargs, "default": list, "blank": True}

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.choice_list, required=not self.blank, label=self.verbose_name,
            help_text=self.help_text, widget=forms.CheckboxSelectMultiple,
        )


def label_list(codes, choices):
    labels = dict(choices)
    return [str(labels.get(code, code)) for code in codes or []]


class Meal(models.TextChoices):
    """In the order they are served: lunch, then dinner."""

    LUNCH = "lunch", _("Lunch")
    DINNER = "dinner", _("Dinner")


def meal_order(field="meal"):
    """An expression sorting meals as the day runs (lunch, then dinner); ``field`` names the meal
    from another model ("slot__meal"). Ordering on the field itself is alphabetical, and
    "dinner" < "lunch" put every evening meal first."""
    return models.Case(*[models.When(**{field: value}, then=position) for position, value in enumerate(Meal.values)],
                       default=len(Meal.values), output_field=models.PositiveSmallIntegerField())


class SpecialGroup(models.TextChoices):
    NONE = "", _("None")
    LOW_INCOME = "low_income", _("Subsistence allowance (低保)")
    HARDSHIP = "hardship", _("Extreme hardship support (特困)")
    DISABLED = "disabled", _("Disability certificate")
    VETERAN = "veteran", _("Veterans and martyrs' families")
    DAYCARE = "daycare", _("Children's day-care class")


class Canteen(index.Indexed, ClusterableModel):
    """A community canteen run by an operator for the street office. Its page is /canteen/<slug>/."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    community = models.ForeignKey(
        "core.Community", on_delete=models.PROTECT, related_name="canteens", verbose_name=_("community"),
    )
    address = models.CharField(_("address"), max_length=200)
    hours = models.CharField(_("opening hours"), max_length=120, help_text=_("e.g. 11:00–13:00, 17:00–18:30"))
    hotline = models.CharField(_("booking hotline"), max_length=30)
    operator = models.ForeignKey(
        "members.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="canteens",
        limit_choices_to={"kind": "canteen_operator"}, verbose_name=_("operator"),
    )
    intro = models.TextField(_("introduction"), blank=True)
    delivery_communities = models.ManyToManyField(
        "core.Community", blank=True, related_name="delivery_canteens", verbose_name=_("delivery area: communities"),
    )
    delivery_buildings = models.TextField(
        _("delivery area: buildings"), blank=True,
        help_text=_("Optional, one building per line (as written in diners' profiles). "
                    "Empty: every building of the communities above."),
    )
    lunch_cutoff = models.TimeField(_("lunch cut-off"), default=datetime.time(9, 30))
    dinner_cutoff = models.TimeField(_("dinner cut-off"), default=datetime.time(14, 0))
    default_portions = models.PositiveIntegerField(_("default portions per meal"), default=120)
    subsidised_portions = models.PositiveSmallIntegerField(
        _("subsidised portions per diner and meal"), default=1,
        help_text=_("Age and group subsidies apply to this many portions of a diner's booking."),
    )
    is_active = models.BooleanField(_("open for bookings"), default=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.SearchField("address"),
                     index.SearchField("intro")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("canteen")
        verbose_name_plural = _("canteens")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("canteen:canteen", kwargs={"slug": self.slug})

    def building_list(self):
        return [line.strip() for line in self.delivery_buildings.splitlines() if line.strip()]

    def delivers_to(self, community_id, building) -> bool:
        """True when a diner in ``community_id``/``building`` is inside the delivery area."""
        community_ids = {c.pk for c in self.delivery_communities.all()}
        if community_id not in community_ids:
            return False
        buildings = self.building_list()
        return not buildings or (building or "").strip() in buildings

    def cutoff_for(self, date, meal):
        cutoff = self.lunch_cutoff if meal == Meal.LUNCH else self.dinner_cutoff
        return timezone.make_aware(datetime.datetime.combine(date, cutoff))


class Dish(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=60)
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("photo"),
    )
    description = models.CharField(_("description"), max_length=240, blank=True)
    dietary_tags = ChoiceListField(_("dietary tags"), choice_list=DietaryTag.choices)
    allergens = ChoiceListField(_("allergens"), choice_list=Allergen.choices)
    is_active = models.BooleanField(_("on offer"), default=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.SearchField("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("dish")
        verbose_name_plural = _("dishes")
        constraints = [models.UniqueConstraint(fields=["name"], name="canteen_dish_unique_name")]

    def __str__(self):
        return self.name

    @property
    def dietary_labels(self):
        return label_list(self.dietary_tags, DietaryTag.choices)

    @property
    def allergen_labels(self):
        return label_list(self.allergens, Allergen.choices)


class SetMeal(models.Model):
    """A set meal (套餐): several dishes served together for one price."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    description = models.CharField(_("description"), max_length=240, blank=True)
    dishes = models.ManyToManyField(Dish, related_name="set_meals", verbose_name=_("dishes"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("set meal")
        verbose_name_plural = _("set meals")

    def __str__(self):
        return self.name


class Menu(models.Model):
    """A canteen's menu for one week (Monday to Sunday): its meal slots carry the items."""

    canteen = models.ForeignKey(Canteen, on_delete=models.CASCADE, related_name="menus", verbose_name=_("canteen"))
    week_start = models.DateField(_("week starting (Monday)"))
    note = models.CharField(_("note"), max_length=240, blank=True)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["-week_start", "canteen__name"]
        verbose_name = _("weekly menu")
        verbose_name_plural = _("weekly menus")
        constraints = [
            models.UniqueConstraint(fields=["canteen", "week_start"], name="canteen_menu_unique_week"),
        ]

    def __str__(self):
        return f"{self.canteen} · {self.week_start:%Y-%m-%d}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.week_start and self.week_start.weekday() != 0:
            raise ValidationError({"week_start": _("A weekly menu starts on a Monday.")})


class MealSlot(ClusterableModel):
    """One meal of one day at one canteen: portions, cut-off and the items on offer."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    menu = models.ForeignKey(Menu, on_delete=models.CASCADE, related_name="slots", verbose_name=_("menu"))
    canteen = models.ForeignKey(Canteen, on_delete=models.CASCADE, related_name="slots", verbose_name=_("canteen"))
    date = models.DateField(_("date"))
    meal = models.CharField(_("meal"), max_length=10, choices=Meal.choices, default=Meal.LUNCH)
    capacity = models.OneToOneField(
        "core.Capacity", on_delete=models.PROTECT, related_name="canteen_slot", verbose_name=_("portions"),
    )
    cutoff_at = models.DateTimeField(_("booking cut-off"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date", meal_order(), "canteen__name"]
        verbose_name = _("meal slot")
        verbose_name_plural = _("meal slots")
        constraints = [
            models.UniqueConstraint(fields=["canteen", "date", "meal"], name="canteen_slot_unique_meal"),
        ]
        indexes = [models.Index(fields=["canteen", "date"])]

    def __str__(self):
        return f"{self.canteen} · {self.date:%m-%d} {self.get_meal_display()}"

    @staticmethod
    def capacity_key(canteen_id, date, meal):
        return f"canteen:{canteen_id}:{date:%Y-%m-%d}:{meal}"

    @property
    def remaining(self):
        return self.capacity.remaining

    @property
    def is_past_cutoff(self):
        return timezone.now() >= self.cutoff_at

    @property
    def is_bookable_now(self):
        """Open, before its cut-off, portions left: the meal pages offer "预订" for (the rest of
        ``booking_refusal``, the canteen and its menu, is the page's own condition)."""
        return self.status == self.Status.OPEN and not self.is_past_cutoff and self.capacity.remaining > 0

    def booking_refusal(self, now=None, *, walk_in=False) -> str | None:
        """Why this meal takes no booking (or change) at ``now``, as an error code, or None.

        A walk-in at the counter is served on the day itself, after the cut-off. Reads the
        canteen and the menu: select them with the slot. ``queries.open_slots`` is the same
        rule as a queryset.
        """
        now = now or timezone.now()
        if self.status != self.Status.OPEN or not self.canteen.is_active or not self.menu.is_published:
            return "closed"
        if walk_in:
            if timezone.localdate(now) > self.date:
                return "past_cutoff"
        elif now >= self.cutoff_at:
            return "past_cutoff"
        return None


class MenuItem(models.Model):
    """A dish or a set meal on offer in a slot, with its list price."""

    slot = ParentalKey(MealSlot, on_delete=models.CASCADE, related_name="items", verbose_name=_("meal slot"))
    dish = models.ForeignKey(Dish, null=True, blank=True, on_delete=models.PROTECT, related_name="menu_items",
                             verbose_name=_("dish"))
    set_meal = models.ForeignKey(SetMeal, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="menu_items", verbose_name=_("set meal"))
    price = models.DecimalField(_("price"), max_digits=7, decimal_places=2,
                                validators=[MinValueValidator(Decimal("0"))])
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("menu item")
        verbose_name_plural = _("menu items")
        constraints = [
            models.CheckConstraint(
                condition=(Q(dish__isnull=False, set_meal__isnull=True) | Q(dish__isnull=True, set_meal__isnull=False)),
                name="canteen_menuitem_dish_xor_set",
            ),
        ]

    def __str__(self):
        return f"{self.name} ¥{self.price}"

    @property
    def name(self):
        return self.set_meal.name if self.set_meal_id else self.dish.name

    @property
    def kind(self):
        return "set_meal" if self.set_meal_id else "dish"


class PriceTier(models.Model):
    """A canteen's subsidy rule: an age band or a special group, with a discount or a fixed subsidy.

    For a diner, the rule giving the largest subsidy wins (age band and special group are not added).
    """

    class Kind(models.TextChoices):
        DISCOUNT = "discount", _("Discount (percent off)")
        FIXED = "fixed", _("Fixed subsidy per portion (CNY)")

    canteen = ParentalKey(Canteen, on_delete=models.CASCADE, related_name="price_tiers", verbose_name=_("canteen"))
    name = models.CharField(_("name"), max_length=40, help_text=_("e.g. 80–89 岁"))
    min_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("to age (inclusive)"), null=True, blank=True)
    special_group = models.CharField(_("special group"), max_length=20, choices=SpecialGroup.choices, blank=True,
                                     help_text=_("Set for a special-group rule; leave the ages empty then."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FIXED)
    value = models.DecimalField(_("value"), max_digits=6, decimal_places=2,
                                validators=[MinValueValidator(Decimal("0"))],
                                help_text=_("Percent for a discount, CNY per portion for a fixed subsidy."))
    all_portions = models.BooleanField(
        _("applies to every portion"), default=False,
        help_text=_("For group bookings such as the day-care class; otherwise only the canteen's "
                    "subsidised portions per diner and meal."),
    )

    class Meta:
        ordering = ["canteen", "special_group", "min_age"]
        verbose_name = _("price tier")
        verbose_name_plural = _("price tiers")

    def __str__(self):
        return f"{self.canteen} · {self.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind == self.Kind.DISCOUNT and self.value is not None and self.value > 100:
            raise ValidationError({"value": _("A discount is at most 100 percent.")})
        if not self.special_group and self.min_age is None and self.max_age is None:
            raise ValidationError(_("Give an age band or a special group."))

    def matches_age(self, age):
        if self.special_group or age is None:
            return False
        return (self.min_age is None or age >= self.min_age) and (self.max_age is None or age <= self.max_age)

    def subsidy_for(self, unit_price: Decimal) -> Decimal:
        if self.kind == self.Kind.DISCOUNT:
            return (unit_price * self.value / Decimal(100)).quantize(Decimal("0.01"))
        return min(self.value, unit_price)


def pinyin_initials(name: str) -> str:
    """张桂英 -> zgy; latin letters and digits are kept, lower-cased."""
    letters = lazy_pinyin(name or "", style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return "".join(part[:1] for part in letters if part.strip()).lower()


class Diner(ClusterableModel):
    """Someone who eats at the canteen. Everything here but the name is personal data: shown to
    the diner, the family members linked to them and canteen staff only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="diner",
        verbose_name=_("member account"),
    )
    name = models.CharField(_("name"), max_length=40)
    initials = models.CharField(_("pinyin initials"), max_length=40, blank=True, db_index=True, editable=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True, validators=[phone_validator])
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    special_group = models.CharField(_("special group"), max_length=20, choices=SpecialGroup.choices, blank=True)
    lives_alone = models.BooleanField(_("lives alone"), default=False)
    needs_delivery = models.BooleanField(_("needs home delivery"), default=False)
    community = models.ForeignKey("core.Community", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="diners", verbose_name=_("community"))
    building = models.CharField(_("building"), max_length=40, blank=True, help_text=_("e.g. 3栋"))
    address = models.CharField(_("delivery address"), max_length=200, blank=True)
    delivery_notes = models.CharField(_("delivery notes"), max_length=200, blank=True)
    dietary_needs = ChoiceListField(_("dietary needs"), choice_list=DietaryTag.choices)
    allergies = ChoiceListField(_("allergies"), choice_list=Allergen.choices)
    dietary_notes = models.CharField(_("other dietary notes"), max_length=200, blank=True)
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=40, blank=True)
    emergency_contact_phone = models.CharField(_("emergency contact phone"), max_length=20, blank=True,
                                               validators=[phone_validator])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("diner")
        verbose_name_plural = _("diners")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.initials = pinyin_initials(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "initials"}
        super().save(*args, **kwargs)

    def age_on(self, date):
        return date.year - self.birth_year if self.birth_year else None

    @property
    def dietary_labels(self):
        return label_list(self.dietary_needs, DietaryTag.choices) + label_list(self.allergies, Allergen.choices)


class DinerLink(models.Model):
    """A family member (or carer) allowed to book for a diner."""

    diner = ParentalKey(Diner, on_delete=models.CASCADE, related_name="links", verbose_name=_("diner"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diner_links",
                             verbose_name=_("family member"))
    relation = models.CharField(_("relation"), max_length=20, blank=True, help_text=_("e.g. 女儿"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("family link")
        verbose_name_plural = _("family links")
        constraints = [models.UniqueConstraint(fields=["diner", "user"], name="canteen_dinerlink_unique")]

    def __str__(self):
        return f"{self.user} → {self.diner}"


class Booking(models.Model):
    class Mode(models.TextChoices):
        DINE_IN = "dine_in", _("Dine in")
        PICK_UP = "pick_up", _("Pick up")
        DELIVERY = "delivery", _("Home delivery")

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    class Channel(models.TextChoices):
        SELF = "self", _("By the diner")
        FAMILY = "family", _("By family")
        PHONE = "phone", _("By phone, through staff")
        WALK_IN = "walk_in", _("Walk-in at the counter")
        GROUP = "group", _("Group booking")

    class PaymentMethod(models.TextChoices):
        CASH = "cash", _("Cash")
        MOBILE = "mobile", _("Mobile payment at the counter")
        MEAL_CARD = "meal_card", _("Meal card")

    slot = models.ForeignKey(MealSlot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("meal slot"))
    diner = models.ForeignKey(Diner, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings",
                              verbose_name=_("diner"))
    group_name = models.CharField(_("group"), max_length=60, blank=True,
                                  help_text=_("For group bookings, e.g. the summer day-care class."))
    special_group = models.CharField(_("price group"), max_length=20, choices=SpecialGroup.choices, blank=True,
                                     help_text=_("For group bookings: the special group whose price applies."))
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices, default=Mode.DINE_IN)
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    portions = models.PositiveIntegerField(_("portions"), default=0)
    tier = models.CharField(_("price tier"), max_length=40, blank=True)
    list_price = models.DecimalField(_("list price"), max_digits=9, decimal_places=2, default=Decimal("0"))
    subsidy = models.DecimalField(_("subsidy"), max_digits=9, decimal_places=2, default=Decimal("0"))
    payable = models.DecimalField(_("payable"), max_digits=9, decimal_places=2, default=Decimal("0"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.SELF)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="canteen_bookings_made", verbose_name=_("booked by"))
    paid_amount = models.DecimalField(_("amount paid"), max_digits=9, decimal_places=2, null=True, blank=True)
    payment_method = models.CharField(_("payment method"), max_length=10, choices=PaymentMethod.choices, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    payment_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+",
                                            verbose_name=_("payment recorded by"))
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            # One live booking per diner and meal; change it rather than booking twice.
            models.UniqueConstraint(fields=["slot", "diner"], condition=Q(status="confirmed"),
                                    name="canteen_booking_one_per_diner"),
            models.CheckConstraint(condition=Q(diner__isnull=False) | ~Q(group_name=""),
                                   name="canteen_booking_diner_or_group"),
        ]
        indexes = [models.Index(fields=["slot", "status"])]

    def __str__(self):
        return f"{self.who} · {self.slot}"

    @property
    def who(self):
        return self.group_name or (self.diner.name if self.diner_id else "")

    @property
    def is_paid(self):
        return self.paid_at is not None

    def change_refusal(self, now=None, *, by_staff=False) -> str | None:
        """Why this booking can no longer be changed at ``now`` (an error code), or None.

        A paid booking stays as it was paid: changing it would re-price a meal whose money is
        already in the till (and the monthly subsidy claim adds up the bookings). Canteen staff
        may still change a walk-in on its day, after the cut-off.
        """
        if self.status != self.Status.CONFIRMED:
            return "not_confirmed"
        if self.paid_at:
            return "already_paid"
        return self.slot.booking_refusal(now, walk_in=by_staff and self.channel == self.Channel.WALK_IN)

    def can_change(self, now=None, *, by_staff=False) -> bool:
        """Templates call it without arguments: now, as a member."""
        return self.change_refusal(now, by_staff=by_staff) is None

    def cancel_refusal(self, now=None, *, by_staff=False) -> str | None:
        """Why this booking can no longer be cancelled (an error code), or None: members until the
        cut-off, staff after it too; never once paid (a cancelled booking would drop the money
        from the reports)."""
        if self.status != self.Status.CONFIRMED:
            return "not_confirmed"
        if self.paid_at:
            return "already_paid"
        if not by_staff and (now or timezone.now()) >= self.slot.cutoff_at:
            return "past_cutoff"
        return None

    def can_cancel(self, now=None, *, by_staff=False) -> bool:
        return self.cancel_refusal(now, by_staff=by_staff) is None


class BookingLine(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(MenuItem, on_delete=models.PROTECT, related_name="booking_lines")
    quantity = models.PositiveSmallIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(_("unit price"), max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["booking", "item"], name="canteen_line_unique_item")]

    def __str__(self):
        return f"{self.item.name} × {self.quantity}"


class Delivery(models.Model):
    """A home delivery; the daily visit is also a check that the diner is well."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To deliver")
        DELIVERED = "delivered", _("Delivered")
        NO_ANSWER = "no_answer", _("No answer")
        CANCELLED = "cancelled", _("Cancelled")

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="delivery",
                                   verbose_name=_("booking"))
    volunteer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="canteen_deliveries", verbose_name=_("delivery volunteer"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))

    class Meta:
        ordering = ["booking__diner__building", "booking__diner__address", "id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self):
        return f"{self.booking} · {self.get_status_display()}"


class WelfareAlert(models.Model):
    """Nobody answered the door for a delivery: open until someone records what they found."""

    class Outcome(models.TextChoices):
        REACHED = "reached", _("Reached them (by phone or in person)")
        VISITED = "visited", _("Visited: they are well")
        ESCALATED = "escalated", _("Escalated (emergency services, police or the street office)")

    delivery = models.OneToOneField(Delivery, on_delete=models.CASCADE, related_name="welfare_alert",
                                    verbose_name=_("delivery"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(_("what happened"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("closed by"))

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("welfare alert")
        verbose_name_plural = _("welfare alerts")

    def __str__(self):
        return f"{self.delivery.booking} · {self.get_outcome_display() or _('open')}"

    @property
    def is_open(self):
        return not self.outcome


class WelfareAlertAttempt(models.Model):
    """One person an alert tried to reach, sent or not (and why not)."""

    class Recipient(models.TextChoices):
        EMERGENCY_CONTACT = "emergency", _("Emergency contact")
        FAMILY = "family", _("Family member who booked")
        GRID_WORKER = "grid", _("Grid worker")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Sent")
        NOT_SENT = "not_sent", _("Not sent")

    alert = models.ForeignKey(WelfareAlert, on_delete=models.CASCADE, related_name="attempts",
                              verbose_name=_("welfare alert"))
    recipient = models.CharField(_("who"), max_length=10, choices=Recipient.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    address = models.CharField(_("sent to"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    reason = models.CharField(_("why not sent"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("alert attempt")
        verbose_name_plural = _("alert attempts")

    def __str__(self):
        return f"{self.get_recipient_display()} {self.name}: {self.get_status_display()}"


class Feedback(models.Model):
    diner = models.ForeignKey(Diner, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback",
                              verbose_name=_("diner"))
    dish = models.ForeignKey(Dish, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback",
                             verbose_name=_("dish"))
    canteen = models.ForeignKey(Canteen, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback",
                                verbose_name=_("canteen"))
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    text = models.TextField(_("suggestion"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("left at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self):
        return f"{self.dish or self.canteen} · {self.rating or '-'}"
